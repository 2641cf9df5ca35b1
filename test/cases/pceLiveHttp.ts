/**
 * The Plaid Core Exchange operations of the live layer over real HTTP, as
 * data for both lines: the requests they send, what they decode, the input
 * they refuse before sending, the grant's retry rule (retried only when it
 * cannot have been applied: every ambiguous failure gives `maybeApplied:
 * true`, and exactly one request reaches the server) on every transport, and
 * the streams' paging. The format is `liveEngine.ts`'s; each line's
 * `live.test.ts` runs every case, one test each. The wire bodies are the
 * sandbox seed's (`src/core/model/Seed.ts`).
 */
import { defaultSeedJson, sandboxIds } from "../../src/core/model/Seed.js"
import type { Json } from "./behaviour.js"
import { everyTransport, is, type LiveCall, type LiveCase, type LiveGroup, reply, runsOf } from "./liveEngine.js"

const authRequestId = sandboxIds.fdxAuthRequests.pending
const customerId = sandboxIds.customer
const businessId = sandboxIds.business
const grantWire = { redirect_uri: "https://cdn.plaid.example/oauth?code=c&state=s" }

const found = <A extends { readonly id: string }>(items: ReadonlyArray<A> | undefined, id: string): A => {
  const item = items?.find((candidate) => candidate.id === id)
  if (item === undefined) throw new Error(`the seed has nothing with id ${id}`)
  return item
}
// Spread, to be plain object types that a reply's body takes.
const authRequestWire = { ...found(defaultSeedJson.fdx_auth_requests, authRequestId) }
const fdxTokenWire = { ...found(defaultSeedJson.fdx_tokens, sandboxIds.fdxTokens.enabledAccess) }
/** The i-th token of a long list. */
const listed = (i: number) => ({ ...fdxTokenWire, id: `3c90c3cc-0d44-4b50-8888-${String(i).padStart(12, "0")}` })
const listOf = (total: number) => Array.from({ length: total }, (_, i) => listed(i))

/** A grant of the pending request, as `input` says (no owner unless it names one). */
const decide = (input: { readonly [key: string]: Json }) =>
  ({ call: "grantFdxAuthRequest", input: { authRequestId, ...input } }) as const
/** A grant of the pending request for the customer, but for what `input` changes. */
const grant = (input: { readonly [key: string]: Json } = {}) => decide({ status: "GRANTED", customerId, ...input })
const streamTokens = (extra: Omit<Extract<LiveCall, { readonly stream: string }>, "stream"> = {}): LiveCall => ({
  stream: "streamFdxTokens",
  ...extra
})

const authorizePath = "/v1/fdx_auth_requests/authorize"
const ok = (value: Json) => ({ ok: value })
const failed = (error: { readonly [key: string]: Json }) => ({ error })
const requests = (n: number) => is.ofLength(n)
/** A JSON answer of `status` with a Synctera error body. */
const status = (code: number, body: Json = { code: "X", status: code }) => reply.json(code, body)

