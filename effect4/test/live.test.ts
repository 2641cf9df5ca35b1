/**
 * The live layer over real HTTP: a node:http server on 127.0.0.1 scripts
 * Synctera's answers; the client runs on a real transport (Effect 4's
 * `HttpClient`s under `SyncteraLive.layer`).
 */
import { NodeHttpClient } from "@effect/platform-node"
import { assert, describe, expect, it } from "@effect/vitest"
import { DateTime, Duration, Effect, Fiber, Layer, Option, Redacted, Result } from "effect"
import { FetchHttpClient, type HttpClient } from "effect/http"
import { TestClock } from "effect/testing"
import type { ServerResponse } from "node:http"
import { Synctera, type SyncteraError } from "../src/index.js"
import * as SyncteraLive from "../src/layers/SyncteraLive.js"
import { cardId, fdxTokenBody, fdxTokenId, widgetTokenBody } from "./support/liveFixtures.js"
import { recordingTracer } from "./support/recordingTracer.js"
import { type Answer, ScriptedClient } from "./support/ScriptedClient.js"
import { closedPort, json, TestServer } from "./support/TestServer.js"
import { callUntyped } from "./support/untyped.js"

const apiKey = "test-key-1234"

const live = (
  server: TestServer,
  options: Partial<SyncteraLive.Options> = {},
  transport: Layer.Layer<HttpClient.HttpClient> = NodeHttpClient.layerUndici
) =>
  SyncteraLive.layer({
    apiKey: Redacted.make(apiKey),
    baseUrl: server.baseUrl,
    retry: { base: "5 millis", cap: "20 millis" },
    ...options
  }).pipe(Layer.provide(transport))

const widgetToken = (server: TestServer, options: Partial<SyncteraLive.Options> = {}) =>
  Synctera.getWidgetToken({ cardId, widgetType: "REVEAL" }).pipe(Effect.provide(live(server, options)))

const fdxToken = (server: TestServer, options: Partial<SyncteraLive.Options> = {}) =>
  Synctera.getFdxToken({ fdxTokenId }).pipe(Effect.provide(live(server, options)))

const failure = <A>(effect: Effect.Effect<A, SyncteraError>) => Effect.flip(effect)

const stockTransports = [
  ["undici", NodeHttpClient.layerUndici],
  ["node:http", NodeHttpClient.layerNodeHttp],
  ["fetch", FetchHttpClient.layer]
] as const

