/**
 * THE sandbox's fault injection cases, shared by both Effect lines: each
 * fault seen over raw HTTP, and the live client's retries through them.
 * Each line's `sandbox-faults.test.ts` runs every case on its own sandbox,
 * one test each.
 *
 * What a fault does to time is seen through what it does to the wire, not
 * by a clock: a latency keeps the idempotency key reserved (a second
 * request with the key meanwhile is a 409), and a stalled or dropped
 * connection does not keep the sandbox from stopping (a stop that waited
 * for it would never end, and the test would time out).
 *
 * No Effect here (see `sandboxLab.ts`).
 */
import { sandboxIds } from "../../src/core/model/Seed.js"
import {
  inPool,
  isJsonRecord,
  readStalled,
  type SandboxAddress,
  type SandboxRequest,
  send,
  sendForHeaders,
  widgetPath
} from "./sandboxHttp.js"
import {
  absent,
  anyString,
  between,
  type ExchangeCase,
  type FaultCase,
  type FaultSandbox,
  matching,
  partial,
  plainLogged,
  plainSettled,
  type SandboxCaseOptions
} from "./sandboxLab.js"

const { cards } = sandboxIds

/** The request the cases send: a widget token, with the key. */
const widget: SandboxRequest = { path: widgetPath(cards.active) }

/** The same, with an `Idempotency-Key`. */
const widgetWithKey = (key: string): SandboxRequest => ({ ...widget, headers: { "idempotency-key": key } })

/** Faults, with the dice seeded (42 unless given) so that a case runs the same every time. */
const faulty = (faults: SandboxCaseOptions["faults"], randomSeed = 42): SandboxCaseOptions => ({ faults, randomSeed })

/** The statuses of `n` widget token requests, 8 at a time. */
const statuses = async (sandbox: SandboxAddress, n: number): Promise<ReadonlyArray<number>> =>
  (await inPool(Array.from({ length: n }), 8, () => send(sandbox, widget))).map((answer) => answer.status)

const count = (values: ReadonlyArray<number>, value: number): number => values.filter((v) => v === value).length

/** The model's answer to a widget token request with a key, as if it had come over the wire. */
const handled = (sandbox: FaultSandbox, widgetType: string, idempotencyKey: string) =>
  sandbox.handle({
    operation: "getWidgetToken",
    params: { card_id: cards.active },
    query: { widget_type: widgetType },
    idempotencyKey
  })

