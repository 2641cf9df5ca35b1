/**
 * The Effect 4 line's schemas, on the Effect 3 line's wire fixtures: wire
 * snake_case to camelCase, RFC 3339 to `DateTime.Utc`, open response enums,
 * closed request enums, `null` read as absent, branded ids with the core's
 * messages, the grant body's owner rule, and property tests (fast-check)
 * that random input never crashes a decoder.
 */
import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, Cause, DateTime, Effect, Exit, Match, Option, Schema, SchemaIssue } from "effect"
import * as fc from "fast-check"
import { idempotencyKeyRule } from "../../src/core/rules.js"
import {
  AuthorizationTest,
  BusinessId,
  CardId,
  CardWidgetType,
  CustomerId,
  decodeErrorBodyLenient,
  ErrorBody,
  FdxAuthGrant,
  FdxAuthGrantBody,
  FdxAuthRequest,
  FdxAuthRequestId,
  FdxAuthRequestPage,
  type FdxAuthRequestStatus,
  FdxToken,
  FdxTokenId,
  FdxTokenPage,
  type FdxTokenStatus,
  grantOwnerRule,
  GrantStatus,
  IdempotencyKey,
  knownFdxAuthRequestStatuses,
  knownFdxTokenStatuses,
  knownFdxTokenTypes,
  OpenEnum,
  WidgetToken
} from "../src/index.js"
import {
  authRequestBody,
  authRequestId,
  businessId,
  cardId,
  customerId,
  fdxTokenBody,
  widgetTokenBody
} from "./support/fixtures.js"

const formatIssue = SchemaIssue.makeFormatterStandardSchemaV1()

/** `path: message` per issue, joined with `; ` (or "decoded"). */
const messageOf = (exit: Exit.Exit<unknown, Schema.SchemaError>): string =>
  Exit.isSuccess(exit) ? "decoded" : Option.match(Cause.findErrorOption(exit.cause), {
    onNone: () => "no error",
    onSome: (error) =>
      formatIssue(error.issue).issues
        .map(({ message, path }) => path === undefined || path.length === 0 ? message : `${path.join(".")}: ${message}`)
        .join("; ")
  })

/** Through JSON text and back, as a value travels on the wire. */
const viaJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value))

/** A wire object without its `null` (and `undefined`) fields, as encoding gives it back. */
const withoutNulls = (json: object): Record<string, unknown> =>
  Object.fromEntries(Object.entries(json).filter(([, value]) => value !== null && value !== undefined))

/**
 * Decoding never throws: it succeeds with a value of the schema's type, or
 * fails with a `SchemaError` only (no defect).
 */
const decodesOrFails = <T, E>(schema: Schema.Codec<T, E>) => {
  const decode = Schema.decodeUnknownExit(schema)
  const isType = Schema.is(Schema.toType(schema))
  return (json: unknown): boolean => {
    const exit = decode(json)
    if (Exit.isSuccess(exit)) return isType(exit.value)
    return exit.cause.reasons.every(Cause.isFailReason) &&
      Option.exists(Cause.findErrorOption(exit.cause), Schema.isSchemaError)
  }
}

/** Wire generators (fast-check) for valid bodies. */
const wire = {
  iso: fc.date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("2100-01-01T00:00:00Z"), noInvalidDate: true })
    .map((date) => date.toISOString()),
  openEnum: (known: ReadonlyArray<string>) => fc.oneof(fc.constantFrom(...known), fc.string()),
  stringOrNull: fc.option(fc.string(), { nil: null })
}

const fdxTokenWire = fc.record({
  id: fc.uuid(),
  tenant: fc.string(),
  status: wire.openEnum(knownFdxTokenStatuses),
  token_type: wire.openEnum(knownFdxTokenTypes),
  token_hash: fc.string(),
  creation_time: wire.iso,
  last_updated_time: wire.iso,
  token_expiry_time: wire.iso,
  customer_id: wire.stringOrNull,
  business_id: wire.stringOrNull,
  parent_token_id: wire.stringOrNull
}, {
  requiredKeys: [
    "id",
    "tenant",
    "status",
    "token_type",
    "token_hash",
    "creation_time",
    "last_updated_time",
    "token_expiry_time"
  ]
})

const authRequestWire = fc.record({
  id: fc.uuid(),
  status: wire.openEnum(knownFdxAuthRequestStatuses),
  tenant: wire.stringOrNull,
  customer_id: wire.stringOrNull,
  business_id: wire.stringOrNull,
  code: wire.stringOrNull,
  oauth2_state: wire.stringOrNull,
  redirect_uri: wire.stringOrNull,
  creation_time: fc.option(wire.iso, { nil: null }),
  last_updated_time: fc.option(wire.iso, { nil: null }),
  expiry_time: fc.option(wire.iso, { nil: null })
}, { requiredKeys: ["id", "status"] })

const decodeToken = Schema.decodeUnknownExit(FdxToken)
const decodeTokenSync = Schema.decodeUnknownSync(FdxToken)
const encodeToken = Schema.encodeSync(FdxToken)
const decodeRequest = Schema.decodeUnknownExit(FdxAuthRequest)
const decodeRequestSync = Schema.decodeUnknownSync(FdxAuthRequest)
const encodeRequest = Schema.encodeSync(FdxAuthRequest)
const decodeTokenPage = Schema.decodeUnknownExit(FdxTokenPage)
const decodeRequestPage = Schema.decodeUnknownExit(FdxAuthRequestPage)

