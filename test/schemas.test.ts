/**
 * The schemas: wire snake_case to camelCase, open enums, leniency where the
 * API is loose, and property tests that random input never crashes a decoder.
 */
import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, DateTime, Either, FastCheck, JSONSchema, Match, ParseResult, Schema } from "effect"
import {
  BusinessId,
  CardId,
  CustomerId,
  decodeErrorBodyLenient,
  ErrorBody,
  FdxAuthRequestId,
  FdxToken,
  FdxTokenId,
  type FdxTokenStatus,
  knownFdxTokenStatuses,
  knownFdxTokenTypes,
  OpenEnum,
  WidgetToken
} from "../src/index.js"
import { cardId, fdxTokenBody, widgetTokenBody } from "./support/fixtures.js"

const decodeFdx = Schema.decodeUnknownEither(FdxToken)
const encodeFdx = Schema.encodeSync(FdxToken)
const equivalent = Schema.equivalence(Schema.typeSchema(FdxToken))
const formatted = (error: ParseResult.ParseError) =>
  ParseResult.ArrayFormatter.formatErrorSync(error)
    .map((issue) => issue.path.length === 0 ? issue.message : `${issue.path.join(".")}: ${issue.message}`)
    .join("; ")

describe("WidgetToken", () => {
  it("decodes snake_case, ignores extra fields, encodes back", () => {
    const token = Schema.decodeUnknownSync(WidgetToken)({ ...widgetTokenBody, expires_in: 300 })
    expect(token).toEqual({ tenant: "abcdef_ghijkl", widgetToken: widgetTokenBody.widget_token })
    expect(Schema.encodeSync(WidgetToken)(token)).toEqual(widgetTokenBody)
  })
})

