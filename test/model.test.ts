/**
 * The sandbox model on its own: answers, idempotency (under TestClock) and
 * injected failures, at the wire level.
 */
import { assert, describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Fiber, HashMap, Schema, TestClock } from "effect"
import { ErrorBody, FdxToken, FdxTokenId, WidgetToken } from "../src/index.js"
import {
  defaultSeed,
  defaultSeedJson,
  type Failure,
  Idempotency,
  type Outcome,
  sandboxIds,
  SandboxModel,
  Seed,
  type Success
} from "../src/testing.js"

const active = sandboxIds.cards.active
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

const codeOf = (outcome: Outcome) => outcome._tag === "Failure" ? [outcome.status, outcome.body.code] : [outcome.status]

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
    }
    expect(defaultSeed.fdxTokens.some((token) => token.businessId !== undefined)).toBe(true)
    expect(defaultSeed.cards.map((card) => card.id)).not.toContain(sandboxIds.cards.unknown)
  })

  it("round-trips through its JSON form", () => {
    const json = JSON.parse(JSON.stringify(Schema.encodeSync(Seed)(defaultSeed)))
    expect(json).toEqual(defaultSeedJson)
    expect(Schema.decodeUnknownSync(Seed)(json)).toEqual(defaultSeed)
  })
})

