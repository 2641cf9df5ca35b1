/**
 * The core's state machine on its own, without Effect: the caller owns the
 * clock (`now`) and runs each request's steps itself, as each Effect line
 * does.
 */
import { describe, expect, it } from "@effect/vitest"
import type { ModelRequest } from "../src/core/model/Answers.js"
import * as Idempotency from "../src/core/model/Idempotency.js"
import * as Machine from "../src/core/model/Machine.js"
import type { Outcome } from "../src/core/model/Outcome.js"
import { defaultSeedJson, sandboxIds } from "../src/core/model/Seed.js"

const widget = (idempotencyKey?: string, widgetType = "REVEAL"): ModelRequest => ({
  operation: "getWidgetToken",
  params: { card_id: sandboxIds.cards.active },
  query: { widget_type: widgetType },
  idempotencyKey
})

/** A request's steps at one time, as a caller without latency runs them. */
const handle = (machine: Machine.Machine, request: ModelRequest, now: number): Outcome => {
  const admission = Machine.admit(request)
  if (admission._tag === "Answer") return admission.outcome
  const key = admission.key
  if (key === undefined) return machine.answer(request, undefined, now)
  const decision = machine.begin(key, request, now)
  if (decision._tag === "Answer") return decision.outcome
  const outcome = machine.answer(request, undefined, now)
  machine.finish(key, decision.ticket, outcome, now)
  return outcome
}

const defined = <A>(value: A | undefined): A => value ?? expect.unreachable("expected a value")

const codeOf = (outcome: Outcome) => outcome._tag === "Failure" ? [outcome.status, outcome.body.code] : [outcome.status]

const widgetTokenOf = (outcome: Outcome): unknown =>
  outcome._tag === "Success" && typeof outcome.body === "object" && outcome.body !== null
    ? Object.entries(outcome.body).find(([name]) => name === "widget_token")?.[1]
    : undefined

