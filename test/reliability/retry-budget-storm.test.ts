/**
 * The client-wide retry budget over real HTTP: under a 100% failure rate the
 * retries are bounded by the budget, not by calls × retries; as the server
 * recovers, successes refill it and retries come back.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Exit, Layer, Redacted } from "effect"
import { Synctera, type SyncteraError, SyncteraLive } from "../../src/index.js"
import { cardId, widgetTokenBody } from "../support/fixtures.js"
import { json, TestServer } from "../support/TestServer.js"
import { canary, makeObserver } from "./support/canary.js"
import { makeFigures } from "./support/figures.js"
import { openSockets, socketsAbove } from "./support/resources.js"

const figures = makeFigures("retry-budget-storm")
const observer = makeObserver()
const baselineSockets = openSockets()

type Mode = "down" | "up"

const server = (state: { mode: Mode }) =>
  TestServer((_, res) =>
    state.mode === "up"
      ? json(res, 200, widgetTokenBody)
      : json(res, 503, { code: "SERVICE_UNAVAILABLE", status: 503 })
  )

const layerFor = (baseUrl: string, retryBudget: SyncteraLive.Options["retryBudget"]) =>
  SyncteraLive.layer({
    apiKey: Redacted.make(canary),
    baseUrl,
    timeout: "2 seconds",
    retry: { times: 2, base: "1 millis", cap: "2 millis" },
    retryBudget
  }).pipe(Layer.provide(NodeHttpClient.layerUndici))

/** `n` calls, 25 in flight; their exits. */
const wave = (n: number) =>
  Effect.forEach(
    Array.from({ length: n }),
    () => Synctera.getWidgetToken({ cardId, widgetType: "REVEAL" }).pipe(Effect.exit),
    { concurrency: 25 }
  )

const tally = (exits: ReadonlyArray<Exit.Exit<unknown, SyncteraError>>) => {
  for (const exit of exits) if (Exit.isFailure(exit)) observer.exit(exit)
  figures.add({
    calls: exits.length,
    defects: exits.filter((exit) => Exit.isFailure(exit) && !Cause.isFailType(exit.cause)).length
  })
}

const attemptsOf = (exit: Exit.Exit<unknown, SyncteraError>): number => {
  if (Exit.isSuccess(exit)) return 0
  const failure = Cause.failureOption(exit.cause)
  return failure._tag === "Some" && "attempts" in failure.value ? failure.value.attempts : -1
}

describe("retry budget over HTTP", () => {
  it.scopedLive("the default budget (500 tokens, 5 a retry): a storm gets 100 retries, not calls × 2; recovery refills it", () =>
    Effect.gen(function*() {
      const state: { mode: Mode } = { mode: "down" }
      const api = yield* server(state)
      const layer = layerFor(api.baseUrl, undefined)
      const started = Date.now()
      const warningsBefore = observer.warnings()

      yield* Effect.gen(function*() {
        // The storm: every request fails.
        const storm = yield* wave(300)
        tally(storm)
        const stormRetries = api.requests.length - 300
        expect(storm.every((exit) => Exit.isFailure(exit) && Cause.isFailType(exit.cause))).toBe(true)
        expect(storm.every((exit) => attemptsOf(exit) >= 1 && attemptsOf(exit) <= 3)).toBe(true)
        // Exactly what the budget pays for: 500 / 5.
        expect(stormRetries).toBe(100)
        // The budget said so, in the logs.
        expect(observer.warnings() - warningsBefore).toBeGreaterThanOrEqual(200 - 50)
        // Failing fast: 300 calls, with their retries, in well under a deadline.
        expect(Date.now() - started).toBeLessThan(30_000)

        // Recovery: 200 first-attempt successes put back 200 tokens.
        state.mode = "up"
        const recovery = yield* wave(200)
        tally(recovery)
        expect(recovery.every(Exit.isSuccess)).toBe(true)
        expect(api.requests.length).toBe(300 + 100 + 200)

        // A second storm: 200 tokens pay for 40 retries.
        state.mode = "down"
        const second = yield* wave(100)
        tally(second)
        expect(api.requests.length - 600 - 100).toBe(40)

        figures.section("storm", {
          calls: 300,
          retries: stormRetries,
          budgetRetries: 500 / 5,
          unbudgetedRetries: 300 * 2,
          recoveryCalls: 200,
          secondStormCalls: 100,
          secondStormRetries: api.requests.length - 700
        })
      }).pipe(Effect.provide(layer), observer.observe)
      figures.add({ requests: api.requests.length })
    }))

  it.scopedLive("without a budget the same storm is calls × 3 requests", () =>
    Effect.gen(function*() {
      const api = yield* server({ mode: "down" })
      const exits = yield* wave(100).pipe(Effect.provide(layerFor(api.baseUrl, false)), observer.observe)
      tally(exits)
      figures.add({ requests: api.requests.length })
      expect(api.requests).toHaveLength(300)
      expect(exits.every((exit) => attemptsOf(exit) === 3)).toBe(true)
    }))

  it.scopedLive("a partial outage (every other request fails): the default budget keeps paying for retries", () =>
    Effect.gen(function*() {
      let n = 0
      const api = yield* TestServer((_, res) =>
        n++ % 2 === 0 ? json(res, 503, { code: "SERVICE_UNAVAILABLE" }) : json(res, 200, widgetTokenBody)
      )
      const exits = yield* wave(400).pipe(
        Effect.provide(layerFor(api.baseUrl, undefined)),
        observer.observe
      )
      tally(exits)
      figures.add({ requests: api.requests.length })
      // Retried successes give their tokens back: about 7 calls in 8 succeed, as without a budget.
      expect(exits.filter(Exit.isSuccess).length).toBeGreaterThanOrEqual(320)
      expect(api.requests.length).toBeGreaterThan(400 + 150)
      expect(exits.every((exit) => Exit.isSuccess(exit) || Cause.isFailType(exit.cause))).toBe(true)
    }))

  it.live("no socket left open; the key appeared nowhere", () =>
    Effect.gen(function*() {
      const left = yield* socketsAbove(baselineSockets, 5_000)
      observer.restore()
      figures.add({ resourceLeaks: left, keyLeaks: observer.leaks().length, textsSearched: observer.texts() })
      expect(left).toBe(0)
      expect(observer.leaks()).toEqual([])
    }))
})
