/**
 * The live layer over real HTTP, as data for both lines: for each case, what
 * a server on 127.0.0.1 answers, the calls of `getWidgetToken` and
 * `getFdxToken`, and what the client must have sent (method, path, query,
 * headers, `Idempotency-Key`) and given (the value, or the error's tag and
 * fields). The format is `liveEngine.ts`'s; each line's `live.test.ts` runs
 * every case on its own `SyncteraLive`, one test each. The wire bodies are the
 * sandbox seed's (`src/core/model/Seed.ts`).
 */
import { defaultSeedJson, sandboxIds } from "../../src/core/model/Seed.js"
import type { FdxTokenJson } from "../../src/core/model/wire.js"
import type { Json } from "./behaviour.js"
import { is, type LiveCase, type LiveGroup, reply, runsOf, stockTransports } from "./liveEngine.js"

const apiKey = "test-key-1234"
const cardId = sandboxIds.cards.active
const fdxTokenId = sandboxIds.fdxTokens.enabledRefresh

const widgetTokenWire = { tenant: defaultSeedJson.tenant, widget_token: "0b0319e2-d5f4-49cb-b426-9ff9b2e96969" }
const widgetToken = { tenant: widgetTokenWire.tenant, widgetToken: widgetTokenWire.widget_token }

const seeded: FdxTokenJson | undefined = defaultSeedJson.fdx_tokens.find((token) => token.id === fdxTokenId)
if (seeded === undefined) throw new Error(`the seed has no FDX token ${fdxTokenId}`)
/** A business's token with a parent and no customer: every optional field but one. */
const fdxTokenWire = { ...seeded, parent_token_id: sandboxIds.fdxTokens.usedRefresh }

const widget = (input: { readonly [key: string]: Json } = {}) =>
  ({ call: "getWidgetToken", input: { cardId, widgetType: "REVEAL", ...input } }) as const
const fdx = { call: "getFdxToken", input: { fdxTokenId } } as const

const widgetPath = `/v1/cards/${cardId}/widget_token`
const fdxPath = `/v1/fdx_tokens/${fdxTokenId}`
const ok = (value: Json) => ({ ok: value })
const failed = (error: { readonly [key: string]: Json }) => ({ error })
/** `n` requests, whatever they were. */
const requests = (n: number) => is.ofLength(n)

const errorsByStatus = [
  [400, "BadRequest"],
  [401, "Unauthorized"],
  [403, "Forbidden"],
  [404, "NotFound"],
  [409, "Conflict"],
  [422, "Unprocessable"],
  [429, "RateLimited"],
  [500, "Internal"],
  [501, "Internal"],
  [502, "Internal"],
  [503, "Internal"],
  [504, "Internal"],
  [408, "UnexpectedStatus"],
  [418, "UnexpectedStatus"],
  [499, "UnexpectedStatus"]
] as const

const unreadable = [
  ["not JSON", reply.text(200, "application/json", "{\"tenant\": "), "Decode", "not JSON"],
  ["a missing field", reply.json(200, { tenant: "t" }), "Decode", "widget_token"],
  ["a field of the wrong type", reply.json(200, { tenant: 1, widget_token: "x" }), "Decode", "tenant"],
  ["an empty body", reply.text(200, "application/json", ""), "Empty", "empty"],
  ["another content type", reply.text(200, "text/html", "<html>hello</html>"), "ContentType", "text/html"]
] as const

