/**
 * Retry timing under TestClock: backoff, jitter bounds, the cap, Retry-After
 * in all its forms, and the deadline. Nothing here sleeps for real.
 */
import { assert, describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Fiber, Layer, Redacted, TestClock } from "effect"
import { Synctera, SyncteraLive } from "../src/index.js"
import { cardId, widgetTokenBody } from "./support/fixtures.js"
import { type Answer, ScriptedClient } from "./support/ScriptedClient.js"

const ok: Answer = { status: 200, body: widgetTokenBody }
const unavailable: Answer = { status: 503, body: { code: "UNAVAILABLE" } }

/** Runs one widget-token call against scripted answers, letting the test clock run. */
const run = (answers: (index: number) => Answer, options: Partial<SyncteraLive.Options> = {}) =>
  Effect.gen(function*() {
    const scripted = ScriptedClient(answers)
    const layer = SyncteraLive.layer({ apiKey: Redacted.make("k"), ...options }).pipe(Layer.provide(scripted.layer))
    const fiber = yield* Synctera.getWidgetToken({ cardId, widgetType: "REVEAL" }).pipe(
      Effect.provide(layer),
      Effect.either,
      Effect.fork
    )
    // TestClock.adjust wakes every sleeper due in the window, in order.
    yield* TestClock.adjust("10 minutes")
    const result = yield* Fiber.join(fiber)
    const times = scripted.calls.map((call) => call.at)
    return { result, times, calls: scripted.calls }
  })

describe("backoff", () => {
  it.effect("defaults: 3 attempts, 500 ms then 1 s, each ±20%", () =>
    Effect.gen(function*() {
      const { result, times } = yield* run(() => unavailable)
      assert(result._tag === "Left")
      expect(result.left._tag).toBe("Internal")
      expect(times).toHaveLength(3)
      const [first, second, third] = times as [number, number, number]
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
      expect(Math.max(...waits)).toBeLessThanOrEqual(1500)
      expect(waits.slice(2).every((w) => w === 1500)).toBe(true)
    }))

  it.effect("recovers on a later attempt", () =>
    Effect.gen(function*() {
      const { result, times } = yield* run((i) => (i < 2 ? unavailable : ok))
      assert(result._tag === "Right")
      expect(result.right.widgetToken).toBe(widgetTokenBody.widget_token)
      expect(times).toHaveLength(3)
    }))

  it.effect("one idempotency key for every attempt", () =>
    Effect.gen(function*() {
      const { calls } = yield* run((i) => (i < 2 ? unavailable : ok))
      expect(new Set(calls.map((c) => c.request.headers["idempotency-key"])).size).toBe(1)
    }))
})

describe("Retry-After", () => {
  const rateLimited = (headers: Record<string, string>, body: unknown = { code: "TOO_MANY_REQUESTS" }): Answer => ({
    status: 429,
    headers,
    body
  })

  const cases: ReadonlyArray<readonly [string, Answer, number]> = [
    ["seconds", rateLimited({ "retry-after": "3" }), 3000],
    ["an HTTP date", rateLimited({ "retry-after": new Date(5000).toUTCString() }), 5000],
    ["retry-after-ms", rateLimited({ "retry-after-ms": "1500" }), 1500],
    ["the body's retry_after", rateLimited({}, { code: "TOO_MANY_REQUESTS", retry_after: 2 }), 2000],
    ["on a 503", { status: 503, headers: { "retry-after": "4" } }, 4000]
  ]
  for (const [name, answer, wait] of cases) {
    it.effect(`honours ${name}`, () =>
      Effect.gen(function*() {
        const { result, times } = yield* run((i) => (i === 0 ? answer : ok))
        assert(result._tag === "Right")
        expect(times).toEqual([0, wait])
      }))
  }

  it.effect("garbage falls back to the backoff", () =>
    Effect.gen(function*() {
      const { result, times } = yield* run((i) => (i === 0 ? rateLimited({ "retry-after": "soon-ish" }) : ok))
      assert(result._tag === "Right")
      expect(times[1]).toBeGreaterThanOrEqual(400)
      expect(times[1]).toBeLessThanOrEqual(600)
    }))

  it.effect("a wait beyond 60 s fails at once with the 429 and its retryAfter", () =>
    Effect.gen(function*() {
      const { result, times } = yield* run(() => rateLimited({ "retry-after": "61" }), { deadline: "5 minutes" })
      assert(result._tag === "Left" && result.left._tag === "RateLimited")
      expect(times).toEqual([0])
      expect(result.left.attempts).toBe(1)
      expect(result.left.retryAfter && Duration.toSeconds(result.left.retryAfter)).toBe(61)
    }))

  it.effect("a wait that would pass the deadline fails at once", () =>
    Effect.gen(function*() {
      const { result, times } = yield* run(() => rateLimited({ "retry-after": "10" }), { deadline: "8 seconds" })
      assert(result._tag === "Left" && result.left._tag === "RateLimited")
      expect(times).toEqual([0])
    }))
})

describe("timeouts and the deadline", () => {
  const hang: Answer = { run: Effect.never }

  it.effect("a hung attempt times out after `timeout` and is retried", () =>
    Effect.gen(function*() {
      const { result, times } = yield* run((i) => (i === 0 ? hang : ok), { timeout: "2 seconds" })
      assert(result._tag === "Right")
      expect(times[0]).toBe(0)
      expect(times[1]).toBeGreaterThanOrEqual(2400)
      expect(times[1]).toBeLessThanOrEqual(2600)
    }))

  it.effect("all attempts hung: Timeout(attempt) after the last one", () =>
    Effect.gen(function*() {
      const { result, times } = yield* run(() => hang, { timeout: "1 second", retry: { times: 1, base: "100 millis" } })
      assert(result._tag === "Left" && result.left._tag === "Timeout")
      expect(result.left.limit).toBe("attempt")
      expect(result.left.attempts).toBe(2)
      expect(times).toHaveLength(2)
    }))

  it.effect("the deadline bounds the whole call, waits included", () =>
    Effect.gen(function*() {
      const { result, times } = yield* run(() => hang, { timeout: "10 seconds", deadline: "15 seconds" })
      assert(result._tag === "Left" && result.left._tag === "Timeout")
      expect(result.left.limit).toBe("deadline")
      expect(result.left.attempts).toBe(2)
      expect(times).toHaveLength(2)
      expect(Duration.toSeconds(result.left.after)).toBe(15)
    }))

  it.effect("no backoff wait is started that would pass the deadline", () =>
    Effect.gen(function*() {
      const { result, times } = yield* run(() => unavailable, {
        deadline: "1 second",
        retry: { times: 5, base: "700 millis", cap: "700 millis" }
      })
      // 0 ms, then a wait of 700 ms would end at 700 < 1000: one retry; the next would end at 1400.
      assert(result._tag === "Left")
      expect(result.left._tag).toBe("Internal")
      expect(times).toHaveLength(2)
    }))
})
