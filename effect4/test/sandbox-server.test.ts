/**
 * The sandbox server over raw HTTP (fetch to 127.0.0.1): auth first, routes,
 * validation answers, idempotency on the wire, lifecycle; and the live client
 * against it.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { assert, describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Exit, Layer, Redacted, Result, Schema, Scope, Stream, Tracer } from "effect"
import * as Http from "node:http"
import { Synctera } from "../src/index.js"
import * as SyncteraLive from "../src/layers/SyncteraLive.js"
import {
  defaultSeed,
  make as makeSandbox,
  Sandbox,
  SandboxError,
  sandboxIds,
  type SandboxService
} from "../src/sandbox.js"
import { bearer, errorBody, get, listField, post, request, stringField, widgetPath } from "./support/sandboxHttp.js"

describe("the sandbox server", () => {
  it.live("listens on 127.0.0.1 with the API version in its URL, and a random key by default", () =>
    Effect.gen(function*() {
      const a = yield* makeSandbox()
      const b = yield* makeSandbox()
      expect(a.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/)
      expect(a.url).toBe(`http://127.0.0.1:${a.port}/v1`)
      expect(a.port).not.toBe(b.port)
      expect(Redacted.value(a.apiKey)).not.toBe(Redacted.value(b.apiKey))
      expect(Redacted.value(a.apiKey)).toMatch(/^sandbox_[0-9a-f]{32}$/)
      expect(String(a.apiKey)).not.toContain(Redacted.value(a.apiKey))
      expect(a.seed).toBe(defaultSeed)
    }))

  it.live("answers a widget token and an FDX token as JSON with a length", () =>
    Effect.gen(function*() {
      const sandbox = yield* makeSandbox()
      const token = yield* get(sandbox, widgetPath(sandboxIds.cards.active))
      expect(token.status).toBe(200)
      expect(token.headers.get("content-type")).toMatch(/^application\/json/)
      expect(token.headers.get("content-length")).toBe(String(Buffer.byteLength(token.text)))
      expect(token.json).toEqual({ tenant: sandboxIds.tenant, widget_token: expect.stringMatching(/^[0-9a-f-]{36}$/) })
      const fdx = yield* get(sandbox, `/fdx_tokens/${sandboxIds.fdxTokens.enabledRefresh}`)
      expect(fdx.status).toBe(200)
      expect(fdx.json).toMatchObject({
        id: sandboxIds.fdxTokens.enabledRefresh,
        status: "ENABLED",
        token_type: "REFRESH",
        business_id: sandboxIds.business
      })
      expect(fdx.json).not.toHaveProperty("customer_id")
    }))

  it.live("checks the bearer key before anything else", () =>
    Effect.gen(function*() {
      const sandbox = yield* makeSandbox({ apiKey: "right-key" })
      const attempts: ReadonlyArray<readonly [string, Record<string, string>, string?]> = [
        [widgetPath(sandboxIds.cards.active), {}],
        [widgetPath(sandboxIds.cards.active), { authorization: "Bearer wrong-key" }],
        [widgetPath(sandboxIds.cards.active), { authorization: "Bearer right-ke" }],
        [widgetPath(sandboxIds.cards.active), { authorization: "Bearer  right-key" }],
        [widgetPath(sandboxIds.cards.active), { authorization: "Bearer right-key2" }],
        [widgetPath(sandboxIds.cards.active), { authorization: "Basic right-key" }],
        [widgetPath(sandboxIds.cards.active), { authorization: "right-key" }],
        // Auth comes first: not a 400, 404 or 405.
        [widgetPath("not-a-uuid", ""), {}],
        ["/no/such/route", { authorization: "Bearer nope" }],
        [widgetPath(sandboxIds.cards.active), {}, "POST"]
      ]
      for (const [path, headers, method] of attempts) {
        const answer = yield* get(sandbox, path, headers, method)
        expect(answer.status, `${method ?? "GET"} ${path} ${JSON.stringify(headers)}`).toBe(401)
        expect(answer.json).toEqual({ code: "UNAUTHORIZED", detail: expect.any(String), status: 401 })
      }
      const lowerCase = yield* get(sandbox, widgetPath(sandboxIds.cards.active), { authorization: "bearer right-key" })
      expect(lowerCase.status).toBe(200)
      // Refused requests never reach the model.
      expect((yield* sandbox.requests).length).toBe(1)
    }))

  it.live("validation and lookup answers", () =>
    Effect.gen(function*() {
      const sandbox = yield* makeSandbox()
      const cases: ReadonlyArray<readonly [string, number, string, Record<string, unknown>?]> = [
        [widgetPath(sandboxIds.cards.active, ""), 400, "BAD_REQUEST", { missing: ["widget_type"] }],
        [widgetPath(sandboxIds.cards.active, "?widget_type=PIN"), 400, "BAD_REQUEST", { invalid: ["widget_type"] }],
        [widgetPath(sandboxIds.cards.active, "?widget_type=reveal"), 400, "BAD_REQUEST", { invalid: ["widget_type"] }],
        [widgetPath("1234"), 400, "BAD_REQUEST", { invalid: ["card_id"] }],
        [widgetPath(sandboxIds.cards.unknown), 404, "RESOURCE_NOT_FOUND"],
        [widgetPath(sandboxIds.cards.forbidden), 403, "FORBIDDEN"],
        [widgetPath(sandboxIds.cards.terminated), 422, "CARD_TERMINATED"],
        [widgetPath(sandboxIds.cards.suspended), 422, "CARD_SUSPENDED"],
        ["/fdx_tokens/xyz", 400, "BAD_REQUEST", { invalid: ["fdx_token_id"] }],
        [`/fdx_tokens/${sandboxIds.fdxTokens.unknown}`, 404, "RESOURCE_NOT_FOUND"],
        ["/cards", 404, "RESOURCE_NOT_FOUND"],
        ["/fdx_tokens/x/y", 404, "RESOURCE_NOT_FOUND"],
        ["/fdx_tokens?limit=0", 400, "BAD_REQUEST", { invalid: ["limit"] }],
        ["/fdx_auth_requests?page_token=nope", 400, "BAD_REQUEST", { invalid: ["page_token"] }]
      ]
      for (const [path, status, code, extra] of cases) {
        const answer = yield* get(sandbox, path)
        expect(answer.status, path).toBe(status)
        expect(answer.json, path).toEqual({ ...extra, code, status, detail: expect.any(String) })
        expect(answer.headers.get("content-type")).toMatch(/^application\/json/)
      }
      const outside = yield* request(`http://127.0.0.1:${sandbox.port}/v2/cards?x=1`, { headers: bearer(sandbox) })
      expect(outside.json).toEqual({ code: "RESOURCE_NOT_FOUND", status: 404, detail: "no route for GET /v2/cards" })
      const noPage = yield* request(`http://127.0.0.1:${sandbox.port}/plaid/elsewhere`)
      expect([noPage.status, noPage.json]).toEqual([404, errorBody("RESOURCE_NOT_FOUND", 404)])
    }))

  it.live("only GET is allowed on the two routes", () =>
    Effect.gen(function*() {
      const sandbox = yield* makeSandbox()
      for (const method of ["POST", "PUT", "DELETE", "PATCH"]) {
        const answer = yield* get(sandbox, widgetPath(sandboxIds.cards.active), bearer(sandbox), method)
        expect(answer.status).toBe(405)
        expect(answer.headers.get("allow")).toBe("GET")
        expect(answer.json).toEqual(errorBody("METHOD_NOT_ALLOWED", 405))
      }
    }))

  it.live("the Idempotency-Key header: replay, reuse, concurrent use", () =>
    Effect.gen(function*() {
      const sandbox = yield* makeSandbox({ faults: { latency: "300 millis" } })
      const withKey = (key: string) => ({ ...bearer(sandbox), "idempotency-key": key })
      const first = yield* get(sandbox, widgetPath(sandboxIds.cards.active), withKey("key-1"))
      const replay = yield* get(sandbox, widgetPath(sandboxIds.cards.active), withKey("key-1"))
      expect(first.status).toBe(200)
      expect(replay.text).toBe(first.text)
      const reuse = yield* get(sandbox, widgetPath(sandboxIds.cards.active, "?widget_type=SET_PIN"), withKey("key-1"))
      expect([reuse.status, reuse.json]).toEqual([422, errorBody("IDEMPOTENCY_INVALID_REUSE", 422)])
      const [a, b] = yield* Effect.all(
        [
          get(sandbox, widgetPath(sandboxIds.cards.active), withKey("key-2")),
          Effect.delay(get(sandbox, widgetPath(sandboxIds.cards.active), withKey("key-2")), "100 millis")
        ],
        { concurrency: 2 }
      )
      expect(a.status).toBe(200)
      expect([b.status, b.json]).toEqual([409, errorBody("IDEMPOTENCY_CONCURRENT_USE", 409)])
      const log = yield* sandbox.requests
      expect(log.filter((entry) => entry.idempotencyKey === "key-2").map((entry) => entry.status).sort()).toEqual([
        200,
        409
      ])
    }))

  it.live("failNext: the next requests answer the injected failure", () =>
    Effect.gen(function*() {
      const sandbox = yield* makeSandbox()
      yield* sandbox.failNext(2, { status: 503 })
      const statuses: Array<number> = []
      for (let i = 0; i < 3; i++) statuses.push((yield* get(sandbox, widgetPath(sandboxIds.cards.active))).status)
      expect(statuses).toEqual([503, 503, 200])
    }))

  it.live("serves a given seed, and more cards added at run time", () =>
    Effect.gen(function*() {
      const cardId = "12345678-1234-4234-8234-123456789012"
      const sandbox = yield* makeSandbox({
        seed: {
          tenant: "acme_corp",
          cards: [{ id: cardId, state: "active" }],
          fdxTokens: [],
          customers: [],
          businesses: [],
          fdxAuthRequests: []
        }
      })
      expect((yield* get(sandbox, widgetPath(cardId))).json).toMatchObject({ tenant: "acme_corp" })
      expect((yield* get(sandbox, widgetPath(sandboxIds.cards.active))).status).toBe(404)
      yield* sandbox.model.addCards([{ id: sandboxIds.cards.active, state: "forbidden" }])
      expect((yield* get(sandbox, widgetPath(sandboxIds.cards.active))).status).toBe(403)
    }))

  it.live("keeps a bounded log of recent requests", () =>
    Effect.gen(function*() {
      const sandbox = yield* makeSandbox({ logSize: 3 })
      for (const type of ["ACTIVATE", "GET_PIN", "REVEAL", "SET_PIN"]) {
        yield* get(sandbox, widgetPath(sandboxIds.cards.active, `?widget_type=${type}`))
      }
      const log = yield* sandbox.requests
      expect(log.map((entry) => entry.url.split("=")[1])).toEqual(["GET_PIN", "REVEAL", "SET_PIN"])
      expect(log.every((entry) => entry.method === "GET" && entry.status === 200 && entry.fault === undefined)).toBe(
        true
      )
      const none = yield* makeSandbox({ logSize: 0 })
      yield* get(none, widgetPath(sandboxIds.cards.active))
      expect(yield* none.requests).toEqual([])
    }))

  it.live("invalid options and a busy port are typed errors", () =>
    Effect.gen(function*() {
      for (
        const options of [
          { port: -1 },
          { port: 1.5 },
          { port: 65536 },
          { apiKey: "has space" },
          { apiKey: "" },
          { faults: { failRate: 1.5 } },
          { faults: { dropRate: Number.NaN } },
          { faults: { failRate: 0.6, dropRate: 0.6 } },
          { faults: { retryAfterSeconds: 1.5 } },
          { faults: { latency: Duration.infinity } },
          { logSize: -1 }
        ]
      ) {
        const error = yield* Effect.flip(Effect.scoped(makeSandbox(options)))
        expect(error).toBeInstanceOf(SandboxError)
        expect(error._tag).toBe("SandboxError")
        expect(error.reason).toBe("InvalidOptions")
      }
      const failRate = yield* Effect.flip(Effect.scoped(makeSandbox({ faults: { failRate: 2 } })))
      expect(failRate.message).toBe("failRate must be a number from 0 to 1, got 2")
      const running = yield* makeSandbox()
      const busy = yield* Effect.flip(Effect.scoped(makeSandbox({ port: running.port })))
      expect(busy.reason).toBe("Listen")
      expect(busy.message).toContain(String(running.port))
      expect(busy.message).toMatch(/^cannot listen on 127\.0\.0\.1:\d+: .*EADDRINUSE/)
    }))

  it.live("a negative latency is no latency, as under Effect 3", () =>
    Effect.gen(function*() {
      const sandbox = yield* makeSandbox({ faults: { latency: "-5 seconds" } })
      const started = Date.now()
      expect((yield* get(sandbox, widgetPath(sandboxIds.cards.active))).status).toBe(200)
      expect(Date.now() - started).toBeLessThan(2_000)
    }))

  it.live("listens on a given port", () =>
    Effect.gen(function*() {
      const free = yield* Effect.scoped(Effect.map(makeSandbox(), (sandbox) => sandbox.port))
      const sandbox = yield* makeSandbox({ port: free })
      expect(sandbox.port).toBe(free)
      expect((yield* get(sandbox, widgetPath(sandboxIds.cards.active))).status).toBe(200)
    }))

  it.live("stops listening when its scope closes", () =>
    Effect.gen(function*() {
      const scope = yield* Scope.make()
      const sandbox = yield* Scope.provide(makeSandbox(), scope)
      expect((yield* get(sandbox, widgetPath(sandboxIds.cards.active))).status).toBe(200)
      yield* Scope.close(scope, Exit.void)
      const after = yield* Effect.result(Effect.tryPromise(() => fetch(`${sandbox.url}/fdx_tokens/x`)))
      expect(Result.isFailure(after)).toBe(true)
    }))

  it.live("is usable as a Layer", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox
      expect(sandbox.seed.tenant).toBe(sandboxIds.tenant)
      expect((yield* get(sandbox, widgetPath(sandboxIds.cards.active))).status).toBe(200)
    }).pipe(Effect.provide(Sandbox.layer())))

  it.live("a layer that cannot start fails with the SandboxError", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Effect.provide(Sandbox, Sandbox.layer({ logSize: -1 })))
      expect(error.reason).toBe("InvalidOptions")
    }))

  it.live("makes no server spans, even under a tracer", () =>
    Effect.gen(function*() {
      const spans: Array<string> = []
      const tracer = Tracer.make({
        span(options) {
          spans.push(options.name)
          return new Tracer.NativeSpan(options)
        }
      })
      yield* Effect.gen(function*() {
        const sandbox = yield* makeSandbox()
        expect((yield* get(sandbox, widgetPath(sandboxIds.cards.active))).status).toBe(200)
        expect((yield* request(`http://127.0.0.1:${sandbox.port}/plaid/oauth/callback`)).status).toBe(200)
      }).pipe(Effect.withTracer(tracer))
      expect(spans).toEqual([])
    }))

  it.live("answers 3,000 requests 32 at a time on kept-alive connections, every one", () =>
    Effect.gen(function*() {
      const sandbox = yield* makeSandbox()
      const agent = new Http.Agent({ keepAlive: true, maxSockets: 32 })
      yield* Effect.addFinalizer(() => Effect.sync(() => agent.destroy()))
      const key = Redacted.value(sandbox.apiKey)
      const one = Effect.callback<number>((resume) => {
        Http.get(
          {
            host: "127.0.0.1",
            port: sandbox.port,
            path: `/v1${widgetPath(sandboxIds.cards.active)}`,
            agent,
            headers: { authorization: `Bearer ${key}` }
          },
          (res) => {
            res.resume()
            res.on("end", () => resume(Effect.succeed(res.statusCode ?? 0)))
          }
        ).on("error", () => resume(Effect.succeed(0)))
      })
      const total = 3000
      const statuses = yield* Effect.forEach(Array.from({ length: total }), () => one, { concurrency: 32 })
      // (How fast is the bench's business, not a unit test's: this machine is shared.)
      expect(statuses.filter((status) => status === 200)).toHaveLength(total)
    }))
})

describe("sandbox ids", () => {
  it("are UUIDs, so the live client accepts them", () => {
    const isUuid = Schema.is(Schema.String.check(Schema.isUUID()))
    for (const id of [...Object.values(sandboxIds.cards), ...Object.values(sandboxIds.fdxTokens)]) {
      expect(isUuid(id)).toBe(true)
    }
  })
})

describe("the sandbox's Plaid Core Exchange", () => {
  it.live("authorization_test, a grant over the wire, and the Plaid page that completes the exchange", () =>
    Effect.gen(function*() {
      const sandbox = yield* makeSandbox({ authenticationUri: "https://fintech.example/login?from=plaid" })
      const test = yield* get(sandbox, "/fdx_auth_requests/authorization_test")
      expect(test.status).toBe(201)
      const redirectUrl = new URL(stringField(test.json, "redirect_url"))
      expect(redirectUrl.origin + redirectUrl.pathname).toBe("https://fintech.example/login")
      expect(redirectUrl.searchParams.get("from")).toBe("plaid")
      const id = redirectUrl.searchParams.get("auth_request_id") ?? ""
      const granted = yield* post(sandbox, "/fdx_auth_requests/authorize", {
        auth_request_id: id,
        status: "GRANTED",
        customer_id: sandboxIds.newCustomer
      })
      expect(granted.status).toBe(201)
      const plaid = new URL(stringField(granted.json, "redirect_uri"))
      expect(plaid.origin).toBe(`http://127.0.0.1:${sandbox.port}`)
      expect(plaid.pathname).toBe("/plaid/oauth/callback")
      // Opened by a browser: no key.
      const page = yield* request(plaid.href)
      expect(page.status).toBe(200)
      expect(page.headers.get("content-type")).toMatch(/^text\/html/)
      expect(page.headers.get("cache-control")).toBe("no-store")
      expect(page.headers.get("content-security-policy")).toBe("default-src 'none'; style-src 'unsafe-inline'")
      expect(page.text).toContain(`data-outcome="connected"`)
      // The request is USED and the customer has an ACCESS and a REFRESH token.
      const list = yield* get(
        sandbox,
        "/fdx_auth_requests?limit=100&page_token=" + encodeURIComponent("b2Zmc2V0OjIwMA")
      )
      expect(list.status).toBe(200)
      const last = listField(list.json, "fdx_auth_requests").at(-1)
      expect(last).toMatchObject({ id, status: "USED" })
      const tokens = yield* get(sandbox, "/fdx_tokens?page_token=" + encodeURIComponent("b2Zmc2V0OjIwMA"))
      const owned = listField(tokens.json, "fdx_tokens").filter((token) =>
        token["customer_id"] === sandboxIds.newCustomer
      )
      expect(owned.map((token) => token["token_type"])).toEqual(["ACCESS", "REFRESH"])
      // The code works once.
      const again = yield* request(plaid.href)
      expect(again.status).toBe(400)
      expect(again.text).toContain(`data-outcome="refused"`)
    }))

  it.live("a denial's Plaid page, a grant body that is not JSON, and a grant sent as GET", () =>
    Effect.gen(function*() {
      const sandbox = yield* makeSandbox()
      const denied = yield* post(sandbox, "/fdx_auth_requests/authorize", {
        auth_request_id: sandboxIds.fdxAuthRequests.pending,
        status: "DENIED"
      })
      const page = yield* request(stringField(denied.json, "redirect_uri"))
      expect(page.text).toContain(`data-outcome="access_denied"`)
      const noCode = yield* request(`http://127.0.0.1:${sandbox.port}/plaid/oauth/callback?error=<b>`)
      expect(noCode.text).toContain(`data-outcome="&#60;b&#62;"`)
      const notJson = yield* request(`${sandbox.url}/fdx_auth_requests/authorize`, {
        method: "POST",
        headers: { ...bearer(sandbox), "content-type": "application/json" },
        body: "{not json"
      })
      expect(notJson.status).toBe(400)
      expect(notJson.json).toEqual(errorBody("BAD_REQUEST_BODY", 400))
      const asGet = yield* get(sandbox, "/fdx_auth_requests/authorize")
      expect(asGet.status).toBe(405)
      expect(asGet.headers.get("allow")).toBe("POST")
      const tooLarge = yield* post(sandbox, "/fdx_auth_requests/authorize", { padding: "x".repeat(70_000) })
      expect(tooLarge.status).toBe(413)
      expect(tooLarge.json).toEqual(errorBody("PAYLOAD_TOO_LARGE", 413))
    }))

  it.live("token controls: refresh and revoke over HTTP, with the key", () =>
    Effect.gen(function*() {
      const sandbox = yield* makeSandbox()
      const refreshPath = `/sandbox/fdx_tokens/${sandboxIds.fdxTokens.enabledRefresh}/refresh`
      const origin = `http://127.0.0.1:${sandbox.port}`
      const withoutKey = yield* request(`${origin}${refreshPath}`, { method: "POST" })
      expect(withoutKey.status).toBe(401)
      const refreshed = yield* request(`${origin}${refreshPath}`, { method: "POST", headers: bearer(sandbox) })
      expect(refreshed.status).toBe(200)
      const tokens = listField(refreshed.json, "fdx_tokens")
      expect(tokens.map((token) => [token["status"], token["parent_token_id"]])).toEqual([
        ["USED", undefined],
        ["ENABLED", sandboxIds.fdxTokens.enabledRefresh],
        ["ENABLED", sandboxIds.fdxTokens.enabledRefresh]
      ])
      const again = yield* request(`${origin}${refreshPath}`, { method: "POST", headers: bearer(sandbox) })
      expect([again.status, again.json]).toEqual([409, errorBody("REFUSED", 409)])
      const revoked = yield* request(`${origin}/sandbox/fdx_tokens/${sandboxIds.fdxTokens.enabledAccess}/revoke`, {
        method: "POST",
        headers: bearer(sandbox)
      })
      expect(listField(revoked.json, "fdx_tokens")[0]?.["status"]).toBe("REVOKED")
      const read = yield* get(sandbox, `/fdx_tokens/${sandboxIds.fdxTokens.enabledAccess}`)
      expect(read.json).toMatchObject({ status: "REVOKED" })
      const asGet = yield* request(`${origin}${refreshPath}`, { headers: bearer(sandbox) })
      expect(asGet.status).toBe(404)
    }))

  it.live("the service's controls: setUris, refreshFdxToken, revokeFdxToken", () =>
    Effect.gen(function*() {
      const sandbox = yield* makeSandbox()
      yield* sandbox.setUris({ authenticationUri: "https://elsewhere.example/login" })
      const test = yield* get(sandbox, "/fdx_auth_requests/authorization_test")
      expect(stringField(test.json, "redirect_url")).toMatch(/^https:\/\/elsewhere\.example\/login\?auth_request_id=/)
      const refreshed = yield* sandbox.refreshFdxToken(sandboxIds.fdxTokens.enabledRefresh)
      expect(refreshed.map((token) => token.status)).toEqual(["USED", "ENABLED", "ENABLED"])
      const refused = yield* Effect.flip(sandbox.refreshFdxToken(sandboxIds.fdxTokens.enabledRefresh))
      expect(refused._tag).toBe("ControlRefused")
      const revoked = yield* sandbox.revokeFdxToken(sandboxIds.fdxTokens.enabledAccess)
      expect(revoked.status).toBe("REVOKED")
    }))
})

/** The live layer (undici) on a sandbox's URL and key. */
const liveOn = (sandbox: SandboxService) =>
  SyncteraLive.layer({
    apiKey: sandbox.apiKey,
    baseUrl: sandbox.url,
    retry: { times: 1, base: "1 millis" }
  }).pipe(Layer.provide(NodeHttpClient.layerUndici))