const requestsAndAnswers: ReadonlyArray<LiveCase> = [
  {
    name: "grantFdxAuthRequest POSTs the spec's snake_case body with an Idempotency-Key",
    replies: [reply.json(201, grantWire)],
    calls: [
      grant(),
      // The caller's key, and a business instead of a customer; DENIED without an owner.
      decide({ status: "GRANTED", businessId, idempotencyKey: "mine" }),
      decide({ status: "DENIED" })
    ],
    expect: {
      outcomes: [ok(is.exactly({ redirectUri: grantWire.redirect_uri })), ok({}), ok({})],
      requests: [
        {
          method: "POST",
          path: authorizePath,
          headers: { "content-type": "application/json" },
          key: "<key:1>",
          body: is.jsonOf(is.exactly({ auth_request_id: authRequestId, status: "GRANTED", customer_id: customerId }))
        },
        {
          key: "mine",
          body: is.jsonOf(is.exactly({ auth_request_id: authRequestId, status: "GRANTED", business_id: businessId }))
        },
        { body: is.jsonOf(is.exactly({ auth_request_id: authRequestId, status: "DENIED" })) }
      ]
    }
  },
  {
    name: "the grant sends the same request on every transport",
    transports: everyTransport,
    replies: [reply.json(201, grantWire)],
    calls: [grant({ idempotencyKey: "k" })],
    expect: {
      requests: [{
        method: "POST",
        path: authorizePath,
        headers: { "content-type": "application/json" },
        key: "k",
        // To the byte, on every transport.
        body: JSON.stringify({ auth_request_id: authRequestId, status: "GRANTED", customer_id: customerId })
      }]
    }
  },
  {
    name: "listFdxTokens and listFdxAuthRequests send limit and page_token, and decode the page",
    routes: [{
      when: { path: "/v1/fdx_tokens" },
      replies: [reply.json(200, { fdx_tokens: [fdxTokenWire], next_page_token: "next/+?&=" })]
    }],
    replies: [
      reply.json(200, { fdx_auth_requests: [authRequestWire, { id: authRequestId, status: "EXPIRED_SOMEHOW" }] })
    ],
    calls: [
      { call: "listFdxTokens", input: { limit: 2, pageToken: "a b&c=d/é" } },
      { call: "listFdxAuthRequests" }
    ],
    expect: {
      outcomes: [
        ok({ nextPageToken: "next/+?&=", fdxTokens: [{ id: fdxTokenWire.id }] }),
        ok({ nextPageToken: is.absent, fdxAuthRequests: [{ status: "PENDING" }, { status: "EXPIRED_SOMEHOW" }] })
      ],
      requests: [
        // The page token is one query value, whatever it holds.
        { path: "/v1/fdx_tokens", query: [["limit", "2"], ["page_token", "a b&c=d/é"]] },
        { path: "/v1/fdx_auth_requests", query: [] }
      ]
    }
  },
  {
    name: "a page token is one query value on every transport",
    transports: everyTransport,
    replies: [reply.json(200, { fdx_tokens: [] })],
    calls: [{ call: "listFdxTokens", input: { limit: 7, pageToken: "a b&c=d/é+%" } }],
    expect: { requests: [{ query: [["limit", "7"], ["page_token", "a b&c=d/é+%"]] }] }
  },
  {
    name: "getAuthorizationTest GETs authorization_test and decodes its 201",
    replies: [reply.json(201, { redirect_url: `https://fintech.example/login?auth_request_id=${authRequestId}` })],
    calls: [{ call: "getAuthorizationTest" }],
    expect: {
      outcomes: [ok(is.exactly({ redirectUrl: `https://fintech.example/login?auth_request_id=${authRequestId}` }))],
      requests: [{ method: "GET", path: "/v1/fdx_auth_requests/authorization_test" }]
    }
  }
]

const refusals: ReadonlyArray<readonly [string, LiveCall, string]> = [
  ["a grant's auth request id that is not a UUID", grant({ authRequestId: "x" }), "authRequestId"],
  ["a grant's customer id that is not a UUID", grant({ customerId: "../x" }), "customerId"],
  // The type system refuses this status; a JavaScript caller may not.
  ["an unknown grant status", grant({ status: "MAYBE" }), "GRANTED, DENIED or ERROR"],
  ["GRANTED without an owner", decide({ status: "GRANTED" }), "needs the customerId or businessId"],
  ["a customer and a business", grant({ status: "DENIED", businessId }), "not both"],
  ["a bad idempotency key", decide({ status: "DENIED", idempotencyKey: "a\nb" }), "visible ASCII"],
  ["a limit of 0", { call: "listFdxTokens", input: { limit: 0 } }, "from 1 to 100"],
  ["a limit of 101", { call: "listFdxAuthRequests", input: { limit: 101 } }, "from 1 to 100"],
  ["a fractional limit", { call: "listFdxTokens", input: { limit: 1.5 } }, "limit: Expected an integer"],
  ["a stream's limit", streamTokens({ input: { limit: -1 } }), "from 1 to 100"]
]

const refusedBeforeSending: ReadonlyArray<LiveCase> = refusals.map(([name, call, says]) => ({
  name: `${name}: InvalidInput`,
  replies: [reply.json(500, {})],
  calls: [call],
  expect: { outcomes: [failed({ _tag: "InvalidInput", message: is.containing(says) })], requests: [] }
}))

const maybeApplied = (tag: string, extra: { readonly [key: string]: Json } = {}) =>
  failed({ _tag: tag, maybeApplied: true, isTransient: false, ...extra })

