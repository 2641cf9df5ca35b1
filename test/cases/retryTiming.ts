/**
 * Retry timing and the retry budget under a test clock, as data for both
 * lines: what an in-process transport answers to each attempt, the live
 * layer's options, how many `getWidgetToken` calls are made one after the
 * other, and what must be seen — each call's outcome, how many attempts the
 * transport got, the waits before them, and their idempotency keys. Nothing
 * here sleeps: each line's driver (`test/retry-timing.test.ts`, the TestClock
 * section of `effect4/test/live.test.ts`) runs the calls on its own
 * `SyncteraLive.layer` over its own scripted `HttpClient`, lets its
 * `TestClock` run, and compares what it saw with {@link timingVerdicts}.
 * Only the driving (forking, `TestClock.adjust`) is a line's own.
 *
 * In-process rather than over a socket: a test clock and a real socket do
 * not mix (a wait on the clock can hang a request that waits on the socket).
 */
import type { Json, JsonObject } from "./behaviour.js"
import type { LiveOptions, Pattern, WireJson } from "./liveEngine.js"
import { atMost, matching, within } from "./portsMatch.js"
import { widgetTokenBody } from "./portsWire.js"

// --- what the transport answers ---

/** One attempt's answer: a status with a JSON body and headers, or none ever (the attempt hangs until its timeout). */
export type TimingAnswer =
  | { readonly status: number; readonly body?: WireJson; readonly headers?: Readonly<Record<string, string>> }
  | { readonly hang: true }

const ok: TimingAnswer = { status: 200, body: widgetTokenBody }
const unavailable: TimingAnswer = { status: 503, body: { code: "UNAVAILABLE" } }
const hang: TimingAnswer = { hang: true }
const rateLimited = (headers: Readonly<Record<string, string>>, body: WireJson = { code: "TOO_MANY_REQUESTS" }) =>
  ({ status: 429, headers, body }) satisfies TimingAnswer

// --- a case ---

/**
 * Calls made one after the other on one build of the layer, with the test
 * clock run for an hour (every wait due in it wakes, in order), and what
 * they must give.
 */
export interface Phase {
  /** How many calls; one when left out. */
  readonly calls?: number
  /** The answer to the phase's n-th attempt (from 0), the last one for ever; `cycle` repeats them instead. */
  readonly answers: ReadonlyArray<TimingAnswer>
  readonly cycle?: boolean
  /** On a new build of the layer (a new transport, a new budget), not on the previous phase's. */
  readonly newBuild?: boolean
  /**
   * What the phase must give, each part a `Pattern` (see `liveEngine.ts`):
   * `outcomes`, one per call (`{ ok: value }` or `{ error: fields }`);
   * `attempts`, how many the transport got; `waits`, the milliseconds before
   * each attempt (the first from the phase's start, then from the attempt
   * before); `keys`, how many distinct `Idempotency-Key`s they carried.
   */
  readonly expect: {
    readonly outcomes?: Pattern
    readonly attempts: number
    readonly waits?: Pattern
    readonly keys?: number
  }
}

/** A case: the layer's options (durations as text, as both lines take them), its phases, where it is grouped. */
export interface TimingCase {
  readonly name: string
  readonly group: "backoff" | "Retry-After" | "timeouts and the deadline" | "retry budget"
  readonly options?: LiveOptions
  readonly phases: ReadonlyArray<Phase>
}

const succeeded = { ok: { widgetToken: widgetTokenBody.widget_token } }
const failed = (fields: JsonObject = {}) => ({ error: fields })
const each = (n: number, outcome: Pattern): Pattern => Array.from({ length: n }, () => outcome)

/** The backoff's defaults: 500 ms, then 1 s, each ±20%. */
const defaultWaits = [0, within(400, 600), within(800, 1200)]