describe("FdxToken", () => {
  it("round-trips the reference example", () => {
    const token = Schema.decodeUnknownSync(FdxToken)(fdxTokenBody)
    expect(encodeFdx(token)).toEqual(fdxTokenBody)
    expect(DateTime.toEpochMillis(token.creationTime)).toBe(Date.parse("2010-05-06T12:23:34.321Z"))
  })

  it("treats null optional fields as absent", () => {
    const token = Schema.decodeUnknownSync(FdxToken)({ ...fdxTokenBody, business_id: null, parent_token_id: null })
    expect(token.businessId).toBeUndefined()
    expect("parentTokenId" in token).toBe(false)
  })

  it("reports a broken wire field at its wire name, and says what it got", () => {
    const messages = [
      { ...fdxTokenBody, token_type: 5 },
      { ...fdxTokenBody, customer_id: 5 },
      { ...fdxTokenBody, creation_time: "yesterday" },
      { ...fdxTokenBody, id: "not-a-uuid" },
      [fdxTokenBody]
    ].map((json) => {
      const result = decodeFdx(json)
      return Either.isLeft(result) ? formatted(result.left) : "decoded"
    })
    expect(messages).toEqual([
      "token_type: Expected string, actual 5",
      "customer_id: Expected string | null, actual 5; customer_id: Expected undefined, actual 5",
      "creation_time: Expected DateTimeUtc, actual \"yesterday\"",
      "id: an FDX token id must be a UUID",
      expect.stringMatching(/^Expected \{ readonly id: string; .*actual \[/)
    ])
  })

  it("reads optional fields as the object's own, as Schema.Struct does", () => {
    const inherited = Object.assign(Object.create({ customer_id: "from-a-prototype" }), fdxTokenBody, {
      customer_id: undefined
    })
    delete inherited.customer_id
    const token = Schema.decodeUnknownSync(FdxToken)(inherited)
    expect("customerId" in token).toBe(false)
    expect(Schema.decodeUnknownSync(FdxToken)({ ...fdxTokenBody, customer_id: "own" }).customerId).toBe("own")
  })

  it("describes the wire shape as its JSON Schema", () => {
    const schema = JSON.stringify(JSONSchema.make(FdxToken))
    for (const key of Object.keys(fdxTokenBody)) expect(schema).toContain(`"${key}"`)
    expect(schema).not.toContain("tokenType")
  })

  it("requires every required field of the reference", () => {
    for (const field of Object.keys(fdxTokenBody)) {
      const { [field]: _, ...rest } = fdxTokenBody as Record<string, unknown>
      const required = !["business_id", "customer_id", "parent_token_id"].includes(field)
      expect(Either.isLeft(decodeFdx(rest))).toBe(required)
    }
  })

  it("rejects a timestamp that is not a date", () => {
    expect(Either.isLeft(decodeFdx({ ...fdxTokenBody, creation_time: "yesterday" }))).toBe(true)
  })

  it("every valid FDX token round-trips through JSON", () => {
    const arbitrary = Arbitrary.make(FdxToken)
    FastCheck.assert(
      FastCheck.property(arbitrary, (token) => {
        const wire = JSON.parse(JSON.stringify(encodeFdx(token)))
        const decoded = decodeFdx(wire)
        return Either.isRight(decoded) && equivalent(decoded.right, token)
      }),
      { numRuns: 2_000 }
    )
  })

  it("arbitrary tokens have known and unrecognized statuses and types", () => {
    const tokens = FastCheck.sample(Arbitrary.make(FdxToken), 400)
    const isKnownStatus = OpenEnum.isKnown(knownFdxTokenStatuses)
    const isKnownType = OpenEnum.isKnown(knownFdxTokenTypes)
    expect(tokens.some((token) => isKnownStatus(token.status))).toBe(true)
    expect(tokens.some((token) => !isKnownStatus(token.status))).toBe(true)
    expect(tokens.some((token) => isKnownType(token.tokenType))).toBe(true)
    expect(tokens.some((token) => !isKnownType(token.tokenType))).toBe(true)
  })

  it("random JSON never throws: it decodes or gives a ParseError", () => {
    FastCheck.assert(
      FastCheck.property(FastCheck.jsonValue(), (json) => {
        const result = decodeFdx(json)
        return Either.isLeft(result) || Schema.is(Schema.typeSchema(FdxToken))(result.right)
      }),
      { numRuns: 5_000 }
    )
    FastCheck.assert(
      FastCheck.property(
        FastCheck.record({ tenant: FastCheck.jsonValue(), widget_token: FastCheck.jsonValue() }, {
          requiredKeys: []
        }),
        (json) => {
          const result = Schema.decodeUnknownEither(WidgetToken)(json)
          return Either.isLeft(result) ||
            (typeof result.right.tenant === "string" && typeof result.right.widgetToken === "string")
        }
      ),
      { numRuns: 5_000 }
    )
  })
})

describe("open enums", () => {
  const describeStatus = (status: FdxTokenStatus): string =>
    Match.value(status).pipe(
      Match.when("ENABLED", () => "enabled"),
      Match.when("REVOKED", () => "revoked"),
      Match.when("USED", () => "used"),
      // Without this branch, Match.exhaustive would not compile: unknown values must be handled.
      Match.orElse((other) => `unrecognized ${other}`)
    )

  it("keeps known values as literals and passes unknown ones through", () => {
    const enabled = Schema.decodeUnknownSync(FdxToken)(fdxTokenBody)
    const future = Schema.decodeUnknownSync(FdxToken)({ ...fdxTokenBody, status: "EXPIRED", token_type: "ID" })
    expect(describeStatus(enabled.status)).toBe("enabled")
    expect(describeStatus(future.status)).toBe("unrecognized EXPIRED")
    expect(encodeFdx(future).status).toBe("EXPIRED")
    const isKnownStatus = OpenEnum.isKnown(knownFdxTokenStatuses)
    expect(isKnownStatus(enabled.status)).toBe(true)
    expect(isKnownStatus(future.status)).toBe(false)
  })

  it("still refuses a value that is not a string", () => {
    expect(Either.isLeft(decodeFdx({ ...fdxTokenBody, status: 3 }))).toBe(true)
  })
})

describe("ids", () => {
  it("CardId accepts UUIDs only", () => {
    expect(Schema.is(CardId)(cardId)).toBe(true)
    for (const bad of ["", "abc", "../x", `${cardId}/x`, `${cardId} `, "7d943c51%2Fe4ff-4e57-9558-08cab6b963c7"]) {
      expect(Schema.is(CardId)(bad)).toBe(false)
    }
  })

  it("each id names and describes itself, and says what is wrong", () => {
    const ids: ReadonlyArray<readonly [Schema.Schema.AnyNoContext, string, string, string]> = [
      [CardId, "CardId", "The unique identifier of a card (a UUID)", "a card id must be a UUID"],
      [FdxTokenId, "FdxTokenId", "The unique identifier of an FDX token (a UUID)", "an FDX token id must be a UUID"],
      [
        FdxAuthRequestId,
        "FdxAuthRequestId",
        "The unique identifier of an FDX authorization request (a UUID)",
        "an FDX authorization request id must be a UUID"
      ],
      [
        CustomerId,
        "CustomerId",
        "The unique identifier of a Synctera customer (a UUID)",
        "a customer id must be a UUID"
      ],
      [
        BusinessId,
        "BusinessId",
        "The unique identifier of a Synctera business (a UUID)",
        "a business id must be a UUID"
      ]
    ]
    for (const [schema, identifier, description, message] of ids) {
      expect(JSONSchema.make(schema)).toEqual({
        $schema: "http://json-schema.org/draft-07/schema#",
        $defs: { [identifier]: { type: "string", description, format: "uuid", pattern: expect.any(String) } },
        $ref: `#/$defs/${identifier}`
      })
      const result = Schema.decodeUnknownEither(schema)("nope")
      expect(Either.isLeft(result) ? formatted(result.left) : "decoded").toBe(message)
    }
  })
})

describe("ErrorBody", () => {
  it("decodes the documented shape and retry_after", () => {
    expect(Schema.decodeUnknownSync(ErrorBody)({ code: "X", detail: "d", status: 429, retry_after: 2, missing: ["a"] }))
      .toEqual({ code: "X", detail: "d", status: 429, retryAfter: 2 })
  })

  it("is read leniently: wrong types dropped, anything else tolerated", () => {
    expect(decodeErrorBodyLenient({ code: 1, detail: "d", status: "400" })).toEqual({ detail: "d" })
    expect(decodeErrorBodyLenient("oops")).toEqual({})
    expect(decodeErrorBodyLenient(null)).toEqual({})
    FastCheck.assert(
      FastCheck.property(FastCheck.jsonValue(), (json) => typeof decodeErrorBodyLenient(json) === "object"),
      { numRuns: 2_000 }
    )
  })
})