describe("the core machine", () => {
  it("answers from the wire seed", () => {
    const machine = Machine.make(defaultSeedJson)
    expect(machine.tenant).toBe(sandboxIds.tenant)
    expect(handle(machine, widget(), 0)).toMatchObject({ status: 200, body: { tenant: sandboxIds.tenant } })
    const token = handle(machine, {
      operation: "getFdxToken",
      params: { fdx_token_id: sandboxIds.fdxTokens.enabledAccess.toUpperCase() }
    }, 0)
    expect(token).toEqual({ _tag: "Success", status: 200, body: defaultSeedJson.fdx_tokens[0] })
    expect(codeOf(handle(machine, { ...widget(), authorized: false }, 0))).toEqual([401, "UNAUTHORIZED"])
    expect(codeOf(handle(machine, widget(undefined, "NOPE"), 0))).toEqual([400, "BAD_REQUEST"])
  })

  it("keeps an answer for its key for 7 days of the caller's clock, and refuses a key's other uses", () => {
    const machine = Machine.make(defaultSeedJson)
    const first = widgetTokenOf(handle(machine, widget("k"), 0))
    expect(first).toBeTypeOf("string")
    expect(widgetTokenOf(handle(machine, widget("k"), Idempotency.retentionMillis - 1))).toBe(first)
    expect(codeOf(handle(machine, widget("k", "GET_PIN"), 1))).toEqual([422, "IDEMPOTENCY_INVALID_REUSE"])
    expect(widgetTokenOf(handle(machine, widget("k"), Idempotency.retentionMillis))).not.toBe(first)
  })

  it("reserves a key between begin and finish; a run that ends with no answer frees it", () => {
    const machine = Machine.make(defaultSeedJson)
    expect(Machine.admit(widget("k"))).toEqual({ _tag: "Run", key: "k" })
    expect(machine.begin("k", widget("k"), 0)).toEqual({ _tag: "Run", ticket: 1 })
    expect(codeOf(handle(machine, widget("k"), 0))).toEqual([409, "IDEMPOTENCY_CONCURRENT_USE"])
    machine.finish("k", 1, undefined, 0)
    expect(machine.begin("k", widget("k"), 0)).toEqual({ _tag: "Run", ticket: 2 })
  })

  it("honours no key for the applyOnce operations, and answers 401 before any key", () => {
    expect(Machine.admit({ operation: "getAuthorizationTest", idempotencyKey: "k" })).toEqual({
      _tag: "Run",
      key: undefined
    })
    expect(Machine.admit({ operation: "grantFdxAuthRequest", idempotencyKey: "k" })).toEqual({
      _tag: "Run",
      key: undefined
    })
    expect(Machine.admit({ ...widget("k"), authorized: false })).toMatchObject({
      _tag: "Answer",
      outcome: { status: 401, body: { code: "UNAUTHORIZED" } }
    })
  })

  it("answers queued failures first, then the caller's fault; refuses a count that is not whole", () => {
    const machine = Machine.make(defaultSeedJson)
    expect(machine.failNext(1.5, { status: 500 })).toBe("failNext expects a whole number of calls, got 1.5")
    expect(machine.failNext(1, { status: 429, retryAfter: 3 })).toBe(true)
    expect(machine.answer(widget(), { status: 504 }, 0)).toEqual({
      _tag: "Failure",
      status: 429,
      body: {
        code: "TOO_MANY_REQUESTS",
        detail: "rate limit exceeded, slow down (injected)",
        status: 429,
        retry_after: 3
      },
      headers: { "retry-after": "3" }
    })
    expect(codeOf(machine.answer(widget(), { status: 504 }, 0))).toEqual([504, "GATEWAY_TIMEOUT"])
    expect(codeOf(machine.answer(widget(), undefined, 0))).toEqual([200])
  })

  it("plays Plaid's controls on wire tokens, at the caller's time", () => {
    const machine = Machine.make(defaultSeedJson)
    const now = Date.parse("2030-01-01T00:00:00.000Z")
    const exchanged = machine.exchange("sandbox-code-granted", now)
    expect(exchanged._tag).toBe("Done")
    const refresh = exchanged._tag === "Done" ? exchanged.tokens.find((t) => t.token_type === "REFRESH") : undefined
    expect(refresh).toMatchObject({
      status: "ENABLED",
      customer_id: sandboxIds.customer,
      creation_time: "2030-01-01T00:00:00.000Z"
    })
    expect(machine.exchange("sandbox-code-granted", now)).toEqual({
      _tag: "Refused",
      reason: "no granted auth request has this code"
    })
    const refreshed = machine.refreshFdxToken(refresh?.id ?? "", now)
    expect(refreshed._tag === "Done" ? refreshed.tokens.map((t) => t.status) : []).toEqual([
      "USED",
      "ENABLED",
      "ENABLED"
    ])
    expect(machine.revokeFdxToken(sandboxIds.fdxTokens.revokedAccess, now)).toEqual({
      _tag: "Refused",
      reason: "the token is already REVOKED"
    })
  })

  it("adds cards and wire tokens, and changes its URIs", () => {
    const machine = Machine.make(defaultSeedJson, { plaidUri: "http://plaid.test/cb" })
    machine.addCards([{ id: sandboxIds.cards.active, state: "suspended" }, { id: sandboxIds.cards.unknown }])
    expect(codeOf(handle(machine, widget(), 0))).toEqual([422, "CARD_SUSPENDED"])
    expect(codeOf(handle(machine, { ...widget(), params: { card_id: sandboxIds.cards.unknown } }, 0))).toEqual([200])
    const token = { ...defined(defaultSeedJson.fdx_tokens[0]), id: sandboxIds.fdxTokens.unknown }
    machine.addFdxTokens([token])
    expect(handle(machine, { operation: "getFdxToken", params: { fdx_token_id: token.id } }, 0)).toMatchObject({
      body: token
    })
    machine.setUris({ authenticationUri: "http://app.test/login" })
    expect(machine.uris()).toEqual({ authenticationUri: "http://app.test/login", plaidUri: "http://plaid.test/cb" })
  })
})

describe("the core's key store", () => {
  it("keeps at most maxEntries keys, dropping the oldest answers first and never a running key", () => {
    const keys = Idempotency.makeKeyStore()
    const running = keys.begin("running", "f", 0)
    const answer: Outcome = { _tag: "Success", status: 200, body: {} }
    for (let i = 0; i < Idempotency.maxEntries + 5; i++) {
      const decision = keys.begin(`k${i}`, "f", i + 1)
      if (decision._tag === "Run") keys.finish(`k${i}`, decision.ticket, answer, i + 1)
    }
    expect(running._tag).toBe("Run")
    expect(keys.begin("running", "f", 0)).toMatchObject({ _tag: "Answer", outcome: { status: 409 } })
    expect(keys.begin("k0", "f", 0)._tag).toBe("Run")
    expect(keys.begin(`k${Idempotency.maxEntries + 4}`, "f", 0)).toMatchObject({ replayed: true })
  })
})