const backoff: ReadonlyArray<TimingCase> = [
  {
    name: "defaults: 3 attempts, 500 ms then 1 s, each ±20%",
    group: "backoff",
    phases: [{
      answers: [unavailable],
      expect: { outcomes: [failed({ _tag: "Internal", attempts: 3 })], attempts: 3, waits: defaultWaits }
    }]
  },
  {
    name: "the cap bounds every wait",
    group: "backoff",
    options: { retry: { times: 6, base: "1000 millis", cap: "1500 millis" } },
    phases: [{
      answers: [unavailable],
      // 1 s and 2 s (±20%) capped, then 4 s and on: the cap itself.
      expect: { attempts: 7, waits: [0, atMost(1500), atMost(1500), 1500, 1500, 1500, 1500] }
    }]
  },
  {
    name: "recovers on a later attempt, with one idempotency key for every attempt",
    group: "backoff",
    phases: [{
      answers: [unavailable, unavailable, ok],
      expect: { outcomes: [succeeded], attempts: 3, keys: 1, waits: defaultWaits }
    }]
  }
]

const retryAfterForms: ReadonlyArray<readonly [string, TimingAnswer, number]> = [
  ["seconds", rateLimited({ "retry-after": "3" }), 3000],
  // The test clock starts at 0: a date 5 s after the epoch is 5 s away.
  ["an HTTP date", rateLimited({ "retry-after": new Date(5000).toUTCString() }), 5000],
  ["retry-after-ms", rateLimited({ "retry-after-ms": "1500" }), 1500],
  ["the body's retry_after", rateLimited({}, { code: "TOO_MANY_REQUESTS", retry_after: 2 }), 2000],
  ["on a 503", { status: 503, headers: { "retry-after": "4" } }, 4000]
]

const retryAfter: ReadonlyArray<TimingCase> = [
  ...retryAfterForms.map(([form, answer, wait]): TimingCase => ({
    name: `honours Retry-After as ${form}`,
    group: "Retry-After",
    phases: [{ answers: [answer, ok], expect: { outcomes: [succeeded], attempts: 2, waits: [0, wait] } }]
  })),
  {
    name: "garbage falls back to the backoff",
    group: "Retry-After",
    phases: [{
      answers: [rateLimited({ "retry-after": "soon-ish" }), ok],
      expect: { outcomes: [succeeded], attempts: 2, waits: [0, within(400, 600)] }
    }]
  },
  {
    name: "a wait beyond maxRetryAfter (60 s by default) fails at once with the 429 and its retryAfter",
    group: "Retry-After",
    options: { deadline: "5 minutes" },
    phases: [{
      answers: [rateLimited({ "retry-after": "61" })],
      expect: {
        outcomes: [failed({ _tag: "RateLimited", attempts: 1, retryAfter: { millis: 61_000 } })],
        attempts: 1,
        waits: [0]
      }
    }]
  },
  {
    name: "a longer maxRetryAfter waits for it",
    group: "Retry-After",
    options: { deadline: "5 minutes", maxRetryAfter: "2 minutes" },
    phases: [{
      answers: [rateLimited({ "retry-after": "61" }), ok],
      expect: { outcomes: [succeeded], attempts: 2, waits: [0, 61_000] }
    }]
  },
  {
    name: "a wait that would pass the deadline fails at once",
    group: "Retry-After",
    options: { deadline: "8 seconds" },
    phases: [{
      answers: [rateLimited({ "retry-after": "10" })],
      expect: { outcomes: [failed({ _tag: "RateLimited", attempts: 1 })], attempts: 1, waits: [0] }
    }]
  }
]

