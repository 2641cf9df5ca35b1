/**
 * The Effect 4 line's testing entry (`effect-synctera/effect4/testing`):
 * the in-memory layer (typed answers, the calls log, the controls,
 * idempotency on the TestClock) and the sandbox model on its own (answers,
 * idempotency, injected failures, at the wire level), as the Effect 3 line's
 * `test/testing-layer.test.ts` and `test/model.test.ts` test them.
 */
import { assert, describe, expect, it } from "@effect/vitest"
import { DateTime, Duration, Effect, Exit, Fiber, HashMap, Layer, Result, Schema } from "effect"
import { TestClock } from "effect/testing"
import { ErrorBody, FdxToken, FdxTokenId, Synctera, type SyncteraError, WidgetToken } from "../src/index.js"
import {
  defaultSeed,
  defaultSeedJson,
  type Failure,
  Idempotency,
  maxRecordedCalls,
  type Outcome,
  sandboxIds,
  SandboxModel,
  Seed,
  type Success,
  SyncteraTest
} from "../src/testing.js"

const isUuid = Schema.is(Schema.String.check(Schema.isUUID()))
const active = sandboxIds.cards.active

// --- the in-memory layer ---

const reveal = (idempotencyKey?: string) =>
  Synctera.getWidgetToken({
    cardId: active,
    widgetType: "REVEAL",
    ...(idempotencyKey === undefined ? {} : { idempotencyKey })
  })

const statusOf = (error: SyncteraError) => "status" in error ? error.status : undefined
const codeOf = (error: SyncteraError) => "code" in error ? error.code : undefined

const customSeed: Seed = {
  tenant: "tenant_x",
  cards: [{ id: "0a0a0a0a-0000-4000-8000-000000000001", state: "active" }],
  fdxTokens: [],
  customers: [],
  businesses: [],
  fdxAuthRequests: []
}