const gettingWidgetTokens: ReadonlyArray<LiveCase> = [
  {
    name: "sends the documented request and decodes the token",
    replies: [reply.json(200, { ...widgetTokenWire, unknown_extra: true })],
    calls: [widget()],
    expect: {
      outcomes: [ok(is.exactly(widgetToken))],
      requests: [{
        method: "GET",
        path: widgetPath,
        query: [["widget_type", "REVEAL"]],
        headers: {
          authorization: `Bearer ${apiKey}`,
          accept: "application/json",
          "user-agent": "effect-synctera/0.1.0",
          // Trace context is not propagated to a third party.
          traceparent: is.absent,
          b3: is.absent
        },
        key: "<key:1>"
      }]
    }
  },
  {
    name: "propagates no trace context even under a span",
    transports: stockTransports,
    underCallerSpan: true,
    replies: [reply.json(200, widgetTokenWire)],
    calls: [widget()],
    expect: { requests: [{ headers: { traceparent: is.absent, b3: is.absent } }] }
  },
  {
    name: "sends each widget type as its query value",
    replies: [reply.json(200, widgetTokenWire)],
    calls: ["ACTIVATE", "GET_PIN", "REVEAL", "SET_PIN"].map((widgetType) => widget({ widgetType })),
    expect: {
      requests: ["ACTIVATE", "GET_PIN", "REVEAL", "SET_PIN"].map((widgetType) => ({
        query: [["widget_type", widgetType]]
      }))
    }
  },
  {
    name: "uses the caller's idempotency key, and a fresh one per call otherwise",
    replies: [reply.json(200, widgetTokenWire)],
    calls: [
      widget({ widgetType: "SET_PIN", idempotencyKey: "my-key-1" }),
      widget({ widgetType: "SET_PIN" }),
      widget({ widgetType: "SET_PIN" })
    ],
    expect: { requests: [{ key: "my-key-1" }, { key: "<key:1>" }, { key: "<key:2>" }] }
  },
  {
    name: "keeps one idempotency key across every retry of a call",
    replies: [
      reply.json(503, { code: "UNAVAILABLE", status: 503 }),
      reply.json(503, { code: "UNAVAILABLE", status: 503 }),
      reply.json(200, widgetTokenWire)
    ],
    calls: [widget()],
    expect: {
      outcomes: [ok(widgetToken)],
      requests: [{ key: "<key:1>" }, { key: "<key:1>" }, { key: "<key:1>" }]
    }
  },
  {
    name: "keeps the caller's key across retries too",
    replies: [reply.hangUp, reply.json(200, widgetTokenWire)],
    calls: [widget({ widgetType: "GET_PIN", idempotencyKey: "retry-me" })],
    expect: { outcomes: [ok(widgetToken)], requests: [{ key: "retry-me" }, { key: "retry-me" }] }
  }
]

const gettingFdxTokens: ReadonlyArray<LiveCase> = [
  {
    name: "decodes every field, camelCase, timestamps as DateTime.Utc",
    replies: [reply.json(200, fdxTokenWire)],
    calls: [fdx],
    expect: {
      outcomes: [ok(is.exactly({
        id: fdxTokenId,
        tenant: fdxTokenWire.tenant,
        status: "ENABLED",
        tokenType: "REFRESH",
        tokenHash: fdxTokenWire.token_hash,
        businessId: sandboxIds.business,
        parentTokenId: sandboxIds.fdxTokens.usedRefresh,
        creationTime: { utc: fdxTokenWire.creation_time },
        lastUpdatedTime: { utc: fdxTokenWire.last_updated_time },
        tokenExpiryTime: { utc: fdxTokenWire.token_expiry_time }
      }))],
      requests: [{ method: "GET", path: fdxPath, query: [], key: is.absent }]
    }
  },
  {
    name: "passes an unknown status or type through, typed as unrecognized",
    replies: [reply.json(200, { ...fdxTokenWire, status: "SUSPENDED", token_type: "ID_TOKEN", customer_id: null })],
    calls: [fdx],
    expect: { outcomes: [ok({ status: "SUSPENDED", tokenType: "ID_TOKEN", customerId: is.absent })] }
  }
]

