/**
 * The sandbox's fault injection, seen over raw HTTP and through the live
 * client's retries.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { assert, describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Redacted, Schema } from "effect"
import { Synctera, WidgetToken } from "../src/index.js"
import * as SyncteraLive from "../src/layers/SyncteraLive.js"
import { make as makeSandbox, sandboxIds, type SandboxOptions, type SandboxService } from "../src/sandbox.js"

const widgetUrl = (sandbox: SandboxService) =>
  `${sandbox.url}/cards/${sandboxIds.cards.active}/widget_token?widget_type=REVEAL`

const headersOf = (sandbox: SandboxService, key?: string) => ({
  authorization: `Bearer ${Redacted.value(sandbox.apiKey)}`,
  ...(key === undefined ? {} : { "idempotency-key": key })
})

/** One GET: status and body, or the transport error's name. */
const hit = (sandbox: SandboxService, key?: string) =>
  Effect.promise(async () => {
    try {
      const response = await fetch(widgetUrl(sandbox), {
        headers: headersOf(sandbox, key),
        signal: AbortSignal.timeout(5_000)
      })
      return { status: response.status, headers: response.headers, body: await response.text() }
    } catch (error) {
      return { status: 0, headers: new Headers(), body: String(error) }
    }
  })

const statuses = (sandbox: SandboxService, n: number) =>
  Effect.forEach(Array.from({ length: n }), () => Effect.map(hit(sandbox), (answer) => answer.status), {
    concurrency: 8
  })

const count = (values: ReadonlyArray<number>, value: number) => values.filter((v) => v === value).length

const sandboxWith = (faults: SandboxOptions["faults"], randomSeed = 42) => makeSandbox({ faults, randomSeed })

/** A JSON body's fields (the test fails if it is not an object). */
const bodyOf = (text: string): Record<string, unknown> => {
  const json: unknown = JSON.parse(text)
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new Error(`not an object: ${text}`)
  return { ...json }
}

