/**
 * The live layer over real HTTP, on the Effect 4 line: the shared tables
 * `test/cases/liveHttp.ts` (widget and FDX tokens) and
 * `test/cases/pceLiveHttp.ts` (the Plaid Core Exchange operations) at the
 * root, one test per case, as the Effect 3 line runs them
 * (`test/live.test.ts`). A node:http server on 127.0.0.1 answers as the case
 * scripts it; the client runs on a real transport (Effect 4's `HttpClient`s
 * under `SyncteraLive.layer`, and `SyncteraLive.layerNode`); what it sent
 * and what it gave are compared with the case by `test/cases/liveEngine.ts`.
 *
 * Then what is this line's own: retry timing and the retry budget under
 * `TestClock` (an in-process transport; the Effect 3 line has them in
 * `test/retry-timing.test.ts` and `test/retry-budget.test.ts`), and the
 * client's spans, through this line's tracer.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { assert, describe, expect, it } from "@effect/vitest"
import { DateTime, Duration, Effect, Fiber, Layer, Option, Redacted, Result, Stream } from "effect"
import { FetchHttpClient, type HttpClient } from "effect/http"
import { TestClock } from "effect/testing"
import type { Json } from "../../test/cases/behaviour.js"
import { toPlain, toPlainObject } from "../../test/cases/engine.js"
import {
  closedPort,
  inputOf,
  type LiveCall,
  type LiveRun,
  type Outcome,
  scriptOf,
  type StockTransport,
  verdict
} from "../../test/cases/liveEngine.js"
import { liveHttp } from "../../test/cases/liveHttp.js"
import { pceLiveHttp } from "../../test/cases/pceLiveHttp.js"
import { isTransient, Synctera, type SyncteraError } from "../src/index.js"
import * as SyncteraLive from "../src/layers/SyncteraLive.js"
import { cardId, widgetTokenBody } from "./support/liveFixtures.js"
import { recordingTracer } from "./support/recordingTracer.js"
import { type Answer, ScriptedClient } from "./support/ScriptedClient.js"
import { json, TestServer } from "./support/TestServer.js"

const httpClients: Readonly<Record<StockTransport, Layer.Layer<HttpClient.HttpClient>>> = {
  undici: NodeHttpClient.layerUndici,
  "node:http": NodeHttpClient.layerNodeHttp,
  fetch: FetchHttpClient.layer
}

const layerOf = (run: LiveRun, baseUrl: string): Layer.Layer<Synctera> => {
  const options = { ...run.options, apiKey: Redacted.make(run.apiKey), baseUrl }
  return run.transport === "layerNode"
    ? SyncteraLive.layerNode(options)
    : SyncteraLive.layer(options).pipe(Layer.provide(httpClients[run.transport]))
}

/** This line's values as the tables write them: `DateTime.Utc` as `{ utc }`, `Duration` as `{ millis }`. */
const special = (value: unknown): Json | undefined =>
  DateTime.isDateTime(value) && DateTime.isUtc(value)
    ? { utc: DateTime.formatIso(value) }
    : Duration.isDuration(value)
    ? { millis: Duration.toMillis(value) }
    : undefined

const failure = (error: SyncteraError) =>
  toPlainObject({ ...error, _tag: error._tag, message: error.message, isTransient: isTransient(error) }, special)

/** An operation or a stream as a JavaScript caller sees it (a method's parameter is compared both ways). */
interface Untyped<A> {
  run(input: unknown): A
}

