/**
 * The Plaid Core Exchange operations of the live layer over real HTTP: the
 * requests they send, what they decode, the input they refuse before sending,
 * and the grant's retry rule (retried only when it cannot have been applied)
 * on every transport.
 */
import { assert, describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Layer, Option, Redacted, Stream } from "effect"
import type { ServerResponse } from "node:http"
import * as net from "node:net"
import { isTransient, Synctera, type SyncteraError, SyncteraLive } from "../src/index.js"
import { transports } from "./reliability/support/layers.js"
import { fdxTokenBody } from "./support/fixtures.js"
import { ScriptedClient } from "./support/ScriptedClient.js"
import { json, TestServer } from "./support/TestServer.js"

const authRequestId = "046b6c7f-0b8a-43b9-b35d-6489e6daee91"
const customerId = "a0000000-0000-4000-8000-00000000c001"
const businessId = "b0000000-0000-4000-8000-00000000b001"
const grantBody = { redirect_uri: "https://cdn.plaid.example/oauth?code=c&state=s" }

const authRequestBody = {
  id: authRequestId,
  status: "PENDING",
  tenant: "abcdef_ghijkl",
  oauth2_state: "046b6c7f-0b8a-43b9-b35d-6489e6daee92",
  creation_time: "2010-05-06T12:23:34.321Z",
  last_updated_time: "2010-05-06T12:23:34.321Z",
  expiry_time: "2010-05-06T12:33:34.321Z"
}

const tokenWithId = (i: number) => ({ ...fdxTokenBody, id: `3c90c3cc-0d44-4b50-8888-${String(i).padStart(12, "0")}` })

const fast = { retry: { times: 2, base: "2 millis", cap: "10 millis" }, timeout: "300 millis" } as const

const layerNode = transports.find(([name]) => name.startsWith("layerNode"))![1]
const onServer = (server: TestServer, options: Partial<SyncteraLive.Options> = {}) =>
  layerNode(server.baseUrl, { ...fast, ...options })

const grant = Synctera.grantFdxAuthRequest({ authRequestId, status: "GRANTED", customerId })

