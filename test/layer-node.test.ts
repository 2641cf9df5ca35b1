/**
 * `SyncteraLive.layerNode`: the live client on its lean undici transport
 * behaves exactly as on the stock transports, over real HTTP.
 */
import { assert, describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Layer, Queue, Redacted } from "effect"
import { Synctera, SyncteraLive } from "../src/index.js"
import { cardId, fdxTokenBody, fdxTokenId, widgetTokenBody } from "./support/fixtures.js"
import { json, TestServer } from "./support/TestServer.js"

const node = (server: TestServer, options: Partial<SyncteraLive.Options> = {}) =>
  SyncteraLive.layerNode({
    apiKey: Redacted.make("node-key-123"),
    baseUrl: server.baseUrl,
    retry: { base: "5 millis", cap: "20 millis" },
    ...options
  })

describe("layerNode", () => {
  it.scopedLive("decodes both endpoints and sends the documented headers", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((request, res) =>
        json(res, 200, request.path.includes("fdx") ? fdxTokenBody : widgetTokenBody)
      )
      const [widget, fdx] = yield* Effect.all([
        Synctera.getWidgetToken({ cardId, widgetType: "GET_PIN", idempotencyKey: "k-1" }),
        Synctera.getFdxToken({ fdxTokenId })
      ]).pipe(Effect.provide(node(server)))
      expect(widget.widgetToken).toBe(widgetTokenBody.widget_token)
      expect(fdx.id).toBe(fdxTokenId)
      const [request] = server.requests
      assert(request !== undefined)
      expect(request.path).toBe(`/v1/cards/${cardId}/widget_token`)
      expect(request.query.get("widget_type")).toBe("GET_PIN")
      expect(request.headers.authorization).toBe("Bearer node-key-123")
      expect(request.headers["idempotency-key"]).toBe("k-1")
      expect(request.headers.accept).toBe("application/json")
      expect(request.headers.traceparent).toBeUndefined()
    }))

  it.scopedLive("retries with one idempotency key, then succeeds", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((_, res, index) =>
        index === 0 ? res.socket?.destroy() : index === 1 ? json(res, 503, {}) : json(res, 200, widgetTokenBody)
      )
      yield* Synctera.getWidgetToken({ cardId, widgetType: "REVEAL" }).pipe(Effect.provide(node(server)))
      expect(server.requests).toHaveLength(3)
      expect(new Set(server.requests.map((r) => r.headers["idempotency-key"])).size).toBe(1)
    }))

  it.scopedLive("typed errors by status, with the body's fields", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((_, res) =>
        json(res, 422, { code: "CARD_TERMINATED", detail: "terminated" }, { "x-request-id": "r-9" })
      )
      const error = yield* Effect.flip(Synctera.getFdxToken({ fdxTokenId }).pipe(Effect.provide(node(server))))
      assert(error._tag === "Unprocessable")
      expect([error.code, error.detail, error.requestId, error.attempts]).toEqual([
        "CARD_TERMINATED",
        "terminated",
        "r-9",
        1
      ])
    }))

  it.scopedLive("a redirect is not followed", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((request, res) => {
        if (request.path === "/elsewhere") return json(res, 200, fdxTokenBody)
        res.writeHead(301, { location: `${server.origin}/elsewhere` })
        res.end()
      })
      const error = yield* Effect.flip(Synctera.getFdxToken({ fdxTokenId }).pipe(Effect.provide(node(server))))
      assert(error._tag === "UnexpectedStatus")
      expect(error.location).toBe(`${server.origin}/elsewhere`)
      expect(server.requests).toHaveLength(1)
    }))

  it.scopedLive("oversized bodies stop at the limit, with or without a declared length", () =>
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
      const layer = node(server, { maxBodyBytes: 128 * 1024 })
      const chunked = yield* Effect.flip(
        Synctera.getWidgetToken({ cardId, widgetType: "REVEAL" }).pipe(Effect.provide(layer))
      )
      assert(chunked._tag === "InvalidResponse")
      expect(chunked.reason).toBe("TooLarge")
      const declared = yield* Effect.flip(Synctera.getFdxToken({ fdxTokenId }).pipe(Effect.provide(layer)))
      assert(declared._tag === "InvalidResponse")
      expect(declared.reason).toBe("TooLarge")
      expect(sent).toBeLessThan(30 * 1024 * 1024)
    }))

  it.scopedLive("a stalled body times out and is retried; a refused connection is a NetworkError", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((_, res, index) => {
        if (index === 0) {
          res.writeHead(200, { "content-type": "application/json" })
          return void res.write("{\"tenant\"")
        }
        json(res, 200, widgetTokenBody)
      })
      const token = yield* Synctera.getWidgetToken({ cardId, widgetType: "REVEAL" }).pipe(
        Effect.provide(node(server, { timeout: "150 millis" }))
      )
      expect(token.tenant).toBe(widgetTokenBody.tenant)
      const closed = yield* Effect.scoped(Effect.map(TestServer(() => {}), (s) => s))
      const error = yield* Effect.flip(
        Synctera.getFdxToken({ fdxTokenId }).pipe(Effect.provide(node(closed, { retry: false })))
      )
      assert(error._tag === "NetworkError")
      expect(error.description).toMatch(/ECONNREFUSED|connect/i)
    }))

  it.scopedLive("the deadline bounds a server that never answers", () =>
    Effect.gen(function*() {
      const server = yield* TestServer(() => {})
      const start = Date.now()
      const error = yield* Effect.flip(
        Synctera.getFdxToken({ fdxTokenId }).pipe(
          Effect.provide(node(server, { timeout: "100 millis", deadline: "300 millis" }))
        )
      )
      assert(error._tag === "Timeout")
      expect(error.limit).toBe("deadline")
      expect(Date.now() - start).toBeLessThan(2_000)
    }))

  it.scopedLive("interrupting a call aborts its request, before the answer and during the body", () =>
    Effect.gen(function*() {
      const closed = yield* Queue.unbounded<number>()
      const server = yield* TestServer((_, res, index) => {
        res.on("close", () => Queue.unsafeOffer(closed, index))
        if (index === 1) {
          res.writeHead(200, { "content-type": "application/json" })
          res.write("{\"tenant\"")
        }
      })
      // Built once, so that only the interruption (not the layer's release) can close the connection.
      const context = yield* Layer.build(node(server, { retry: false }))
      for (const index of [0, 1]) {
        const fiber = yield* Effect.fork(Synctera.getFdxToken({ fdxTokenId }).pipe(Effect.provide(context)))
        while (server.requests.length <= index) yield* Effect.sleep("5 millis")
        yield* Fiber.interrupt(fiber)
        expect(yield* Queue.take(closed).pipe(Effect.timeout("2 seconds"))).toBe(index)
      }
    }))
})