const overHttp: ReadonlyArray<FaultCase> = [
  {
    name: "failRate 1: every API request is a 500 or a 503, each with its code",
    run: async ({ start }) => {
      const sandbox = await start(faulty({ failRate: 1 }))
      const answers = await inPool(Array.from({ length: 40 }), 8, () => send(sandbox, widget))
      const seen = answers.map((answer) => answer.status)
      const code = (status: number) => status === 500 ? "INTERNAL_SERVER_ERROR" : "SERVICE_UNAVAILABLE"
      return {
        failed: count(seen, 500) + count(seen, 503),
        internalErrors: count(seen, 500),
        unavailable: count(seen, 503),
        bodiesNotTheirStatus: answers.filter((answer) =>
          !(isJsonRecord(answer.json) && answer.json["code"] === code(answer.status) &&
            answer.json["status"] === answer.status)
        ).map((answer) => answer.text),
        faults: [...new Set((await sandbox.requests()).map((entry) => entry.fault ?? null))]
      }
    },
    expect: {
      failed: 40,
      internalErrors: between(0, 40),
      unavailable: between(0, 40),
      bodiesNotTheirStatus: [],
      faults: ["fail"]
    }
  },
  {
    name: "a share of requests fails, the same share for the same random seed",
    run: async ({ start }) => {
      const failures = 100 - count(await statuses(await start(faulty({ failRate: 0.3 }, 7)), 100), 200)
      const again = 100 - count(await statuses(await start(faulty({ failRate: 0.3 }, 7)), 100), 200)
      return { failures, sameAgain: again === failures }
    },
    expect: { failures: between(10, 50), sameAgain: true }
  },
  {
    name: "rateLimitRate: 429 with a Retry-After header and a retry_after body field",
    sandbox: faulty({ rateLimitRate: 1, retryAfterSeconds: 4 }),
    exchanges: [{
      send: widget,
      expect: {
        status: 429,
        headers: { "retry-after": "4" },
        json: { code: "TOO_MANY_REQUESTS", detail: anyString, status: 429, retry_after: 4 }
      }
    }]
  } satisfies ExchangeCase,
  {
    name: "rateLimitRate: a Retry-After of 1 second by default",
    sandbox: faulty({ rateLimitRate: 1 }),
    exchanges: [{ send: widget, expect: { status: 429, headers: { "retry-after": "1" } } }]
  } satisfies ExchangeCase,
  {
    name: "latency is added to every API request, while its idempotency key is reserved",
    run: async ({ start }) => {
      const sandbox = await start(faulty({ latency: "250 millis" }))
      // Without the latency, the second request would get the first one's stored answer.
      const pair = await Promise.all([send(sandbox, widgetWithKey("latent")), send(sandbox, widgetWithKey("latent"))])
      return pair.map((answer) => answer.status).sort()
    },
    expect: [200, 409]
  },
  {
    name: "dropRate: the connection is dropped without an answer, and nothing is stored",
    run: async ({ start }) => {
      const sandbox = await start(faulty({ dropRate: 1 }))
      const answer = await send(sandbox, widgetWithKey("dropped-key"))
      return {
        status: answer.status,
        error: answer.text,
        logged: (await sandbox.requests()).map(plainLogged),
        // The request never reached processing: the key is free.
        keyUsedAgain: (await handled(sandbox, "SET_PIN", "dropped-key")).status
      }
    },
    expect: {
      status: 0,
      error: matching(/fetch failed|terminated|socket/i),
      logged: [partial({ fault: "drop", status: absent, idempotencyKey: "dropped-key" })],
      keyUsedAgain: 200
    }
  },
  {
    name: "stallRate: headers and all but the end of the body arrive; the answer was stored",
    run: async ({ start }) => {
      const sandbox = await start(faulty({ stallRate: 1 }))
      const first = await readStalled(sandbox, widgetWithKey("stalled-key"))
      // The retry with the same key stalls too, but on the stored answer: the same token.
      const second = await readStalled(sandbox, widgetWithKey("stalled-key"))
      const stored = JSON.stringify((await handled(sandbox, "REVEAL", "stalled-key")).body)
      return {
        first: { status: first.status, rest: first.rest, contentType: first.contentType, partial: first.partial },
        secondIsTheSame: second.partial === first.partial,
        storedIsTheWhole: stored === `${first.partial}"}`
      }
    },
    expect: {
      first: {
        status: 200,
        rest: "stalled",
        contentType: matching(/^application\/json/),
        partial: matching(/^\{"tenant":"sandbox_tenant","widget_token":"[0-9a-f-]{36}$/)
      },
      secondIsTheSame: true,
      storedIsTheWhole: true
    }
  },
  {
    name: "a stalled connection does not hold up shutdown",
    run: async ({ start }) => {
      const sandbox = await start(faulty({ stallRate: 1 }))
      // Headers arrive; the body stays open, never read, never finished.
      const open = await sendForHeaders(sandbox, widget)
      await sandbox.stop()
      return { status: open.status, body: await open.finish() }
    },
    expect: { status: 200, body: "cut off" }
  },
  {
    name: "a dropped connection does not hold up shutdown either",
    run: async ({ start }) => {
      const sandbox = await start(faulty({ dropRate: 1 }))
      const answer = await send(sandbox, widget)
      await sandbox.stop()
      return answer.status
    },
    expect: 0
  },
  {
    name: "faults touch only the API routes, never auth, unknown routes or wrong methods",
    sandbox: faulty({ dropRate: 0.5, failRate: 0.5 }),
    exchanges: Array.from({ length: 10 }).flatMap(() => [
      { send: { ...widget, key: false }, expect: { status: 401 } },
      { send: { path: "/nothing" }, expect: { status: 404 } },
      { send: { ...widget, method: "DELETE" }, expect: { status: 405 } }
    ]),
    logged: 0
  } satisfies ExchangeCase
]

const calls = 30

const callKeys = Array.from({ length: calls }, (_, i) => `call-${i}`)

const throughTheLiveClient: ReadonlyArray<FaultCase> = [
  {
    name: "the live client retries 5xx, 429, drops and stalls with one key per call until every call succeeds",
    run: async ({ start }) => {
      const sandbox = await start(
        faulty({ failRate: 0.2, rateLimitRate: 0.1, retryAfterSeconds: 0, dropRate: 0.1, stallRate: 0.05 }, 1234)
      )
      const client = await sandbox.liveClient({
        timeout: "300 millis",
        retry: { times: 10, base: "1 millis", cap: "5 millis" }
      })
      const tokens = await inPool(
        callKeys,
        5,
        (idempotencyKey) => client.getWidgetToken({ cardId: cards.active, widgetType: "REVEAL", idempotencyKey })
      )
      const log = await sandbox.requests()
      return {
        tokens: tokens.map((token) => plainSettled(token, ({ tenant, widgetToken }) => ({ tenant, widgetToken }))),
        // Faults happened, and were retried under the same key as their call.
        someFault: log.some((entry) => entry.fault !== undefined),
        attempts: log.length,
        keys: [...new Set(log.map((entry) => entry.idempotencyKey ?? null))].sort(),
        lastAttempts: callKeys.map((key) => log.filter((entry) => entry.idempotencyKey === key).at(-1)?.status ?? null)
      }
    },
    expect: {
      tokens: callKeys.map(() => ({
        success: { tenant: sandboxIds.tenant, widgetToken: matching(/^[0-9a-f-]{36}$/) }
      })),
      someFault: true,
      attempts: between(calls, calls * 11 + 1),
      keys: [...callKeys].sort(),
      lastAttempts: callKeys.map(() => 200)
    }
  },
  {
    name: "the live client's stalled attempt times out and is retried with the same key",
    run: async ({ start }) => {
      const sandbox = await start({ faults: { stallRate: 1 } })
      const client = await sandbox.liveClient({ timeout: "200 millis", retry: { times: 1, base: "1 millis" } })
      const outcome = await client.getWidgetToken({
        cardId: cards.active,
        widgetType: "GET_PIN",
        idempotencyKey: "slow"
      })
      return {
        outcome: plainSettled(outcome, () => "a token"),
        logged: (await sandbox.requests()).map((entry) => [
          entry.idempotencyKey ?? null,
          entry.status ?? null,
          entry.fault ?? null
        ])
      }
    },
    expect: { outcome: { failure: "Timeout" }, logged: [["slow", 200, "stall"], ["slow", 200, "stall"]] }
  },
  {
    name: "the live client retries an injected 503 (failNext), not an injected 403",
    run: async ({ start }) => {
      const sandbox = await start()
      const client = await sandbox.liveClient({ retry: { times: 2, base: "1 millis" } })
      await sandbox.failNext(1, { status: 503 })
      const retried = await client.getWidgetToken({ cardId: cards.active, widgetType: "REVEAL" })
      await sandbox.failNext(1, { status: 403 })
      const notRetried = await client.getWidgetToken({ cardId: cards.active, widgetType: "REVEAL" })
      return {
        retried: plainSettled(retried, (token) => token.tenant),
        notRetried: plainSettled(notRetried, () => "a token"),
        logged: (await sandbox.requests()).map((entry) => entry.status ?? null)
      }
    },
    expect: { retried: { success: sandboxIds.tenant }, notRetried: { failure: "Forbidden" }, logged: [503, 200, 403] }
  }
]

/** Every fault case, in the order the lines run them. */
export const sandboxFaultCases: ReadonlyArray<FaultCase> = [...overHttp, ...throughTheLiveClient]