describe("requests and answers", () => {
  it.scopedLive("grantFdxAuthRequest POSTs the spec's snake_case body with an Idempotency-Key", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((_, res) => json(res, 201, grantBody))
      const answer = yield* grant.pipe(Effect.provide(onServer(server)))
      expect(answer).toEqual({ redirectUri: grantBody.redirect_uri })
      const [request] = server.requests
      assert(request !== undefined)
      expect(request.method).toBe("POST")
      expect(request.path).toBe("/v1/fdx_auth_requests/authorize")
      expect(request.headers["content-type"]).toBe("application/json")
      expect(request.headers["idempotency-key"]).toMatch(/^[0-9a-f-]{36}$/)
      expect(JSON.parse(request.body)).toEqual({
        auth_request_id: authRequestId,
        status: "GRANTED",
        customer_id: customerId
      })
      // The caller's key, and a business instead of a customer; DENIED without an owner.
      yield* Synctera.grantFdxAuthRequest({ authRequestId, status: "GRANTED", businessId, idempotencyKey: "mine" })
        .pipe(Effect.provide(onServer(server)))
      expect(server.requests[1]?.headers["idempotency-key"]).toBe("mine")
      expect(JSON.parse(server.requests[1]?.body ?? "")).toEqual({
        auth_request_id: authRequestId,
        status: "GRANTED",
        business_id: businessId
      })
      yield* Synctera.grantFdxAuthRequest({ authRequestId, status: "DENIED" }).pipe(Effect.provide(onServer(server)))
      expect(JSON.parse(server.requests[2]?.body ?? "")).toEqual({ auth_request_id: authRequestId, status: "DENIED" })
    }))

  it.scopedLive("listFdxTokens and listFdxAuthRequests send limit and page_token, and decode the page", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((request, res) =>
        request.path.endsWith("/fdx_tokens")
          ? json(res, 200, { fdx_tokens: [fdxTokenBody], next_page_token: "next/+?&=" })
          : json(res, 200, { fdx_auth_requests: [authRequestBody, { id: authRequestId, status: "EXPIRED_SOMEHOW" }] })
      )
      const layer = onServer(server)
      const tokens = yield* Synctera.listFdxTokens({ limit: 2, pageToken: "a b&c=d/é" }).pipe(Effect.provide(layer))
      expect(tokens.nextPageToken).toBe("next/+?&=")
      expect(tokens.fdxTokens.map((token) => token.id)).toEqual([fdxTokenBody.id])
      expect(server.requests[0]?.path).toBe("/v1/fdx_tokens")
      // The page token is one query value, whatever it holds.
      expect([...(server.requests[0]?.query ?? [])]).toEqual([["limit", "2"], ["page_token", "a b&c=d/é"]])
      const requests = yield* Synctera.listFdxAuthRequests().pipe(Effect.provide(layer))
      expect(server.requests[1]?.path).toBe("/v1/fdx_auth_requests")
      expect([...(server.requests[1]?.query ?? [])]).toEqual([])
      expect(requests.nextPageToken).toBeUndefined()
      expect(requests.fdxAuthRequests.map((request) => request.status)).toEqual(["PENDING", "EXPIRED_SOMEHOW"])
    }))

  it.scopedLive("getAuthorizationTest GETs authorization_test and decodes its 201", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((_, res) =>
        json(res, 201, { redirect_url: `https://fintech.example/login?auth_request_id=${authRequestId}` })
      )
      const test = yield* Synctera.getAuthorizationTest().pipe(Effect.provide(onServer(server)))
      expect(test.redirectUrl).toContain(authRequestId)
      expect(server.requests[0]?.method).toBe("GET")
      expect(server.requests[0]?.path).toBe("/v1/fdx_auth_requests/authorization_test")
    }))

  it.effect("getAuthorizationTest is refused before sending when the client points at production", () =>
    Effect.gen(function*() {
      const scripted = ScriptedClient(() => ({ status: 201, body: { redirect_url: "x" } }))
      const layer = SyncteraLive.layer({ apiKey: Redacted.make("k"), environment: "production" }).pipe(
        Layer.provide(scripted.layer)
      )
      const error = yield* Effect.flip(Synctera.getAuthorizationTest().pipe(Effect.provide(layer)))
      expect(error._tag).toBe("InvalidInput")
      expect(error.message).toContain("exists only in Synctera's sandbox")
      expect(scripted.calls).toHaveLength(0)
      // The sandbox, and a base URL of the caller's, are allowed.
      const sandbox = SyncteraLive.layer({ apiKey: Redacted.make("k") }).pipe(Layer.provide(scripted.layer))
      yield* Synctera.getAuthorizationTest().pipe(Effect.provide(sandbox))
      expect(scripted.calls[0]?.url.href).toBe(
        "https://api-sandbox.synctera.com/v1/fdx_auth_requests/authorization_test"
      )
    }))
})

