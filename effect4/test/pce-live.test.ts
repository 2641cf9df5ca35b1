/**
 * The Plaid Core Exchange operations of the live layer over real HTTP: the
 * requests they send, what they decode, the input they refuse before sending,
 * and the grant's retry rule (retried only when it cannot have been applied:
 * every ambiguous failure gives `maybeApplied: true`, and exactly one request
 * reaches the server) on every transport.
 */
import { assert, describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option, Redacted, Stream } from "effect"
import type { ServerResponse } from "node:http"
import { isTransient, Synctera, type SyncteraError } from "../src/index.js"
import * as SyncteraLive from "../src/layers/SyncteraLive.js"
import {
  authRequestBody,
  authRequestId,
  businessId,
  customerId,
  fdxTokenBody,
  grantBody,
  tokenWithId
} from "./support/liveFixtures.js"
import { ScriptedClient } from "./support/ScriptedClient.js"
import { closedPort, json, TestServer } from "./support/TestServer.js"
import { node, transports } from "./support/transports.js"
import { callUntyped } from "./support/untyped.js"

const fast = { retry: { times: 2, base: "2 millis", cap: "10 millis" }, timeout: "300 millis" } as const

const onServer = (server: TestServer, options: Partial<SyncteraLive.Options> = {}) =>
  node(server.baseUrl, { ...fast, ...options })

const grant = Synctera.grantFdxAuthRequest({ authRequestId, status: "GRANTED", customerId })

describe("requests and answers", () => {
  it.live("grantFdxAuthRequest POSTs the spec's snake_case body with an Idempotency-Key", () =>
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

  it.live("the grant sends the same request on every transport", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((_, res) => json(res, 201, grantBody))
      for (const [, makeLayer] of transports) {
        yield* Synctera.grantFdxAuthRequest({ authRequestId, status: "GRANTED", customerId, idempotencyKey: "k" }).pipe(
          Effect.provide(makeLayer(server.baseUrl, fast))
        )
      }
      expect(server.requests).toHaveLength(transports.length)
      for (const request of server.requests) {
        expect(request.method).toBe("POST")
        expect(request.path).toBe("/v1/fdx_auth_requests/authorize")
        expect(request.headers["content-type"]).toBe("application/json")
        expect(request.headers["idempotency-key"]).toBe("k")
        expect(request.body).toBe(server.requests[0]?.body)
      }
    }))

  it.live("listFdxTokens and listFdxAuthRequests send limit and page_token, and decode the page", () =>
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

  it.live("a page token is one query value on every transport", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((_, res) => json(res, 200, { fdx_tokens: [] }))
      for (const [, makeLayer] of transports) {
        yield* Synctera.listFdxTokens({ limit: 7, pageToken: "a b&c=d/é+%" }).pipe(
          Effect.provide(makeLayer(server.baseUrl, fast))
        )
      }
      expect(server.requests.map((request) => [...request.query])).toEqual(
        transports.map(() => [["limit", "7"], ["page_token", "a b&c=d/é+%"]])
      )
    }))

  it.live("getAuthorizationTest GETs authorization_test and decodes its 201", () =>
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
      expect(error.message).toBe(
        "Synctera getAuthorizationTest refused its input: getAuthorizationTest exists only in Synctera's sandbox, and this client points at production"
      )
      expect(scripted.calls).toHaveLength(0)
      // The sandbox, and a base URL of the caller's, are allowed.
      const sandbox = SyncteraLive.layer({ apiKey: Redacted.make("k") }).pipe(Layer.provide(scripted.layer))
      yield* Synctera.getAuthorizationTest().pipe(Effect.provide(sandbox))
      expect(scripted.calls[0]?.url.href).toBe(
        "https://api-sandbox.synctera.com/v1/fdx_auth_requests/authorization_test"
      )
      const own = SyncteraLive.layer({
        apiKey: Redacted.make("k"),
        environment: "production",
        baseUrl: "https://synctera.internal.example/v1"
      }).pipe(Layer.provide(scripted.layer))
      yield* Synctera.getAuthorizationTest().pipe(Effect.provide(own))
      expect(scripted.calls).toHaveLength(2)
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
    ["a fractional limit", Synctera.listFdxTokens({ limit: 1.5 }), "limit: "],
    ["a stream's limit", Stream.runDrain(Synctera.streamFdxTokens({ limit: -1 })), "from 1 to 100"]
  ]
  for (const [name, call, says] of refused) {
    it.live(`${name}: InvalidInput`, () =>
      Effect.gen(function*() {
        const server = yield* TestServer((_, res) => json(res, 500, {}))
        const error = yield* Effect.flip(call.pipe(Effect.provide(onServer(server))))
        expect(error._tag).toBe("InvalidInput")
        expect(error.message).toContain(says)
        expect(server.requests).toHaveLength(0)
      }))
  }

  it.live("an unknown grant status: InvalidInput", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((_, res) => json(res, 500, {}))
      // The type system refuses this status; a JavaScript caller may not.
      const error = yield* Effect.flip(
        callUntyped("grantFdxAuthRequest", { authRequestId, status: "MAYBE", customerId }).pipe(
          Effect.provide(onServer(server))
        )
      )
      expect(error._tag).toBe("InvalidInput")
      expect(error.message).toContain("GRANTED, DENIED or ERROR")
      expect(server.requests).toHaveLength(0)
    }))
})

