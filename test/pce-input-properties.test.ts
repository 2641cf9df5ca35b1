/**
 * Properties of the Plaid Core Exchange inputs: random grants and list
 * requests, valid and not. A valid one is sent exactly as the spec says (an
 * oracle written from the README, not from the client); an invalid one fails
 * with `InvalidInput` and sends nothing. In process, for speed.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, FastCheck as fc, Layer, Redacted } from "effect"
import { Synctera, SyncteraLive } from "../src/index.js"
import { ScriptedClient } from "./support/ScriptedClient.js"

const numRuns = 1000
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** A string that is a UUID now and then. */
const maybeUuid = fc.oneof(
  { arbitrary: fc.uuid(), weight: 8 },
  fc.string({ maxLength: 40 }),
  fc.constantFrom("", "../admin", "%2F")
)
const maybeAbsent = <A>(arb: fc.Arbitrary<A>) => fc.option(arb, { nil: undefined })

const grantInput = fc.record({
  authRequestId: maybeUuid,
  status: fc.oneof(
    { arbitrary: fc.constantFrom("GRANTED", "DENIED", "ERROR"), weight: 6 },
    fc.string({ maxLength: 10 })
  ),
  customerId: maybeAbsent(maybeUuid),
  businessId: maybeAbsent(maybeUuid),
  idempotencyKey: maybeAbsent(fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), fc.constant("a\r\nb")))
})

type GrantInput = typeof grantInput extends fc.Arbitrary<infer A> ? A : never

/** The README's rules for a grant. */
const grantIsValid = (input: GrantInput): boolean => {
  const ids = [input.authRequestId, input.customerId, input.businessId].filter((id) => id !== undefined)
  if (!ids.every((id) => uuidPattern.test(id))) return false
  if (!["GRANTED", "DENIED", "ERROR"].includes(input.status)) return false
  if (input.customerId !== undefined && input.businessId !== undefined) return false
  if (input.status === "GRANTED" && input.customerId === undefined && input.businessId === undefined) return false
  return input.idempotencyKey === undefined || /^[\x21-\x7E]{1,255}$/.test(input.idempotencyKey)
}

const service = () => {
  const scripted = ScriptedClient((index) => ({
    status: 201,
    body: { redirect_uri: `https://plaid.example/${index}` }
  }))
  const layer = SyncteraLive.layer({ apiKey: Redacted.make("k"), retry: false }).pipe(Layer.provide(scripted.layer))
  return { scripted, layer }
}

describe("grant inputs", () => {
  it.effect(`${numRuns} random grants: valid ones sent as the spec says, invalid ones refused before sending`, () =>
    Effect.gen(function*() {
      const { layer, scripted } = service()
      let valid = 0
      yield* Effect.promise(() =>
        fc.assert(
          fc.asyncProperty(grantInput, async (input) => {
            const before = scripted.calls.length
            // The type system refuses some of these; a JavaScript caller may not.
            const exit = await Effect.runPromiseExit(
              Synctera.grantFdxAuthRequest(input as Parameters<typeof Synctera.grantFdxAuthRequest>[0]).pipe(
                Effect.provide(layer)
              )
            )
            const sent = scripted.calls.slice(before)
            if (!grantIsValid(input)) {
              expect(exit._tag === "Failure" && exit.cause._tag === "Fail" && exit.cause.error._tag).toBe(
                "InvalidInput"
              )
              expect(sent).toHaveLength(0)
              return
            }
            valid++
            expect(exit._tag).toBe("Success")
            expect(sent).toHaveLength(1)
            const request = sent[0]!.request
            expect(request.method).toBe("POST")
            expect(sent[0]!.url.pathname).toBe("/v1/fdx_auth_requests/authorize")
            if (input.idempotencyKey !== undefined) {
              expect(request.headers["idempotency-key"]).toBe(input.idempotencyKey)
            } else expect(request.headers["idempotency-key"]).toMatch(uuidPattern)
            const body = request.body._tag === "Uint8Array" ? new TextDecoder().decode(request.body.body) : ""
            expect(JSON.parse(body)).toEqual({
              auth_request_id: input.authRequestId,
              status: input.status,
              ...(input.customerId === undefined ? {} : { customer_id: input.customerId }),
              ...(input.businessId === undefined ? {} : { business_id: input.businessId })
            })
          }),
          { numRuns }
        )
      )
      // The generator reaches both sides.
      expect(valid).toBeGreaterThan(numRuns / 20)
      expect(valid).toBeLessThan(numRuns)
    }))
})

describe("list inputs", () => {
  it.effect(`${numRuns} random limits and page tokens: sent as one query value each, or refused`, () =>
    Effect.gen(function*() {
      const scripted = ScriptedClient(() => ({ status: 200, body: { fdx_tokens: [] } }))
      const layer = SyncteraLive.layer({ apiKey: Redacted.make("k"), retry: false }).pipe(Layer.provide(scripted.layer))
      yield* Effect.promise(() =>
        fc.assert(
          fc.asyncProperty(
            maybeAbsent(fc.oneof(fc.integer({ min: -5, max: 205 }), fc.double({ noNaN: false }))),
            maybeAbsent(fc.string({ unit: "binary", maxLength: 50 })),
            async (limit, pageToken) => {
              const before = scripted.calls.length
              const exit = await Effect.runPromiseExit(
                Synctera.listFdxTokens({
                  ...(limit === undefined ? {} : { limit }),
                  ...(pageToken === undefined ? {} : { pageToken })
                }).pipe(Effect.provide(layer))
              )
              const sent = scripted.calls.slice(before)
              const limitOk = limit === undefined || (Number.isInteger(limit) && limit >= 1 && limit <= 100)
              if (!limitOk) {
                expect(exit._tag === "Failure" && exit.cause._tag === "Fail" && exit.cause.error._tag).toBe(
                  "InvalidInput"
                )
                expect(sent).toHaveLength(0)
                return
              }
              expect(exit._tag).toBe("Success")
              const query = sent[0]!.url.searchParams
              expect(query.getAll("limit")).toEqual(limit === undefined ? [] : [String(limit)])
              expect(query.getAll("page_token")).toEqual(
                pageToken === undefined ? [] : [new URLSearchParams([["t", pageToken]]).get("t")]
              )
              expect([...query.keys()].length).toBe((limit === undefined ? 0 : 1) + (pageToken === undefined ? 0 : 1))
            }
          ),
          { numRuns }
        )
      )
    }))
})