describe("input refused before anything is sent", () => {
  const refused: ReadonlyArray<readonly [string, Effect.Effect<unknown, SyncteraError, Synctera>, string]> = [
    [
      "a grant's auth request id that is not a UUID",
      Synctera.grantFdxAuthRequest({ authRequestId: "x", status: "GRANTED", customerId }),
      "authRequestId"
    ],
    [
      "a grant's customer id that is not a UUID",
      Synctera.grantFdxAuthRequest({ authRequestId, status: "GRANTED", customerId: "../x" }),
      "customerId"
    ],
    [
      "an unknown grant status",
      Synctera.grantFdxAuthRequest({ authRequestId, status: "MAYBE" as "GRANTED", customerId }),
      "GRANTED, DENIED or ERROR"
    ],
    [
      "GRANTED without an owner",
      Synctera.grantFdxAuthRequest({ authRequestId, status: "GRANTED" }),
      "needs the customerId or businessId"
    ],
    [
      "a customer and a business",
      Synctera.grantFdxAuthRequest({ authRequestId, status: "DENIED", customerId, businessId }),
      "not both"
    ],
    [
      "a bad idempotency key",
      Synctera.grantFdxAuthRequest({ authRequestId, status: "DENIED", idempotencyKey: "a\nb" }),
      "visible ASCII"
    ],
    ["a limit of 0", Synctera.listFdxTokens({ limit: 0 }), "from 1 to 100"],
    ["a limit of 101", Synctera.listFdxAuthRequests({ limit: 101 }), "from 1 to 100"],
    ["a fractional limit", Synctera.listFdxTokens({ limit: 1.5 }), "limit: Expected an integer"],
    ["a stream's limit", Stream.runDrain(Synctera.streamFdxTokens({ limit: -1 })), "from 1 to 100"]
  ]
  for (const [name, call, says] of refused) {
    it.scopedLive(`${name}: InvalidInput`, () =>
      Effect.gen(function*() {
        const server = yield* TestServer((_, res) => json(res, 500, {}))
        const error = yield* Effect.flip(call.pipe(Effect.provide(onServer(server))))
        expect(error._tag).toBe("InvalidInput")
        expect(error.message).toContain(says)
        expect(server.requests).toHaveLength(0)
      }))
  }
})

/** Answers each request with the next of `answers`, the last one for ever. */
const answering =
  (answers: ReadonlyArray<(res: ServerResponse) => void>) => (_: unknown, res: ServerResponse, i: number) =>
    answers[Math.min(i, answers.length - 1)]!(res)

const status = (code: number, body: unknown = { code: "X", status: code }) => (res: ServerResponse) =>
  json(res, code, body)
const hangUp = (res: ServerResponse) => res.socket?.destroy()
const silence = (_: ServerResponse) => undefined