describe("WidgetToken", () => {
  it("decodes snake_case, ignores extra fields, encodes back", () => {
    const token = Schema.decodeUnknownSync(WidgetToken)({ ...widgetTokenBody, expires_in: 300 })
    expect(token).toEqual({ tenant: "abcdef_ghijkl", widgetToken: widgetTokenBody.widget_token })
    expect(Schema.encodeSync(WidgetToken)(token)).toEqual(widgetTokenBody)
  })

  it("requires both fields, as the spec does", () => {
    expect(messageOf(Schema.decodeUnknownExit(WidgetToken)({ tenant: "t" }))).toBe("widget_token: Missing key")
    expect(messageOf(Schema.decodeUnknownExit(WidgetToken)({ tenant: "t", widget_token: null }))).toBe(
      "widget_token: Expected string"
    )
  })

  it("random JSON never throws: it decodes or gives a SchemaError", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.record({ tenant: fc.jsonValue(), widget_token: fc.jsonValue() }, { requiredKeys: [] })
        ),
        decodesOrFails(WidgetToken)
      ),
      { numRuns: 3_000 }
    )
  })
})

describe("FdxToken", () => {
  it("round-trips the reference example", () => {
    const token = decodeTokenSync(fdxTokenBody)
    expect(encodeToken(token)).toEqual(fdxTokenBody)
    expect(DateTime.isDateTime(token.creationTime) && DateTime.isUtc(token.creationTime)).toBe(true)
    expect(DateTime.toEpochMillis(token.creationTime)).toBe(Date.parse("2010-05-06T12:23:34.321Z"))
    expect(token).toMatchObject({
      id: fdxTokenBody.id,
      tenant: "abcdef_ghijkl",
      status: "ENABLED",
      tokenType: "ACCESS",
      tokenHash: "5f2b9c0e",
      businessId: fdxTokenBody.business_id,
      parentTokenId: fdxTokenBody.parent_token_id
    })
    expect("customerId" in token).toBe(false)
  })

  it("treats null optional fields as absent", () => {
    const token = decodeTokenSync({ ...fdxTokenBody, business_id: null, parent_token_id: null, customer_id: null })
    expect(Object.keys(token)).not.toContain("businessId")
    expect(Object.keys(token)).not.toContain("parentTokenId")
    expect(Object.keys(token)).not.toContain("customerId")
    const { business_id: _b, parent_token_id: _p, ...rest } = fdxTokenBody
    expect(encodeToken(token)).toEqual(rest)
  })

  it("ignores unknown fields", () => {
    const token = decodeTokenSync({ ...fdxTokenBody, scope: "accounts", extra: { a: 1 } })
    expect(Object.keys(token)).not.toContain("scope")
    expect(encodeToken(token)).toEqual(fdxTokenBody)
  })

  it("reports a broken wire field at its wire name", () => {
    const messages = [
      { ...fdxTokenBody, token_type: 5 },
      { ...fdxTokenBody, customer_id: 5 },
      { ...fdxTokenBody, creation_time: "yesterday" },
      { ...fdxTokenBody, last_updated_time: "2010-13-45T99:00:00Z" },
      { ...fdxTokenBody, id: "not-a-uuid" },
      { ...fdxTokenBody, status: 3 },
      [fdxTokenBody],
      null
    ].map((json) => messageOf(decodeToken(json)))
    expect(messages).toEqual([
      "token_type: Expected string",
      "customer_id: Expected string | null | undefined",
      "creation_time: Expected a valid UTC DateTime string",
      "last_updated_time: Expected a valid UTC DateTime string",
      "id: an FDX token id must be a UUID",
      "status: Expected string",
      "Expected FdxToken.Json",
      "Expected FdxToken.Json"
    ])
  })

  it("requires every required field of the reference", () => {
    for (const field of Object.keys(fdxTokenBody)) {
      const { [field]: _, ...rest } = fdxTokenBody as Record<string, unknown>
      const required = !["business_id", "customer_id", "parent_token_id"].includes(field)
      expect(messageOf(decodeToken(rest))).toBe(required ? `${field}: Missing key` : "decoded")
    }
  })

  it("reads an offset or zoneless timestamp as the same instant, in UTC", () => {
    const offset = decodeTokenSync({ ...fdxTokenBody, creation_time: "2010-05-06T14:23:34.321+02:00" })
    expect(DateTime.formatIso(offset.creationTime)).toBe("2010-05-06T12:23:34.321Z")
    const zoneless = decodeTokenSync({ ...fdxTokenBody, creation_time: "2010-05-06T12:23:34.321" })
    expect(DateTime.formatIso(zoneless.creationTime)).toBe("2010-05-06T12:23:34.321Z")
  })

  it("describes the wire shape as its JSON Schema", () => {
    const schema = JSON.stringify(Schema.toJsonSchemaDocument(FdxToken))
    for (const key of Object.keys(fdxTokenBody)) expect(schema).toContain(`"${key}"`)
    expect(schema).not.toContain("tokenType")
  })

  it("every valid wire token decodes, and encodes back to the same JSON (nulls dropped)", () => {
    fc.assert(
      fc.property(fdxTokenWire, (json) => {
        const token = decodeTokenSync(json)
        return JSON.stringify(encodeToken(token)) === JSON.stringify(withoutNulls(json)) &&
          ("customerId" in token) === (typeof json.customer_id === "string")
      }),
      { numRuns: 2_000 }
    )
  })

  it.effect("every token of the schema's own Arbitrary round-trips through JSON", () =>
    Effect.gen(function*() {
      const equivalent = Schema.toEquivalence(Schema.toType(FdxToken))
      const result = yield* Arbitrary.checkEffect(
        Arbitrary.schema(Schema.toType(FdxToken)),
        (token) => {
          const decoded = decodeToken(viaJson(encodeToken(token)))
          return Exit.isSuccess(decoded) && equivalent(decoded.value, token)
        },
        { runs: 500, seed: 1 }
      )
      expect(Arbitrary.formatCheckFailure(result)).toBeUndefined()
    }))

  it.effect("the schema's own Arbitrary gives known and unrecognized statuses and types", () =>
    Effect.gen(function*() {
      const tokens = yield* Arbitrary.sampleEffect(Arbitrary.schema(Schema.toType(FdxToken)), { count: 400, seed: 7 })
      const isKnownStatus = OpenEnum.isKnown(knownFdxTokenStatuses)
      const isKnownType = OpenEnum.isKnown(knownFdxTokenTypes)
      expect(tokens.some((token) => isKnownStatus(token.status))).toBe(true)
      expect(tokens.some((token) => !isKnownStatus(token.status))).toBe(true)
      expect(tokens.some((token) => isKnownType(token.tokenType))).toBe(true)
      expect(tokens.some((token) => !isKnownType(token.tokenType))).toBe(true)
    }))

  it("random JSON never throws: it decodes or gives a SchemaError", () => {
    const field = fc.oneof(fc.jsonValue(), fc.string(), fc.constant(null), fc.uuid(), wire.iso)
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.record(Object.fromEntries(Object.keys(fdxTokenBody).map((key) => [key, field])), { requiredKeys: [] }),
          fdxTokenWire
        ),
        decodesOrFails(FdxToken)
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
    const enabled = decodeTokenSync(fdxTokenBody)
    const future = decodeTokenSync({ ...fdxTokenBody, status: "EXPIRED", token_type: "ID" })
    expect(describeStatus(enabled.status)).toBe("enabled")
    expect(describeStatus(future.status)).toBe("unrecognized EXPIRED")
    expect(encodeToken(future).status).toBe("EXPIRED")
    expect(encodeToken(future).token_type).toBe("ID")
    const isKnownStatus = OpenEnum.isKnown(knownFdxTokenStatuses)
    expect(isKnownStatus(enabled.status)).toBe(true)
    expect(isKnownStatus(future.status)).toBe(false)
  })

  it("OpenEnum.make accepts any string, and refuses what is not one", () => {
    const Color = OpenEnum.make("RED", "GREEN")
    expect(Schema.decodeUnknownSync(Color)("RED")).toBe("RED")
    expect(Schema.decodeUnknownSync(Color)("BLUE")).toBe("BLUE")
    expect(Schema.encodeSync(Color)(Schema.decodeUnknownSync(Color)("BLUE"))).toBe("BLUE")
    expect(Exit.isFailure(Schema.decodeUnknownExit(Color)(1))).toBe(true)
    expect(Exit.isFailure(decodeToken({ ...fdxTokenBody, status: 3 }))).toBe(true)
  })
})