describe("getWidgetToken over HTTP", () => {
  it.live("sends the documented request and decodes the token", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((_, res) => json(res, 200, { ...widgetTokenBody, unknown_extra: true }))
      const token = yield* widgetToken(server)
      expect(token.tenant).toBe("abcdef_ghijkl")
      expect(token.widgetToken).toBe(widgetTokenBody.widget_token)
      const [request] = server.requests
      assert(request !== undefined)
      expect(request.method).toBe("GET")
      expect(request.path).toBe(`/v1/cards/${cardId}/widget_token`)
      expect([...request.query]).toEqual([["widget_type", "REVEAL"]])
      expect(request.headers.authorization).toBe(`Bearer ${apiKey}`)
      expect(request.headers.accept).toBe("application/json")
      expect(request.headers["user-agent"]).toBe("effect-synctera/0.1.0")
      expect(request.headers["idempotency-key"]).toMatch(/^[0-9a-f-]{36}$/)
      // Trace context is not propagated to a third party.
      expect(request.headers.traceparent).toBeUndefined()
      expect(request.headers.b3).toBeUndefined()
    }))

  it.live("propagates no trace context even under a span, on every stock transport", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((_, res) => json(res, 200, widgetTokenBody))
      for (const [, transport] of stockTransports) {
        yield* Synctera.getWidgetToken({ cardId, widgetType: "REVEAL" }).pipe(
          Effect.provide(live(server, {}, transport)),
          Effect.withSpan("caller")
        )
      }
      expect(server.requests).toHaveLength(3)
      for (const request of server.requests) {
        expect(request.headers.traceparent).toBeUndefined()
        expect(request.headers.b3).toBeUndefined()
      }
    }))

  it.live("sends each widget type as its query value", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((_, res) => json(res, 200, widgetTokenBody))
      const types = ["ACTIVATE", "GET_PIN", "REVEAL", "SET_PIN"] as const
      yield* Effect.forEach(types, (widgetType) =>
        Synctera.getWidgetToken({ cardId, widgetType }).pipe(Effect.provide(live(server))))
      expect(server.requests.map((r) =>
        r.query.get("widget_type")
      )).toEqual(types)
    }))

  it.live("uses the caller's idempotency key, and a fresh one per call otherwise", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((_, res) => json(res, 200, widgetTokenBody))
      const layer = live(server)
      yield* Synctera.getWidgetToken({ cardId, widgetType: "SET_PIN", idempotencyKey: "my-key-1" }).pipe(
        Effect.provide(layer)
      )
      yield* Synctera.getWidgetToken({ cardId, widgetType: "SET_PIN" }).pipe(Effect.provide(layer))
      yield* Synctera.getWidgetToken({ cardId, widgetType: "SET_PIN" }).pipe(Effect.provide(layer))
      const keys = server.requests.map((r) => r.headers["idempotency-key"])
      expect(keys[0]).toBe("my-key-1")
      expect(new Set(keys).size).toBe(3)
    }))

  it.live("keeps one idempotency key across every retry of a call", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((_, res, index) =>
        index < 2 ? json(res, 503, { code: "UNAVAILABLE", status: 503 }) : json(res, 200, widgetTokenBody)
      )
      const token = yield* widgetToken(server)
      expect(token.widgetToken).toBe(widgetTokenBody.widget_token)
      expect(server.requests).toHaveLength(3)
      const keys = new Set(server.requests.map((r) => r.headers["idempotency-key"]))
      expect(keys.size).toBe(1)
    }))

  it.live("keeps the caller's key across retries too", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((_, res, index) => index === 0 ? res.destroy() : json(res, 200, widgetTokenBody))
      yield* Synctera.getWidgetToken({ cardId, widgetType: "GET_PIN", idempotencyKey: "retry-me" }).pipe(
        Effect.provide(live(server))
      )
      expect(server.requests.map((r) => r.headers["idempotency-key"])).toEqual(["retry-me", "retry-me"])
    }))
})

describe("getFdxToken over HTTP", () => {
  it.live("decodes every field, camelCase, timestamps as DateTime.Utc", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((_, res) => json(res, 200, fdxTokenBody))
      const token = yield* fdxToken(server)
      expect(server.requests[0]?.path).toBe(`/v1/fdx_tokens/${fdxTokenId}`)
      expect(server.requests[0]?.headers["idempotency-key"]).toBeUndefined()
      expect(token.id).toBe(fdxTokenId)
      expect(token.status).toBe("ENABLED")
      expect(token.tokenType).toBe("ACCESS")
      expect(token.tokenHash).toBe("5f2b9c0e")
      expect(token.businessId).toBe(fdxTokenBody.business_id)
      expect(token.customerId).toBeUndefined()
      expect(token.parentTokenId).toBe(fdxTokenBody.parent_token_id)
      assert(DateTime.isDateTime(token.creationTime))
      expect(DateTime.formatIso(token.tokenExpiryTime)).toBe("2010-05-06T13:23:34.321Z")
    }))

  it.live("passes an unknown status or type through, typed as unrecognized", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((_, res) =>
        json(res, 200, { ...fdxTokenBody, status: "SUSPENDED", token_type: "ID_TOKEN", customer_id: null })
      )
      const token = yield* fdxToken(server)
      expect(token.status).toBe("SUSPENDED")
      expect(token.tokenType).toBe("ID_TOKEN")
      expect(token.customerId).toBeUndefined()
    }))
})