describe("the grant is never applied twice by a retry", () => {
  for (const [transport, makeLayer] of transports) {
    describe(transport, () => {
      const layerOn = (server: TestServer) => makeLayer(server.baseUrl, fast)

      for (const code of [500, 502, 504]) {
        it.scopedLive(`after a ${code} it fails at once, maybe applied`, () =>
          Effect.gen(function*() {
            const server = yield* TestServer(answering([status(code), status(201, grantBody)]))
            const error = yield* Effect.flip(grant.pipe(Effect.provide(layerOn(server))))
            expect(error._tag).toBe("Internal")
            expect(error._tag === "Internal" && error.maybeApplied).toBe(true)
            expect(error.message).toContain("may or may not have been applied")
            expect(isTransient(error)).toBe(false)
            expect(server.requests).toHaveLength(1)
          }))
      }

      it.scopedLive("after a connection that broke once the request was sent, it fails at once, maybe applied", () =>
        Effect.gen(function*() {
          const server = yield* TestServer(answering([hangUp, status(201, grantBody)]))
          const error = yield* Effect.flip(grant.pipe(Effect.provide(layerOn(server))))
          expect(error._tag).toBe("NetworkError")
          expect(error._tag === "NetworkError" && error.maybeApplied).toBe(true)
          expect(server.requests).toHaveLength(1)
        }))

      it.scopedLive("after a timeout it fails at once, maybe applied", () =>
        Effect.gen(function*() {
          const server = yield* TestServer(answering([silence, status(201, grantBody)]))
          const error = yield* Effect.flip(grant.pipe(Effect.provide(layerOn(server))))
          expect(error._tag).toBe("Timeout")
          expect(error._tag === "Timeout" && error.maybeApplied).toBe(true)
          expect(server.requests).toHaveLength(1)
        }))

      const retried: ReadonlyArray<readonly [string, (res: ServerResponse) => void]> = [
        ["a 503", status(503)],
        ["a 429", status(429)],
        ["IDEMPOTENCY_CONCURRENT_USE (409)", status(409, { code: "IDEMPOTENCY_CONCURRENT_USE", status: 409 })],
        ["IDEMPOTENCY_CONCURRENT_USE (422)", status(422, { code: "IDEMPOTENCY_CONCURRENT_USE", status: 422 })]
      ]
      for (const [name, first] of retried) {
        it.scopedLive(`after ${name} it is retried, with the same key`, () =>
          Effect.gen(function*() {
            const server = yield* TestServer(answering([first, status(201, grantBody)]))
            const answer = yield* grant.pipe(Effect.provide(layerOn(server)))
            expect(answer.redirectUri).toBe(grantBody.redirect_uri)
            expect(server.requests).toHaveLength(2)
            const keys = server.requests.map((request) => request.headers["idempotency-key"])
            expect(keys[0]).toBeDefined()
            expect(keys[1]).toBe(keys[0])
          }))
      }

      it.scopedLive("a decided request (409 RESOURCE_ALREADY_EXISTS) is a Conflict, not retried", () =>
        Effect.gen(function*() {
          const server = yield* TestServer(answering([status(409, { code: "RESOURCE_ALREADY_EXISTS", status: 409 })]))
          const error = yield* Effect.flip(grant.pipe(Effect.provide(layerOn(server))))
          expect(error._tag).toBe("Conflict")
          expect("maybeApplied" in error && error.maybeApplied).toBeFalsy()
          expect(server.requests).toHaveLength(1)
        }))

      it.scopedLive("authorization_test follows the same rule", () =>
        Effect.gen(function*() {
          const server = yield* TestServer(answering([status(502), status(201, { redirect_url: "x" })]))
          const error = yield* Effect.flip(Synctera.getAuthorizationTest().pipe(Effect.provide(layerOn(server))))
          expect(error._tag === "Internal" && error.maybeApplied).toBe(true)
          expect(server.requests).toHaveLength(1)
          const again = yield* TestServer(answering([status(503), status(201, { redirect_url: "x" })]))
          yield* Synctera.getAuthorizationTest().pipe(Effect.provide(layerOn(again)))
          expect(again.requests).toHaveLength(2)
        }))
    })
  }

  it.live("when no connection can be made, the grant is retried: it cannot have been applied", () =>
    Effect.gen(function*() {
      // A port with nothing listening: connection refused.
      const port = yield* Effect.promise(() =>
        new Promise<number>((resolve) => {
          const probe = net.createServer().listen(0, "127.0.0.1", () => {
            const { port } = probe.address() as net.AddressInfo
            probe.close(() => resolve(port))
          })
        })
      )
      const error = yield* Effect.flip(grant.pipe(Effect.provide(layerNode(`http://127.0.0.1:${port}/v1`, fast))))
      expect(error._tag).toBe("NetworkError")
      assert(error._tag === "NetworkError")
      expect(error.maybeApplied).toBeUndefined()
      expect(error.attempts).toBe(3)
    }))

  it.scopedLive("a 409 that is not IDEMPOTENCY_CONCURRENT_USE is not retried on a read either", () =>
    Effect.gen(function*() {
      const server = yield* TestServer(answering([status(409), status(200, { fdx_tokens: [] })]))
      const error = yield* Effect.flip(Synctera.listFdxTokens().pipe(Effect.provide(onServer(server))))
      expect(error._tag).toBe("Conflict")
      expect(server.requests).toHaveLength(1)
    }))

  it.scopedLive("a read is still retried after a 500 (it is repeatable)", () =>
    Effect.gen(function*() {
      const server = yield* TestServer(answering([status(500), status(200, { fdx_tokens: [] })]))
      yield* Synctera.listFdxTokens().pipe(Effect.provide(onServer(server)))
      expect(server.requests).toHaveLength(2)
    }))
})