describe("fault injection", () => {
  it.live("failRate 1: every API request is a 500 or a 503, each with its code", () =>
    Effect.gen(function*() {
      const sandbox = yield* sandboxWith({ failRate: 1 })
      const answers = yield* Effect.forEach(Array.from({ length: 40 }), () => hit(sandbox), { concurrency: 8 })
      const seen = answers.map((answer) => answer.status)
      expect(count(seen, 500) + count(seen, 503)).toBe(40)
      expect(count(seen, 500)).toBeGreaterThan(0)
      expect(count(seen, 503)).toBeGreaterThan(0)
      for (const answer of answers) {
        const body = bodyOf(answer.body)
        expect(body["code"]).toBe(answer.status === 500 ? "INTERNAL_SERVER_ERROR" : "SERVICE_UNAVAILABLE")
        expect(body["status"]).toBe(answer.status)
      }
      expect((yield* sandbox.requests).every((entry) => entry.fault === "fail")).toBe(true)
    }))

  it.live("a share of requests fails, the same share for the same random seed", () =>
    Effect.gen(function*() {
      const first = yield* statuses(yield* sandboxWith({ failRate: 0.3 }, 7), 100)
      const failures = 100 - count(first, 200)
      expect(failures).toBeGreaterThan(10)
      expect(failures).toBeLessThan(50)
      const again = yield* statuses(yield* sandboxWith({ failRate: 0.3 }, 7), 100)
      expect(100 - count(again, 200)).toBe(failures)
    }))

  it.live("rateLimitRate: 429 with a Retry-After header and a retry_after body field", () =>
    Effect.gen(function*() {
      const sandbox = yield* sandboxWith({ rateLimitRate: 1, retryAfterSeconds: 4 })
      const answer = yield* hit(sandbox)
      expect(answer.status).toBe(429)
      expect(answer.headers.get("retry-after")).toBe("4")
      expect(bodyOf(answer.body)).toEqual({
        code: "TOO_MANY_REQUESTS",
        detail: expect.any(String),
        status: 429,
        retry_after: 4
      })
      const byDefault = yield* hit(yield* sandboxWith({ rateLimitRate: 1 }))
      expect(byDefault.headers.get("retry-after")).toBe("1")
    }))

  it.live("latency is added to every API request", () =>
    Effect.gen(function*() {
      const sandbox = yield* sandboxWith({ latency: "250 millis" })
      const started = Date.now()
      expect((yield* hit(sandbox)).status).toBe(200)
      expect(Date.now() - started).toBeGreaterThanOrEqual(240)
    }))

  it.live("dropRate: the connection is dropped without an answer, and nothing is stored", () =>
    Effect.gen(function*() {
      const sandbox = yield* sandboxWith({ dropRate: 1 })
      const answer = yield* hit(sandbox, "dropped-key")
      expect(answer.status).toBe(0)
      expect(answer.body).toMatch(/fetch failed|terminated|socket/i)
      expect(yield* sandbox.requests).toEqual([
        expect.objectContaining({ fault: "drop", status: undefined, idempotencyKey: "dropped-key" })
      ])
      // The request never reached processing: the key is free.
      const outcome = yield* sandbox.model.handle({
        operation: "getWidgetToken",
        params: { card_id: sandboxIds.cards.active },
        query: { widget_type: "SET_PIN" },
        idempotencyKey: "dropped-key"
      })
      expect(outcome.status).toBe(200)
    }))

  it.live("stallRate: headers and all but the end of the body arrive; the answer was stored", () =>
    Effect.gen(function*() {
      const sandbox = yield* sandboxWith({ stallRate: 1 })
      const stall = Effect.promise(async () => {
        const controller = new AbortController()
        const response = await fetch(widgetUrl(sandbox), {
          headers: headersOf(sandbox, "stalled-key"),
          signal: controller.signal
        })
        const body = response.body
        if (body === null) throw new Error("no body")
        const reader = body.getReader()
        const first = await reader.read()
        const rest = await Promise.race([
          reader.read().then(() => "more"),
          new Promise<string>((resolve) => setTimeout(() => resolve("stalled"), 300))
        ])
        controller.abort()
        return {
          partial: new TextDecoder().decode(first.value),
          status: `${response.status} ${rest}`,
          contentType: response.headers.get("content-type")
        }
      })
      const first = yield* stall
      expect(first.status).toBe("200 stalled")
      expect(first.contentType).toMatch(/^application\/json/)
      expect(first.partial).toMatch(/^\{"tenant":"sandbox_tenant","widget_token":"[0-9a-f-]{36}$/)
      // The retry with the same key stalls too, but on the stored answer: the same token.
      const second = yield* stall
      expect(second.partial).toBe(first.partial)
      const replay = yield* sandbox.model.handle({
        operation: "getWidgetToken",
        params: { card_id: sandboxIds.cards.active },
        query: { widget_type: "REVEAL" },
        idempotencyKey: "stalled-key"
      })
      expect(JSON.stringify(replay.body)).toBe(`${first.partial}"}`)
    }))

  it.live("a stalled connection does not hold up shutdown", () =>
    Effect.gen(function*() {
      const started = yield* Effect.scoped(
        Effect.gen(function*() {
          const sandbox = yield* sandboxWith({ stallRate: 1 })
          // Headers arrive; the body stays open, never read, never finished.
          const response = yield* Effect.promise(() => fetch(widgetUrl(sandbox), { headers: headersOf(sandbox) }))
          expect(response.status).toBe(200)
          return Date.now()
        })
      )
      expect(Date.now() - started).toBeLessThan(1_000)
    }))

  it.live("a dropped connection does not hold up shutdown either", () =>
    Effect.gen(function*() {
      const started = yield* Effect.scoped(
        Effect.gen(function*() {
          const sandbox = yield* sandboxWith({ dropRate: 1 })
          expect((yield* hit(sandbox)).status).toBe(0)
          return Date.now()
        })
      )
      expect(Date.now() - started).toBeLessThan(1_000)
    }))

  it.live("faults touch only the API routes, never auth or unknown routes", () =>
    Effect.gen(function*() {
      const sandbox = yield* sandboxWith({ dropRate: 0.5, failRate: 0.5 })
      for (let i = 0; i < 10; i++) {
        const unauthorized = yield* Effect.promise(() => fetch(widgetUrl(sandbox)))
        expect(unauthorized.status).toBe(401)
        const unknown = yield* Effect.promise(() => fetch(`${sandbox.url}/nothing`, { headers: headersOf(sandbox) }))
        expect(unknown.status).toBe(404)
        const wrongMethod = yield* Effect.promise(() =>
          fetch(widgetUrl(sandbox), { method: "DELETE", headers: headersOf(sandbox) })
        )
        expect(wrongMethod.status).toBe(405)
      }
      expect(yield* sandbox.requests).toEqual([])
    }))
})

describe("the live client through faults", () => {
  it.live("retries 5xx, 429, drops and stalls with one key per call until every call succeeds", () =>
    Effect.gen(function*() {
      const sandbox = yield* makeSandbox({
        randomSeed: 1234,
        faults: { failRate: 0.2, rateLimitRate: 0.1, retryAfterSeconds: 0, dropRate: 0.1, stallRate: 0.05 }
      })
      const live = SyncteraLive.layer({
        apiKey: sandbox.apiKey,
        baseUrl: sandbox.url,
        timeout: "300 millis",
        retry: { times: 10, base: "1 millis", cap: "5 millis" }
      }).pipe(Layer.provide(NodeHttpClient.layerUndici))
      const calls = 30
      const keys = Array.from({ length: calls }, (_, i) => `call-${i}`)
      const tokens = yield* Effect.forEach(
        keys,
        (idempotencyKey) =>
          Synctera.getWidgetToken({ cardId: sandboxIds.cards.active, widgetType: "REVEAL", idempotencyKey }),
        { concurrency: 5 }
      ).pipe(Effect.provide(live))
      expect(tokens).toHaveLength(calls)
      for (const token of tokens) assert(Schema.is(Schema.toType(WidgetToken))(token))
      const log = yield* sandbox.requests
      // Faults happened, and were retried under the same key as their call.
      expect(log.some((entry) => entry.fault !== undefined)).toBe(true)
      expect(log.length).toBeGreaterThan(calls)
      expect(log.length).toBeLessThanOrEqual(calls * 11)
      expect(new Set(log.map((entry) => entry.idempotencyKey))).toEqual(new Set(keys))
      for (const key of keys) {
        const attempts = log.filter((entry) => entry.idempotencyKey === key)
        expect(attempts.at(-1)?.status).toBe(200)
      }
    }))

  it.live("a stalled attempt times out and is retried with the same key", () =>
    Effect.gen(function*() {
      const sandbox = yield* makeSandbox({ faults: { stallRate: 1 } })
      const live = SyncteraLive.layer({
        apiKey: sandbox.apiKey,
        baseUrl: sandbox.url,
        timeout: "200 millis",
        retry: { times: 1, base: "1 millis" }
      }).pipe(Layer.provide(NodeHttpClient.layerUndici))
      const error = yield* Effect.flip(
        Synctera.getWidgetToken({ cardId: sandboxIds.cards.active, widgetType: "GET_PIN", idempotencyKey: "slow" })
          .pipe(Effect.provide(live))
      )
      expect(error._tag).toBe("Timeout")
      const log = yield* sandbox.requests
      expect(log.map((entry) => [entry.idempotencyKey, entry.status, entry.fault])).toEqual([
        ["slow", 200, "stall"],
        ["slow", 200, "stall"]
      ])
    }))

  it.live("failNext: an injected 503 is retried, an injected 403 is not", () =>
    Effect.gen(function*() {
      const sandbox = yield* makeSandbox()
      const live = SyncteraLive.layer({
        apiKey: sandbox.apiKey,
        baseUrl: sandbox.url,
        retry: { times: 2, base: "1 millis" }
      }).pipe(Layer.provide(NodeHttpClient.layerUndici))
      yield* sandbox.failNext(1, { status: 503 })
      const token = yield* Synctera.getWidgetToken({ cardId: sandboxIds.cards.active, widgetType: "REVEAL" }).pipe(
        Effect.provide(live)
      )
      expect(token.tenant).toBe(sandboxIds.tenant)
      yield* sandbox.failNext(1, { status: 403 })
      const error = yield* Effect.flip(
        Synctera.getWidgetToken({ cardId: sandboxIds.cards.active, widgetType: "REVEAL" }).pipe(Effect.provide(live))
      )
      expect(error._tag).toBe("Forbidden")
      expect((yield* sandbox.requests).map((entry) => entry.status)).toEqual([503, 200, 403])
    }))
})