describe("ids", () => {
  const ids: ReadonlyArray<readonly [Schema.Codec<string, string>, string, string, string]> = [
    [CardId, "CardId", "The unique identifier of a card (a UUID)", "a card id must be a UUID"],
    [FdxTokenId, "FdxTokenId", "The unique identifier of an FDX token (a UUID)", "an FDX token id must be a UUID"],
    [
      FdxAuthRequestId,
      "FdxAuthRequestId",
      "The unique identifier of an FDX authorization request (a UUID)",
      "an FDX authorization request id must be a UUID"
    ],
    [CustomerId, "CustomerId", "The unique identifier of a Synctera customer (a UUID)", "a customer id must be a UUID"],
    [BusinessId, "BusinessId", "The unique identifier of a Synctera business (a UUID)", "a business id must be a UUID"]
  ]

  it("accept UUIDs only (any case), and nothing that could leave a path segment or a header", () => {
    for (const [schema] of ids) {
      expect(Schema.is(schema)(cardId)).toBe(true)
      expect(Schema.is(schema)(cardId.toUpperCase())).toBe(true)
      for (
        const bad of [
          "",
          "abc",
          "../x",
          `${cardId}/x`,
          `${cardId} `,
          `${cardId}\r\nX: y`,
          "7d943c51%2Fe4ff-4e57-9558-08cab6b963c7",
          5,
          null
        ]
      ) {
        expect(Schema.is(schema)(bad)).toBe(false)
      }
    }
  })

  it("each id names and describes itself, and says what is wrong with the core's words", () => {
    for (const [schema, identifier, description, message] of ids) {
      expect(Schema.toJsonSchemaDocument(schema).definitions).toEqual({
        [identifier]: { type: "string", description, format: "uuid", pattern: expect.any(String) }
      })
      expect(messageOf(Schema.decodeUnknownExit(schema)("nope"))).toBe(message)
      expect(messageOf(Schema.decodeUnknownExit(schema)(5))).toBe(`Expected ${identifier}`)
    }
  })

  it("are distinct brands", () => {
    const request: FdxAuthRequestId = Schema.decodeUnknownSync(FdxAuthRequestId)(authRequestId)
    // @ts-expect-error: an authorization request id is not a customer id
    const customer: CustomerId = request
    expect(customer).toBe(authRequestId)
  })

  it("IdempotencyKey takes 1 to 255 visible ASCII characters", () => {
    for (const good of ["k", "reveal-7d943c51-2024-06-01T12:00", "x".repeat(255), cardId]) {
      expect(Schema.is(IdempotencyKey)(good)).toBe(true)
    }
    for (const bad of ["", "x".repeat(256), "a b", "é", "a\r\nX: y"]) expect(Schema.is(IdempotencyKey)(bad)).toBe(false)
    expect(messageOf(Schema.decodeUnknownExit(IdempotencyKey)("a b"))).toBe(idempotencyKeyRule.message)
  })

  it("CardWidgetType is closed", () => {
    for (const widget of ["ACTIVATE", "GET_PIN", "REVEAL", "SET_PIN"]) {
      expect(Schema.is(CardWidgetType)(widget)).toBe(true)
    }
    for (const widget of ["reveal", "SHOW", "", 1]) expect(Schema.is(CardWidgetType)(widget)).toBe(false)
  })
})