describe("errors by HTTP status", () => {
  const cases = [
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

  for (const [status, tag] of cases) {
    it.live(`${status} is ${tag}, with code, detail and request id`, () =>
      Effect.gen(function*() {
        const server = yield* TestServer((_, res) =>
          // The body's status disagrees on purpose: the HTTP status decides.
          json(res, status, { code: "SOME_CODE", detail: "what went wrong", status: 200 }, {
            "x-request-id": "req-123"
          })
        )
        const error = yield* failure(widgetToken(server, { retry: false }))
        expect(error._tag).toBe(tag)
        assert(error._tag !== "NetworkError" && error._tag !== "Timeout" && error._tag !== "InvalidInput")
        expect(error.status).toBe(status)
        expect(error.requestId).toBe("req-123")
        expect(error.attempts).toBe(1)
        assert(error._tag !== "InvalidResponse")
        expect(error.code).toBe("SOME_CODE")
        expect(error.detail).toBe("what went wrong")
        expect(error.operation).toBe("getWidgetToken")
        expect(error.message).toContain(`${status}`)
        expect(error.message).toContain("SOME_CODE: what went wrong")
        expect(error.message).toContain("[request id req-123] after 1 attempt")
      }))
  }

  it.live("a body with none of the fields still gives the typed error", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((_, res) => json(res, 403, { code: 42, unexpected: ["x"] }))
      const error = yield* failure(fdxToken(server))
      assert(error._tag === "Forbidden")
      expect(error.code).toBeUndefined()
      expect(error.body).toBe(JSON.stringify({ code: 42, unexpected: ["x"] }))
    }))

  it.live("a proxy's HTML page is kept as bounded text", () =>
    Effect.gen(function*() {
      const page = `<html><body>${"Bad gateway ".repeat(1000)}</body></html>`
      const server = yield* TestServer((_, res) => {
        res.writeHead(502, { "content-type": "text/html" })
        res.end(page)
      })
      const error = yield* failure(fdxToken(server, { retry: false }))
      assert(error._tag === "Internal")
      expect(error.status).toBe(502)
      expect(error.body?.startsWith("<html><body>Bad gateway")).toBe(true)
      expect(error.body?.length).toBeLessThan(2200)
    }))

  it.live("429 carries the server's Retry-After", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((_, res) =>
        json(res, 429, { code: "TOO_MANY_REQUESTS" }, { "retry-after": "120" })
      )
      const error = yield* failure(fdxToken(server))
      assert(error._tag === "RateLimited")
      // 120 s is past the largest wait the client honours: no retry, at once.
      expect(error.attempts).toBe(1)
      assert(error.retryAfter !== undefined)
      expect(Duration.toMillis(error.retryAfter)).toBe(120_000)
      expect(error.message).toContain("(retry after 2m)")
    }))

  it.live("a short Retry-After is waited for, then the call is retried", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((_, res, index) =>
        index === 0 ? json(res, 429, {}, { "retry-after-ms": "150" }) : json(res, 200, fdxTokenBody)
      )
      const start = Date.now()
      yield* fdxToken(server)
      expect(server.requests).toHaveLength(2)
      expect(Date.now() - start).toBeGreaterThanOrEqual(140)
    }))

  it.live("a redirect is not followed, so the key never leaves", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((request, res) => {
        if (request.path.startsWith("/elsewhere")) return json(res, 200, fdxTokenBody)
        res.writeHead(302, { location: `${server.origin}/elsewhere` })
        res.end()
      })
      for (const [, transport] of stockTransports) {
        const error = yield* failure(
          Synctera.getFdxToken({ fdxTokenId }).pipe(Effect.provide(live(server, {}, transport)))
        )
        assert(error._tag === "UnexpectedStatus")
        expect(error.status).toBe(302)
        expect(error.location).toBe(`${server.origin}/elsewhere`)
      }
      expect(server.requests.filter((r) => r.path.startsWith("/elsewhere"))).toHaveLength(0)
    }))

  it.live("a redirect is not followed on fetch even with the app's own RequestInit", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((request, res) => {
        if (request.path.startsWith("/elsewhere")) return json(res, 200, fdxTokenBody)
        res.writeHead(307, { location: `${server.origin}/elsewhere` })
        res.end()
      })
      const error = yield* failure(
        Synctera.getFdxToken({ fdxTokenId }).pipe(
          Effect.provide(live(server, {}, FetchHttpClient.layer)),
          Effect.provideService(FetchHttpClient.RequestInit, { redirect: "follow" })
        )
      )
      expect(error._tag).toBe("UnexpectedStatus")
      expect(server.requests).toHaveLength(1)
    }))
})