describe("SyncteraTest.layer", () => {
  it("is keyed effect-synctera/SyncteraTest", () => {
    expect(SyncteraTest.key).toBe("effect-synctera/SyncteraTest")
  })

  it.effect("answers from the default seed", () =>
    Effect.gen(function*() {
      const token = yield* reveal()
      expect(token.tenant).toBe(sandboxIds.tenant)
      expect(isUuid(token.widgetToken)).toBe(true)
      const fdx = yield* Synctera.getFdxToken({ fdxTokenId: sandboxIds.fdxTokens.usedRefresh })
      assert(Schema.is(Schema.toType(FdxToken))(fdx))
      expect(fdx.status).toBe("USED")
      expect(fdx.tokenType).toBe("REFRESH")
      expect(DateTime.isDateTime(fdx.creationTime)).toBe(true)
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

  it.effect("marks a 500 to a grant maybeApplied, as the live client does, and a 500 to a read not", () =>
    Effect.gen(function*() {
      const control = yield* SyncteraTest
      yield* control.failNext(2, { status: 500 })
      const grant = yield* Effect.flip(
        Synctera.grantFdxAuthRequest({ authRequestId: sandboxIds.fdxAuthRequests.pending, status: "DENIED" })
      )
      assert(grant._tag === "Internal")
      expect(grant.maybeApplied).toBe(true)
      const read = yield* Effect.flip(reveal())
      assert(read._tag === "Internal")
      expect(read.maybeApplied).toBeUndefined()
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
      for (const key of generated) expect(isUuid(key)).toBe(true)
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
        yield* Effect.result(
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
      const first = yield* Effect.forkChild(reveal("busy"))
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
      const token = Schema.decodeSync(Schema.toType(FdxToken))({
        ...base,
        id: FdxTokenId.make(other),
        tokenExpiryTime: DateTime.makeUnsafe("2030-01-01T00:00:00Z")
      })
      yield* control.addFdxTokens([token])
      expect(yield* Synctera.getFdxToken({ fdxTokenId: other })).toEqual(token)
      expect(control.seed.tenant).toBe("tenant_x")
    }).pipe(Effect.provide(SyncteraTest.layer(customSeed))))

  it.effect("the Plaid controls reach the service's answers", () =>
    Effect.gen(function*() {
      const control = yield* SyncteraTest
      const revoked = yield* control.revokeFdxToken(sandboxIds.fdxTokens.enabledAccess)
      expect(revoked.status).toBe("REVOKED")
      expect((yield* Synctera.getFdxToken({ fdxTokenId: sandboxIds.fdxTokens.enabledAccess })).status).toBe("REVOKED")
      const refused = yield* Effect.flip(control.exchange("no-such-code"))
      expect(refused._tag).toBe("ControlRefused")
      expect(refused.message).toBe(refused.reason)
      yield* control.setUris({ authenticationUri: "https://fintech.example/login" })
      const test = yield* Synctera.getAuthorizationTest()
      expect(test.redirectUrl?.startsWith("https://fintech.example/login?")).toBe(true)
      expect((yield* control.model.uris).authenticationUri).toBe("https://fintech.example/login")
    }).pipe(Effect.provide(SyncteraTest.layer())))

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

// --- the model on its own ---

const widget = (
  cardId: string,
  widgetType: string | undefined,
  idempotencyKey?: string
): SandboxModel.ModelRequest => ({
  operation: "getWidgetToken",
  params: { card_id: cardId },
  query: { widget_type: widgetType },
  idempotencyKey
})
const fdx = (fdxTokenId: string, idempotencyKey?: string): SandboxModel.ModelRequest => ({
  operation: "getFdxToken",
  params: { fdx_token_id: fdxTokenId },
  idempotencyKey
})

const successOf = (outcome: Outcome): Success =>
  outcome._tag === "Success" ? outcome : assert.fail(`expected a success, got ${JSON.stringify(outcome)}`)

const failureOf = (outcome: Outcome): Failure =>
  outcome._tag === "Failure" ? outcome : assert.fail(`expected a failure, got ${JSON.stringify(outcome)}`)

const tokenOf = (outcome: Outcome): string => Schema.decodeUnknownSync(WidgetToken)(successOf(outcome).body).widgetToken

const answerCodeOf = (outcome: Outcome) =>
  outcome._tag === "Failure" ? [outcome.status, outcome.body.code] : [outcome.status]

describe("the default seed", () => {
  it("has a card in each state and FDX tokens of every status and type, owned by customers and businesses", () => {
    expect(new Set(defaultSeed.cards.map((card) => card.state))).toEqual(
      new Set(["active", "forbidden", "terminated", "suspended"])
    )
    const kinds = new Set(defaultSeed.fdxTokens.map((token) => `${token.status} ${token.tokenType}`))
    for (const kind of ["ENABLED ACCESS", "ENABLED REFRESH", "REVOKED ACCESS", "REVOKED REFRESH", "USED REFRESH"]) {
      expect(kinds).toContain(kind)
    }
    for (const token of defaultSeed.fdxTokens) {
      // Exactly one owner, as Synctera documents.
      expect((token.customerId === undefined) !== (token.businessId === undefined)).toBe(true)
      // Effect 4 timestamps.
      expect(DateTime.isDateTime(token.creationTime)).toBe(true)
    }
    expect(defaultSeed.fdxTokens.some((token) => token.businessId !== undefined)).toBe(true)
    expect(defaultSeed.cards.map((card) => card.id)).not.toContain(sandboxIds.cards.unknown)
  })

  it("round-trips through its JSON form", () => {
    const json = JSON.parse(JSON.stringify(Schema.encodeSync(Seed)(defaultSeed)))
    expect(json).toEqual(defaultSeedJson)
    expect(Schema.decodeUnknownSync(Seed)(json)).toEqual(defaultSeed)
  })

  it("fills in the defaults of the JSON form: a card's state, no customers, businesses or auth requests", () => {
    const seed = Schema.decodeUnknownSync(Seed)({
      tenant: "t",
      cards: [{ id: "0a0a0a0a-0000-4000-8000-000000000001" }],
      fdx_tokens: []
    })
    expect(seed).toEqual({
      tenant: "t",
      cards: [{ id: "0a0a0a0a-0000-4000-8000-000000000001", state: "active" }],
      fdxTokens: [],
      customers: [],
      businesses: [],
      fdxAuthRequests: []
    })
    expect(Result.isFailure(Schema.decodeUnknownResult(Seed)({ tenant: "t", cards: [{ id: "x" }], fdx_tokens: [] })))
      .toBe(true)
    // Any 8-4-4-4-12 hex id, as the Effect 3 line's seed takes it (no RFC version or variant required).
    const loose = "c0000000-0000-0000-0000-000000000001"
    expect(Schema.decodeUnknownSync(Seed)({ tenant: "t", cards: [{ id: loose }], fdx_tokens: [] }).cards[0]?.id)
      .toBe(loose)
  })
})

describe("answers", () => {
  it.effect("a widget token is a fresh UUID for the seeded tenant, encoded as the wire shape", () =>
    Effect.gen(function*() {
      const model = yield* SandboxModel.make()
      const first = successOf(yield* model.handle(widget(active, "REVEAL")))
      const second = yield* model.handle(widget(active, "REVEAL"))
      expect(first.body).toEqual({ tenant: sandboxIds.tenant, widget_token: expect.any(String) })
      expect(isUuid(tokenOf(first))).toBe(true)
      expect(tokenOf(first)).not.toBe(tokenOf(second))
      expect(Schema.decodeUnknownSync(WidgetToken)(first.body).tenant).toBe(sandboxIds.tenant)
    }))

  it.effect("an FDX token is answered exactly as seeded", () =>
    Effect.gen(function*() {
      const model = yield* SandboxModel.make()
      for (const token of defaultSeed.fdxTokens) {
        const outcome = successOf(yield* model.handle(fdx(token.id)))
        expect(Schema.decodeUnknownSync(FdxToken)(outcome.body)).toEqual(token)
      }
    }))

  it.effect("ids are matched whatever their case", () =>
    Effect.gen(function*() {
      const model = yield* SandboxModel.make()
      expect(answerCodeOf(yield* model.handle(widget(active.toUpperCase(), "SET_PIN")))).toEqual([200])
    }))

  const cases: ReadonlyArray<readonly [string, SandboxModel.ModelRequest, number, string, Record<string, unknown>?]> = [
    ["card id not a UUID", widget("nope", "REVEAL"), 400, "BAD_REQUEST", { invalid: ["card_id"] }],
    ["widget_type missing", widget(active, undefined), 400, "BAD_REQUEST", { missing: ["widget_type"] }],
    ["widget_type unknown", widget(active, "PIN"), 400, "BAD_REQUEST", { invalid: ["widget_type"] }],
    ["unknown card", widget(sandboxIds.cards.unknown, "REVEAL"), 404, "RESOURCE_NOT_FOUND"],
    ["forbidden card", widget(sandboxIds.cards.forbidden, "REVEAL"), 403, "FORBIDDEN"],
    ["terminated card", widget(sandboxIds.cards.terminated, "GET_PIN"), 422, "CARD_TERMINATED"],
    ["suspended card", widget(sandboxIds.cards.suspended, "ACTIVATE"), 422, "CARD_SUSPENDED"],
    ["FDX id not a UUID", fdx("x"), 400, "BAD_REQUEST", { invalid: ["fdx_token_id"] }],
    ["unknown FDX token", fdx(sandboxIds.fdxTokens.unknown), 404, "RESOURCE_NOT_FOUND"],
    ["not authorized", { ...widget(active, "REVEAL"), authorized: false }, 401, "UNAUTHORIZED"]
  ]
  for (const [name, request, status, code, extra] of cases) {
    it.effect(`${name}: ${status} ${code}, in the documented error shape`, () =>
      Effect.gen(function*() {
        const model = yield* SandboxModel.make()
        const outcome = failureOf(yield* model.handle(request))
        expect(outcome.status).toBe(status)
        expect(outcome.body).toMatchObject({ code, status, ...extra })
        expect(typeof outcome.body.detail).toBe("string")
        // The body is what the client's own schema reads.
        expect(Schema.decodeUnknownSync(ErrorBody)(outcome.body)).toMatchObject({ code, status })
      }))
  }

  it.effect("cards and FDX tokens can be added or changed", () =>
    Effect.gen(function*() {
      const model = yield* SandboxModel.make()
      const id = "11111111-2222-4333-8444-555555555555"
      expect(answerCodeOf(yield* model.handle(widget(id, "REVEAL")))).toEqual([404, "RESOURCE_NOT_FOUND"])
      yield* model.addCards([{ id, state: "active" }])
      expect(answerCodeOf(yield* model.handle(widget(id, "REVEAL")))).toEqual([200])
      yield* model.addCards([{ id, state: "terminated" }])
      expect(answerCodeOf(yield* model.handle(widget(id, "REVEAL")))).toEqual([422, "CARD_TERMINATED"])
      const base = defaultSeed.fdxTokens[0]!
      const token = Schema.decodeSync(Schema.toType(FdxToken))({ ...base, id: FdxTokenId.make(id), status: "REVOKED" })
      yield* model.addFdxTokens([token])
      const outcome = successOf(yield* model.handle(fdx(id)))
      expect(Schema.decodeUnknownSync(FdxToken)(outcome.body).status).toBe("REVOKED")
    }))
})

describe("idempotency", () => {
  it.effect("same key, same request: the stored answer, status included", () =>
    Effect.gen(function*() {
      const model = yield* SandboxModel.make()
      const first = yield* model.handle(widget(active, "REVEAL", "k"))
      const again = yield* model.handle(widget(active, "REVEAL", "k"))
      expect(tokenOf(again)).toBe(tokenOf(first))
      const refused = yield* model.handle(widget(sandboxIds.cards.terminated, "REVEAL", "t"))
      expect(yield* model.handle(widget(sandboxIds.cards.terminated, "REVEAL", "t"))).toEqual(refused)
      // A change of state does not change a stored answer.
      yield* model.addCards([{ id: sandboxIds.cards.terminated, state: "active" }])
      expect(answerCodeOf(yield* model.handle(widget(sandboxIds.cards.terminated, "REVEAL", "t")))).toEqual([
        422,
        "CARD_TERMINATED"
      ])
      expect(answerCodeOf(yield* model.handle(widget(sandboxIds.cards.terminated, "REVEAL", "fresh")))).toEqual([200])
    }))

  it.effect("same key, different request (path or parameters): 422 IDEMPOTENCY_INVALID_REUSE", () =>
    Effect.gen(function*() {
      const model = yield* SandboxModel.make()
      const first = yield* model.handle(widget(active, "REVEAL", "k"))
      const reuse = [422, "IDEMPOTENCY_INVALID_REUSE"]
      expect(answerCodeOf(yield* model.handle(widget(active, "SET_PIN", "k")))).toEqual(reuse)
      expect(answerCodeOf(yield* model.handle(widget(active, undefined, "k")))).toEqual(reuse)
      expect(answerCodeOf(yield* model.handle(fdx(active, "k")))).toEqual(reuse)
      // The refusal is not stored in place of the first answer.
      expect(tokenOf(yield* model.handle(widget(active, "REVEAL", "k")))).toBe(tokenOf(first))
    }))

  it.effect("answers are kept for 7 days on the Clock, then the key is free again", () =>
    Effect.gen(function*() {
      const model = yield* SandboxModel.make()
      const first = tokenOf(yield* model.handle(widget(active, "REVEAL", "week")))
      yield* TestClock.adjust(Duration.millis(Idempotency.retentionMillis - 1))
      expect(tokenOf(yield* model.handle(widget(active, "REVEAL", "week")))).toBe(first)
      expect(answerCodeOf(yield* model.handle(widget(active, "GET_PIN", "week")))).toEqual([
        422,
        "IDEMPOTENCY_INVALID_REUSE"
      ])
      yield* TestClock.adjust(Duration.millis(1))
      const later = tokenOf(yield* model.handle(widget(active, "REVEAL", "week")))
      expect(later).not.toBe(first)
      // After expiry the key may even carry another request.
      yield* TestClock.adjust(Duration.days(8))
      expect(answerCodeOf(yield* model.handle(widget(active, "GET_PIN", "week")))).toEqual([200])
    }))

  it.effect("5xx, 429 and 409 answers are not kept: a retry with the same key runs again", () =>
    Effect.gen(function*() {
      for (const status of [500, 503, 429, 409]) {
        const model = yield* SandboxModel.make()
        yield* model.failNext(1, { status })
        expect(answerCodeOf(yield* model.handle(widget(active, "REVEAL", "k")))[0]).toBe(status)
        const retried = yield* model.handle(widget(active, "REVEAL", "k"))
        expect(tokenOf(yield* model.handle(widget(active, "REVEAL", "k")))).toBe(tokenOf(retried))
      }
    }))

  it.effect("other injected 4xx answers are kept like real ones", () =>
    Effect.gen(function*() {
      const model = yield* SandboxModel.make()
      yield* model.failNext(1, { status: 403, code: "NOPE" })
      expect(answerCodeOf(yield* model.handle(widget(active, "REVEAL", "k")))).toEqual([403, "NOPE"])
      expect(answerCodeOf(yield* model.handle(widget(active, "REVEAL", "k")))).toEqual([403, "NOPE"])
      expect(answerCodeOf(yield* model.handle(widget(active, "REVEAL", "other")))).toEqual([200])
    }))

  it.effect("same key while the first request runs: 409 IDEMPOTENCY_CONCURRENT_USE, then the first answer", () =>
    Effect.gen(function*() {
      const model = yield* SandboxModel.make()
      const first = yield* Effect.forkChild(model.handle(widget(active, "REVEAL", "k"), { latency: "1 second" }))
      yield* TestClock.adjust("10 millis")
      const during = yield* model.handle(widget(active, "REVEAL", "k"))
      expect(answerCodeOf(during)).toEqual([409, "IDEMPOTENCY_CONCURRENT_USE"])
      // A different request with the running key is a reuse, not a concurrent use.
      expect(answerCodeOf(yield* model.handle(widget(active, "GET_PIN", "k")))).toEqual([
        422,
        "IDEMPOTENCY_INVALID_REUSE"
      ])
      yield* TestClock.adjust("1 second")
      const answer = yield* Fiber.join(first)
      expect(tokenOf(yield* model.handle(widget(active, "REVEAL", "k")))).toBe(tokenOf(answer))
    }))

  it.effect("an interrupted request frees its key", () =>
    Effect.gen(function*() {
      const model = yield* SandboxModel.make()
      const first = yield* Effect.forkChild(model.handle(widget(active, "REVEAL", "k"), { latency: "1 second" }))
      yield* TestClock.adjust("10 millis")
      yield* Fiber.interrupt(first)
      expect(answerCodeOf(yield* model.handle(widget(active, "REVEAL", "k")))).toEqual([200])
    }))

  it.effect("a replay does not use up a queued failure", () =>
    Effect.gen(function*() {
      const model = yield* SandboxModel.make()
      const first = tokenOf(yield* model.handle(widget(active, "REVEAL", "k")))
      yield* model.failNext(1, { status: 500 })
      expect(tokenOf(yield* model.handle(widget(active, "REVEAL", "k")))).toBe(first)
      expect(answerCodeOf(yield* model.handle(widget(active, "REVEAL")))).toEqual([500, "INTERNAL_SERVER_ERROR"])
      expect(answerCodeOf(yield* model.handle(widget(active, "REVEAL")))).toEqual([200])
    }))

  it("the store keeps at most maxEntries keys, dropping the oldest answers first", () => {
    const answer: Outcome = { _tag: "Success", status: 200, body: { tenant: "t", widget_token: "w" } }
    let store: Idempotency.Store = Idempotency.begin(
      Idempotency.begin(HashMap.empty(), "running", "f", 0, 1)[1],
      "x",
      "f",
      0,
      2
    )[1]
    store = Idempotency.finish(store, "x", 2, answer, 0)
    for (let i = 0; i < Idempotency.maxEntries + 5; i++) {
      const [, reserved] = Idempotency.begin(store, `k${i}`, "f", i + 1, i + 10)
      store = Idempotency.finish(reserved, `k${i}`, i + 10, answer, i + 1)
    }
    expect(HashMap.size(store)).toBeLessThanOrEqual(Idempotency.maxEntries)
    expect(Idempotency.begin(store, "running", "f", 0, 99)[0]._tag).toBe("Answer")
    expect(Idempotency.begin(store, "x", "f", 0, 99)[0]._tag).toBe("Run")
    expect(Idempotency.begin(store, `k${Idempotency.maxEntries + 4}`, "f", 0, 99)[0]).toMatchObject({ replayed: true })
  })
})

describe("injected failures", () => {
  it.effect("failNext answers the next n requests with the status's usual code, or the given one", () =>
    Effect.gen(function*() {
      const model = yield* SandboxModel.make()
      yield* model.failNext(2, { status: 503 })
      yield* model.failNext(1, { status: 429, retryAfter: 7 })
      yield* model.failNext(1, { status: 500, code: "BOOM", detail: "it broke" })
      expect(answerCodeOf(yield* model.handle(widget(active, "REVEAL")))).toEqual([503, "SERVICE_UNAVAILABLE"])
      expect(answerCodeOf(yield* model.handle(fdx("not even a uuid")))).toEqual([503, "SERVICE_UNAVAILABLE"])
      const limited = failureOf(yield* model.handle(widget(active, "REVEAL")))
      expect(limited.body).toMatchObject({ code: "TOO_MANY_REQUESTS", status: 429, retry_after: 7 })
      expect(limited.headers).toEqual({ "retry-after": "7" })
      expect(yield* model.handle(widget(active, "REVEAL"))).toMatchObject({
        status: 500,
        body: { code: "BOOM", detail: "it broke", status: 500 }
      })
      expect(answerCodeOf(yield* model.handle(widget(active, "REVEAL")))).toEqual([200])
    }))

  it.effect("failNext refuses a count that is not a whole number, as a defect", () =>
    Effect.gen(function*() {
      const model = yield* SandboxModel.make()
      const exit = yield* Effect.exit(model.failNext(1.5, { status: 500 }))
      assert(Exit.isFailure(exit))
      expect(Exit.hasDies(exit)).toBe(true)
    }))

  it.effect("a fault passed with the request comes after queued failures", () =>
    Effect.gen(function*() {
      const model = yield* SandboxModel.make()
      yield* model.failNext(1, { status: 502 })
      expect(answerCodeOf(yield* model.handle(widget(active, "REVEAL"), { fault: { status: 504 } }))).toEqual([
        502,
        "BAD_GATEWAY"
      ])
      expect(answerCodeOf(yield* model.handle(widget(active, "REVEAL"), { fault: { status: 504 } }))).toEqual([
        504,
        "GATEWAY_TIMEOUT"
      ])
    }))
})

describe("the Plaid controls", () => {
  it.effect("refuse with a ControlRefused that says why", () =>
    Effect.gen(function*() {
      const model = yield* SandboxModel.make()
      const refused = yield* Effect.flip(model.revokeFdxToken(sandboxIds.fdxTokens.unknown))
      expect(refused).toBeInstanceOf(SandboxModel.ControlRefused)
      expect(refused._tag).toBe("ControlRefused")
      expect(refused.name).toBe("ControlRefused")
      expect(refused.message).toBe(refused.reason)
      const issued = yield* model.refreshFdxToken(sandboxIds.fdxTokens.enabledRefresh)
      expect(issued.map((token) => token.status)).toEqual(["USED", "ENABLED", "ENABLED"])
      expect(issued.every((token) => DateTime.isDateTime(token.lastUpdatedTime))).toBe(true)
    }))

  it.effect("read the time from the Clock", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.parse("2030-06-01T00:00:00.000Z"))
      const model = yield* SandboxModel.make()
      const [used] = yield* model.refreshFdxToken(sandboxIds.fdxTokens.enabledRefresh)
      expect(used && DateTime.formatIso(used.lastUpdatedTime)).toBe("2030-06-01T00:00:00.000Z")
    }))
})