const neverAppliedTwice: ReadonlyArray<LiveCase> = [
  ...[500, 502, 504].map((code): LiveCase => ({
    name: `after a ${code} it fails at once, maybe applied`,
    transports: everyTransport,
    replies: [status(code), reply.json(201, grantWire)],
    calls: [grant()],
    expect: {
      outcomes: [maybeApplied("Internal", { message: is.containing("may or may not have been applied") })],
      requests: requests(1)
    }
  })),
  {
    name: "after a connection that broke once the request was sent, it fails at once, maybe applied",
    transports: everyTransport,
    replies: [reply.hangUp, reply.json(201, grantWire)],
    calls: [grant()],
    expect: { outcomes: [maybeApplied("NetworkError")], requests: requests(1) }
  },
  {
    name: "after an answer whose body broke off, it fails at once, maybe applied",
    transports: everyTransport,
    replies: [reply.breakOff(201, "{\"redirect_uri\":"), reply.json(201, grantWire)],
    calls: [grant()],
    expect: { outcomes: [maybeApplied("NetworkError")], requests: requests(1) }
  },
  {
    name: "after a timeout it fails at once, maybe applied",
    transports: everyTransport,
    replies: [reply.silence, reply.json(201, grantWire)],
    calls: [grant()],
    expect: {
      outcomes: [maybeApplied("Timeout", { message: is.containing("may or may not have been applied") })],
      requests: requests(1)
    }
  },
  ...([
    ["a 503", status(503)],
    ["a 429", status(429)],
    ["IDEMPOTENCY_CONCURRENT_USE (409)", status(409, { code: "IDEMPOTENCY_CONCURRENT_USE", status: 409 })],
    ["IDEMPOTENCY_CONCURRENT_USE (422)", status(422, { code: "IDEMPOTENCY_CONCURRENT_USE", status: 422 })]
  ] as const).map(([name, first]): LiveCase => ({
    name: `after ${name} it is retried, with the same key`,
    transports: everyTransport,
    replies: [first, reply.json(201, grantWire)],
    calls: [grant()],
    expect: {
      outcomes: [ok({ redirectUri: grantWire.redirect_uri })],
      requests: [{ key: "<key:1>" }, { key: "<key:1>" }]
    }
  })),
  {
    name: "a decided request (409 RESOURCE_ALREADY_EXISTS) is a Conflict, not retried",
    transports: everyTransport,
    replies: [status(409, { code: "RESOURCE_ALREADY_EXISTS", status: 409 })],
    calls: [grant()],
    expect: { outcomes: [failed({ _tag: "Conflict", maybeApplied: is.not(true) })], requests: requests(1) }
  },
  {
    name: "authorization_test follows the same rule: after a 502 it fails at once, maybe applied",
    transports: everyTransport,
    replies: [status(502), reply.json(201, { redirect_url: "x" })],
    calls: [{ call: "getAuthorizationTest" }],
    expect: { outcomes: [failed({ _tag: "Internal", maybeApplied: true })], requests: requests(1) }
  },
  {
    name: "authorization_test follows the same rule: after a 503 it is retried",
    transports: everyTransport,
    replies: [status(503), reply.json(201, { redirect_url: "x" })],
    calls: [{ call: "getAuthorizationTest" }],
    expect: { outcomes: [ok({ redirectUrl: "x" })], requests: requests(2) }
  },
  {
    name: "when no connection can be made, the grant is retried: it cannot have been applied",
    transports: everyTransport,
    nothingListens: true,
    calls: [grant()],
    expect: { outcomes: [failed({ _tag: "NetworkError", maybeApplied: is.absent, attempts: 3 })] }
  },
  {
    name: "a 409 that is not IDEMPOTENCY_CONCURRENT_USE is not retried on a read either",
    replies: [status(409), reply.json(200, { fdx_tokens: [] })],
    calls: [{ call: "listFdxTokens" }],
    expect: { outcomes: [failed({ _tag: "Conflict" })], requests: requests(1) }
  },
  {
    name: "a read is still retried after a 500 (it is repeatable)",
    replies: [status(500), reply.json(200, { fdx_tokens: [] })],
    calls: [{ call: "listFdxTokens" }],
    expect: { outcomes: [ok({ fdxTokens: [] })], requests: requests(2) }
  }
]