const errorsByHttpStatus: ReadonlyArray<LiveCase> = [
  ...errorsByStatus.map(([status, tag]): LiveCase => ({
    name: `${status} is ${tag}, with code, detail and request id`,
    options: { retry: false },
    // The body's status disagrees on purpose: the HTTP status decides.
    replies: [
      reply.json(status, { code: "SOME_CODE", detail: "what went wrong", status: 200 }, { "x-request-id": "req-123" })
    ],
    calls: [widget()],
    expect: {
      outcomes: [failed({
        _tag: tag,
        status,
        requestId: "req-123",
        attempts: 1,
        code: "SOME_CODE",
        detail: "what went wrong",
        operation: "getWidgetToken",
        message: is.all(
          is.containing(`${status}`),
          is.containing("SOME_CODE: what went wrong"),
          is.containing("[request id req-123] after 1 attempt")
        )
      })],
      requests: requests(1)
    }
  })),
  {
    name: "a body with none of the fields still gives the typed error",
    replies: [reply.json(403, { code: 42, unexpected: ["x"] })],
    calls: [fdx],
    expect: {
      outcomes: [failed({ _tag: "Forbidden", code: is.absent, body: JSON.stringify({ code: 42, unexpected: ["x"] }) })]
    }
  },
  {
    name: "a proxy's HTML page is kept as bounded text",
    options: { retry: false },
    replies: [reply.text(502, "text/html", `<html><body>${"Bad gateway ".repeat(1000)}</body></html>`)],
    calls: [fdx],
    expect: {
      outcomes: [failed({
        _tag: "Internal",
        status: 502,
        body: is.all(is.startingWith("<html><body>Bad gateway"), is.ofLength(is.below(2200)))
      })]
    }
  },
  {
    name: "429 carries the server's Retry-After",
    replies: [reply.json(429, { code: "TOO_MANY_REQUESTS" }, { "retry-after": "120" })],
    calls: [fdx],
    expect: {
      // 120 s is past the largest wait the client honours: no retry, at once.
      outcomes: [failed({
        _tag: "RateLimited",
        attempts: 1,
        retryAfter: { millis: 120_000 },
        message: is.containing("(retry after 2m)")
      })],
      requests: requests(1)
    }
  },
  {
    name: "a short Retry-After is waited for, then the call is retried",
    replies: [reply.json(429, {}, { "retry-after-ms": "150" }), reply.json(200, fdxTokenWire)],
    calls: [fdx],
    // A lower bound only: a slow machine cannot break it.
    expect: { outcomes: [ok({ id: fdxTokenId })], requests: requests(2), gaps: [is.atLeast(140)] }
  },
  {
    name: "a redirect is not followed, so the key never leaves",
    transports: stockTransports,
    routes: [{ when: { path: "/elsewhere" }, replies: [reply.json(200, fdxTokenWire)] }],
    replies: [reply.redirect(302, "/elsewhere")],
    calls: [fdx],
    expect: {
      outcomes: [failed({ _tag: "UnexpectedStatus", status: 302, location: is.atServer("/elsewhere") })],
      requests: [{ path: fdxPath }]
    }
  },
  {
    name: "a redirect is not followed on fetch even with the app's own RequestInit",
    transports: ["fetch"],
    fetchRequestInit: { redirect: "follow" },
    routes: [{ when: { path: "/elsewhere" }, replies: [reply.json(200, fdxTokenWire)] }],
    replies: [reply.redirect(307, "/elsewhere")],
    calls: [fdx],
    expect: { outcomes: [failed({ _tag: "UnexpectedStatus", status: 307 })], requests: [{ path: fdxPath }] }
  }
]

const unreadableAnswers: ReadonlyArray<LiveCase> = [
  {
    name: "valid JSON under another content type is accepted",
    replies: [reply.text(200, "text/plain", JSON.stringify(widgetTokenWire))],
    calls: [widget()],
    expect: { outcomes: [ok(widgetToken)] }
  },
  ...unreadable.map(([name, answer, reason, mention]): LiveCase => ({
    name: `${name} is InvalidResponse(${reason}), not retried`,
    transports: stockTransports,
    replies: [answer],
    calls: [widget()],
    expect: {
      outcomes: [failed({ _tag: "InvalidResponse", reason, status: 200, description: is.containing(mention) })],
      requests: requests(1)
    }
  })),
  {
    name: "a field of the wrong type is described at its wire key, with the value refused",
    replies: [reply.json(200, { tenant: 1, widget_token: "x" })],
    calls: [widget()],
    expect: {
      outcomes: [failed({ _tag: "InvalidResponse", description: is.matching("^tenant: Expected string, got 1$") })]
    },
    differs: {
      effect3: {
        outcomes: [failed({ _tag: "InvalidResponse", description: is.matching("^tenant: Expected string, actual 1$") })]
      },
      why: "the line's own Schema words it: Effect 3's ParseResult says \"actual\", Effect 4's issues \"got\""
    }
  },
  {
    name: "an oversized body (no length) stops at the limit",
    transports: stockTransports,
    options: { maxBodyBytes: 256 * 1024 },
    replies: [reply.flood(50 * 1024 * 1024)],
    calls: [widget()],
    expect: {
      outcomes: [failed({ _tag: "InvalidResponse", reason: "TooLarge", body: is.ofLength(is.below(2200)) })],
      // The client hung up long before the server could send its 50 MiB.
      flooded: is.below(20 * 1024 * 1024)
    }
  },
  {
    name: "an oversized body with a declared length fails the same way",
    replies: [reply.json(200, { ...widgetTokenWire, padding: "x".repeat(2 * 1024 * 1024) })],
    calls: [widget()],
    expect: {
      outcomes: [failed({ _tag: "InvalidResponse", reason: "TooLarge", body: is.ofLength(is.below(2200)) })]
    }
  }
]

