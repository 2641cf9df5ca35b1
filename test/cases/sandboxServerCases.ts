/**
 * THE sandbox server's cases, shared by both Effect lines: its URL and key,
 * auth first, routes and validation answers, idempotency on the wire, its
 * log, its options, its lifecycle, the Plaid Core Exchange pages and
 * controls, and the live client against it. Each line's
 * `sandbox-server.test.ts` runs every case on its own sandbox, one test
 * each; what only a line's Effect API can say (its `Redacted` key, its
 * layers, its tracer, its schemas) stays in that file.
 *
 * Plain data where a case is requests and answers (see `ExchangeCase`), a
 * scenario otherwise; no Effect (see `sandboxLab.ts`).
 */
import { setTimeout as sleep } from "node:timers/promises"
import { defaultSeedJson, sandboxIds } from "../../src/core/model/Seed.js"
import type { Json } from "./behaviour.js"
import {
  fetchAnswer,
  keptAliveStatuses,
  listField,
  originOf,
  type SandboxAddress,
  type SandboxRequest,
  send,
  stringField,
  widgetPath
} from "./sandboxHttp.js"
import {
  absent,
  anyString,
  between,
  type CaseSandboxes,
  containing,
  errorBody,
  exactErrorBody,
  type ExchangeCase,
  type Expected,
  type ExpectedAnswer,
  expectedAnswer,
  matching,
  observeAnswer,
  partial,
  plainLogged,
  plainSettled,
  type RunningSandbox,
  type SandboxCase,
  type SandboxCaseOptions,
  type ScenarioCase,
  type StartedBy,
  type StartFailure,
  tally
} from "./sandboxLab.js"

const { cards, fdxAuthRequests, fdxTokens } = sandboxIds

const json = /^application\/json/

const uuid = matching(/^[0-9a-f-]{36}$/)

/** The byte length of a widget token's body: its token is a UUID, always 36 characters. */
const widgetTokenBodyBytes = new TextEncoder().encode(
  JSON.stringify({ tenant: sandboxIds.tenant, widget_token: "0".repeat(36) })
).length

/** Names the sandbox's own origin in a URL, whatever its port. */
const masked = (sandbox: SandboxAddress, url: string): string => url.replaceAll(originOf(sandbox), "<the sandbox>")

// --- its URL, its key, its answers ---

const basics: ReadonlyArray<SandboxCase> = [
  {
    name: "listens on 127.0.0.1 with the API version in its URL, and a random key by default",
    run: async ({ start }) => {
      const a = await start()
      const b = await start()
      return {
        url: a.url,
        urlNamesItsPort: a.url === `http://127.0.0.1:${a.port}/v1`,
        portsDiffer: a.port !== b.port,
        keysDiffer: a.apiKey !== b.apiKey,
        apiKey: a.apiKey
      }
    },
    expect: {
      url: matching(/^http:\/\/127\.0\.0\.1:\d+\/v1$/),
      urlNamesItsPort: true,
      portsDiffer: true,
      keysDiffer: true,
      apiKey: matching(/^sandbox_[0-9a-f]{32}$/)
    }
  },
  {
    name: "answers a widget token and an FDX token as JSON with a length",
    exchanges: [
      {
        send: { path: widgetPath(cards.active) },
        expect: {
          status: 200,
          headers: { "content-type": matching(json), "content-length": String(widgetTokenBodyBytes) },
          json: { tenant: sandboxIds.tenant, widget_token: uuid }
        }
      },
      {
        send: { path: `/fdx_tokens/${fdxTokens.enabledRefresh}` },
        expect: {
          status: 200,
          json: partial({
            id: fdxTokens.enabledRefresh,
            status: "ENABLED",
            token_type: "REFRESH",
            business_id: sandboxIds.business,
            customer_id: absent
          })
        }
      }
    ]
  }
]

// --- auth first ---