const timeouts: ReadonlyArray<TimingCase> = [
  {
    name: "a hung attempt times out after `timeout` and is retried",
    group: "timeouts and the deadline",
    options: { timeout: "2 seconds" },
    phases: [{
      answers: [hang, ok],
      // 2 s of timeout, then the first backoff (500 ms ±20%).
      expect: { outcomes: [succeeded], attempts: 2, waits: [0, within(2400, 2600)] }
    }]
  },
  {
    name: "all attempts hung: Timeout(attempt) after the last one",
    group: "timeouts and the deadline",
    options: { timeout: "1000 millis", retry: { times: 1, base: "100 millis" } },
    phases: [{
      answers: [hang],
      expect: {
        outcomes: [failed({ _tag: "Timeout", limit: "attempt", attempts: 2, after: { millis: 1000 } })],
        attempts: 2
      }
    }]
  },
  {
    name: "the deadline bounds the whole call, waits included",
    group: "timeouts and the deadline",
    options: { timeout: "10 seconds", deadline: "15 seconds" },
    phases: [{
      answers: [hang],
      expect: {
        outcomes: [failed({ _tag: "Timeout", limit: "deadline", attempts: 2, after: { millis: 15_000 } })],
        attempts: 2
      }
    }]
  },
  {
    name: "no backoff wait is started that would pass the deadline",
    group: "timeouts and the deadline",
    options: { deadline: "1000 millis", retry: { times: 5, base: "700 millis", cap: "700 millis" } },
    phases: [{
      answers: [unavailable],
      // 0 ms, then a wait of at most 700 ms (700 ms -20%, or capped) ends before 1000: one retry; the next,
      // capped at 700 ms again, would end past it.
      expect: { outcomes: [failed({ _tag: "Internal", attempts: 2 })], attempts: 2, waits: [0, within(560, 700)] }
    }]
  }
]

/** The budget's options: 50 tokens, 5 a retry, 1 back for each first-attempt success; two retries a call. */
const budget = {
  retry: { times: 2, base: "10 millis" },
  retryBudget: { capacity: 50, retryCost: 5, refill: 1 }
} as const satisfies LiveOptions

const retryBudget: ReadonlyArray<TimingCase> = [
  {
    name: "under a 100% failure rate, retries are bounded by the budget, not calls × retries; successes refill it",
    group: "retry budget",
    options: budget,
    phases: [
      // 40 first attempts + 50 / 5 = 10 retries; without a budget it would be 40 + 80.
      { calls: 40, answers: [unavailable], expect: { outcomes: each(40, failed()), attempts: 50 } },
      // Recovery: first-attempt successes put tokens back, one each.
      { calls: 10, answers: [ok], expect: { outcomes: each(10, succeeded), attempts: 10 } },
      // The 10 tokens regained pay for 2 retries.
      { calls: 5, answers: [unavailable], expect: { outcomes: each(5, failed()), attempts: 5 + 2 } }
    ]
  },
  {
    name: "a retried success gives back what its retries spent",
    group: "retry budget",
    options: { ...budget, retryBudget: { capacity: 5, retryCost: 5 } },
    phases: [{
      // Each call fails once and succeeds on its retry: the one retry token is spent and returned.
      calls: 20,
      answers: [unavailable, ok],
      cycle: true,
      expect: { outcomes: each(20, succeeded), attempts: 40 }
    }]
  },
  {
    name: "retryBudget: false never limits retries",
    group: "retry budget",
    options: { ...budget, retryBudget: false },
    phases: [{ calls: 40, answers: [unavailable], expect: { outcomes: each(40, failed()), attempts: 120 } }]
  },
  {
    name: "each layer build has its own budget",
    group: "retry budget",
    options: budget,
    phases: [
      { calls: 20, answers: [unavailable], expect: { attempts: 20 + 10 } },
      { newBuild: true, answers: [unavailable], expect: { outcomes: [failed({ attempts: 3 })], attempts: 3 } }
    ]
  }
]

/** Every case, in its group. */
export const retryTiming: ReadonlyArray<TimingCase> = [...backoff, ...retryAfter, ...timeouts, ...retryBudget]

/** The groups, in order, each with its cases: what a driver makes a `describe` each. */
export const timingGroups: ReadonlyArray<{ readonly group: string; readonly cases: ReadonlyArray<TimingCase> }> = [
  ...new Set(retryTiming.map(({ group }) => group))
].map((group) => ({ group, cases: retryTiming.filter((testCase) => testCase.group === group) }))

/** The answer to the `index`-th attempt of a phase (from 0). */
const answerOf = (phase: Phase, index: number): TimingAnswer => {
  const { answers } = phase
  const at = phase.cycle === true ? index % answers.length : Math.min(index, answers.length - 1)
  const answer = answers[at]
  if (answer === undefined) throw new Error("a phase with no answers")
  return answer
}