describe("FdxAuthRequest", () => {
  const optionalFields = Object.keys(authRequestBody).filter((key) => key !== "id" && key !== "status")

  it("renames every field to camelCase and reads the timestamps as DateTime.Utc", () => {
    const { creationTime, expiryTime, lastUpdatedTime, ...rest } = decodeRequestSync(authRequestBody)
    expect(rest).toEqual({
      id: authRequestId,
      status: "PENDING",
      tenant: "abcdef_ghijkl",
      customerId,
      businessId,
      code: "0f3d7c2a-code",
      oauth2State: "9a7e41c2-63f0-4a39-b6b5-7d1e2c3f4a55",
      redirectUri: "https://cdn.plaid.com/link/v2/stable/oauth.html"
    })
    for (
      const [time, text] of [
        [creationTime, authRequestBody.creation_time],
        [lastUpdatedTime, authRequestBody.last_updated_time],
        [expiryTime, authRequestBody.expiry_time]
      ] as const
    ) {
      expect(time !== undefined && DateTime.isUtc(time)).toBe(true)
      expect(time === undefined ? undefined : DateTime.toEpochMillis(time)).toBe(Date.parse(text))
    }
  })

  it("round-trips the wire body", () => {
    expect(encodeRequest(decodeRequestSync(authRequestBody))).toEqual(authRequestBody)
  })

  it("needs only id and status, as the spec says", () => {
    const request = decodeRequestSync({ id: authRequestId, status: "GRANTED" })
    expect(request).toEqual({ id: authRequestId, status: "GRANTED" })
    expect(encodeRequest(request)).toEqual({ id: authRequestId, status: "GRANTED" })
    for (const field of Object.keys(authRequestBody)) {
      const { [field]: _, ...rest } = authRequestBody as Record<string, unknown>
      expect(messageOf(decodeRequest(rest))).toBe(
        field === "id" || field === "status" ? `${field}: Missing key` : "decoded"
      )
    }
  })

  it("treats null optional fields as absent", () => {
    const nulls = Object.fromEntries(optionalFields.map((field) => [field, null]))
    const request = decodeRequestSync({ ...authRequestBody, ...nulls })
    expect(Object.keys(request).sort()).toEqual(["id", "status"])
    expect(encodeRequest(request)).toEqual({ id: authRequestId, status: "PENDING" })
  })

  it("ignores unknown fields", () => {
    const request = decodeRequestSync({ ...authRequestBody, scopes: ["accounts"], extra: 1 })
    expect(Object.keys(request)).not.toContain("scopes")
    expect(encodeRequest(request)).toEqual(authRequestBody)
  })

  it("reads an offset timestamp as the same instant, in UTC", () => {
    const request = decodeRequestSync({ ...authRequestBody, creation_time: "2010-05-06T14:23:34.321+02:00" })
    expect(request.creationTime && DateTime.formatIso(request.creationTime)).toBe("2010-05-06T12:23:34.321Z")
  })

  it("reports a broken wire field at its wire name", () => {
    const messages = [
      { ...authRequestBody, status: 5 },
      { ...authRequestBody, tenant: 5 },
      { ...authRequestBody, expiry_time: "yesterday" },
      { ...authRequestBody, last_updated_time: "2010-13-45T99:00:00Z" },
      { ...authRequestBody, id: "not-a-uuid" },
      { status: "PENDING" },
      [authRequestBody],
      null
    ].map((json) => messageOf(decodeRequest(json)))
    expect(messages).toEqual([
      "status: Expected string",
      "tenant: Expected string | null | undefined",
      "expiry_time: Expected a valid UTC DateTime string",
      "last_updated_time: Expected a valid UTC DateTime string",
      "id: an FDX authorization request id must be a UUID",
      "id: Missing key",
      "Expected FdxAuthRequest.Json",
      "Expected FdxAuthRequest.Json"
    ])
  })

  it("describes the wire shape as its JSON Schema", () => {
    const schema = JSON.stringify(Schema.toJsonSchemaDocument(FdxAuthRequest))
    for (const key of Object.keys(authRequestBody)) expect(schema).toContain(`"${key}"`)
    expect(schema).not.toContain("oauth2State")
  })

  it("every valid wire request decodes, and encodes back to the same JSON (nulls dropped)", () => {
    fc.assert(
      fc.property(authRequestWire, (json) => {
        const request = decodeRequestSync(json)
        return JSON.stringify(encodeRequest(request)) === JSON.stringify(withoutNulls(json))
      }),
      { numRuns: 2_000 }
    )
  })

  it.effect("every request of the schema's own Arbitrary round-trips through JSON", () =>
    Effect.gen(function*() {
      const equivalent = Schema.toEquivalence(Schema.toType(FdxAuthRequest))
      const result = yield* Arbitrary.checkEffect(
        Arbitrary.schema(Schema.toType(FdxAuthRequest)),
        (request) => {
          const decoded = decodeRequest(viaJson(encodeRequest(request)))
          return Exit.isSuccess(decoded) && equivalent(decoded.value, request)
        },
        { runs: 500, seed: 2 }
      )
      expect(Arbitrary.formatCheckFailure(result)).toBeUndefined()
    }))

  it("random JSON never throws: it decodes or gives a SchemaError", () => {
    const field = fc.oneof(fc.jsonValue(), fc.string(), fc.constant(null), wire.iso)
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.record(Object.fromEntries(Object.keys(authRequestBody).map((key) => [key, field])), {
            requiredKeys: []
          }),
          authRequestWire
        ),
        decodesOrFails(FdxAuthRequest)
      ),
      { numRuns: 5_000 }
    )
  })
})