/** Requests without the right key, each refused with 401 before anything else is looked at. */
const withoutTheKey: ReadonlyArray<{
  readonly name: string
  readonly authorization?: string
  readonly path?: string
  readonly method?: string
}> = [
  { name: "no Authorization header" },
  { name: "a wrong key", authorization: "Bearer wrong-key" },
  { name: "the key short of its last character", authorization: "Bearer right-ke" },
  { name: "two spaces after the scheme", authorization: "Bearer  right-key" },
  { name: "the key and one character more", authorization: "Bearer right-key2" },
  { name: "the Basic scheme", authorization: "Basic right-key" },
  { name: "the key without a scheme", authorization: "right-key" },
  // Auth comes first: not a 400, 404 or 405.
  { name: "no key, on a card id that is not a UUID (not a 400)", path: widgetPath("not-a-uuid", "") },
  { name: "a wrong key, on an unknown route (not a 404)", path: "/no/such/route", authorization: "Bearer nope" },
  { name: "no key, with a method the route does not allow (not a 405)", method: "POST" }
]

const auth: ReadonlyArray<ExchangeCase> = [
  ...withoutTheKey.map((attempt): ExchangeCase => ({
    name: `checks the bearer key before anything else: 401 for ${attempt.name}`,
    sandbox: { apiKey: "right-key" },
    exchanges: [{
      send: {
        path: attempt.path ?? widgetPath(cards.active),
        key: false,
        ...(attempt.method === undefined ? {} : { method: attempt.method }),
        ...(attempt.authorization === undefined ? {} : { headers: { authorization: attempt.authorization } })
      },
      expect: { status: 401, json: exactErrorBody("UNAUTHORIZED", 401) }
    }],
    // Refused requests never reach the model.
    logged: 0
  })),
  {
    name: "checks the bearer key: its scheme is case-insensitive",
    sandbox: { apiKey: "right-key" },
    exchanges: [{
      send: { path: widgetPath(cards.active), key: false, headers: { authorization: "bearer right-key" } },
      expect: { status: 200 }
    }],
    logged: 1
  }
]

// --- validation and lookup ---

/** A request with the key, and the error it answers. */
const refused = (
  name: string,
  send: SandboxRequest,
  code: string,
  status: number,
  extra: { readonly [key: string]: Expected } = {}
): ExchangeCase => ({
  name: `validation and lookup answers: ${status} ${code} for ${name}`,
  exchanges: [{
    send,
    expect: { status, headers: { "content-type": matching(json) }, json: exactErrorBody(code, status, extra) }
  }]
})

const validation: ReadonlyArray<ExchangeCase> = [
  refused("a widget token without widget_type", { path: widgetPath(cards.active, "") }, "BAD_REQUEST", 400, {
    missing: ["widget_type"]
  }),
  refused("an unknown widget_type", { path: widgetPath(cards.active, "?widget_type=PIN") }, "BAD_REQUEST", 400, {
    invalid: ["widget_type"]
  }),
  refused(
    "a widget_type in lower case",
    { path: widgetPath(cards.active, "?widget_type=reveal") },
    "BAD_REQUEST",
    400,
    {
      invalid: ["widget_type"]
    }
  ),
  refused("a card id that is not a UUID", { path: widgetPath("1234") }, "BAD_REQUEST", 400, { invalid: ["card_id"] }),
  refused("an unknown card", { path: widgetPath(cards.unknown) }, "RESOURCE_NOT_FOUND", 404),
  refused("a forbidden card", { path: widgetPath(cards.forbidden) }, "FORBIDDEN", 403),
  refused("a terminated card", { path: widgetPath(cards.terminated) }, "CARD_TERMINATED", 422),
  refused("a suspended card", { path: widgetPath(cards.suspended) }, "CARD_SUSPENDED", 422),
  refused("an FDX token id that is not a UUID", { path: "/fdx_tokens/xyz" }, "BAD_REQUEST", 400, {
    invalid: ["fdx_token_id"]
  }),
  refused("an unknown FDX token", { path: `/fdx_tokens/${fdxTokens.unknown}` }, "RESOURCE_NOT_FOUND", 404),
  refused("/cards, which is no route", { path: "/cards" }, "RESOURCE_NOT_FOUND", 404),
  refused("a path below an FDX token", { path: "/fdx_tokens/x/y" }, "RESOURCE_NOT_FOUND", 404),
  refused("a page limit of 0", { path: "/fdx_tokens?limit=0" }, "BAD_REQUEST", 400, { invalid: ["limit"] }),
  refused("a page token that is not one", { path: "/fdx_auth_requests?page_token=nope" }, "BAD_REQUEST", 400, {
    invalid: ["page_token"]
  }),
  {
    name: "validation and lookup answers: 404 RESOURCE_NOT_FOUND outside /v1, naming the path without its query",
    exchanges: [{
      send: { path: "/v2/cards?x=1", fromRoot: true },
      expect: { status: 404, json: { code: "RESOURCE_NOT_FOUND", status: 404, detail: "no route for GET /v2/cards" } }
    }]
  },
  {
    name: "validation and lookup answers: 404 RESOURCE_NOT_FOUND for a Plaid page that is not the callback",
    exchanges: [{
      send: { path: "/plaid/elsewhere", fromRoot: true, key: false },
      expect: { status: 404, json: errorBody("RESOURCE_NOT_FOUND", 404) }
    }]
  },
  ...["POST", "PUT", "DELETE", "PATCH"].map((method): ExchangeCase => ({
    name: `only GET is allowed on the widget token route: 405 for ${method}`,
    exchanges: [{
      send: { path: widgetPath(cards.active), method },
      expect: { status: 405, headers: { allow: "GET" }, json: errorBody("METHOD_NOT_ALLOWED", 405) }
    }]
  }))
]