const streams: ReadonlyArray<LiveCase> = [
  {
    name: "follow next_page_token to the end, in order",
    replies: [reply.pages(listOf(250))],
    calls: [streamTokens()],
    expect: {
      outcomes: [ok(listOf(250).map(({ id }) => ({ id })))],
      requests: [{ params: { page_token: is.absent } }, { params: { page_token: "100" } }, {
        params: { page_token: "200" }
      }]
    }
  },
  {
    name: "ask for a page only when the consumer pulls past the one before: take(5) makes one request",
    replies: [reply.pages(listOf(250))],
    calls: [streamTokens({ take: 5 }), streamTokens({ input: { limit: 10 }, take: 11 })],
    expect: {
      outcomes: [ok(is.ofLength(5)), ok(is.ofLength(11))],
      // The first stream's one request is the one without a limit.
      requests: [{ params: { limit: is.absent } }, { params: { limit: "10" } }, { params: { limit: "10" } }]
    }
  },
  {
    name: "a page that fails for good ends the stream with its error, after the tokens before it",
    routes: [{
      when: { query: { page_token: null } },
      replies: [reply.json(200, { fdx_tokens: [listed(1), listed(2)], next_page_token: "p2" })]
    }],
    replies: [reply.json(503, { code: "SERVICE_UNAVAILABLE" })],
    calls: [streamTokens()],
    expect: {
      outcomes: [{
        // The failing page was one logical call, with its own retries.
        error: { _tag: "Internal", operation: "listFdxTokens", attempts: 3 },
        emitted: [{ id: listed(1).id }, { id: listed(2).id }]
      }]
    }
  },
  {
    name: "a page token the server already gave ends the stream with InvalidResponse (Pagination), not a loop",
    routes: [{
      when: { query: { page_token: "A" } },
      replies: [reply.json(200, {
        fdx_auth_requests: [{ ...authRequestWire, id: sandboxIds.fdxAuthRequests.granted }],
        next_page_token: "A"
      })]
    }],
    replies: [reply.json(200, { fdx_auth_requests: [authRequestWire], next_page_token: "A" })],
    calls: [{ stream: "streamFdxAuthRequests" }],
    expect: {
      outcomes: [{
        error: {
          _tag: "InvalidResponse",
          reason: "Pagination",
          operation: "listFdxAuthRequests",
          message: is.containing("already given"),
          description:
            "next_page_token \"A\" was already given in this walk through the list: following it would never end"
        },
        // The page that hands back a token already followed is the one refused: its items are not emitted.
        emitted: [{ id: authRequestId }]
      }],
      requests: requests(2)
    }
  },
  {
    name: "each walk through a list starts afresh: the same stream can be run twice",
    replies: [reply.pages(listOf(30))],
    calls: [streamTokens({ input: { limit: 10 }, runs: 2 })],
    expect: { outcomes: [ok(is.ofLength(30)), ok(is.ofLength(30))], requests: requests(6) }
  },
  {
    name: "an empty list is an empty stream",
    replies: [reply.json(200, { fdx_tokens: [] })],
    calls: [streamTokens({ take: 1 })],
    expect: { outcomes: [ok([])], requests: requests(1) }
  }
]

/** The table's runs, by group: the live layer's HTTP behaviour for the Plaid Core Exchange operations. */
export const pceLiveHttp: ReadonlyArray<LiveGroup> = runsOf({
  apiKey: "sk_transport_5e1d7c3b9a",
  // Small timeouts and backoffs, so that a case takes milliseconds.
  options: { timeout: "300 millis", deadline: "3 seconds", retry: { times: 2, base: "2 millis", cap: "10 millis" } },
  transports: ["layerNode"],
  groups: [
    { group: "Plaid Core Exchange: requests and answers", cases: requestsAndAnswers },
    { group: "Plaid Core Exchange: input refused before anything is sent", cases: refusedBeforeSending },
    { group: "Plaid Core Exchange: the grant is never applied twice by a retry", cases: neverAppliedTwice },
    { group: "Plaid Core Exchange: streams", cases: streams }
  ]
})

/**
 * `getAuthorizationTest` exists only in the sandbox: what a client pointed
 * at production must say instead of sending, and where it sends otherwise.
 * No table case, as it needs an in-process transport (the default base URL
 * is the real sandbox's): each line's `pce-live.test.ts` checks it.
 */
export const sandboxOnly = {
  name: "getAuthorizationTest is refused before sending when the client points at production",
  answer: { status: 201, body: { redirect_url: "x" } },
  refusal: "Synctera getAuthorizationTest refused its input: getAuthorizationTest exists only in Synctera's sandbox, " +
    "and this client points at production",
  sandboxUrl: "https://api-sandbox.synctera.com/v1/fdx_auth_requests/authorization_test",
  /** A base URL of the caller's: allowed, even with `environment: "production"`. */
  ownBaseUrl: "https://synctera.internal.example/v1"
} as const