describe("FdxAuthRequestStatus (open)", () => {
  const describeStatus = (status: FdxAuthRequestStatus): string =>
    Match.value(status).pipe(
      Match.when("PENDING", () => "pending"),
      Match.when("GRANTED", () => "granted"),
      Match.when("DENIED", () => "denied"),
      Match.when("USED", () => "used"),
      Match.orElse((other) => `unrecognized ${other}`)
    )

  it("keeps known values as literals and passes unknown ones through as Unrecognized", () => {
    const isKnown = OpenEnum.isKnown(knownFdxAuthRequestStatuses)
    for (const status of knownFdxAuthRequestStatuses) {
      const request = decodeRequestSync({ ...authRequestBody, status })
      expect(isKnown(request.status)).toBe(true)
      expect(describeStatus(request.status)).toBe(status.toLowerCase())
    }
    const future = decodeRequestSync({ ...authRequestBody, status: "EXPIRED" })
    expect(isKnown(future.status)).toBe(false)
    expect(describeStatus(future.status)).toBe("unrecognized EXPIRED")
    expect(encodeRequest(future).status).toBe("EXPIRED")
  })
})

describe("FdxTokenPage", () => {
  const page = {
    fdx_tokens: [fdxTokenBody, { ...fdxTokenBody, status: "REVOKED", token_type: "REFRESH" }],
    next_page_token: "a8937a0d"
  }

  it("decodes every token as FdxToken does, and the next page token", () => {
    const decoded = Schema.decodeUnknownSync(FdxTokenPage)(page)
    expect(decoded.nextPageToken).toBe("a8937a0d")
    expect(decoded.fdxTokens).toEqual(page.fdx_tokens.map((token) => decodeTokenSync(token)))
    expect(Schema.encodeSync(FdxTokenPage)(decoded)).toEqual(page)
  })

  it("reads a missing, null or empty next_page_token as the last page", () => {
    for (const next of [{}, { next_page_token: null }, { next_page_token: "" }]) {
      const decoded = Schema.decodeUnknownSync(FdxTokenPage)({ fdx_tokens: [fdxTokenBody], ...next })
      expect("nextPageToken" in decoded).toBe(false)
      expect(Schema.encodeSync(FdxTokenPage)(decoded)).toEqual({ fdx_tokens: [fdxTokenBody] })
    }
  })

  it("decodes an empty page", () => {
    expect(Schema.decodeUnknownSync(FdxTokenPage)({ fdx_tokens: [] })).toEqual({ fdxTokens: [] })
  })

  it("passes an unknown token status through, and ignores unknown fields", () => {
    const decoded = Schema.decodeUnknownSync(FdxTokenPage)({
      fdx_tokens: [{ ...fdxTokenBody, status: "SUSPENDED", scope: "x" }],
      total: 1
    })
    expect(decoded.fdxTokens[0]?.status).toBe("SUSPENDED")
    expect(Object.keys(decoded)).toEqual(["fdxTokens"])
    expect(Object.keys(decoded.fdxTokens[0] ?? {})).not.toContain("scope")
  })

  it("reports a broken token at its wire path, with its index", () => {
    const messages = [
      { fdx_tokens: [fdxTokenBody, { ...fdxTokenBody, token_type: 5 }] },
      { fdx_tokens: [fdxTokenBody, { ...fdxTokenBody, id: "not-a-uuid" }] },
      { fdx_tokens: [{ ...fdxTokenBody, creation_time: "yesterday" }] },
      { fdx_tokens: [fdxTokenBody], next_page_token: 4 },
      { fdx_tokens: fdxTokenBody },
      { tokens: [] },
      "page"
    ].map((json) => messageOf(decodeTokenPage(json)))
    expect(messages).toEqual([
      "fdx_tokens.1.token_type: Expected string",
      "fdx_tokens.1.id: an FDX token id must be a UUID",
      "fdx_tokens.0.creation_time: Expected a valid UTC DateTime string",
      "next_page_token: Expected string | null | undefined",
      "fdx_tokens: Expected array",
      "fdx_tokens: Missing key",
      "Expected FdxTokenPage.Json"
    ])
  })

  it("fails with a SchemaError whose message shows where and what", () => {
    const bad = { fdx_tokens: [fdxTokenBody, { ...fdxTokenBody, token_type: 5 }] }
    const exit = decodeTokenPage(bad)
    const error = Exit.isFailure(exit) ? Cause.findErrorOption(exit.cause) : Option.none()
    expect(Option.exists(error, Schema.isSchemaError)).toBe(true)
    expect(Option.map(error, (e) => e.message)).toEqual(
      Option.some(`Expected string\n  at ["fdx_tokens"][1]["token_type"]`)
    )
    expect(() => Schema.decodeUnknownSync(FdxTokenPage)(bad)).toThrow(/Expected string/)
  })

  it("reports every broken token when asked for all errors", () => {
    const exit = Schema.decodeUnknownExit(FdxTokenPage)({
      fdx_tokens: [{ ...fdxTokenBody, id: "x" }, fdxTokenBody, { ...fdxTokenBody, token_expiry_time: "soon" }]
    }, { errors: "all" })
    expect(messageOf(exit)).toBe(
      "fdx_tokens.0.id: an FDX token id must be a UUID; fdx_tokens.2.token_expiry_time: Expected a valid UTC DateTime string"
    )
  })

  it("checks a page given on the domain side in full", () => {
    const isPage = Schema.is(Schema.toType(FdxTokenPage))
    const decoded = Schema.decodeUnknownSync(FdxTokenPage)(page)
    expect(isPage(decoded)).toBe(true)
    expect(isPage({ fdxTokens: [...decoded.fdxTokens, { id: "not a token" }] })).toBe(false)
    expect(isPage({ fdxTokens: [], nextPageToken: "" })).toBe(false)
    expect(isPage({ fdxTokens: [] })).toBe(true)
    expect(Exit.isFailure(Schema.encodeUnknownExit(FdxTokenPage)({ fdxTokens: [], nextPageToken: "" }))).toBe(true)
    const broken = { fdxTokens: [{ ...decoded.fdxTokens[0], id: "x" }] }
    expect(messageOf(Schema.encodeUnknownExit(FdxTokenPage)(broken))).toBe(
      "fdxTokens.0.id: an FDX token id must be a UUID"
    )
  })

  it("trusts no page but the one its own decoding has just built: a decoded page changed afterwards is checked in full", () => {
    const type = Schema.toType(FdxTokenPage)
    const decoded = Schema.decodeUnknownSync(FdxTokenPage)(page)
    const first = decoded.fdxTokens[0]
    if (first === undefined) throw new Error("the page decoded no token")
    // Readonly to the compiler only: broken after its decoding, the page must not pass any later check.
    Object.assign(first, { id: "not-a-uuid" })
    expect(Schema.is(type)(decoded)).toBe(false)
    expect(messageOf(Schema.decodeUnknownExit(type)(decoded))).toBe("fdxTokens.0.id: an FDX token id must be a UUID")
    expect(messageOf(Schema.encodeUnknownExit(FdxTokenPage)(decoded))).toBe(
      "fdxTokens.0.id: an FDX token id must be a UUID"
    )
    // A page that failed to decode leaves no trust behind either.
    expect(Exit.isFailure(decodeTokenPage({ fdx_tokens: [{ ...fdxTokenBody, id: "x" }] }))).toBe(true)
    expect(Schema.is(type)({ fdxTokens: [{ ...first, id: "x" }] })).toBe(false)
    expect(Schema.is(type)(decoded)).toBe(false)
  })

  it("decodes the same page the same way every time, also interleaved with other pages", () => {
    const decode = Schema.decodeUnknownSync(FdxTokenPage)
    const isPage = Schema.is(Schema.toType(FdxTokenPage))
    const first = decode(page)
    const second = decode({ fdx_tokens: [fdxTokenBody] })
    expect(decodeRequestPage({ fdx_auth_requests: [authRequestBody] })._tag).toBe("Success")
    expect(decode(page)).toEqual(first)
    expect([isPage(first), isPage(second), isPage({ ...first }), isPage({ fdxTokens: [{}] })]).toEqual([
      true,
      true,
      true,
      false
    ])
  })

  it.effect("derives its type side from the domain struct: Arbitrary, equivalence, formatter, JSON Schema", () =>
    Effect.gen(function*() {
      const type = Schema.toType(FdxTokenPage)
      const encode = Schema.encodeSync(FdxTokenPage)
      const equivalent = Schema.toEquivalence(type)
      const result = yield* Arbitrary.checkEffect(
        Arbitrary.schema(type),
        (generated) => {
          const decoded = decodeTokenPage(viaJson(encode(generated)))
          return Exit.isSuccess(decoded) && equivalent(decoded.value, generated)
        },
        { runs: 200, seed: 3 }
      )
      expect(Arbitrary.formatCheckFailure(result)).toBeUndefined()
      const decoded = Schema.decodeUnknownSync(FdxTokenPage)(page)
      expect(equivalent(decoded, { ...decoded, nextPageToken: "other" })).toBe(false)
      expect(Schema.toFormatter(type)(decoded)).toContain(`"nextPageToken": "a8937a0d"`)
      const schema = JSON.stringify(Schema.toJsonSchemaDocument(type))
      for (const key of ["fdxTokens", "nextPageToken", "tokenType", "creationTime"]) {
        expect(schema).toContain(`"${key}"`)
      }
      expect(schema).not.toContain("fdx_tokens")
    }))

  it("describes the wire shape as its JSON Schema", () => {
    const schema = JSON.stringify(Schema.toJsonSchemaDocument(FdxTokenPage))
    for (const key of ["fdx_tokens", "next_page_token", ...Object.keys(fdxTokenBody)]) {
      expect(schema).toContain(`"${key}"`)
    }
    expect(schema).not.toContain("fdxTokens")
  })

  it("every valid wire page decodes, and encodes back to the same JSON", () => {
    const decode = Schema.decodeUnknownSync(FdxTokenPage)
    const encode = Schema.encodeSync(FdxTokenPage)
    fc.assert(
      fc.property(
        fc.record({ fdx_tokens: fc.array(fdxTokenWire, { maxLength: 5 }), next_page_token: wire.stringOrNull }, {
          requiredKeys: ["fdx_tokens"]
        }),
        (json) => {
          const next = json.next_page_token
          const expected = {
            fdx_tokens: json.fdx_tokens.map(withoutNulls),
            ...(typeof next === "string" && next !== "" ? { next_page_token: next } : {})
          }
          return JSON.stringify(encode(decode(json))) === JSON.stringify(expected)
        }
      ),
      { numRuns: 500 }
    )
  })

  it("random JSON never throws: it decodes or gives a SchemaError", () => {
    const token = fc.oneof(
      fc.jsonValue(),
      fc.constant(fdxTokenBody),
      fdxTokenWire,
      fc.record(Object.fromEntries(Object.keys(fdxTokenBody).map((key) => [key, fc.jsonValue()])), {
        requiredKeys: []
      })
    )
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.record({ fdx_tokens: fc.array(token, { maxLength: 5 }), next_page_token: fc.jsonValue() }, {
            requiredKeys: []
          })
        ),
        decodesOrFails(FdxTokenPage)
      ),
      { numRuns: 3_000 }
    )
  })
})