// --- idempotency, injected failures, seeds, the log ---

/** A widget token request with an `Idempotency-Key`. */
const withKey = (key: string, query?: string): SandboxRequest => ({
  path: widgetPath(cards.active, query),
  headers: { "idempotency-key": key }
})

/** The JSON body of an answer, or `null`. */
const bodyOf = (answer: { readonly json: Json | undefined }): Json => answer.json ?? null

/** A seed of one card of its own, for another tenant. */
const ownCard = "12345678-1234-4234-8234-123456789012"

const state: ReadonlyArray<ScenarioCase> = [
  {
    name: "the Idempotency-Key header: replay, reuse, concurrent use",
    run: async ({ start }) => {
      const sandbox = await start({ faults: { latency: "300 millis" } })
      const first = await send(sandbox, withKey("key-1"))
      const replay = await send(sandbox, withKey("key-1"))
      const reuse = await send(sandbox, withKey("key-1", "?widget_type=SET_PIN"))
      // The second request comes while the first is still running (300 ms of latency).
      const [a, b] = await Promise.all([
        send(sandbox, withKey("key-2")),
        sleep(100).then(() => send(sandbox, withKey("key-2")))
      ])
      const log = await sandbox.requests()
      return {
        first: first.status,
        replayIsTheFirstAnswer: replay.text === first.text,
        reuse: [reuse.status, bodyOf(reuse)],
        concurrent: [a.status, b.status, bodyOf(b)],
        loggedForKey2: log.filter((entry) => entry.idempotencyKey === "key-2").map((entry) => entry.status ?? null)
          .sort()
      }
    },
    expect: {
      first: 200,
      replayIsTheFirstAnswer: true,
      reuse: [422, errorBody("IDEMPOTENCY_INVALID_REUSE", 422)],
      concurrent: [200, 409, errorBody("IDEMPOTENCY_CONCURRENT_USE", 409)],
      loggedForKey2: [200, 409]
    }
  },
  {
    name: "failNext: the next requests answer the injected failure",
    run: async ({ start }) => {
      const sandbox = await start()
      await sandbox.failNext(2, { status: 503 })
      const statuses: Array<number> = []
      for (let i = 0; i < 3; i++) statuses.push((await send(sandbox, { path: widgetPath(cards.active) })).status)
      return statuses
    },
    expect: [503, 503, 200]
  },
  {
    name: "serves a given seed, and more cards added at run time",
    run: async ({ start }) => {
      const sandbox = await start({
        seed: {
          tenant: "acme_corp",
          cards: [{ id: ownCard, state: "active" }],
          fdx_tokens: [],
          customers: [],
          businesses: [],
          fdx_auth_requests: []
        }
      })
      const own = await send(sandbox, { path: widgetPath(ownCard) })
      const before = await send(sandbox, { path: widgetPath(cards.active) })
      await sandbox.addCards([{ id: cards.active, state: "forbidden" }])
      const after = await send(sandbox, { path: widgetPath(cards.active) })
      return { ownCard: bodyOf(own), defaultCard: before.status, defaultCardAdded: after.status }
    },
    expect: { ownCard: partial({ tenant: "acme_corp" }), defaultCard: 404, defaultCardAdded: 403 }
  },
  {
    name: "keeps a bounded log of recent requests, or none",
    run: async ({ start }) => {
      const sandbox = await start({ logSize: 3 })
      for (const type of ["ACTIVATE", "GET_PIN", "REVEAL", "SET_PIN"]) {
        await send(sandbox, { path: widgetPath(cards.active, `?widget_type=${type}`) })
      }
      const none = await start({ logSize: 0 })
      await send(none, { path: widgetPath(cards.active) })
      return {
        logged: (await sandbox.requests()).map(plainLogged),
        loggedWithSize0: (await none.requests()).map(plainLogged)
      }
    },
    expect: {
      logged: ["GET_PIN", "REVEAL", "SET_PIN"].map((type) =>
        partial({
          method: "GET",
          url: `/v1${widgetPath(cards.active, `?widget_type=${type}`)}`,
          status: 200,
          fault: absent
        })
      ),
      loggedWithSize0: []
    }
  }
]

