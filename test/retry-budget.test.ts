/**
 * The client-wide retry budget: an outage does not become a retry storm, and
 * the budget fills again as calls succeed.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Layer, Redacted, TestClock } from "effect"
import { Synctera, SyncteraLive } from "../src/index.js"
import { cardId, widgetTokenBody } from "./support/fixtures.js"
import { type Answer, ScriptedClient } from "./support/ScriptedClient.js"

const call = Synctera.getWidgetToken({ cardId, widgetType: "REVEAL" })

/** Runs `n` calls one after the other, letting the test clock run. */
const calls = (n: number) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(Effect.forEach(Array.from({ length: n }), () => Effect.either(call)))
    yield* TestClock.adjust("1 hour")
    return yield* Fiber.join(fiber)
  })

const setup = (answer: (index: number) => Answer, options: Partial<SyncteraLive.Options> = {}) => {
  const scripted = ScriptedClient(answer)
  const layer = SyncteraLive.layer({
    apiKey: Redacted.make("k"),
    retry: { times: 2, base: "10 millis" },
    retryBudget: { capacity: 50, retryCost: 5, refill: 1 },
    ...options
  }).pipe(Layer.provide(scripted.layer))
  return { scripted, layer }
}

describe("retry budget", () => {
  it.effect("under a 100% failure rate, retries are bounded by the budget, not calls × retries", () =>
    Effect.gen(function*() {
      let healthy = false
      const { layer, scripted } = setup(() => (healthy ? { status: 200, body: widgetTokenBody } : { status: 503 }))
      yield* Effect.gen(function*() {
        const results = yield* calls(40)
        expect(results.every((r) => r._tag === "Left")).toBe(true)
        // 40 first attempts + 50 / 5 = 10 retries; without a budget it would be 40 + 80.
        expect(scripted.calls).toHaveLength(50)

        // Recovery: first-attempt successes put tokens back, one each.
        healthy = true
        yield* calls(10)
        expect(scripted.calls).toHaveLength(60)
        healthy = false
        yield* calls(5)
        // The 10 tokens regained pay for 2 retries.
        expect(scripted.calls).toHaveLength(60 + 5 + 2)
      }).pipe(Effect.provide(layer))
    }))

  it.effect("a retried success gives back what its retries spent", () =>
    Effect.gen(function*() {
      const { layer, scripted } = setup(
        (index) => (index % 2 === 0 ? { status: 503 } : { status: 200, body: widgetTokenBody }),
        { retryBudget: { capacity: 5, retryCost: 5 } }
      )
      yield* Effect.gen(function*() {
        // Each call fails once and succeeds on its retry: the one retry token is spent and returned.
        const results = yield* calls(20)
        expect(results.every((r) => r._tag === "Right")).toBe(true)
        expect(scripted.calls).toHaveLength(40)
      }).pipe(Effect.provide(layer))
    }))

  it.effect("retryBudget: false never limits retries", () =>
    Effect.gen(function*() {
      const { layer, scripted } = setup(() => ({ status: 503 }), { retryBudget: false })
      yield* calls(40).pipe(Effect.provide(layer))
      expect(scripted.calls).toHaveLength(120)
    }))

  it.effect("each layer build has its own budget", () =>
    Effect.gen(function*() {
      const first = setup(() => ({ status: 503 }))
      yield* calls(20).pipe(Effect.provide(first.layer))
      const second = setup(() => ({ status: 503 }))
      yield* calls(1).pipe(Effect.provide(second.layer))
      expect(second.scripted.calls).toHaveLength(3)
    }))
})
