/**
 * `SyncteraLive.layerNode`: the live client on its lean undici transport
 * behaves exactly as on the stock transports, over real HTTP.
 */
import { assert, describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Layer, Queue, Redacted } from "effect"
import { Synctera } from "../src/index.js"
import * as SyncteraLive from "../src/layers/SyncteraLive.js"
import { cardId, fdxTokenBody, fdxTokenId, widgetTokenBody } from "./support/liveFixtures.js"
import { closedPort, json, TestServer } from "./support/TestServer.js"

const node = (baseUrl: string, options: Partial<SyncteraLive.Options> = {}) =>
  SyncteraLive.layerNode({
    apiKey: Redacted.make("node-key-123"),
    baseUrl,
    retry: { base: "5 millis", cap: "20 millis" },
    ...options
  })

describe("layerNode", () => {
  it.live("decodes both endpoints and sends the documented headers", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((request, res) =>
        json(res, 200, request.path.includes("fdx") ? fdxTokenBody : widgetTokenBody)
      )
      const [widget, fdx] = yield* Effect.all([
        Synctera.getWidgetToken({ cardId, widgetType: "GET_PIN", idempotencyKey: "k-1" }),
        Synctera.getFdxToken({ fdxTokenId })
      ]).pipe(Effect.provide(node(server.baseUrl)))
      expect(widget.widgetToken).toBe(widgetTokenBody.widget_token)
      expect(fdx.id).toBe(fdxTokenId)
      const [request] = server.requests
      assert(request !== undefined)
      expect(request.path).toBe(`/v1/cards/${cardId}/widget_token`)
      expect(request.query.get("widget_type")).toBe("GET_PIN")
      expect(request.headers.authorization).toBe("Bearer node-key-123")
      expect(request.headers["idempotency-key"]).toBe("k-1")
      expect(request.headers.accept).toBe("application/json")
      expect(request.headers["user-agent"]).toBe("effect-synctera/0.1.0")
      expect(request.headers.traceparent).toBeUndefined()
      expect(request.headers.b3).toBeUndefined()
    }))

  it.live("keeps the base URL's path, without a trailing slash", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((_, res) => json(res, 200, fdxTokenBody))
      yield* Synctera.getFdxToken({ fdxTokenId }).pipe(Effect.provide(node(`${server.origin}/api/v1/`)))
      expect(server.requests[0]?.path).toBe(`/api/v1/fdx_tokens/${fdxTokenId}`)
    }))

  it.live("retries with one idempotency key, then succeeds", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((_, res, index) =>
        index === 0 ? res.socket?.destroy() : index === 1 ? json(res, 503, {}) : json(res, 200, widgetTokenBody)
      )
      yield* Synctera.getWidgetToken({ cardId, widgetType: "REVEAL" }).pipe(Effect.provide(node(server.baseUrl)))
      expect(server.requests).toHaveLength(3)
      expect(new Set(server.requests.map((r) => r.headers["idempotency-key"])).size).toBe(1)
    }))

  it.live("typed errors by status, with the body's fields", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((_, res) =>
        json(res, 422, { code: "CARD_TERMINATED", detail: "terminated" }, { "x-request-id": "r-9" })
      )
      const error = yield* Effect.flip(
        Synctera.getFdxToken({ fdxTokenId }).pipe(Effect.provide(node(server.baseUrl)))
      )
      assert(error._tag === "Unprocessable")
      expect([error.code, error.detail, error.requestId, error.attempts]).toEqual([
        "CARD_TERMINATED",
        "terminated",
        "r-9",
        1
      ])
      expect(error.message).toBe(
        "Synctera getFdxToken failed with 422 Unprocessable Entity CARD_TERMINATED: terminated [request id r-9] after 1 attempt"
      )
    }))

  it.live("a redirect is not followed", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((request, res) => {
        if (request.path === "/elsewhere") return json(res, 200, fdxTokenBody)
        res.writeHead(301, { location: `${server.origin}/elsewhere` })
        res.end()
      })
      const error = yield* Effect.flip(
        Synctera.getFdxToken({ fdxTokenId }).pipe(Effect.provide(node(server.baseUrl)))
      )
      assert(error._tag === "UnexpectedStatus")
      expect(error.location).toBe(`${server.origin}/elsewhere`)
      expect(server.requests).toHaveLength(1)
    }))

  it.live("oversized bodies stop at the limit, with or without a declared length", () =>
    Effect.gen(function*() {
      let sent = 0
      const server = yield* TestServer((request, res) => {
        const big = Buffer.alloc(64 * 1024, "a")
        if (request.path.includes("fdx")) {
          res.writeHead(200, { "content-type": "application/json", "content-length": 4 * 1024 * 1024 })
        } else {
          res.writeHead(200, { "content-type": "application/json" })
        }
        const pump = () => {
          while (sent < 40 * 1024 * 1024) {
            sent += big.length
            if (!res.write(big)) return void res.once("drain", pump)
          }
          res.end()
        }
        res.on("close", () => res.destroy())
        pump()
      })
      const layer = node(server.baseUrl, { maxBodyBytes: 128 * 1024 })
      const chunked = yield* Effect.flip(
        Synctera.getWidgetToken({ cardId, widgetType: "REVEAL" }).pipe(Effect.provide(layer))
      )
      assert(chunked._tag === "InvalidResponse")
      expect(chunked.reason).toBe("TooLarge")
      expect(chunked.description).toBe("the body is larger than the limit of 131072 bytes")
      const declared = yield* Effect.flip(Synctera.getFdxToken({ fdxTokenId }).pipe(Effect.provide(layer)))
      assert(declared._tag === "InvalidResponse")
      expect(declared.reason).toBe("TooLarge")
      expect(sent).toBeLessThan(30 * 1024 * 1024)
    }))

  it.live("a stalled body times out and is retried; a refused connection is a NetworkError", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((_, res, index) => {
        if (index === 0) {
          res.writeHead(200, { "content-type": "application/json" })
          return void res.write("{\"tenant\"")
        }
        json(res, 200, widgetTokenBody)
      })
      const token = yield* Synctera.getWidgetToken({ cardId, widgetType: "REVEAL" }).pipe(
        Effect.provide(node(server.baseUrl, { timeout: "150 millis" }))
      )
      expect(token.tenant).toBe(widgetTokenBody.tenant)
      const port = yield* closedPort
      const error = yield* Effect.flip(
        Synctera.getFdxToken({ fdxTokenId }).pipe(
          Effect.provide(node(`http://127.0.0.1:${port}/v1`, { retry: false }))
        )
      )
      assert(error._tag === "NetworkError")
      expect(error.description).toMatch(/ECONNREFUSED|connect/i)
      expect(error.message).toContain("Synctera getFdxToken failed: network error: Transport: ")
    }))

  it.live("a body that breaks off is a NetworkError", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((_, res) => {
        res.writeHead(200, { "content-type": "application/json" })
        res.write("{\"id\":")
        setTimeout(() => res.socket?.destroy(), 10)
      })
      const error = yield* Effect.flip(
        Synctera.getFdxToken({ fdxTokenId }).pipe(Effect.provide(node(server.baseUrl, { retry: false })))
      )
      assert(error._tag === "NetworkError")
      expect(error.description).toMatch(/^response body broke off: /)
    }))

  it.live("the deadline bounds a server that never answers", () =>
    Effect.gen(function*() {
      const server = yield* TestServer(() => {})
      const start = Date.now()
      const error = yield* Effect.flip(
        Synctera.getFdxToken({ fdxTokenId }).pipe(
          Effect.provide(
            node(server.baseUrl, {
              timeout: "100 millis",
              deadline: "300 millis",
              retry: { times: 10, base: "1 millis", cap: "1 millis" }
            })
          )
        )
      )
      assert(error._tag === "Timeout")
      expect(error.limit).toBe("deadline")
      expect(Date.now() - start).toBeLessThan(2_000)
    }))

  it.live("interrupting a call aborts its request, before the answer and during the body", () =>
    Effect.gen(function*() {
      const closed = yield* Queue.unbounded<number>()
      const server = yield* TestServer((_, res, index) => {
        res.on("close", () => Queue.offerUnsafe(closed, index))
        if (index === 1) {
          res.writeHead(200, { "content-type": "application/json" })
          res.write("{\"tenant\"")
        }
      })
      // Built once, so that only the interruption (not the layer's release) can close the connection.
      const context = yield* Layer.build(node(server.baseUrl, { retry: false }))
      for (const index of [0, 1]) {
        const fiber = yield* Effect.forkChild(Synctera.getFdxToken({ fdxTokenId }).pipe(Effect.provide(context)))
        while (server.requests.length <= index) yield* Effect.sleep("5 millis")
        yield* Fiber.interrupt(fiber)
        expect(yield* Queue.take(closed).pipe(Effect.timeout("2 seconds"))).toBe(index)
      }
    }))

  it.live("the layer's release closes its connections", () =>
    Effect.gen(function*() {
      const closed = yield* Queue.unbounded<void>()
      const server = yield* TestServer((_, res) => {
        res.socket?.once("close", () => Queue.offerUnsafe(closed, undefined))
        json(res, 200, fdxTokenBody)
      })
      yield* Synctera.getFdxToken({ fdxTokenId }).pipe(Effect.provide(node(server.baseUrl)))
      // The pooled keep-alive connection goes when the layer does, not when the server times it out.
      yield* Queue.take(closed).pipe(Effect.timeout("2 seconds"))
    }))
})