describe("FdxAuthRequestPage", () => {
  it("decodes every request as FdxAuthRequest does, and the next page token", () => {
    const page = {
      fdx_auth_requests: [authRequestBody, { id: authRequestId, status: "DENIED", customer_id: null }],
      next_page_token: "a8937a0d"
    }
    const decoded = Schema.decodeUnknownSync(FdxAuthRequestPage)(page)
    expect(decoded.nextPageToken).toBe("a8937a0d")
    expect(decoded.fdxAuthRequests[1]).toEqual({ id: authRequestId, status: "DENIED" })
    expect(decoded.fdxAuthRequests[0]).toEqual(decodeRequestSync(authRequestBody))
    expect(Schema.encodeSync(FdxAuthRequestPage)(decoded)).toEqual({
      fdx_auth_requests: [authRequestBody, { id: authRequestId, status: "DENIED" }],
      next_page_token: "a8937a0d"
    })
  })

  it("reads a missing, null or empty next_page_token as the last page", () => {
    for (const next of [{}, { next_page_token: null }, { next_page_token: "" }]) {
      const decoded = Schema.decodeUnknownSync(FdxAuthRequestPage)({ fdx_auth_requests: [], ...next })
      expect(decoded).toEqual({ fdxAuthRequests: [] })
    }
  })

  it("reports a broken request at its wire path, with its index", () => {
    expect(messageOf(decodeRequestPage({ fdx_auth_requests: [authRequestBody, { id: authRequestId }] }))).toBe(
      "fdx_auth_requests.1.status: Missing key"
    )
    expect(messageOf(decodeRequestPage({ fdx_auth_requests: [{ ...authRequestBody, expiry_time: "later" }] }))).toBe(
      "fdx_auth_requests.0.expiry_time: Expected a valid UTC DateTime string"
    )
    expect(messageOf(decodeRequestPage({ fdx_tokens: [] }))).toBe("fdx_auth_requests: Missing key")
  })

  it("reports every broken request when asked for all errors", () => {
    const exit = Schema.decodeUnknownExit(FdxAuthRequestPage)({
      fdx_auth_requests: [{ ...authRequestBody, id: "x" }, authRequestBody, {
        ...authRequestBody,
        expiry_time: "later"
      }]
    }, { errors: "all" })
    expect(messageOf(exit)).toBe(
      "fdx_auth_requests.0.id: an FDX authorization request id must be a UUID; fdx_auth_requests.2.expiry_time: Expected a valid UTC DateTime string"
    )
  })

  it("checks a page given on the domain side in full, even a decoded one changed afterwards", () => {
    const type = Schema.toType(FdxAuthRequestPage)
    const decoded = Schema.decodeUnknownSync(FdxAuthRequestPage)({ fdx_auth_requests: [authRequestBody] })
    expect(Schema.is(type)(decoded)).toBe(true)
    expect(Schema.is(type)({ fdxAuthRequests: [], nextPageToken: "" })).toBe(false)
    const first = decoded.fdxAuthRequests[0]
    if (first === undefined) throw new Error("the page decoded no request")
    // Readonly to the compiler only: broken after its decoding, the page must not pass any later check.
    Object.assign(first, { id: "not-a-uuid" })
    expect(Schema.is(type)(decoded)).toBe(false)
    expect(messageOf(Schema.encodeUnknownExit(FdxAuthRequestPage)(decoded))).toBe(
      "fdxAuthRequests.0.id: an FDX authorization request id must be a UUID"
    )
  })

  it("random JSON never throws: it decodes or gives a SchemaError", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.record({
            fdx_auth_requests: fc.array(fc.oneof(fc.jsonValue(), fc.constant(authRequestBody), authRequestWire), {
              maxLength: 5
            }),
            next_page_token: fc.jsonValue()
          }, { requiredKeys: [] })
        ),
        decodesOrFails(FdxAuthRequestPage)
      ),
      { numRuns: 3_000 }
    )
  })
})