/** Answers each request with the next of `answers`, the last one for ever. */
const answering =
  (answers: ReadonlyArray<(res: ServerResponse) => void>) => (_: unknown, res: ServerResponse, i: number) =>
    answers[Math.min(i, answers.length - 1)]?.(res)

const status = (code: number, body: unknown = { code: "X", status: code }) => (res: ServerResponse) =>
  json(res, code, body)
const hangUp = (res: ServerResponse) => res.socket?.destroy()
const silence = (_: ServerResponse) => undefined
const brokenBody = (res: ServerResponse) => {
  res.writeHead(201, { "content-type": "application/json" })
  res.write("{\"redirect_uri\":")
  setTimeout(() => res.socket?.destroy(), 10)
}

describe("the grant is never applied twice by a retry", () => {
  for (const [transport, makeLayer] of transports) {
    describe(transport, () => {
      const layerOn = (server: TestServer) => makeLayer(server.baseUrl, fast)

      for (const code of [500, 502, 504]) {
        it.live(`after a ${code} it fails at once, maybe applied`, () =>
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

      it.live("after a connection that broke once the request was sent, it fails at once, maybe applied", () =>
        Effect.gen(function*() {
          const server = yield* TestServer(answering([hangUp, status(201, grantBody)]))
          const error = yield* Effect.flip(grant.pipe(Effect.provide(layerOn(server))))
          expect(error._tag).toBe("NetworkError")
          expect(error._tag === "NetworkError" && error.maybeApplied).toBe(true)
          expect(isTransient(error)).toBe(false)
          expect(server.requests).toHaveLength(1)
        }))

      it.live("after an answer whose body broke off, it fails at once, maybe applied", () =>
        Effect.gen(function*() {
          const server = yield* TestServer(answering([brokenBody, status(201, grantBody)]))
          const error = yield* Effect.flip(grant.pipe(Effect.provide(layerOn(server))))
          expect(error._tag).toBe("NetworkError")
          expect(error._tag === "NetworkError" && error.maybeApplied).toBe(true)
          expect(server.requests).toHaveLength(1)
        }))

      it.live("after a timeout it fails at once, maybe applied", () =>
        Effect.gen(function*() {
          const server = yield* TestServer(answering([silence, status(201, grantBody)]))
          const error = yield* Effect.flip(grant.pipe(Effect.provide(layerOn(server))))
          expect(error._tag).toBe("Timeout")
          expect(error._tag === "Timeout" && error.maybeApplied).toBe(true)
          expect(error.message).toContain("may or may not have been applied")
          expect(server.requests).toHaveLength(1)
        }))

      const retried: ReadonlyArray<readonly [string, (res: ServerResponse) => void]> = [
        ["a 503", status(503)],
        ["a 429", status(429)],
        ["IDEMPOTENCY_CONCURRENT_USE (409)", status(409, { code: "IDEMPOTENCY_CONCURRENT_USE", status: 409 })],
        ["IDEMPOTENCY_CONCURRENT_USE (422)", status(422, { code: "IDEMPOTENCY_CONCURRENT_USE", status: 422 })]
      ]
      for (const [name, first] of retried) {
        it.live(`after ${name} it is retried, with the same key`, () =>
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

      it.live("a decided request (409 RESOURCE_ALREADY_EXISTS) is a Conflict, not retried", () =>
        Effect.gen(function*() {
          const server = yield* TestServer(answering([status(409, { code: "RESOURCE_ALREADY_EXISTS", status: 409 })]))
          const error = yield* Effect.flip(grant.pipe(Effect.provide(layerOn(server))))
          expect(error._tag).toBe("Conflict")
          expect("maybeApplied" in error && error.maybeApplied).toBeFalsy()
          expect(server.requests).toHaveLength(1)
        }))

      it.live("authorization_test follows the same rule", () =>
        Effect.gen(function*() {
          const server = yield* TestServer(answering([status(502), status(201, { redirect_url: "x" })]))
          const error = yield* Effect.flip(Synctera.getAuthorizationTest().pipe(Effect.provide(layerOn(server))))
          expect(error._tag === "Internal" && error.maybeApplied).toBe(true)
          expect(server.requests).toHaveLength(1)
          const again = yield* TestServer(answering([status(503), status(201, { redirect_url: "x" })]))
          yield* Synctera.getAuthorizationTest().pipe(Effect.provide(layerOn(again)))
          expect(again.requests).toHaveLength(2)
        }))

      it.live("when no connection can be made, the grant is retried: it cannot have been applied", () =>
        Effect.gen(function*() {
          const port = yield* closedPort
          const error = yield* Effect.flip(
            grant.pipe(Effect.provide(makeLayer(`http://127.0.0.1:${port}/v1`, fast)))
          )
          assert(error._tag === "NetworkError")
          expect(error.maybeApplied).toBeUndefined()
          expect(error.attempts).toBe(3)
        }))
    })
  }

  it.live("a 409 that is not IDEMPOTENCY_CONCURRENT_USE is not retried on a read either", () =>
    Effect.gen(function*() {
      const server = yield* TestServer(answering([status(409), status(200, { fdx_tokens: [] })]))
      const error = yield* Effect.flip(Synctera.listFdxTokens().pipe(Effect.provide(onServer(server))))
      expect(error._tag).toBe("Conflict")
      expect(server.requests).toHaveLength(1)
    }))

  it.live("a read is still retried after a 500 (it is repeatable)", () =>
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

  it.live("follow next_page_token to the end, in order", () =>
    Effect.gen(function*() {
      const server = yield* pagedServer(250)
      const tokens = yield* Stream.runCollect(Synctera.streamFdxTokens().pipe(Stream.provide(onServer(server))))
      expect(tokens).toHaveLength(250)
      expect(tokens.map((token) => token.id)).toEqual(Array.from({ length: 250 }, (_, i) => tokenWithId(i).id))
      expect(server.requests.map((request) => request.query.get("page_token"))).toEqual([null, "100", "200"])
    }))

  it.live("ask for a page only when the consumer pulls past the one before: take(5) makes one request", () =>
    Effect.gen(function*() {
      const server = yield* pagedServer(250)
      const first = yield* Stream.runCollect(
        Synctera.streamFdxTokens().pipe(Stream.take(5), Stream.provide(onServer(server)))
      )
      expect(first).toHaveLength(5)
      expect(server.requests).toHaveLength(1)
      yield* Stream.runDrain(
        Synctera.streamFdxTokens({ limit: 10 }).pipe(Stream.take(11), Stream.provide(onServer(server)))
      )
      expect(server.requests).toHaveLength(3)
      expect(server.requests[1]?.query.get("limit")).toBe("10")
    }))

  it.live("a page that fails for good ends the stream with its error, after the tokens before it", () =>
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

  it.live("a page token the server already gave ends the stream with InvalidResponse (Pagination), not a loop", () =>
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
      expect(error.description).toBe(
        "next_page_token \"A\" was already given in this walk through the list: following it would never end"
      )
      // The page that hands back a token already followed is the one refused: its items are not emitted.
      expect(seen).toEqual([authRequestId])
      expect(server.requests).toHaveLength(2)
    }))

  it.live("each walk through a list starts afresh: the same stream can be run twice", () =>
    Effect.gen(function*() {
      const server = yield* pagedServer(30)
      const stream = Synctera.streamFdxTokens({ limit: 10 }).pipe(Stream.provide(onServer(server)))
      expect(yield* Stream.runCollect(stream)).toHaveLength(30)
      expect(yield* Stream.runCollect(stream)).toHaveLength(30)
      expect(server.requests).toHaveLength(6)
    }))

  it.live("an empty list is an empty stream", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((_, res) => json(res, 200, { fdx_tokens: [] }))
      const head = yield* Stream.runHead(Synctera.streamFdxTokens().pipe(Stream.provide(onServer(server))))
      expect(Option.isNone(head)).toBe(true)
    }))
})