// --- its options ---

/** Options the sandbox refuses to start with, and the message when the case looks at it. */
const invalidOptions: ReadonlyArray<{
  readonly name: string
  readonly options: SandboxCaseOptions
  readonly message?: string
}> = [
  { name: "a negative port", options: { port: -1 } },
  { name: "a port that is not an integer", options: { port: 1.5 } },
  { name: "a port above 65535", options: { port: 65536 } },
  { name: "a key with a space", options: { apiKey: "has space" } },
  { name: "an empty key", options: { apiKey: "" } },
  { name: "a failRate above 1", options: { faults: { failRate: 1.5 } } },
  {
    name: "a failRate of 2, with its message",
    options: { faults: { failRate: 2 } },
    message: "failRate must be a number from 0 to 1, got 2"
  },
  { name: "a dropRate that is not a number", options: { faults: { dropRate: Number.NaN } } },
  { name: "fault rates that add up to more than 1", options: { faults: { failRate: 0.6, dropRate: 0.6 } } },
  { name: "a retryAfterSeconds that is not whole", options: { faults: { retryAfterSeconds: 1.5 } } },
  { name: "an infinite latency", options: { faults: { latency: Number.POSITIVE_INFINITY } } },
  { name: "a negative logSize", options: { logSize: -1 } }
]

/** Why a sandbox did not start, as plain JSON (or that it did). */
const refusal = async (
  sandboxes: CaseSandboxes<RunningSandbox, StartFailure>,
  options: SandboxCaseOptions,
  by?: StartedBy
): Promise<Json> => {
  const outcome = await sandboxes.tryStart(options, by)
  if ("success" in outcome) return "started"
  const { _tag, isSandboxError, message, reason } = outcome.failure
  return { _tag, isSandboxError, message, reason }
}

/** A `SandboxError` for invalid options. */
const invalidOptionsError = (message: Expected = anyString): Expected => ({
  _tag: "SandboxError",
  isSandboxError: true,
  message,
  reason: "InvalidOptions"
})

const options: ReadonlyArray<ScenarioCase> = [
  ...invalidOptions.map((invalid): ScenarioCase => ({
    name: `invalid options are a typed error: ${invalid.name}`,
    run: (sandboxes) => refusal(sandboxes, invalid.options),
    expect: invalidOptionsError(invalid.message)
  })),
  {
    name: "a layer that cannot start fails with the SandboxError",
    run: (sandboxes) => refusal(sandboxes, { logSize: -1 }, "layer"),
    expect: invalidOptionsError()
  },
  {
    name: "a busy port is a typed error",
    run: async ({ start, tryStart }) => {
      const running = await start()
      const outcome = await tryStart({ port: running.port })
      if ("success" in outcome) return "started"
      const { message, reason } = outcome.failure
      return { reason, message, namesThePort: message.includes(String(running.port)) }
    },
    expect: {
      reason: "Listen",
      message: matching(/^cannot listen on 127\.0\.0\.1:\d+: .*EADDRINUSE/),
      namesThePort: true
    }
  },
  {
    name: "a negative latency is no latency",
    // An answer at all: a fetch gives up after 5 s, a latency of 30 s would be none.
    run: async ({ start }) => {
      const sandbox = await start({ faults: { latency: "-30 seconds" } })
      return (await send(sandbox, { path: widgetPath(cards.active) })).status
    },
    expect: 200
  }
]