describe("streams", () => {
  /** A server of `total` tokens in pages of `limit` (offset tokens), counting the pages asked for. */
  const pagedServer = (total: number) =>
    TestServer((request, res) => {
      const limit = Number(request.query.get("limit") ?? "100")
      const offset = Number(request.query.get("page_token") ?? "0")
      const end = Math.min(total, offset + limit)
      json(res, 200, {
        fdx_tokens: Array.from({ length: end - offset }, (_, i) => tokenWithId(offset + i)),
        ...(end < total ? { next_page_token: String(end) } : {})
      })
    })

  it.scopedLive("follow next_page_token to the end, in order", () =>
    Effect.gen(function*() {
      const server = yield* pagedServer(250)
      const tokens = yield* Stream.runCollect(Synctera.streamFdxTokens().pipe(Stream.provideLayer(onServer(server))))
      expect(Chunk.size(tokens)).toBe(250)
      expect(Chunk.toReadonlyArray(tokens).map((token) => token.id)).toEqual(
        Array.from({ length: 250 }, (_, i) => tokenWithId(i).id)
      )
      expect(server.requests.map((request) => request.query.get("page_token"))).toEqual([null, "100", "200"])
    }))

  it.scopedLive("ask for a page only when the consumer pulls past the one before: take(5) makes one request", () =>
    Effect.gen(function*() {
      const server = yield* pagedServer(250)
      const first = yield* Stream.runCollect(
        Synctera.streamFdxTokens().pipe(Stream.take(5), Stream.provideLayer(onServer(server)))
      )
      expect(Chunk.size(first)).toBe(5)
      expect(server.requests).toHaveLength(1)
      yield* Stream.runDrain(
        Synctera.streamFdxTokens({ limit: 10 }).pipe(Stream.take(11), Stream.provideLayer(onServer(server)))
      )
      expect(server.requests).toHaveLength(3)
      expect(server.requests[1]?.query.get("limit")).toBe("10")
    }))

  it.scopedLive("a page that fails for good ends the stream with its error, after the tokens before it", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((request, res) =>
        request.query.get("page_token") === null
          ? json(res, 200, { fdx_tokens: [tokenWithId(1), tokenWithId(2)], next_page_token: "p2" })
          : json(res, 503, { code: "SERVICE_UNAVAILABLE" })
      )
      const seen: Array<string> = []
      const error = yield* Effect.flip(
        Synctera.streamFdxTokens().pipe(
          Stream.runForEach((token) => Effect.sync(() => seen.push(token.id))),
          Effect.provide(onServer(server))
        )
      )
      expect(seen).toEqual([tokenWithId(1).id, tokenWithId(2).id])
      expect(error._tag).toBe("Internal")
      expect(error.operation).toBe("listFdxTokens")
      // The failing page was one logical call, with its own retries.
      expect(error._tag === "Internal" && error.attempts).toBe(3)
    }))

  it.scopedLive("a page token the server already gave ends the stream with InvalidResponse (Pagination), not a loop", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((request, res) =>
        json(res, 200, {
          fdx_auth_requests: [{
            ...authRequestBody,
            id: request.query.get("page_token") === "A" ? businessId : authRequestId
          }],
          next_page_token: "A"
        })
      )
      const seen: Array<string> = []
      const error = yield* Effect.flip(
        Synctera.streamFdxAuthRequests().pipe(
          Stream.runForEach((request) => Effect.sync(() => seen.push(request.id))),
          Effect.provide(onServer(server))
        )
      )
      expect(error._tag).toBe("InvalidResponse")
      assert(error._tag === "InvalidResponse")
      expect(error.reason).toBe("Pagination")
      expect(error.operation).toBe("listFdxAuthRequests")
      expect(error.message).toContain("already given")
      // The page that hands back a token already followed is the one refused: its items are not emitted.
      expect(seen).toEqual([authRequestId])
      expect(server.requests).toHaveLength(2)
    }))

  it.scopedLive("an empty list is an empty stream", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((_, res) => json(res, 200, { fdx_tokens: [] }))
      const head = yield* Stream.runHead(Synctera.streamFdxTokens().pipe(Stream.provideLayer(onServer(server))))
      expect(Option.isNone(head)).toBe(true)
    }))
})
