/**
 * The shared core (src/core/) against what the Effect 3 line did before it
 * was moved there: durations worded as Effect 3's `Duration.format` words
 * them, and the core's rules agreeing with the schemas built on them. (The
 * behaviour itself is tested through the public API everywhere else.)
 */
import { describe, expect, it } from "@effect/vitest"
import { Duration, FastCheck, Schema } from "effect"
import { formatMillis, isTransient as coreIsTransient, statusTag } from "../src/core/errors.js"
import { grantFdxAuthRequest, operationNames, routes } from "../src/core/operations.js"
import { cardWidgetTypes, isUuid } from "../src/core/rules.js"
import { CardWidgetType, Operation } from "../src/index.js"

describe("the shared core", () => {
  it("words a duration as Effect 3's Duration.format does", () => {
    const millis = FastCheck.oneof(
      FastCheck.integer({ min: 0, max: 10 * 24 * 3600 * 1000 }),
      FastCheck.double({ min: 0, max: 1e7, noNaN: true }),
      FastCheck.constant(Number.POSITIVE_INFINITY)
    )
    FastCheck.assert(FastCheck.property(millis, (ms) => formatMillis(ms) === Duration.format(Duration.millis(ms))), {
      numRuns: 2000
    })
  })

  it("reads a UUID as Schema.UUID does", () => {
    const text = FastCheck.oneof(FastCheck.uuid(), FastCheck.string(), FastCheck.hexaString({ minLength: 36 }))
    const isSchemaUuid = Schema.is(Schema.UUID)
    FastCheck.assert(FastCheck.property(text, (t) => isUuid(t) === isSchemaUuid(t)), { numRuns: 2000 })
  })

  it("names the same operations, widget types and routes as the line", () => {
    expect(Operation.literals).toEqual(operationNames)
    expect(CardWidgetType.literals).toEqual(cardWidgetTypes)
    expect(routes.map((route) => route.name)).toEqual([...operationNames])
  })

  it("gives every status its error, as the live client does", () => {
    expect([400, 401, 403, 404, 409, 422, 429, 500, 503, 599, 302, 418].map(statusTag)).toEqual([
      "BadRequest",
      "Unauthorized",
      "Forbidden",
      "NotFound",
      "Conflict",
      "Unprocessable",
      "RateLimited",
      "Internal",
      "Internal",
      "Internal",
      "UnexpectedStatus",
      "UnexpectedStatus"
    ])
    expect(coreIsTransient({ _tag: "Internal", status: 503 })).toBe(true)
    expect(coreIsTransient({ _tag: "Internal", status: 503, maybeApplied: true })).toBe(false)
    expect(coreIsTransient({ _tag: "Conflict", status: 409, code: "IDEMPOTENCY_CONCURRENT_USE" })).toBe(true)
    expect(coreIsTransient({ _tag: "Conflict", status: 409, code: "RESOURCE_ALREADY_EXISTS" })).toBe(false)
  })

  it("puts a grant on the wire as the spec's snake_case body", () => {
    const wire = grantFdxAuthRequest.toWire({
      authRequestId: "046b6c7f-0b8a-43b9-b35d-6489e6daee91",
      status: "GRANTED",
      customerId: "c0d7c4f2-8a31-4c8e-9a55-1f5b0e3c2d11"
    })
    expect(wire.body).toEqual({
      auth_request_id: "046b6c7f-0b8a-43b9-b35d-6489e6daee91",
      status: "GRANTED",
      customer_id: "c0d7c4f2-8a31-4c8e-9a55-1f5b0e3c2d11"
    })
  })
})
