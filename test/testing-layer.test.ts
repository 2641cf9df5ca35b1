/**
 * The in-memory layer (`effect-synctera/testing`): typed answers, the calls
 * log, the controls, idempotency on the TestClock.
 */
import { assert, describe, expect, it } from "@effect/vitest"
import { DateTime, Duration, Effect, Fiber, Layer, Schema, TestClock } from "effect"
import { FdxToken, FdxTokenId, Synctera, type SyncteraError } from "../src/index.js"
import { defaultSeed, maxRecordedCalls, sandboxIds, type Seed, SyncteraTest } from "../src/testing.js"

const active = sandboxIds.cards.active
const reveal = (idempotencyKey?: string) =>
  Synctera.getWidgetToken({
    cardId: active,
    widgetType: "REVEAL",
    ...(idempotencyKey === undefined ? {} : { idempotencyKey })
  })

const statusOf = (error: SyncteraError) => "status" in error ? error.status : undefined
const codeOf = (error: SyncteraError) => "code" in error ? error.code : undefined

describe("SyncteraTest.layer", () => {
  it.effect("answers from the default seed", () =>
    Effect.gen(function*() {
      const token = yield* reveal()
      expect(token.tenant).toBe(sandboxIds.tenant)
      expect(Schema.is(Schema.UUID)(token.widgetToken)).toBe(true)
      const fdx = yield* Synctera.getFdxToken({ fdxTokenId: sandboxIds.fdxTokens.usedRefresh })
      assert(Schema.is(Schema.typeSchema(FdxToken))(fdx))
      expect(fdx.status).toBe("USED")
      expect(fdx.tokenType).toBe("REFRESH")
      // A status the client does not know decodes as an open-enum value, not an error.
      const unknown = yield* Synctera.getFdxToken({ fdxTokenId: sandboxIds.fdxTokens.unrecognizedStatus })
      expect(unknown.status).toBe("SUSPENDED")
    }).pipe(Effect.provide(SyncteraTest.layer())))

  it.effect("turns error answers into the live client's typed errors, after 1 attempt", () =>
    Effect.gen(function*() {
      const terminated = yield* Effect.flip(
        Synctera.getWidgetToken({ cardId: sandboxIds.cards.terminated, widgetType: "SET_PIN" })
      )
      assert(terminated._tag === "Unprocessable")
      expect(terminated).toMatchObject({
        status: 422,
        code: "CARD_TERMINATED",
        attempts: 1,
        operation: "getWidgetToken"
      })
      expect(JSON.parse(terminated.body ?? "")).toMatchObject({ code: "CARD_TERMINATED", status: 422 })
      expect(terminated.message).toContain("CARD_TERMINATED")
      const forbidden = yield* Effect.flip(
        Synctera.getWidgetToken({ cardId: sandboxIds.cards.forbidden, widgetType: "REVEAL" })
      )
      expect(forbidden._tag).toBe("Forbidden")
      const missing = yield* Effect.flip(Synctera.getFdxToken({ fdxTokenId: sandboxIds.fdxTokens.unknown }))
      expect(missing._tag).toBe("NotFound")
      expect(codeOf(missing)).toBe("RESOURCE_NOT_FOUND")
    }).pipe(Effect.provide(SyncteraTest.layer())))

  it.effect("records each call with its idempotency key; a generated key is a fresh UUID", () =>
    Effect.gen(function*() {
      const control = yield* SyncteraTest
      yield* reveal("mine")
      yield* reveal()
      yield* reveal()
      yield* Synctera.getFdxToken({ fdxTokenId: sandboxIds.fdxTokens.enabledAccess })
      const calls = yield* control.calls
      expect(calls.map((call) => call.operation)).toEqual([
        "getWidgetToken",
        "getWidgetToken",
        "getWidgetToken",
        "getFdxToken"
      ])
      expect(calls[0]).toMatchObject({ idempotencyKey: "mine", input: { cardId: active, widgetType: "REVEAL" } })
      const generated = [calls[1]?.idempotencyKey, calls[2]?.idempotencyKey]
      for (const key of generated) expect(Schema.is(Schema.UUID)(key)).toBe(true)
      expect(generated[0]).not.toBe(generated[1])
      expect(calls[3]).toMatchObject({
        idempotencyKey: undefined,
        input: { fdxTokenId: sandboxIds.fdxTokens.enabledAccess }
      })
    }).pipe(Effect.provide(SyncteraTest.layer())))

  it.effect("input refused before sending is not a call", () =>
    Effect.gen(function*() {
      const control = yield* SyncteraTest
      const error = yield* Effect.flip(Synctera.getWidgetToken({ cardId: "../admin", widgetType: "REVEAL" }))
      assert(error._tag === "InvalidInput")
      expect(error.description).toContain("cardId")
      const key = yield* Effect.flip(reveal("has space"))
      expect(key._tag).toBe("InvalidInput")
      expect(yield* control.calls).toEqual([])
    }).pipe(Effect.provide(SyncteraTest.layer())))

  it.effect("keeps the most recent calls, oldest first", () =>
    Effect.gen(function*() {
      const control = yield* SyncteraTest
      const total = 2 * maxRecordedCalls + 5
      for (let i = 0; i < total; i++) {
        yield* Effect.either(
          Synctera.getWidgetToken({ cardId: sandboxIds.cards.active, widgetType: "REVEAL", idempotencyKey: `k${i}` })
        )
      }
      const calls = yield* control.calls
      expect(calls).toHaveLength(maxRecordedCalls)
      expect(calls[0]?.idempotencyKey).toBe(`k${total - maxRecordedCalls}`)
      expect(calls.at(-1)?.idempotencyKey).toBe(`k${total - 1}`)
    }).pipe(Effect.provide(SyncteraTest.layer())))

  it.effect("failNext makes the next calls fail with the given status, then recovers", () =>
    Effect.gen(function*() {
      const control = yield* SyncteraTest
      yield* control.failNext(2, { status: 503 })
      yield* control.failNext(1, { status: 429, retryAfter: 3 })
      const first = yield* Effect.flip(reveal())
      expect([first._tag, statusOf(first), codeOf(first)]).toEqual(["Internal", 503, "SERVICE_UNAVAILABLE"])
      const second = yield* Effect.flip(Synctera.getFdxToken({ fdxTokenId: sandboxIds.fdxTokens.enabledAccess }))
      expect(second._tag).toBe("Internal")
      const third = yield* Effect.flip(reveal())
      assert(third._tag === "RateLimited")
      expect(third.retryAfter).toEqual(Duration.seconds(3))
      expect((yield* reveal()).tenant).toBe(sandboxIds.tenant)
      expect((yield* control.calls).length).toBe(4)
    }).pipe(Effect.provide(SyncteraTest.layer())))

  it.effect("a key reused after a 5xx runs again; after a success it replays", () =>
    Effect.gen(function*() {
      const control = yield* SyncteraTest
      yield* control.failNext(1, { status: 500 })
      expect((yield* Effect.flip(reveal("retry-me")))._tag).toBe("Internal")
      const ok = yield* reveal("retry-me")
      expect((yield* reveal("retry-me")).widgetToken).toBe(ok.widgetToken)
      const reuse = yield* Effect.flip(
        Synctera.getWidgetToken({ cardId: active, widgetType: "GET_PIN", idempotencyKey: "retry-me" })
      )
      expect([reuse._tag, codeOf(reuse)]).toEqual(["Unprocessable", "IDEMPOTENCY_INVALID_REUSE"])
    }).pipe(Effect.provide(SyncteraTest.layer())))

  it.effect("replays for 7 days on the TestClock, then issues a new token", () =>
    Effect.gen(function*() {
      const first = yield* reveal("weekly")
      yield* TestClock.adjust(Duration.subtract(Duration.days(7), Duration.millis(1)))
      expect((yield* reveal("weekly")).widgetToken).toBe(first.widgetToken)
      yield* TestClock.adjust(Duration.millis(1))
      expect((yield* reveal("weekly")).widgetToken).not.toBe(first.widgetToken)
    }).pipe(Effect.provide(SyncteraTest.layer())))

  it.effect("with latency, the same key during the first call is a Conflict (IDEMPOTENCY_CONCURRENT_USE)", () =>
    Effect.gen(function*() {
      const control = yield* SyncteraTest
      yield* control.setLatency("2 seconds")
      const first = yield* Effect.fork(reveal("busy"))
      yield* TestClock.adjust("1 second")
      const during = yield* Effect.flip(reveal("busy"))
      expect([during._tag, statusOf(during), codeOf(during)]).toEqual(["Conflict", 409, "IDEMPOTENCY_CONCURRENT_USE"])
      yield* TestClock.adjust("1 second")
      const token = yield* Fiber.join(first)
      yield* control.setLatency(0)
      expect((yield* reveal("busy")).widgetToken).toBe(token.widgetToken)
    }).pipe(Effect.provide(SyncteraTest.layer())))

  it.effect("cards and FDX tokens can be seeded at build time and added later", () =>
    Effect.gen(function*() {
      const control = yield* SyncteraTest
      const cardId = "0a0a0a0a-0000-4000-8000-000000000001"
      expect((yield* Synctera.getWidgetToken({ cardId, widgetType: "ACTIVATE" })).tenant).toBe("tenant_x")
      const other = "0a0a0a0a-0000-4000-8000-000000000002"
      expect((yield* Effect.flip(Synctera.getWidgetToken({ cardId: other, widgetType: "ACTIVATE" })))._tag).toBe(
        "NotFound"
      )
      yield* control.addCards([{ id: other, state: "suspended" }])
      const suspended = yield* Effect.flip(Synctera.getWidgetToken({ cardId: other, widgetType: "ACTIVATE" }))
      expect(codeOf(suspended)).toBe("CARD_SUSPENDED")
      const base = defaultSeed.fdxTokens[0]!
      const token = Schema.validateSync(Schema.typeSchema(FdxToken))({
        ...base,
        id: FdxTokenId.make(other),
        tokenExpiryTime: DateTime.unsafeMake("2030-01-01T00:00:00Z")
      })
      yield* control.addFdxTokens([token])
      expect(yield* Synctera.getFdxToken({ fdxTokenId: other })).toEqual(token)
      expect(control.seed.tenant).toBe("tenant_x")
    }).pipe(Effect.provide(SyncteraTest.layer(customSeed))))

  it.effect("each build of the layer is a fresh Synctera", () =>
    Effect.gen(function*() {
      const layer = SyncteraTest.layer()
      const first = yield* reveal("same-key").pipe(Effect.provide(layer))
      const second = yield* reveal("same-key").pipe(Effect.provide(layer))
      expect(second.widgetToken).not.toBe(first.widgetToken)
      const shared = yield* Effect.gen(function*() {
        const a = yield* reveal("same-key")
        const b = yield* reveal("same-key")
        return a.widgetToken === b.widgetToken
      }).pipe(Effect.provide(Layer.fresh(layer)))
      expect(shared).toBe(true)
    }))
})

const customSeed: Seed = {
  tenant: "tenant_x",
  cards: [{ id: "0a0a0a0a-0000-4000-8000-000000000001", state: "active" }],
  fdxTokens: [],
  customers: [],
  businesses: [],
  fdxAuthRequests: []
}