// --- its lifecycle, its load ---

const lifecycle: ReadonlyArray<ScenarioCase> = [
  {
    name: "is usable as a Layer",
    run: async ({ start }) => bodyOf(await send(await start({}, "layer"), { path: widgetPath(cards.active) })),
    // The seed's tenant, as the answer says.
    expect: { tenant: sandboxIds.tenant, widget_token: uuid }
  },
  {
    name: "listens on a given port",
    run: async ({ start }) => {
      const first = await start()
      await first.stop()
      const sandbox = await start({ port: first.port })
      return {
        listensOnTheGivenPort: sandbox.port === first.port,
        answer: (await send(sandbox, { path: widgetPath(cards.active) })).status
      }
    },
    expect: { listensOnTheGivenPort: true, answer: 200 }
  },
  {
    name: "stops listening when its scope closes",
    run: async ({ start }) => {
      const sandbox = await start()
      const before = await send(sandbox, { path: widgetPath(cards.active) })
      await sandbox.stop()
      // Status 0: no answer, the connection is refused.
      const after = await send(sandbox, { path: "/fdx_tokens/x" })
      return { before: before.status, after: after.status }
    },
    expect: { before: 200, after: 0 }
  },
  {
    name: "answers 3,000 requests 32 at a time on kept-alive connections, every one",
    run: async ({ start }) => {
      const sandbox = await start()
      // (How fast is the bench's business, not a unit test's: this machine is shared.)
      return tally(await keptAliveStatuses(sandbox, widgetPath(cards.active), 3000, 32))
    },
    expect: { 200: 3000 }
  }
]

// --- the Plaid Core Exchange ---

/** Where the sandbox's lists are past their seeded items: the third page of 100. */
const thirdPage = encodeURIComponent("b2Zmc2V0OjIwMA")

/** The sandbox's Plaid page, completing an exchange. */
const connectedPage: ExpectedAnswer = {
  status: 200,
  headers: {
    "content-type": matching(/^text\/html/),
    "cache-control": "no-store",
    "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'"
  },
  text: containing(`data-outcome="connected"`)
}

/** The page again: the code works once. */
const refusedPage: ExpectedAnswer = { status: 400, text: containing(`data-outcome="refused"`) }

const authorize = "/fdx_auth_requests/authorize"

const refreshPath = `/sandbox/fdx_tokens/${fdxTokens.enabledRefresh}/refresh`

/** A POST to a sandbox control, below the server's root. */
const control = (path: string, key = true): SandboxRequest => ({ path, fromRoot: true, method: "POST", key })