describe("the live client on the sandbox", () => {
  it.live("reads a widget token and an FDX token, and fails typed on a terminated card", () =>
    Effect.gen(function*() {
      const sandbox = yield* makeSandbox()
      const { fdx, terminated, token } = yield* Effect.all({
        token: Synctera.getWidgetToken({ cardId: sandboxIds.cards.active, widgetType: "REVEAL" }),
        fdx: Synctera.getFdxToken({ fdxTokenId: sandboxIds.fdxTokens.enabledRefresh }),
        terminated: Effect.flip(
          Synctera.getWidgetToken({ cardId: sandboxIds.cards.terminated, widgetType: "GET_PIN" })
        )
      }).pipe(Effect.provide(liveOn(sandbox)))
      expect(token.tenant).toBe(sandboxIds.tenant)
      expect(token.widgetToken).toMatch(/^[0-9a-f-]{36}$/)
      expect(fdx.id).toBe(sandboxIds.fdxTokens.enabledRefresh)
      expect(fdx.tokenType).toBe("REFRESH")
      expect(terminated._tag).toBe("Unprocessable")
      const log = yield* sandbox.requests
      expect(log.map((entry) => entry.status)).toEqual([200, 200, 422])
      // The widget token call sends an idempotency key, the FDX token read none.
      expect(log[0]?.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/)
      expect(log[1]?.idempotencyKey).toBeUndefined()
    }))

  it.live("streams every FDX token, page after page", () =>
    Effect.gen(function*() {
      const sandbox = yield* makeSandbox()
      const tokens = yield* Synctera.use((synctera) => Stream.runCollect(synctera.streamFdxTokens())).pipe(
        Effect.provide(liveOn(sandbox))
      )
      expect(tokens.length).toBe(defaultSeed.fdxTokens.length)
      expect(new Set(tokens.map((token) => token.id)).size).toBe(tokens.length)
      expect((yield* sandbox.requests).length).toBeGreaterThan(1)
    }))

  it.live("the whole Plaid Core Exchange login: authorization test, grant, Plaid's exchange", () =>
    Effect.gen(function*() {
      const sandbox = yield* makeSandbox()
      const grant = yield* Effect.gen(function*() {
        const { redirectUrl } = yield* Synctera.getAuthorizationTest()
        assert(redirectUrl !== undefined)
        const id = new URL(redirectUrl).searchParams.get("auth_request_id")
        assert(id !== null)
        return yield* Synctera.grantFdxAuthRequest({
          authRequestId: id,
          status: "GRANTED",
          customerId: sandboxIds.newCustomer
        })
      }).pipe(Effect.provide(liveOn(sandbox)))
      const page = yield* request(grant.redirectUri)
      expect(page.text).toContain(`data-outcome="connected"`)
    }))

  it.live("Sandbox.layer and the live layer in one layer", () =>
    Effect.gen(function*() {
      const token = yield* Synctera.getWidgetToken({ cardId: sandboxIds.cards.active, widgetType: "SET_PIN" })
      expect(token.tenant).toBe(sandboxIds.tenant)
      const sandbox = yield* Sandbox
      expect((yield* sandbox.requests).length).toBe(1)
    }).pipe(
      Effect.provide(
        Layer.unwrap(Effect.map(Sandbox, liveOn)).pipe(Layer.provideMerge(Sandbox.layer()))
      )
    ))
})