// --- what a driver saw ---

/** An attempt the transport got: when (the test clock's milliseconds), and its `Idempotency-Key`. */
export interface SeenAttempt {
  readonly at: number
  readonly idempotencyKey: string | undefined
}

/** A call's outcome as plain JSON (`toPlain` of `engine.ts`): an error with its `_tag`, durations as `{ millis }`. */
export type TimingOutcome = { readonly ok: Json } | { readonly error: JsonObject }

/** What a phase gave: the clock's time when it began, each call's outcome, and the attempts. */
export interface SeenPhase {
  readonly start: number
  readonly outcomes: ReadonlyArray<TimingOutcome>
  readonly attempts: ReadonlyArray<SeenAttempt>
}

/** A request a line's scripted transport recorded, as both lines' `ScriptedClient`s have it. */
export interface ScriptedCall {
  readonly at: number
  readonly request: { readonly headers: { readonly [name: string]: string | undefined } }
}

/**
 * One build of the layer, over its own transport, and the phases run on it:
 * a driver answers the transport's n-th request (from 0, across the build)
 * with `answer(n)`, calls `begin(phase, calls)` before each phase's calls
 * (with the requests so far), and makes what it saw `seen(start, outcomes,
 * calls)` (every request so far: the phase's are those since it began).
 */
export interface Build {
  readonly phases: ReadonlyArray<Phase>
  readonly answer: (index: number) => TimingAnswer
  readonly begin: (phase: Phase, calls: ReadonlyArray<ScriptedCall>) => void
  readonly seen: (
    start: number,
    outcomes: ReadonlyArray<TimingOutcome>,
    calls: ReadonlyArray<ScriptedCall>
  ) => SeenPhase
}

/** A case's builds, in order: a new one for its first phase and for each `newBuild`. */
export const buildsOf = (testCase: TimingCase): ReadonlyArray<Build> => {
  const groups: Array<Array<Phase>> = []
  for (const phase of testCase.phases) {
    const last = groups[groups.length - 1]
    if (last === undefined || phase.newBuild === true) groups.push([phase])
    else last.push(phase)
  }
  return groups.map((phases): Build => {
    let current: Phase | undefined
    let from = 0
    return {
      phases,
      // A request before any phase began (there is none) would hang.
      answer: (index) => current === undefined ? { hang: true } : answerOf(current, index - from),
      begin: (phase, calls) => {
        current = phase
        from = calls.length
      },
      seen: (start, outcomes, calls) => ({
        start,
        outcomes,
        attempts: calls.slice(from).map(({ at, request }) => ({
          at,
          idempotencyKey: request.headers["idempotency-key"]
        }))
      })
    }
  })
}

const observe = ({ attempts, outcomes, start }: SeenPhase): Json => ({
  outcomes,
  attempts: attempts.length,
  // Effect 4's test clock keeps the fractional milliseconds of jittered waits, and their differences carry float
  // error (1500.0000000000002): waits are compared to the microsecond, which leaves Effect 3's whole ones as they are.
  waits: attempts.map(({ at }, index) => Math.round((at - (attempts[index - 1]?.at ?? start)) * 1000) / 1000),
  keys: new Set(attempts.map(({ idempotencyKey }) => idempotencyKey)).size
})

/**
 * The two sides of a case's check, one pair per phase: what it saw, as the
 * phase's expectation sees it, and that expectation; a driver expects each
 * pair equal. Both lines are held to the same expectations: none of these
 * timings is a line's own.
 */
export const timingVerdicts = (
  testCase: TimingCase,
  seen: ReadonlyArray<SeenPhase>
): ReadonlyArray<{ readonly actual: unknown; readonly expected: Pattern }> => {
  if (seen.length !== testCase.phases.length) throw new Error(`${testCase.name}: ${seen.length} phases seen`)
  return testCase.phases.map((phase, index) => {
    const observed = seen[index]
    return observed === undefined
      ? { actual: "no phase", expected: phase.expect }
      : matching(observe(observed), phase.expect)
  })
}