const plaidExchange: ReadonlyArray<SandboxCase> = [
  {
    name: "authorization_test, a grant over the wire, and the Plaid page that completes the exchange",
    run: async ({ start }) => {
      const sandbox = await start({ authenticationUri: "https://fintech.example/login?from=plaid" })
      const test = await send(sandbox, { path: "/fdx_auth_requests/authorization_test" })
      const login = new URL(stringField(test.json, "redirect_url"))
      const id = login.searchParams.get("auth_request_id") ?? ""
      const granted = await send(sandbox, {
        path: authorize,
        json: { auth_request_id: id, status: "GRANTED", customer_id: sandboxIds.newCustomer }
      })
      const plaid = new URL(stringField(granted.json, "redirect_uri"))
      // Opened by a browser: no key.
      const page = await fetchAnswer(plaid.href)
      // The request is USED and the customer has an ACCESS and a REFRESH token.
      const requests = await send(sandbox, { path: `/fdx_auth_requests?limit=100&page_token=${thirdPage}` })
      const last = listField(requests.json, "fdx_auth_requests").at(-1)
      const tokens = await send(sandbox, { path: `/fdx_tokens?page_token=${thirdPage}` })
      const again = await fetchAnswer(plaid.href)
      return {
        authorizationTest: test.status,
        login: login.origin + login.pathname,
        loginKeepsItsQuery: login.searchParams.get("from"),
        granted: granted.status,
        plaid: masked(sandbox, plaid.origin + plaid.pathname),
        page: observeAnswer(page, connectedPage),
        requests: requests.status,
        lastRequest: { isTheGrantedOne: last?.["id"] === id, status: last?.["status"] ?? null },
        ownedTokenTypes: listField(tokens.json, "fdx_tokens")
          .filter((token) => token["customer_id"] === sandboxIds.newCustomer)
          .map((token) => token["token_type"] ?? null),
        pageAgain: observeAnswer(again, refusedPage)
      }
    },
    expect: {
      authorizationTest: 201,
      login: "https://fintech.example/login",
      loginKeepsItsQuery: "plaid",
      granted: 201,
      plaid: "<the sandbox>/plaid/oauth/callback",
      page: expectedAnswer(connectedPage),
      requests: 200,
      lastRequest: { isTheGrantedOne: true, status: "USED" },
      ownedTokenTypes: ["ACCESS", "REFRESH"],
      pageAgain: expectedAnswer(refusedPage)
    }
  },
  {
    name: "a denial's Plaid page",
    run: async ({ start }) => {
      const sandbox = await start()
      const denied = await send(sandbox, {
        path: authorize,
        json: { auth_request_id: fdxAuthRequests.pending, status: "DENIED" }
      })
      return (await fetchAnswer(stringField(denied.json, "redirect_uri"))).text
    },
    expect: containing(`data-outcome="access_denied"`)
  },
  {
    name: "the Plaid page escapes the error it shows",
    exchanges: [{
      send: { path: "/plaid/oauth/callback?error=<b>", fromRoot: true, key: false },
      expect: { status: 200, text: containing(`data-outcome="&#60;b&#62;"`) }
    }]
  },
  {
    name: "a grant body that is not JSON",
    exchanges: [{
      send: { path: authorize, body: "{not json" },
      expect: { status: 400, json: errorBody("BAD_REQUEST_BODY", 400) }
    }]
  },
  {
    name: "a grant sent as GET",
    exchanges: [{ send: { path: authorize }, expect: { status: 405, headers: { allow: "POST" } } }]
  },
  {
    name: "a grant body over 64 KiB",
    exchanges: [{
      send: { path: authorize, json: { padding: "x".repeat(70_000) } },
      expect: { status: 413, json: errorBody("PAYLOAD_TOO_LARGE", 413) }
    }]
  },
  {
    name: "token controls: refresh and revoke over HTTP, with the key",
    exchanges: [
      { send: control(refreshPath, false), expect: { status: 401 } },
      {
        send: control(refreshPath),
        expect: {
          status: 200,
          json: {
            fdx_tokens: [
              partial({ status: "USED", parent_token_id: absent }),
              partial({ status: "ENABLED", parent_token_id: fdxTokens.enabledRefresh }),
              partial({ status: "ENABLED", parent_token_id: fdxTokens.enabledRefresh })
            ]
          }
        }
      },
      { send: control(refreshPath), expect: { status: 409, json: errorBody("REFUSED", 409) } },
      {
        send: control(`/sandbox/fdx_tokens/${fdxTokens.enabledAccess}/revoke`),
        expect: { status: 200, json: { fdx_tokens: [partial({ status: "REVOKED" })] } }
      },
      {
        send: { path: `/fdx_tokens/${fdxTokens.enabledAccess}` },
        expect: { status: 200, json: partial({ status: "REVOKED" }) }
      },
      // The controls are POSTs only.
      { send: { path: refreshPath, fromRoot: true }, expect: { status: 404 } }
    ]
  },
  {
    name: "the service's controls: setUris, refreshFdxToken, revokeFdxToken",
    run: async ({ start }) => {
      const sandbox = await start()
      await sandbox.setUris({ authenticationUri: "https://elsewhere.example/login" })
      const test = await send(sandbox, { path: "/fdx_auth_requests/authorization_test" })
      const statuses = (tokens: ReadonlyArray<{ readonly status: string }>) => tokens.map((token) => token.status)
      return {
        redirectUrl: stringField(test.json, "redirect_url"),
        refreshed: plainSettled(await sandbox.refreshFdxToken(fdxTokens.enabledRefresh), statuses),
        refreshedAgain: plainSettled(await sandbox.refreshFdxToken(fdxTokens.enabledRefresh), statuses),
        revoked: plainSettled(await sandbox.revokeFdxToken(fdxTokens.enabledAccess), (token) => token.status)
      }
    },
    expect: {
      redirectUrl: matching(/^https:\/\/elsewhere\.example\/login\?auth_request_id=/),
      refreshed: { success: ["USED", "ENABLED", "ENABLED"] },
      refreshedAgain: { failure: "ControlRefused" },
      revoked: { success: "REVOKED" }
    }
  }
]