const retriesOverASocket: ReadonlyArray<LiveCase> = [
  ...[400, 401, 403, 404, 422].map((status): LiveCase => ({
    name: `4xx are never retried: ${status}`,
    replies: [reply.json(status, { code: "NOPE" })],
    calls: [widget()],
    expect: { outcomes: [failed({ _tag: is.not("NetworkError"), status })], requests: requests(1) }
  })),
  ...[409, 422].map((status): LiveCase => ({
    name: `IDEMPOTENCY_INVALID_REUSE is never retried, whatever its status: ${status}`,
    replies: [reply.json(status, { code: "IDEMPOTENCY_INVALID_REUSE" })],
    calls: [widget()],
    expect: { outcomes: [failed({ code: "IDEMPOTENCY_INVALID_REUSE" })], requests: requests(1) }
  })),
  ...[409, 422].map((status): LiveCase => ({
    name: `IDEMPOTENCY_CONCURRENT_USE is retried as ${status}`,
    replies: [reply.json(status, { code: "IDEMPOTENCY_CONCURRENT_USE" }), reply.json(200, widgetTokenWire)],
    calls: [widget()],
    expect: { outcomes: [ok(widgetToken)], requests: requests(2) }
  })),
  ...[408, 429, 500, 502, 503, 504].map((status): LiveCase => ({
    name: `transient statuses are retried up to the limit, then surface with the count: ${status}`,
    options: { retry: { times: 3, base: "1 millis" } },
    replies: [reply.json(status, { code: "TRANSIENT" })],
    calls: [widget()],
    expect: {
      outcomes: [failed({ status, attempts: 4, message: is.containing("after 4 attempts") })],
      requests: requests(4)
    }
  })),
  {
    name: "501 is a server error but not a transient one",
    replies: [reply.json(501, {})],
    calls: [fdx],
    expect: { outcomes: [failed({ _tag: "Internal", isTransient: false })], requests: requests(1) }
  },
  {
    name: "retry: false makes one attempt",
    options: { retry: false },
    replies: [reply.json(503, {})],
    calls: [widget()],
    expect: { outcomes: [failed({ _tag: "Internal", attempts: 1 })], requests: requests(1) }
  },
  {
    name: "a dropped connection is a NetworkError, retried",
    replies: [reply.hangUp],
    calls: [fdx],
    expect: {
      outcomes: [failed({
        _tag: "NetworkError",
        attempts: 3,
        maybeApplied: is.absent,
        description: is.matching("^Transport: ")
      })],
      requests: requests(3)
    }
  },
  {
    name: "a body that breaks off is a NetworkError, retried",
    replies: [reply.breakOff(200, "{\"id\":"), reply.json(200, fdxTokenWire)],
    calls: [fdx],
    expect: { outcomes: [ok({ id: fdxTokenId })], requests: requests(2) }
  },
  {
    name: "a refused connection is a NetworkError",
    transports: stockTransports,
    nothingListens: true,
    options: { retry: { times: 1, base: "1 millis" } },
    calls: [fdx],
    expect: {
      outcomes: [failed({
        _tag: "NetworkError",
        attempts: 2,
        description: is.matching("^Transport: (fetch failed: )?connect ECONNREFUSED ")
      })]
    }
  },
  {
    name: "a stalled body times out per attempt, and the call retries",
    options: { timeout: "150 millis" },
    replies: [reply.stall("{\"tenant\":"), reply.json(200, widgetTokenWire)],
    calls: [widget()],
    expect: { outcomes: [ok(widgetToken)], requests: requests(2) }
  },
  {
    name: "a call that keeps timing out fails with Timeout(attempt) after its retries",
    options: { timeout: "50 millis", retry: { times: 1, base: "1 millis" } },
    replies: [reply.silence],
    calls: [widget()],
    expect: {
      outcomes: [failed({
        _tag: "Timeout",
        limit: "attempt",
        attempts: 2,
        after: { millis: 50 },
        message: "Synctera getWidgetToken failed: attempt timed out after 50ms (after 2 attempts)"
      })]
    }
  },
  {
    name: "the deadline ends the whole call",
    // Retries as fast as possible, so that the last attempt is the one the deadline cuts short.
    options: { timeout: "100 millis", deadline: "250 millis", retry: { times: 10, base: "1 millis", cap: "1 millis" } },
    replies: [reply.silence],
    calls: [widget()],
    expect: {
      outcomes: [failed({
        _tag: "Timeout",
        limit: "deadline",
        attempts: is.atLeast(2),
        maybeApplied: is.absent,
        message: is.matching("^Synctera getWidgetToken failed: deadline passed after 250ms \\(after \\d+ attempts\\)$")
      })]
    }
  }
]