const outcomesOf = (run: LiveRun, call: LiveCall, layer: Layer.Layer<Synctera>): Effect.Effect<Array<Outcome>> => {
  const asTheCaseSays = <A>(effect: Effect.Effect<A>): Effect.Effect<A> => {
    const spanned = run.underCallerSpan === true ? Effect.withSpan(effect, "caller") : effect
    const init = run.fetchRequestInit
    return init === undefined ? spanned : Effect.provideService(spanned, FetchHttpClient.RequestInit, init)
  }
  if ("call" in call) {
    const operation: Untyped<Effect.Effect<unknown, SyncteraError, Synctera>> = { run: Synctera[call.call] }
    return asTheCaseSays(Effect.match(Effect.provide(operation.run(inputOf(call)), layer), {
      onFailure: (error): Outcome => ({ error: failure(error) }),
      onSuccess: (value): Outcome => ({ ok: toPlain(value, special) })
    })).pipe(Effect.map((outcome) => [outcome]))
  }
  const operation: Untyped<Stream.Stream<unknown, SyncteraError, Synctera>> = { run: Synctera[call.stream] }
  const taken = call.take === undefined
    ? operation.run(inputOf(call))
    : Stream.take(operation.run(inputOf(call)), call.take)
  // One stream value, run `runs` times.
  const stream = Stream.provide(taken, layer)
  const walk = Effect.suspend(() => {
    const emitted: Array<Json> = []
    return Stream.runForEach(stream, (item) => Effect.sync(() => emitted.push(toPlain(item, special)))).pipe(
      Effect.match({
        onFailure: (error): Outcome => ({ error: failure(error), emitted }),
        onSuccess: (): Outcome => ({ ok: emitted })
      })
    )
  })
  return Effect.replicateEffect(asTheCaseSays(walk), call.runs ?? 1)
}

const check = (run: LiveRun) =>
  Effect.gen(function*() {
    const script = scriptOf(run, json)
    const server = run.nothingListens === true
      ? { origin: `http://127.0.0.1:${yield* Effect.promise(closedPort)}`, requests: [] }
      : yield* TestServer(script.handle)
    const layer = layerOf(run, `${server.origin}/v1`)
    const outcomes = yield* Effect.forEach(run.calls, (call) => outcomesOf(run, call, layer))
    const { actual, expected } = verdict(run, "effect4", {
      outcomes: outcomes.flat(),
      requests: server.requests,
      stats: script.stats,
      origin: server.origin
    })
    expect(actual).toEqual(expected)
  })

for (const { group, runs } of [...liveHttp, ...pceLiveHttp]) {
  describe(group, () => {
    for (const run of runs) it.live(run.name, () => check(run))
  })
}