// --- the live client on the sandbox ---

const liveClient: ReadonlyArray<ScenarioCase> = [
  {
    name: "the live client reads a widget token and an FDX token, and fails typed on a terminated card",
    run: async ({ start }) => {
      const sandbox = await start()
      const client = await sandbox.liveClient({ retry: { times: 1, base: "1 millis" } })
      const token = await client.getWidgetToken({ cardId: cards.active, widgetType: "REVEAL" })
      const fdx = await client.getFdxToken({ fdxTokenId: fdxTokens.enabledRefresh })
      const terminated = await client.getWidgetToken({ cardId: cards.terminated, widgetType: "GET_PIN" })
      const log = await sandbox.requests()
      return {
        token: plainSettled(token, ({ tenant, widgetToken }) => ({ tenant, widgetToken })),
        fdx: plainSettled(fdx, ({ id, tokenType }) => ({ id, tokenType })),
        terminated: plainSettled(terminated, () => "a token"),
        logged: log.map((entry) => entry.status ?? null),
        // The widget token call sends an idempotency key, the FDX token read none.
        idempotencyKeys: log.slice(0, 2).map((entry) => entry.idempotencyKey ?? null)
      }
    },
    expect: {
      token: { success: { tenant: sandboxIds.tenant, widgetToken: uuid } },
      fdx: { success: { id: fdxTokens.enabledRefresh, tokenType: "REFRESH" } },
      terminated: { failure: "Unprocessable" },
      logged: [200, 200, 422],
      idempotencyKeys: [uuid, null]
    }
  },
  {
    name: "the live client streams every FDX token, page after page",
    run: async ({ start }) => {
      const sandbox = await start()
      const client = await sandbox.liveClient({ retry: { times: 1, base: "1 millis" } })
      const tokens = await client.streamFdxTokens()
      return {
        tokens: plainSettled(
          tokens,
          (all) => ({ count: all.length, distinct: new Set(all.map((token) => token.id)).size })
        ),
        requests: (await sandbox.requests()).length
      }
    },
    expect: {
      tokens: { success: { count: defaultSeedJson.fdx_tokens.length, distinct: defaultSeedJson.fdx_tokens.length } },
      requests: between(1, Number.POSITIVE_INFINITY)
    }
  },
  {
    name: "the live client's whole Plaid Core Exchange login: authorization test, grant, Plaid's exchange",
    run: async ({ start }) => {
      const sandbox = await start()
      const client = await sandbox.liveClient({ retry: { times: 1, base: "1 millis" } })
      const test = await client.getAuthorizationTest()
      const redirectUrl = "success" in test ? test.success.redirectUrl : undefined
      const id = redirectUrl === undefined ? null : new URL(redirectUrl).searchParams.get("auth_request_id")
      if (id === null) return { authorizationTest: plainSettled(test, (found) => found.redirectUrl ?? null) }
      const grant = await client.grantFdxAuthRequest({
        authRequestId: id,
        status: "GRANTED",
        customerId: sandboxIds.newCustomer
      })
      if ("failure" in grant) return { grant: grant.failure._tag }
      return { page: (await fetchAnswer(grant.success.redirectUri)).text }
    },
    expect: { page: containing(`data-outcome="connected"`) }
  }
]

/**
 * A widget token request and a visit of the Plaid page: their statuses. For
 * the lines' own tests of what the server does under their tracers (spans
 * are each line's Effect API).
 */
export const apiAndPlaidPageStatuses = async (sandbox: SandboxAddress): Promise<ReadonlyArray<number>> => [
  (await send(sandbox, { path: widgetPath(cards.active) })).status,
  (await send(sandbox, { path: "/plaid/oauth/callback", fromRoot: true, key: false })).status
]

/** Every case of the sandbox server, in the order the lines run them. */
export const sandboxServerCases: ReadonlyArray<SandboxCase> = [
  ...basics,
  ...auth,
  ...validation,
  ...state,
  ...options,
  ...lifecycle,
  ...plaidExchange,
  ...liveClient
]