describe("unreadable 2xx answers", () => {
  const cases: ReadonlyArray<
    readonly [string, (res: ServerResponse) => void, string, string]
  > = [
    [
      "not JSON",
      (res) => {
        res.writeHead(200, { "content-type": "application/json" })
        res.end("{\"tenant\": ")
      },
      "Decode",
      "not JSON"
    ],
    ["a missing field", (res) => json(res, 200, { tenant: "t" }), "Decode", "widget_token"],
    ["a field of the wrong type", (res) => json(res, 200, { tenant: 1, widget_token: "x" }), "Decode", "tenant"],
    [
      "an empty body",
      (res) => {
        res.writeHead(200, { "content-type": "application/json" })
        res.end()
      },
      "Empty",
      "empty"
    ],
    [
      "another content type",
      (res) => {
        res.writeHead(200, { "content-type": "text/html" })
        res.end("<html>hello</html>")
      },
      "ContentType",
      "text/html"
    ]
  ]
  it.live("valid JSON under another content type is accepted", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((_, res) => {
        res.writeHead(200, { "content-type": "text/plain" })
        res.end(JSON.stringify(widgetTokenBody))
      })
      const token = yield* widgetToken(server)
      expect(token.widgetToken).toBe(widgetTokenBody.widget_token)
    }))

  for (const [name, answer, reason, mention] of cases) {
    for (const [transportName, transport] of stockTransports) {
      it.live(`${name} is InvalidResponse(${reason}), not retried (${transportName})`, () =>
        Effect.gen(function*() {
          const server = yield* TestServer((_, res) => answer(res))
          const error = yield* failure(
            Synctera.getWidgetToken({ cardId, widgetType: "REVEAL" }).pipe(
              Effect.provide(live(server, {}, transport))
            )
          )
          assert(error._tag === "InvalidResponse")
          expect(error.reason).toBe(reason)
          expect(error.status).toBe(200)
          expect(error.description).toContain(mention)
          expect(server.requests).toHaveLength(1)
        }))
    }
  }

  it.live("a field of the wrong type is described at its wire key, with the value refused", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((_, res) => json(res, 200, { tenant: 1, widget_token: "x" }))
      const error = yield* failure(widgetToken(server))
      assert(error._tag === "InvalidResponse")
      expect(error.description).toMatch(/^tenant: Expected string, got 1$/)
    }))

  for (const [transportName, transport] of stockTransports) {
    it.live(`an oversized body (no length) stops at the limit (${transportName})`, () =>
      Effect.gen(function*() {
        let written = 0
        const server = yield* TestServer((_, res) => {
          res.writeHead(200, { "content-type": "application/json" })
          const chunk = Buffer.alloc(64 * 1024, "a")
          const pump = () => {
            while (written < 50 * 1024 * 1024) {
              written += chunk.length
              if (!res.write(chunk)) return void res.once("drain", pump)
            }
            res.end()
          }
          res.on("close", () => res.destroy())
          pump()
        })
        const error = yield* failure(
          Synctera.getWidgetToken({ cardId, widgetType: "REVEAL" }).pipe(
            Effect.provide(live(server, { maxBodyBytes: 256 * 1024 }, transport))
          )
        )
        assert(error._tag === "InvalidResponse")
        expect(error.reason).toBe("TooLarge")
        expect(error.body?.length).toBeLessThan(2200)
        // The client hung up long before the server could send its 50 MiB.
        expect(written).toBeLessThan(20 * 1024 * 1024)
      }))
  }

  it.live("an oversized body with a declared length fails the same way", () =>
    Effect.gen(function*() {
      const body = JSON.stringify({ ...widgetTokenBody, padding: "x".repeat(2 * 1024 * 1024) })
      const server = yield* TestServer((_, res) => {
        res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) })
        res.end(body)
      })
      const error = yield* failure(widgetToken(server))
      assert(error._tag === "InvalidResponse")
      expect(error.reason).toBe("TooLarge")
      expect(error.body?.length).toBeLessThan(2200)
    }))
})

