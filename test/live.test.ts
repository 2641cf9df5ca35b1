/**
 * The live layer over real HTTP: a node:http server on 127.0.0.1 scripts
 * Synctera's answers; the client runs on a real transport.
 */
import { FetchHttpClient, type HttpClient } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { assert, describe, expect, it } from "@effect/vitest"
import { DateTime, Effect, Layer, Redacted } from "effect"
import type { ServerResponse } from "node:http"
import { Synctera, type SyncteraError, SyncteraLive } from "../src/index.js"
import { cardId, fdxTokenBody, fdxTokenId, widgetTokenBody } from "./support/fixtures.js"
import { json, TestServer } from "./support/TestServer.js"

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

describe("getWidgetToken over HTTP", () => {
  it.scopedLive("sends the documented request and decodes the token", () =>
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
      expect(request.headers["idempotency-key"]).toMatch(/^[0-9a-f-]{36}$/)
      // Trace context is not propagated to a third party.
      expect(request.headers.traceparent).toBeUndefined()
      expect(request.headers.b3).toBeUndefined()
    }))

  it.scopedLive("sends each widget type as its query value", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((_, res) => json(res, 200, widgetTokenBody))
      const types = ["ACTIVATE", "GET_PIN", "REVEAL", "SET_PIN"] as const
      yield* Effect.forEach(types, (widgetType) =>
        Synctera.getWidgetToken({ cardId, widgetType }).pipe(Effect.provide(live(server))))
      expect(server.requests.map((r) =>
        r.query.get("widget_type")
      )).toEqual(types)
    }))

  it.scopedLive("uses the caller's idempotency key, and a fresh one per call otherwise", () =>
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

  it.scopedLive("keeps one idempotency key across every retry of a call", () =>
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

  it.scopedLive("keeps the caller's key across retries too", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((_, res, index) => index === 0 ? res.destroy() : json(res, 200, widgetTokenBody))
      yield* Synctera.getWidgetToken({ cardId, widgetType: "GET_PIN", idempotencyKey: "retry-me" }).pipe(
        Effect.provide(live(server))
      )
      expect(server.requests.map((r) => r.headers["idempotency-key"])).toEqual(["retry-me", "retry-me"])
    }))
})