describe("GrantStatus (closed)", () => {
  it("accepts the three published values only, and says so", () => {
    for (const status of ["GRANTED", "DENIED", "ERROR"]) expect(Schema.is(GrantStatus)(status)).toBe(true)
    for (const status of ["PENDING", "granted", "USED", "", 1]) expect(Schema.is(GrantStatus)(status)).toBe(false)
    expect(messageOf(Schema.decodeUnknownExit(GrantStatus)("MAYBE"))).toBe(
      "a grant status must be GRANTED, DENIED or ERROR"
    )
  })
})

describe("FdxAuthGrantBody", () => {
  const encode = Schema.encodeUnknownExit(FdxAuthGrantBody)
  const encodeSync = Schema.encodeUnknownSync(FdxAuthGrantBody)

  it("maps a caller's camelCase input to the snake_case JSON body", () => {
    expect(encodeSync({ authRequestId, status: "GRANTED", customerId })).toEqual({
      auth_request_id: authRequestId,
      status: "GRANTED",
      customer_id: customerId
    })
    expect(encodeSync({ authRequestId, status: "GRANTED", businessId })).toEqual({
      auth_request_id: authRequestId,
      status: "GRANTED",
      business_id: businessId
    })
    // No key for an id not given (not even `undefined`: JSON.stringify would drop it, a strict server might not).
    expect(Object.keys(encodeSync({ authRequestId, status: "DENIED" }))).toEqual(["auth_request_id", "status"])
    expect(JSON.stringify(encodeSync({ authRequestId, status: "ERROR", customerId }))).toBe(
      `{"auth_request_id":"${authRequestId}","status":"ERROR","customer_id":"${customerId}"}`
    )
  })

  it("refuses a bad input before anything is sent, and says why", () => {
    const messages = [
      { authRequestId: "x", status: "GRANTED", customerId },
      { authRequestId, status: "GRANTED", customerId: "../customers" },
      { authRequestId, status: "GRANTED", businessId: "b" },
      { authRequestId, status: "PENDING", customerId },
      { authRequestId, status: "GRANTED" },
      { authRequestId, status: "GRANTED", customerId, businessId },
      { authRequestId, status: "DENIED", customerId, businessId },
      { status: "GRANTED", customerId }
    ].map((input) => messageOf(encode(input)))
    expect(messages).toEqual([
      "authRequestId: an FDX authorization request id must be a UUID",
      "customerId: a customer id must be a UUID",
      "businessId: a business id must be a UUID",
      "status: a grant status must be GRANTED, DENIED or ERROR",
      "a GRANTED request needs the customerId or businessId it is granted for",
      "give a customerId or a businessId, not both",
      "give a customerId or a businessId, not both",
      "authRequestId: Missing key"
    ])
  })

  it("decodes the wire body too (a server reading it), with the same checks", () => {
    const decode = Schema.decodeUnknownExit(FdxAuthGrantBody)
    expect(Schema.decodeUnknownSync(FdxAuthGrantBody)({ auth_request_id: authRequestId, status: "DENIED" })).toEqual({
      authRequestId,
      status: "DENIED"
    })
    expect(messageOf(decode({ auth_request_id: authRequestId, status: "MAYBE" }))).toBe(
      "status: a grant status must be GRANTED, DENIED or ERROR"
    )
    expect(messageOf(decode({ auth_request_id: authRequestId, status: "GRANTED" }))).toBe(
      "a GRANTED request needs the customerId or businessId it is granted for"
    )
  })

  it("encodes exactly the inputs the owner rule allows, and round-trips them", () => {
    const decode = Schema.decodeUnknownSync(FdxAuthGrantBody)
    const input = fc.record({
      authRequestId: fc.uuid(),
      status: fc.constantFrom(...(["GRANTED", "DENIED", "ERROR"] as const)),
      customerId: fc.uuid(),
      businessId: fc.uuid()
    }, { requiredKeys: ["authRequestId", "status"] })
    fc.assert(
      fc.property(input, (body) => {
        const exit = encode(body)
        if (grantOwnerRule(body) !== true) return Exit.isFailure(exit)
        if (Exit.isFailure(exit)) return false
        const json = exit.value
        const who = [json.customer_id, json.business_id].filter((id) => id !== undefined).length
        return JSON.stringify(decode(viaJson(json))) === JSON.stringify(body) && who <= 1 &&
          (body.status !== "GRANTED" || who === 1)
      }),
      { numRuns: 1_000 }
    )
  })
})