describe("retries over a real socket", () => {
  it.live("4xx are never retried", () =>
    Effect.gen(function*() {
      for (const status of [400, 401, 403, 404, 422]) {
        const server = yield* TestServer((_, res) => json(res, status, { code: "NOPE" }))
        const error = yield* failure(widgetToken(server))
        expect(error._tag).not.toBe("NetworkError")
        expect(server.requests).toHaveLength(1)
      }
    }))

  it.live("IDEMPOTENCY_INVALID_REUSE is never retried, whatever its status", () =>
    Effect.gen(function*() {
      for (const status of [409, 422]) {
        const server = yield* TestServer((_, res) => json(res, status, { code: "IDEMPOTENCY_INVALID_REUSE" }))
        yield* failure(widgetToken(server))
        expect(server.requests).toHaveLength(1)
      }
    }))

  it.live("IDEMPOTENCY_CONCURRENT_USE is retried as 409 and as 422", () =>
    Effect.gen(function*() {
      for (const status of [409, 422]) {
        const server = yield* TestServer((_, res, index) =>
          index === 0 ? json(res, status, { code: "IDEMPOTENCY_CONCURRENT_USE" }) : json(res, 200, widgetTokenBody)
        )
        yield* widgetToken(server)
        expect(server.requests).toHaveLength(2)
      }
    }))

  it.live("transient statuses are retried up to the limit, then surface with the count", () =>
    Effect.gen(function*() {
      for (const status of [408, 429, 500, 502, 503, 504]) {
        const server = yield* TestServer((_, res) => json(res, status, { code: "TRANSIENT" }))
        const error = yield* failure(widgetToken(server, { retry: { times: 3, base: "1 millis" } }))
        expect(server.requests).toHaveLength(4)
        assert("attempts" in error)
        expect(error.attempts).toBe(4)
        expect(error.message).toContain("after 4 attempts")
      }
    }))

  it.live("501 is a server error but not a transient one", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((_, res) => json(res, 501, {}))
      const error = yield* failure(fdxToken(server))
      expect(error._tag).toBe("Internal")
      expect(server.requests).toHaveLength(1)
    }))

  it.live("retry: false makes one attempt", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((_, res) => json(res, 503, {}))
      yield* failure(widgetToken(server, { retry: false }))
      expect(server.requests).toHaveLength(1)
    }))

  it.live("a dropped connection is a NetworkError, retried", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((_, res) => res.socket?.destroy())
      const error = yield* failure(fdxToken(server))
      assert(error._tag === "NetworkError")
      expect(error.attempts).toBe(3)
      expect(error.maybeApplied).toBeUndefined()
      expect(error.description).toMatch(/^Transport: /)
      expect(server.requests).toHaveLength(3)
    }))

  it.live("a body that breaks off is a NetworkError, retried", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((_, res, index) => {
        if (index > 0) return json(res, 200, fdxTokenBody)
        res.writeHead(200, { "content-type": "application/json" })
        res.write("{\"id\":")
        setTimeout(() => res.socket?.destroy(), 10)
      })
      const token = yield* fdxToken(server)
      expect(token.id).toBe(fdxTokenId)
      expect(server.requests).toHaveLength(2)
    }))

  it.live("a refused connection is a NetworkError, on every stock transport", () =>
    Effect.gen(function*() {
      const port = yield* closedPort
      for (const [, transport] of stockTransports) {
        const error = yield* failure(
          Synctera.getFdxToken({ fdxTokenId }).pipe(
            Effect.provide(
              SyncteraLive.layer({
                apiKey: Redacted.make(apiKey),
                baseUrl: `http://127.0.0.1:${port}/v1`,
                retry: { times: 1, base: "1 millis" }
              }).pipe(Layer.provide(transport))
            )
          )
        )
        assert(error._tag === "NetworkError")
        expect(error.attempts).toBe(2)
        expect(error.description).toMatch(/ECONNREFUSED|connect|fetch failed/i)
      }
    }))

  it.live("a stalled body times out per attempt, and the call retries", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((_, res, index) => {
        if (index === 0) {
          res.writeHead(200, { "content-type": "application/json" })
          res.write("{\"tenant\":")
          return
        }
        json(res, 200, widgetTokenBody)
      })
      const token = yield* widgetToken(server, { timeout: "150 millis" })
      expect(token.tenant).toBe("abcdef_ghijkl")
      expect(server.requests).toHaveLength(2)
    }))

  it.live("a call that keeps timing out fails with Timeout(attempt) after its retries", () =>
    Effect.gen(function*() {
      const server = yield* TestServer(() => {
        // Never answers.
      })
      const error = yield* failure(widgetToken(server, { timeout: "50 millis", retry: { times: 1, base: "1 millis" } }))
      assert(error._tag === "Timeout")
      expect(error.limit).toBe("attempt")
      expect(error.attempts).toBe(2)
      expect(Duration.toMillis(error.after)).toBe(50)
      expect(error.message).toBe("Synctera getWidgetToken failed: attempt timed out after 50ms (after 2 attempts)")
    }))

  it.live("the deadline ends the whole call", () =>
    Effect.gen(function*() {
      const server = yield* TestServer(() => {
        // Never answers.
      })
      const start = Date.now()
      // Retries as fast as possible, so that the last attempt is the one the deadline cuts short.
      const error = yield* failure(
        widgetToken(server, {
          timeout: "100 millis",
          deadline: "250 millis",
          retry: { times: 10, base: "1 millis", cap: "1 millis" }
        })
      )
      assert(error._tag === "Timeout")
      expect(error.limit).toBe("deadline")
      expect(error.attempts).toBeGreaterThanOrEqual(2)
      expect(error.maybeApplied).toBeUndefined()
      expect(error.message).toMatch(
        /^Synctera getWidgetToken failed: deadline passed after 250ms \(after \d+ attempts\)$/
      )
      expect(Date.now() - start).toBeLessThan(2_000)
    }))
})