describe("retry timing and the retry budget (in-process transport, TestClock)", () => {
  const ok: Answer = { status: 200, body: widgetTokenBody }
  const unavailable: Answer = { status: 503, body: { code: "UNAVAILABLE" } }
  const hang: Answer = { run: Effect.never }

  /** Runs `n` widget-token calls, one after the other, against scripted answers, letting the test clock run. */
  const run = (answers: (index: number) => Answer, options: Partial<SyncteraLive.Options> = {}, n = 1) =>
    Effect.gen(function*() {
      const scripted = ScriptedClient(answers)
      const layer = SyncteraLive.layer({ apiKey: Redacted.make("k"), ...options }).pipe(Layer.provide(scripted.layer))
      const fiber = yield* Effect.forEach(
        Array.from({ length: n }),
        () => Effect.result(Synctera.getWidgetToken({ cardId, widgetType: "REVEAL" }))
      ).pipe(Effect.provide(layer), Effect.forkChild)
      // TestClock.adjust wakes every sleeper due in the window, in order.
      yield* TestClock.adjust("1 hour")
      const results = yield* Fiber.join(fiber)
      // Times from the first attempt (the test clock keeps running from one run to the next).
      const start = scripted.calls[0]?.at ?? 0
      return {
        results,
        result: results[0],
        times: scripted.calls.map((call) => call.at - start),
        calls: scripted.calls
      }
    })

  it.effect("defaults: 3 attempts, 500 ms then 1 s, each ±20%", () =>
    Effect.gen(function*() {
      const { result, times } = yield* run(() => unavailable)
      assert(result !== undefined && Result.isFailure(result))
      expect(result.failure._tag).toBe("Internal")
      expect(times).toHaveLength(3)
      const [first = 0, second = 0, third = 0] = times
      expect(first).toBe(0)
      expect(second - first).toBeGreaterThanOrEqual(400)
      expect(second - first).toBeLessThanOrEqual(600)
      expect(third - second).toBeGreaterThanOrEqual(800)
      expect(third - second).toBeLessThanOrEqual(1200)
    }))

  it.effect("the cap bounds every wait", () =>
    Effect.gen(function*() {
      const { times } = yield* run(() => unavailable, { retry: { times: 6, base: "1 second", cap: "1500 millis" } })
      expect(times).toHaveLength(7)
      const waits = times.slice(1).map((t, i) => t - (times[i] ?? 0))
      // (Jittered waits are fractional milliseconds: compare to the microsecond.)
      expect(Math.max(...waits)).toBeLessThanOrEqual(1500.001)
      for (const wait of waits.slice(2)) expect(wait).toBeCloseTo(1500, 3)
    }))

  const rateLimited = (headers: Record<string, string>, body: unknown = { code: "TOO_MANY_REQUESTS" }): Answer => ({
    status: 429,
    headers,
    body
  })
  const waits: ReadonlyArray<readonly [string, Answer, number]> = [
    ["seconds", rateLimited({ "retry-after": "3" }), 3000],
    ["an HTTP date", rateLimited({ "retry-after": new Date(5000).toUTCString() }), 5000],
    ["retry-after-ms", rateLimited({ "retry-after-ms": "1500" }), 1500],
    ["the body's retry_after", rateLimited({}, { code: "TOO_MANY_REQUESTS", retry_after: 2 }), 2000],
    ["on a 503", { status: 503, headers: { "retry-after": "4" } }, 4000]
  ]
  for (const [name, answer, wait] of waits) {
    it.effect(`honours Retry-After as ${name}`, () =>
      Effect.gen(function*() {
        const { result, times } = yield* run((i) => (i === 0 ? answer : ok))
        assert(result !== undefined && Result.isSuccess(result))
        expect(times).toEqual([0, wait])
      }))
  }

  it.effect("a Retry-After beyond maxRetryAfter, or past the deadline, fails at once", () =>
    Effect.gen(function*() {
      const beyond = yield* run(() => rateLimited({ "retry-after": "61" }), { deadline: "5 minutes" })
      assert(beyond.result !== undefined && Result.isFailure(beyond.result))
      expect(beyond.result.failure._tag).toBe("RateLimited")
      expect(beyond.times).toEqual([0])
      const allowed = yield* run((i) => (i === 0 ? rateLimited({ "retry-after": "61" }) : ok), {
        deadline: "5 minutes",
        maxRetryAfter: "2 minutes"
      })
      expect(allowed.times).toEqual([0, 61_000])
      const late = yield* run(() => rateLimited({ "retry-after": "10" }), { deadline: "8 seconds" })
      expect(late.times).toEqual([0])
    }))

  it.effect("a hung attempt times out after `timeout`; the deadline bounds the whole call", () =>
    Effect.gen(function*() {
      const retried = yield* run((i) => (i === 0 ? hang : ok), { timeout: "2 seconds" })
      assert(retried.result !== undefined && Result.isSuccess(retried.result))
      expect(retried.times[1]).toBeGreaterThanOrEqual(2400)
      expect(retried.times[1]).toBeLessThanOrEqual(2600)
      const bounded = yield* run(() => hang, { timeout: "10 seconds", deadline: "15 seconds" })
      assert(bounded.result !== undefined && Result.isFailure(bounded.result))
      const error = bounded.result.failure
      assert(error._tag === "Timeout")
      expect(error.limit).toBe("deadline")
      expect(error.attempts).toBe(2)
      expect(Duration.toSeconds(error.after)).toBe(15)
    }))

  it.effect("no backoff wait is started that would pass the deadline", () =>
    Effect.gen(function*() {
      const { result, times } = yield* run(() => unavailable, {
        deadline: "1 second",
        retry: { times: 5, base: "700 millis", cap: "700 millis" }
      })
      // 0 ms, then a wait of 700 ms would end at 700 < 1000: one retry; the next would end at 1400.
      assert(result !== undefined && Result.isFailure(result))
      expect(times).toHaveLength(2)
    }))

  it.effect("under a 100% failure rate, retries are bounded by the budget, then successes refill it", () =>
    Effect.gen(function*() {
      let healthy = false
      const scripted = ScriptedClient(() => (healthy ? ok : unavailable))
      const layer = SyncteraLive.layer({
        apiKey: Redacted.make("k"),
        retry: { times: 2, base: "10 millis" },
        retryBudget: { capacity: 50, retryCost: 5, refill: 1 }
      }).pipe(Layer.provide(scripted.layer))
      const calls = (n: number) =>
        Effect.gen(function*() {
          const fiber = yield* Effect.forkChild(
            Effect.forEach(
              Array.from({ length: n }),
              () => Effect.result(Synctera.getWidgetToken({ cardId, widgetType: "REVEAL" }))
            )
          )
          yield* TestClock.adjust("1 hour")
          return yield* Fiber.join(fiber)
        })
      yield* Effect.gen(function*() {
        const results = yield* calls(40)
        expect(results.every(Result.isFailure)).toBe(true)
        // 40 first attempts + 50 / 5 = 10 retries; without a budget it would be 40 + 80.
        expect(scripted.calls).toHaveLength(50)
        healthy = true
        yield* calls(10)
        expect(scripted.calls).toHaveLength(60)
        healthy = false
        yield* calls(5)
        // The 10 tokens regained pay for 2 retries.
        expect(scripted.calls).toHaveLength(60 + 5 + 2)
      }).pipe(Effect.provide(layer))
    }))

  it.effect("a retried success gives back what its retries spent; retryBudget: false never limits", () =>
    Effect.gen(function*() {
      const refunded = yield* run(
        (index) => (index % 2 === 0 ? unavailable : ok),
        { retry: { times: 2, base: "10 millis" }, retryBudget: { capacity: 5, retryCost: 5 } },
        20
      )
      expect(refunded.results.every(Result.isSuccess)).toBe(true)
      expect(refunded.calls).toHaveLength(40)
      const unlimited = yield* run(
        () => unavailable,
        { retry: { times: 2, base: "10 millis" }, retryBudget: false },
        40
      )
      expect(unlimited.calls).toHaveLength(120)
    }))
})