describe("getFdxToken over HTTP", () => {
  it.scopedLive("decodes every field, camelCase, timestamps as DateTime.Utc", () =>
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

  it.scopedLive("passes an unknown status or type through, typed as unrecognized", () =>
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
    it.scopedLive(`${status} is ${tag}, with code, detail and request id`, () =>
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
      }))
  }

  it.scopedLive("a body with none of the fields still gives the typed error", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((_, res) => json(res, 403, { code: 42, unexpected: ["x"] }))
      const error = yield* failure(fdxToken(server))
      assert(error._tag === "Forbidden")
      expect(error.code).toBeUndefined()
      expect(error.body).toBe(JSON.stringify({ code: 42, unexpected: ["x"] }))
    }))

  it.scopedLive("a proxy's HTML page is kept as bounded text", () =>
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

  it.scopedLive("429 carries the server's Retry-After", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((_, res) =>
        json(res, 429, { code: "TOO_MANY_REQUESTS" }, { "retry-after": "120" })
      )
      const error = yield* failure(fdxToken(server))
      assert(error._tag === "RateLimited")
      // 120 s is past the largest wait the client honours: no retry, at once.
      expect(error.attempts).toBe(1)
      expect(error.retryAfter?.toJSON()).toEqual({ _id: "Duration", _tag: "Millis", millis: 120_000 })
    }))

  it.scopedLive("a redirect is not followed, so the key never leaves", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((request, res) => {
        if (request.path.startsWith("/elsewhere")) return json(res, 200, fdxTokenBody)
        res.writeHead(302, { location: `${server.origin}/elsewhere` })
        res.end()
      })
      for (const transport of [NodeHttpClient.layerUndici, FetchHttpClient.layer]) {
        const error = yield* failure(
          Synctera.getFdxToken({ fdxTokenId }).pipe(Effect.provide(live(server, {}, transport)))
        )
        assert(error._tag === "UnexpectedStatus")
        expect(error.status).toBe(302)
        expect(error.location).toBe(`${server.origin}/elsewhere`)
      }
      expect(server.requests.filter((r) => r.path.startsWith("/elsewhere"))).toHaveLength(0)
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
  it.scopedLive("valid JSON under another content type is accepted", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((_, res) => {
        res.writeHead(200, { "content-type": "text/plain" })
        res.end(JSON.stringify(widgetTokenBody))
      })
      const token = yield* widgetToken(server)
      expect(token.widgetToken).toBe(widgetTokenBody.widget_token)
    }))

  for (const [name, answer, reason, mention] of cases) {
    it.scopedLive(`${name} is InvalidResponse(${reason}), not retried`, () =>
      Effect.gen(function*() {
        const server = yield* TestServer((_, res) => answer(res))
        const error = yield* failure(widgetToken(server))
        assert(error._tag === "InvalidResponse")
        expect(error.reason).toBe(reason)
        expect(error.status).toBe(200)
        expect(error.description).toContain(mention)
        expect(server.requests).toHaveLength(1)
      }))
  }

  it.scopedLive("an oversized body (no length) stops at the limit", () =>
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
      const error = yield* failure(widgetToken(server, { maxBodyBytes: 256 * 1024 }))
      assert(error._tag === "InvalidResponse")
      expect(error.reason).toBe("TooLarge")
      // The client hung up long before the server could send its 50 MiB.
      expect(written).toBeLessThan(20 * 1024 * 1024)
    }))

  it.scopedLive("an oversized body with a declared length fails the same way", () =>
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
  it.scopedLive("4xx are never retried", () =>
    Effect.gen(function*() {
      for (const status of [400, 401, 403, 404, 422]) {
        const server = yield* TestServer((_, res) => json(res, status, { code: "NOPE" }))
        const error = yield* failure(widgetToken(server))
        expect(error._tag).not.toBe("NetworkError")
        expect(server.requests).toHaveLength(1)
      }
    }))

  it.scopedLive("IDEMPOTENCY_INVALID_REUSE is never retried, whatever its status", () =>
    Effect.gen(function*() {
      for (const status of [409, 422]) {
        const server = yield* TestServer((_, res) => json(res, status, { code: "IDEMPOTENCY_INVALID_REUSE" }))
        yield* failure(widgetToken(server))
        expect(server.requests).toHaveLength(1)
      }
    }))

  it.scopedLive("IDEMPOTENCY_CONCURRENT_USE is retried as 409 and as 422", () =>
    Effect.gen(function*() {
      for (const status of [409, 422]) {
        const server = yield* TestServer((_, res, index) =>
          index === 0 ? json(res, status, { code: "IDEMPOTENCY_CONCURRENT_USE" }) : json(res, 200, widgetTokenBody)
        )
        yield* widgetToken(server)
        expect(server.requests).toHaveLength(2)
      }
    }))

  it.scopedLive("transient statuses are retried up to the limit, then surface with the count", () =>
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

  it.scopedLive("501 is a server error but not a transient one", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((_, res) => json(res, 501, {}))
      const error = yield* failure(fdxToken(server))
      expect(error._tag).toBe("Internal")
      expect(server.requests).toHaveLength(1)
    }))

  it.scopedLive("retry: false makes one attempt", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((_, res) => json(res, 503, {}))
      yield* failure(widgetToken(server, { retry: false }))
      expect(server.requests).toHaveLength(1)
    }))

  it.scopedLive("a dropped connection is a NetworkError, retried", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((_, res) => res.socket?.destroy())
      const error = yield* failure(fdxToken(server))
      assert(error._tag === "NetworkError")
      expect(error.attempts).toBe(3)
      expect(server.requests).toHaveLength(3)
    }))

  it.scopedLive("a refused connection is a NetworkError", () =>
    Effect.gen(function*() {
      // Take a free port, then close the server so that nothing listens there.
      const baseUrl = yield* Effect.scoped(Effect.map(TestServer(() => {}), (s) => s.baseUrl))
      const error = yield* failure(
        Synctera.getFdxToken({ fdxTokenId }).pipe(
          Effect.provide(
            SyncteraLive.layer({ apiKey: Redacted.make(apiKey), baseUrl, retry: { times: 1, base: "1 millis" } })
              .pipe(Layer.provide(NodeHttpClient.layerUndici))
          )
        )
      )
      assert(error._tag === "NetworkError")
      expect(error.attempts).toBe(2)
      expect(error.description).toMatch(/ECONNREFUSED|connect/i)
    }))

  it.scopedLive("a stalled body times out per attempt, and the call retries", () =>
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

  it.scopedLive("the deadline ends the whole call", () =>
    Effect.gen(function*() {
      const server = yield* TestServer(() => {
        // Never answers.
      })
      const start = Date.now()
      const error = yield* failure(widgetToken(server, { timeout: "100 millis", deadline: "250 millis" }))
      assert(error._tag === "Timeout")
      expect(error.limit).toBe("deadline")
      expect(error.attempts).toBeGreaterThanOrEqual(2)
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
  it.scopedLive("bad ids, widget types and keys are InvalidInput", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((_, res) => json(res, 200, widgetTokenBody))
      const layer = live(server)
      for (const input of bad) {
        // The type system already refuses these; a JavaScript caller or a cast may not.
        const error = yield* failure(
          Synctera.getWidgetToken(input as Parameters<typeof Synctera.getWidgetToken>[0]).pipe(Effect.provide(layer))
        )
        assert(error._tag === "InvalidInput")
        expect(error.operation).toBe("getWidgetToken")
      }
      const error = yield* failure(Synctera.getFdxToken({ fdxTokenId: "not-a-uuid" }).pipe(Effect.provide(layer)))
      assert(error._tag === "InvalidInput")
      expect(error.description).toContain("fdxTokenId")
      expect(server.requests).toHaveLength(0)
    }))
})

describe("transports", () => {
  for (const [name, transport] of [["undici", NodeHttpClient.layerUndici], ["fetch", FetchHttpClient.layer]] as const) {
    it.scopedLive(`works on ${name}: success, retry with one key, typed error`, () =>
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