describe("answers", () => {
  it.effect("a widget token is a fresh UUID for the seeded tenant, encoded as the wire shape", () =>
    Effect.gen(function*() {
      const model = yield* SandboxModel.make()
      const first = successOf(yield* model.handle(widget(active, "REVEAL")))
      const second = yield* model.handle(widget(active, "REVEAL"))
      expect(first.body).toEqual({ tenant: sandboxIds.tenant, widget_token: expect.any(String) })
      expect(Schema.is(Schema.UUID)(tokenOf(first))).toBe(true)
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
      expect(codeOf(yield* model.handle(widget(active.toUpperCase(), "SET_PIN")))).toEqual([200])
    }))

  const cases: ReadonlyArray<readonly [string, SandboxModel.ModelRequest, number, string, Record<string, unknown>?]> = [
    ["card id not a UUID", widget("nope", "REVEAL"), 400, "BAD_REQUEST", { invalid: ["card_id"] }],
    ["widget_type missing", widget(active, undefined), 400, "BAD_REQUEST", { missing: ["widget_type"] }],
    ["widget_type unknown", widget(active, "PIN"), 400, "BAD_REQUEST", { invalid: ["widget_type"] }],
    ["unknown card", widget(sandboxIds.cards.unknown, "REVEAL"), 404, "RESOURCE_NOT_FOUND"],
    ["forbidden card", widget(sandboxIds.cards.forbidden, "REVEAL"), 403, "FORBIDDEN"],
    ["terminated card", widget(sandboxIds.cards.terminated, "GET_PIN"), 422, "CARD_TERMINATED"],
    ["suspended card", widget(sandboxIds.cards.suspended, "ACTIVATE"), 422, "CARD_SUSPENDED"],
    ["FDX id not a UUID", fdx("x"), 400, "BAD_REQUEST", {
      invalid: ["fdx_token_id"]
    }],
    [
      "unknown FDX token",
      fdx(sandboxIds.fdxTokens.unknown),
      404,
      "RESOURCE_NOT_FOUND"
    ],
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
      expect(codeOf(yield* model.handle(widget(id, "REVEAL")))).toEqual([404, "RESOURCE_NOT_FOUND"])
      yield* model.addCards([{ id, state: "active" }])
      expect(codeOf(yield* model.handle(widget(id, "REVEAL")))).toEqual([200])
      yield* model.addCards([{ id, state: "terminated" }])
      expect(codeOf(yield* model.handle(widget(id, "REVEAL")))).toEqual([422, "CARD_TERMINATED"])
      const base = defaultSeed.fdxTokens[0]!
      const token = Schema.validateSync(Schema.typeSchema(FdxToken))({
        ...base,
        id: FdxTokenId.make(id),
        status: "REVOKED"
      })
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
      expect(codeOf(yield* model.handle(widget(sandboxIds.cards.terminated, "REVEAL", "t")))).toEqual([
        422,
        "CARD_TERMINATED"
      ])
      expect(codeOf(yield* model.handle(widget(sandboxIds.cards.terminated, "REVEAL", "fresh")))).toEqual([200])
    }))

  it.effect("same key, different request (path or parameters): 422 IDEMPOTENCY_INVALID_REUSE", () =>
    Effect.gen(function*() {
      const model = yield* SandboxModel.make()
      const first = yield* model.handle(widget(active, "REVEAL", "k"))
      expect(codeOf(yield* model.handle(widget(active, "SET_PIN", "k")))).toEqual([422, "IDEMPOTENCY_INVALID_REUSE"])
      expect(codeOf(yield* model.handle(widget(active, undefined, "k")))).toEqual([422, "IDEMPOTENCY_INVALID_REUSE"])
      expect(codeOf(yield* model.handle(fdx(active, "k"))))
        .toEqual([422, "IDEMPOTENCY_INVALID_REUSE"])
      // The refusal is not stored in place of the first answer.
      expect(tokenOf(yield* model.handle(widget(active, "REVEAL", "k")))).toBe(tokenOf(first))
    }))

  it.effect("answers are kept for 7 days on the Clock, then the key is free again", () =>
    Effect.gen(function*() {
      const model = yield* SandboxModel.make()
      const first = tokenOf(yield* model.handle(widget(active, "REVEAL", "week")))
      yield* TestClock.adjust(Duration.millis(Idempotency.retentionMillis - 1))
      expect(tokenOf(yield* model.handle(widget(active, "REVEAL", "week")))).toBe(first)
      expect(codeOf(yield* model.handle(widget(active, "GET_PIN", "week")))).toEqual([422, "IDEMPOTENCY_INVALID_REUSE"])
      yield* TestClock.adjust(Duration.millis(1))
      const later = tokenOf(yield* model.handle(widget(active, "REVEAL", "week")))
      expect(later).not.toBe(first)
      // After expiry the key may even carry another request.
      yield* TestClock.adjust(Duration.days(8))
      expect(codeOf(yield* model.handle(widget(active, "GET_PIN", "week")))).toEqual([200])
    }))

  it.effect("5xx, 429 and 409 answers are not kept: a retry with the same key runs again", () =>
    Effect.gen(function*() {
      for (const status of [500, 503, 429, 409]) {
        const model = yield* SandboxModel.make()
        yield* model.failNext(1, { status })
        expect(codeOf(yield* model.handle(widget(active, "REVEAL", "k")))[0]).toBe(status)
        const retried = yield* model.handle(widget(active, "REVEAL", "k"))
        expect(tokenOf(yield* model.handle(widget(active, "REVEAL", "k")))).toBe(tokenOf(retried))
      }
    }))

  it.effect("other injected 4xx answers are kept like real ones", () =>
    Effect.gen(function*() {
      const model = yield* SandboxModel.make()
      yield* model.failNext(1, { status: 403, code: "NOPE" })
      expect(codeOf(yield* model.handle(widget(active, "REVEAL", "k")))).toEqual([403, "NOPE"])
      expect(codeOf(yield* model.handle(widget(active, "REVEAL", "k")))).toEqual([403, "NOPE"])
      expect(codeOf(yield* model.handle(widget(active, "REVEAL", "other")))).toEqual([200])
    }))

  it.effect("same key while the first request runs: 409 IDEMPOTENCY_CONCURRENT_USE, then the first answer", () =>
    Effect.gen(function*() {
      const model = yield* SandboxModel.make()
      const first = yield* Effect.fork(model.handle(widget(active, "REVEAL", "k"), { latency: "1 second" }))
      yield* TestClock.adjust("10 millis")
      const during = yield* model.handle(widget(active, "REVEAL", "k"))
      expect(codeOf(during)).toEqual([409, "IDEMPOTENCY_CONCURRENT_USE"])
      // A different request with the running key is a reuse, not a concurrent use.
      expect(codeOf(yield* model.handle(widget(active, "GET_PIN", "k")))).toEqual([422, "IDEMPOTENCY_INVALID_REUSE"])
      yield* TestClock.adjust("1 second")
      const answer = yield* Fiber.join(first)
      expect(tokenOf(yield* model.handle(widget(active, "REVEAL", "k")))).toBe(tokenOf(answer))
    }))

  it.effect("an interrupted request frees its key", () =>
    Effect.gen(function*() {
      const model = yield* SandboxModel.make()
      const first = yield* Effect.fork(model.handle(widget(active, "REVEAL", "k"), { latency: "1 second" }))
      yield* TestClock.adjust("10 millis")
      yield* Fiber.interrupt(first)
      expect(codeOf(yield* model.handle(widget(active, "REVEAL", "k")))).toEqual([200])
    }))

  it.effect("a replay does not use up a queued failure", () =>
    Effect.gen(function*() {
      const model = yield* SandboxModel.make()
      const first = tokenOf(yield* model.handle(widget(active, "REVEAL", "k")))
      yield* model.failNext(1, { status: 500 })
      expect(tokenOf(yield* model.handle(widget(active, "REVEAL", "k")))).toBe(first)
      expect(codeOf(yield* model.handle(widget(active, "REVEAL")))).toEqual([500, "INTERNAL_SERVER_ERROR"])
      expect(codeOf(yield* model.handle(widget(active, "REVEAL")))).toEqual([200])
    }))

  it("the store keeps at most maxEntries keys, dropping the oldest answers first", () => {
    let store: Idempotency.Store = Idempotency.begin(
      Idempotency.begin(HashMap.empty(), "running", "f", 0, 1)[1],
      "x",
      "f",
      0,
      2
    )[1]
    store = Idempotency.finish(store, "x", 2, {
      _tag: "Success",
      status: 200,
      body: { tenant: "t", widget_token: "w" }
    }, 0)
    for (let i = 0; i < Idempotency.maxEntries + 5; i++) {
      const [, reserved] = Idempotency.begin(store, `k${i}`, "f", i + 1, i + 10)
      store = Idempotency.finish(reserved, `k${i}`, i + 10, {
        _tag: "Success",
        status: 200,
        body: { tenant: "t", widget_token: "w" }
      }, i + 1)
    }
    expect(sizeOf(store)).toBeLessThanOrEqual(Idempotency.maxEntries)
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
      expect(codeOf(yield* model.handle(widget(active, "REVEAL")))).toEqual([503, "SERVICE_UNAVAILABLE"])
      expect(codeOf(yield* model.handle(fdx("not even a uuid"))))
        .toEqual([503, "SERVICE_UNAVAILABLE"])
      const limited = failureOf(yield* model.handle(widget(active, "REVEAL")))
      expect(limited.body).toMatchObject({ code: "TOO_MANY_REQUESTS", status: 429, retry_after: 7 })
      expect(limited.headers).toEqual({ "retry-after": "7" })
      expect(yield* model.handle(widget(active, "REVEAL"))).toMatchObject({
        status: 500,
        body: { code: "BOOM", detail: "it broke", status: 500 }
      })
      expect(codeOf(yield* model.handle(widget(active, "REVEAL")))).toEqual([200])
    }))

  it.effect("failNext refuses a count that is not a whole number", () =>
    Effect.gen(function*() {
      const model = yield* SandboxModel.make()
      const exit = yield* Effect.exit(model.failNext(1.5, { status: 500 }))
      expect(exit._tag).toBe("Failure")
    }))

  it.effect("a fault passed with the request comes after queued failures", () =>
    Effect.gen(function*() {
      const model = yield* SandboxModel.make()
      yield* model.failNext(1, { status: 502 })
      expect(codeOf(yield* model.handle(widget(active, "REVEAL"), { fault: { status: 504 } }))).toEqual([
        502,
        "BAD_GATEWAY"
      ])
      expect(codeOf(yield* model.handle(widget(active, "REVEAL"), { fault: { status: 504 } }))).toEqual([
        504,
        "GATEWAY_TIMEOUT"
      ])
    }))
})

const sizeOf = (store: Idempotency.Store): number => HashMap.size(store)