describe("spans", () => {
  const settings = (server: TestServer) =>
    ({
      apiKey: Redacted.make("test-key-1234"),
      baseUrl: server.baseUrl,
      retry: { base: "5 millis", cap: "20 millis" }
    }) as const
  const layers = [
    [
      "layer",
      (server: TestServer) => SyncteraLive.layer(settings(server)).pipe(Layer.provide(NodeHttpClient.layerUndici))
    ],
    ["layerNode", (server: TestServer) => SyncteraLive.layerNode(settings(server))]
  ] as const
  for (const [name, makeLayer] of layers) {
    it.live(`one client span per call, under the caller's, with the call's attributes (${name})`, () =>
      Effect.gen(function*() {
        const server = yield* TestServer((_, res, index) =>
          index === 0 ? json(res, 503, {}) : json(res, 200, widgetTokenBody)
        )
        const { spans, tracer } = recordingTracer()
        yield* Synctera.getWidgetToken({ cardId, widgetType: "REVEAL" }).pipe(
          Effect.provide(makeLayer(server)),
          Effect.withSpan("caller"),
          Effect.withTracer(tracer)
        )
        const caller = spans.find((span) => span.name === "caller")
        const call = spans.filter((span) => span.name === "Synctera.getWidgetToken")
        assert(caller !== undefined)
        expect(call).toHaveLength(1)
        const [span] = call
        assert(span !== undefined)
        expect(span.kind).toBe("client")
        expect(Option.getOrUndefined(span.parent)).toBe(caller)
        expect(span.status._tag).toBe("Ended")
        expect(Object.fromEntries(span.attributes)).toEqual({
          "synctera.card_id": cardId,
          "synctera.widget_type": "REVEAL",
          "synctera.idempotency_key": server.requests[0]?.headers["idempotency-key"],
          "synctera.attempts": 2
        })
        // Effect's HTTP client records no span of its own for these requests (its URL, its headers).
        expect(spans.map((s) => s.name).sort()).toEqual(["Synctera.getWidgetToken", "caller"])
      }))
  }
})