describe("input is refused before anything is sent", () => {
  const bad = [
    { cardId: "../../admin", widgetType: "REVEAL" },
    { cardId: `${cardId}/../x`, widgetType: "REVEAL" },
    { cardId: "7d943c51%2Fe4ff", widgetType: "REVEAL" },
    { cardId, widgetType: "SHOW_EVERYTHING" },
    { cardId, widgetType: "REVEAL", idempotencyKey: "a\r\nX-Injected: 1" },
    { cardId, widgetType: "REVEAL", idempotencyKey: "" }
  ]
  it.live("bad ids, widget types and keys are InvalidInput", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((_, res) => json(res, 200, widgetTokenBody))
      const layer = live(server)
      for (const input of bad) {
        // The type system already refuses these; a JavaScript caller may not.
        const error = yield* failure(callUntyped("getWidgetToken", input).pipe(Effect.provide(layer)))
        assert(error._tag === "InvalidInput")
        expect(error.operation).toBe("getWidgetToken")
      }
      const error = yield* failure(Synctera.getFdxToken({ fdxTokenId: "not-a-uuid" }).pipe(Effect.provide(layer)))
      assert(error._tag === "InvalidInput")
      expect(error.description).toContain("fdxTokenId")
      expect(server.requests).toHaveLength(0)
    }))

  it.live("an input whose property throws when read is InvalidInput, not a defect", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((_, res) => json(res, 200, fdxTokenBody))
      const hostile = {
        get fdxTokenId(): string {
          throw new Error("boom")
        }
      }
      const error = yield* failure(Synctera.getFdxToken(hostile).pipe(Effect.provide(live(server))))
      assert(error._tag === "InvalidInput")
      expect(error.description).toBe("the request could not be read: reading one of its properties threw")
      expect(server.requests).toHaveLength(0)
    }))
})

describe("transports", () => {
  for (const [name, transport] of stockTransports) {
    it.live(`works on ${name}: success, retry with one key, typed error`, () =>
      Effect.gen(function*() {
        const server = yield* TestServer((request, res, index) => {
          if (request.path.includes("fdx")) return json(res, 404, { code: "RESOURCE_NOT_FOUND" })
          return index === 0 ? json(res, 500, {}) : json(res, 200, widgetTokenBody)
        })
        const layer = live(server, {}, transport)
        const token = yield* Synctera.getWidgetToken({ cardId, widgetType: "REVEAL" }).pipe(Effect.provide(layer))
        expect(token.widgetToken).toBe(widgetTokenBody.widget_token)
        expect(new Set(server.requests.map((r) => r.headers["idempotency-key"])).size).toBe(1)
        const error = yield* failure(Synctera.getFdxToken({ fdxTokenId }).pipe(Effect.provide(layer)))
        expect(error._tag).toBe("NotFound")
      }))
  }
})

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
  const layers = [
    ["layer", (server: TestServer) => live(server)],
    [
      "layerNode",
      (server: TestServer) =>
        SyncteraLive.layerNode({
          apiKey: Redacted.make(apiKey),
          baseUrl: server.baseUrl,
          retry: { base: "5 millis", cap: "20 millis" }
        })
    ]
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