describe("FdxAuthGrant", () => {
  it("decodes redirect_uri, ignores extra fields, encodes back", () => {
    const grant = Schema.decodeUnknownSync(FdxAuthGrant)({ redirect_uri: "https://plaid.example/cb", state: "s" })
    expect(grant).toEqual({ redirectUri: "https://plaid.example/cb" })
    expect(Schema.encodeSync(FdxAuthGrant)(grant)).toEqual({ redirect_uri: "https://plaid.example/cb" })
  })

  it("requires redirect_uri, as the spec does", () => {
    expect(messageOf(Schema.decodeUnknownExit(FdxAuthGrant)({}))).toBe("redirect_uri: Missing key")
    expect(messageOf(Schema.decodeUnknownExit(FdxAuthGrant)({ redirect_uri: null }))).toBe(
      "redirect_uri: Expected string"
    )
  })

  it("random JSON never throws", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.jsonValue(), fc.record({ redirect_uri: fc.jsonValue() }, { requiredKeys: [] })),
        decodesOrFails(FdxAuthGrant)
      ),
      { numRuns: 2_000 }
    )
  })
})

describe("AuthorizationTest", () => {
  const url = `https://fintech.example/plaid/auth?auth_request_id=${authRequestId}`

  it("decodes redirect_url, ignores extra fields, encodes back", () => {
    const test = Schema.decodeUnknownSync(AuthorizationTest)({ redirect_url: url, other: 1 })
    expect(test).toEqual({ redirectUrl: url })
    expect(Schema.encodeSync(AuthorizationTest)(test)).toEqual({ redirect_url: url })
  })

  it("reads a missing or null redirect_url as absent (the spec does not require it)", () => {
    for (const json of [{}, { redirect_url: null }]) {
      const test = Schema.decodeUnknownSync(AuthorizationTest)(json)
      expect("redirectUrl" in test).toBe(false)
      expect(Schema.encodeSync(AuthorizationTest)(test)).toEqual({})
    }
  })

  it("refuses a redirect_url that is not a string", () => {
    expect(messageOf(Schema.decodeUnknownExit(AuthorizationTest)({ redirect_url: 5 }))).toBe(
      "redirect_url: Expected string | null | undefined"
    )
  })

  it("random JSON never throws, and every string round-trips", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.jsonValue(), fc.record({ redirect_url: fc.jsonValue() }, { requiredKeys: [] })),
        decodesOrFails(AuthorizationTest)
      ),
      { numRuns: 2_000 }
    )
    fc.assert(
      fc.property(fc.string(), (redirect_url) => {
        const test = Schema.decodeUnknownSync(AuthorizationTest)({ redirect_url })
        return test.redirectUrl === redirect_url &&
          Schema.encodeSync(AuthorizationTest)(test).redirect_url === redirect_url
      }),
      { numRuns: 500 }
    )
  })
})

describe("ErrorBody", () => {
  it("decodes the documented shape and retry_after", () => {
    expect(Schema.decodeUnknownSync(ErrorBody)({ code: "X", detail: "d", status: 429, retry_after: 2, missing: ["a"] }))
      .toEqual({ code: "X", detail: "d", status: 429, retryAfter: 2 })
    expect(Schema.encodeSync(ErrorBody)({ code: "X", retryAfter: 2 })).toEqual({ code: "X", retry_after: 2 })
  })

  it("is read leniently: wrong types dropped, anything else tolerated", () => {
    expect(decodeErrorBodyLenient({ code: 1, detail: "d", status: "400" })).toEqual({ detail: "d" })
    expect(decodeErrorBodyLenient({ code: "c", status: 1.5, retry_after: -1 })).toEqual({ code: "c" })
    expect(decodeErrorBodyLenient({ status: 429, retry_after: 1.5 })).toEqual({ status: 429, retryAfter: 1.5 })
    expect(decodeErrorBodyLenient("oops")).toEqual({})
    expect(decodeErrorBodyLenient(null)).toEqual({})
    expect(decodeErrorBodyLenient([{ code: "X" }])).toEqual({})
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.record({ code: fc.jsonValue(), status: fc.jsonValue() })), (json) => {
        const body = decodeErrorBodyLenient(json)
        return typeof body === "object" && Schema.is(ErrorBody)(body)
      }),
      { numRuns: 2_000 }
    )
  })
})