const refusedInputs: ReadonlyArray<Json> = [
  { cardId: "../../admin", widgetType: "REVEAL" },
  { cardId: `${cardId}/../x`, widgetType: "REVEAL" },
  { cardId: "7d943c51%2Fe4ff", widgetType: "REVEAL" },
  { cardId, widgetType: "SHOW_EVERYTHING" },
  { cardId, widgetType: "REVEAL", idempotencyKey: "a\r\nX-Injected: 1" },
  { cardId, widgetType: "REVEAL", idempotencyKey: "" }
]

const refusedBeforeSending: ReadonlyArray<LiveCase> = [
  {
    name: "bad ids, widget types and keys are InvalidInput",
    replies: [reply.json(200, widgetTokenWire)],
    // The type system already refuses these; a JavaScript caller may not.
    calls: [
      ...refusedInputs.map((input) => ({ call: "getWidgetToken", input }) as const),
      { call: "getFdxToken", input: { fdxTokenId: "not-a-uuid" } }
    ],
    expect: {
      outcomes: [
        ...refusedInputs.map(() => failed({ _tag: "InvalidInput", operation: "getWidgetToken" })),
        failed({ _tag: "InvalidInput", description: is.containing("fdxTokenId") })
      ],
      requests: []
    }
  },
  {
    name: "an input whose property throws when read is InvalidInput, not a defect",
    replies: [reply.json(200, fdxTokenWire)],
    calls: [{ call: "getFdxToken", throwingOnRead: "fdxTokenId" }],
    expect: {
      outcomes: [failed({
        _tag: "InvalidInput",
        description: "the request could not be read: reading one of its properties threw"
      })],
      requests: []
    }
  }
]

const onEveryStockTransport: ReadonlyArray<LiveCase> = [{
  name: "works: success, retry with one key, typed error",
  transports: stockTransports,
  routes: [{ when: { path: fdxPath }, replies: [reply.json(404, { code: "RESOURCE_NOT_FOUND" })] }],
  replies: [reply.json(500, {}), reply.json(200, widgetTokenWire)],
  calls: [widget(), fdx],
  expect: {
    outcomes: [ok(widgetToken), failed({ _tag: "NotFound" })],
    requests: [{ key: "<key:1>" }, { key: "<key:1>" }, { path: fdxPath, key: is.absent }]
  }
}]

/** The table's runs, by group: the live layer's HTTP behaviour for `getWidgetToken` and `getFdxToken`. */
export const liveHttp: ReadonlyArray<LiveGroup> = runsOf({
  apiKey,
  options: { retry: { base: "5 millis", cap: "20 millis" } },
  transports: ["undici"],
  groups: [
    { group: "getWidgetToken over HTTP", cases: gettingWidgetTokens },
    { group: "getFdxToken over HTTP", cases: gettingFdxTokens },
    { group: "errors by HTTP status", cases: errorsByHttpStatus },
    { group: "unreadable 2xx answers", cases: unreadableAnswers },
    { group: "retries over a real socket", cases: retriesOverASocket },
    { group: "input is refused before anything is sent", cases: refusedBeforeSending },
    { group: "transports", cases: onEveryStockTransport }
  ]
})
