/**
 * The Plaid Core Exchange schemas: FDX authorization requests, the list pages,
 * the grant's body and answer, the authorization test, and their ids. Wire
 * snake_case to camelCase, RFC 3339 to `DateTime.Utc`, open response enums,
 * closed request enums, and property tests that random input never crashes a
 * decoder.
 */
import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, DateTime, Either, FastCheck, JSONSchema, Match, ParseResult, Schema } from "effect"
import { AuthorizationTest } from "../src/schemas/AuthorizationTest.js"
import { FdxAuthGrant, FdxAuthGrantBody, GrantStatus } from "../src/schemas/FdxAuthGrant.js"
import {
  FdxAuthRequest,
  type FdxAuthRequestStatus,
  knownFdxAuthRequestStatuses
} from "../src/schemas/FdxAuthRequest.js"
import { FdxAuthRequestPage, FdxTokenPage } from "../src/schemas/FdxPages.js"
import { FdxToken } from "../src/schemas/FdxToken.js"
import * as OpenEnum from "../src/schemas/OpenEnum.js"
import { BusinessId, CustomerId, FdxAuthRequestId } from "../src/schemas/PceIds.js"
import { fdxTokenBody } from "./support/fixtures.js"

const authRequestId = "046b6c7f-0b8a-43b9-b35d-6489e6daee91"
const customerId = "c0d7c4f2-8a31-4c8e-9a55-1f5b0e3c2d11"
const businessId = "b0d7c4f2-8a31-4c8e-9a55-1f5b0e3c2d11"

/** Every field of the spec's `fdx_auth_request_response`. */
const authRequestBody = {
  business_id: businessId,
  code: "0f3d7c2a-code",
  creation_time: "2010-05-06T12:23:34.321Z",
  customer_id: customerId,
  expiry_time: "2010-05-06T12:33:34.321Z",
  id: authRequestId,
  last_updated_time: "2010-05-06T12:24:34.321Z",
  oauth2_state: "9a7e41c2-63f0-4a39-b6b5-7d1e2c3f4a55",
  redirect_uri: "https://cdn.plaid.com/link/v2/stable/oauth.html",
  status: "PENDING",
  tenant: "abcdef_ghijkl"
}

const optionalAuthRequestFields = [
  "business_id",
  "code",
  "creation_time",
  "customer_id",
  "expiry_time",
  "last_updated_time",
  "oauth2_state",
  "redirect_uri",
  "tenant"
] as const

const decodeRequest = Schema.decodeUnknownEither(FdxAuthRequest)
const encodeRequest = Schema.encodeSync(FdxAuthRequest)
const decodeTokenPage = Schema.decodeUnknownEither(FdxTokenPage)
const decodeRequestPage = Schema.decodeUnknownEither(FdxAuthRequestPage)

/** `path: message` per issue, as the client's errors print them. */
const formatted = (error: ParseResult.ParseError) =>
  ParseResult.ArrayFormatter.formatErrorSync(error)
    .map((issue) => issue.path.length === 0 ? issue.message : `${issue.path.join(".")}: ${issue.message}`)
    .join("; ")

const messageOf = <A>(result: Either.Either<A, ParseResult.ParseError>): string =>
  Either.isLeft(result) ? formatted(result.left) : "decoded"

/** Through JSON text and back, as a value travels on the wire. */
const viaJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value))

describe("PCE ids", () => {
  const cases: ReadonlyArray<readonly [Schema.Schema.AnyNoContext, string]> = [
    [FdxAuthRequestId, "an FDX authorization request id must be a UUID"],
    [CustomerId, "a customer id must be a UUID"],
    [BusinessId, "a business id must be a UUID"]
  ]

  it("accept UUIDs only, and say so", () => {
    for (const [schema, message] of cases) {
      expect(Schema.is(schema)(authRequestId)).toBe(true)
      for (const bad of ["", "abc", "../x", `${authRequestId}/x`, `${authRequestId} `, `${authRequestId}\r\nX: y`, 5]) {
        expect(Schema.is(schema)(bad)).toBe(false)
      }
      expect(messageOf(Schema.decodeUnknownEither(schema)("nope"))).toBe(message)
    }
  })

  it("are distinct brands", () => {
    const request: FdxAuthRequestId = Schema.decodeUnknownSync(FdxAuthRequestId)(authRequestId)
    // @ts-expect-error: an authorization request id is not a customer id
    const customer: CustomerId = request
    expect(customer).toBe(authRequestId)
  })
})

describe("FdxAuthRequest", () => {
  it("renames every field to camelCase and reads the timestamps as DateTime.Utc", () => {
    const request = Schema.decodeUnknownSync(FdxAuthRequest)(authRequestBody)
    const { creationTime, expiryTime, lastUpdatedTime, ...rest } = request
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
      const [time, text] of [[creationTime, authRequestBody.creation_time], [
        lastUpdatedTime,
        authRequestBody.last_updated_time
      ], [expiryTime, authRequestBody.expiry_time]] as const
    ) {
      expect(DateTime.isDateTime(time) && DateTime.isUtc(time)).toBe(true)
      expect(time === undefined ? undefined : DateTime.toEpochMillis(time)).toBe(Date.parse(text))
    }
  })

  it("round-trips the wire body", () => {
    expect(encodeRequest(Schema.decodeUnknownSync(FdxAuthRequest)(authRequestBody))).toEqual(authRequestBody)
  })

  it("needs only id and status, as the spec says", () => {
    const request = Schema.decodeUnknownSync(FdxAuthRequest)({ id: authRequestId, status: "GRANTED" })
    expect(request).toEqual({ id: authRequestId, status: "GRANTED" })
    expect(encodeRequest(request)).toEqual({ id: authRequestId, status: "GRANTED" })
    for (const field of Object.keys(authRequestBody)) {
      const { [field]: _, ...rest } = authRequestBody as Record<string, unknown>
      expect(Either.isLeft(decodeRequest(rest))).toBe(field === "id" || field === "status")
    }
  })

  it("treats null optional fields as absent", () => {
    const nulls = Object.fromEntries(optionalAuthRequestFields.map((field) => [field, null]))
    const request = Schema.decodeUnknownSync(FdxAuthRequest)({ ...authRequestBody, ...nulls })
    expect(Object.keys(request).sort()).toEqual(["id", "status"])
    expect(encodeRequest(request)).toEqual({ id: authRequestId, status: "PENDING" })
  })

  it("reads optional fields as the object's own, as Schema.Struct does", () => {
    const inherited = Object.assign(Object.create({ code: "from-a-prototype" }), { id: authRequestId, status: "USED" })
    expect("code" in Schema.decodeUnknownSync(FdxAuthRequest)(inherited)).toBe(false)
  })

  it("ignores unknown fields", () => {
    const request = Schema.decodeUnknownSync(FdxAuthRequest)({ ...authRequestBody, scopes: ["accounts"], extra: 1 })
    expect(Object.keys(request)).not.toContain("scopes")
    expect(encodeRequest(request)).toEqual(authRequestBody)
  })

  it("reads an offset timestamp as the same instant, in UTC", () => {
    const request = Schema.decodeUnknownSync(FdxAuthRequest)({
      ...authRequestBody,
      creation_time: "2010-05-06T14:23:34.321+02:00"
    })
    expect(request.creationTime && DateTime.formatIso(request.creationTime)).toBe("2010-05-06T12:23:34.321Z")
  })

  it("reports a broken wire field at its wire name, and says what it got", () => {
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
      "status: Expected string, actual 5",
      "tenant: Expected string | null, actual 5; tenant: Expected undefined, actual 5",
      "expiry_time: Expected DateTimeUtc, actual \"yesterday\"",
      "last_updated_time: Expected DateTimeUtc, actual \"2010-13-45T99:00:00Z\"",
      "id: an FDX authorization request id must be a UUID",
      "id: is missing",
      expect.stringMatching(/^Expected \{ readonly id: string; readonly status: string; .*actual \[/),
      expect.stringMatching(/^Expected \{ readonly id: string; .*actual null$/)
    ])
  })

  it("describes the wire shape as its JSON Schema", () => {
    const schema = JSON.stringify(JSONSchema.make(FdxAuthRequest))
    for (const key of Object.keys(authRequestBody)) expect(schema).toContain(`"${key}"`)
    expect(schema).not.toContain("oauth2State")
  })

  it("every valid authorization request round-trips through JSON", () => {
    const equivalent = Schema.equivalence(Schema.typeSchema(FdxAuthRequest))
    FastCheck.assert(
      FastCheck.property(Arbitrary.make(FdxAuthRequest), (request) => {
        const decoded = decodeRequest(viaJson(encodeRequest(request)))
        return Either.isRight(decoded) && equivalent(decoded.right, request)
      }),
      { numRuns: 2_000 }
    )
  })

  it("random JSON never throws: it decodes or gives a ParseError", () => {
    const isRequest = Schema.is(Schema.typeSchema(FdxAuthRequest))
    const field = FastCheck.oneof(FastCheck.jsonValue(), FastCheck.string(), FastCheck.constant(null))
    const keys = Object.keys(authRequestBody)
    FastCheck.assert(
      FastCheck.property(
        FastCheck.oneof(
          FastCheck.jsonValue(),
          FastCheck.record(Object.fromEntries(keys.map((key) => [key, field])), { requiredKeys: [] })
        ),
        (json) => {
          const result = decodeRequest(json)
          return Either.isLeft(result) || isRequest(result.right)
        }
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
      const request = Schema.decodeUnknownSync(FdxAuthRequest)({ ...authRequestBody, status })
      expect(isKnown(request.status)).toBe(true)
      expect(describeStatus(request.status)).toBe(status.toLowerCase())
    }
    const future = Schema.decodeUnknownSync(FdxAuthRequest)({ ...authRequestBody, status: "EXPIRED" })
    expect(isKnown(future.status)).toBe(false)
    expect(describeStatus(future.status)).toBe("unrecognized EXPIRED")
    expect(encodeRequest(future).status).toBe("EXPIRED")
  })

  it("arbitrary requests have known and unrecognized statuses", () => {
    const isKnown = OpenEnum.isKnown(knownFdxAuthRequestStatuses)
    const requests = FastCheck.sample(Arbitrary.make(FdxAuthRequest), 400)
    expect(requests.some((request) => isKnown(request.status))).toBe(true)
    expect(requests.some((request) => !isKnown(request.status))).toBe(true)
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
    expect(decoded.fdxTokens).toEqual(page.fdx_tokens.map((token) => Schema.decodeUnknownSync(FdxToken)(token)))
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
      "fdx_tokens.1.token_type: Expected string, actual 5",
      "fdx_tokens.1.id: an FDX token id must be a UUID",
      "fdx_tokens.0.creation_time: Expected DateTimeUtc, actual \"yesterday\"",
      "next_page_token: Expected string | null, actual 4; next_page_token: Expected undefined, actual 4",
      expect.stringMatching(/^fdx_tokens: Expected ReadonlyArray<FdxToken\.Json>, actual \{/),
      "fdx_tokens: is missing",
      expect.stringMatching(/^Expected \{ readonly fdx_tokens: ReadonlyArray<FdxToken\.Json>; .*actual "page"$/)
    ])
  })

  it("fails with a ParseError whose message shows where and what", () => {
    const bad = { fdx_tokens: [fdxTokenBody, { ...fdxTokenBody, token_type: 5 }] }
    const error = Either.flip(decodeTokenPage(bad)).pipe(Either.getOrThrow)
    expect(ParseResult.isParseError(error)).toBe(true)
    expect(error.message).toMatch(/\["fdx_tokens"\][\s\S]*\[1\][\s\S]*\["token_type"\][\s\S]*Expected string, actual 5/)
    expect(() => Schema.decodeUnknownSync(FdxTokenPage)(bad)).toThrow(/Expected string, actual 5/)
  })

  it("reports every broken token when asked for all errors", () => {
    const result = Schema.decodeUnknownEither(FdxTokenPage, { errors: "all" })({
      fdx_tokens: [{ ...fdxTokenBody, id: "x" }, fdxTokenBody, { ...fdxTokenBody, token_expiry_time: "soon" }]
    })
    expect(messageOf(result)).toBe(
      "fdx_tokens.0.id: an FDX token id must be a UUID; fdx_tokens.2.token_expiry_time: Expected DateTimeUtc, actual \"soon\""
    )
  })

  it("checks a page given on the domain side in full", () => {
    const isPage = Schema.is(Schema.typeSchema(FdxTokenPage))
    const decoded = Schema.decodeUnknownSync(FdxTokenPage)(page)
    expect(isPage(decoded)).toBe(true) // The decoder trusts only the object it has just built, once: the same object, broken afterwards, is refused.
    ;(decoded.fdxTokens as Array<unknown>).push({ id: "not a token" })
    expect(isPage(decoded)).toBe(false)
    expect(isPage({ fdxTokens: [], nextPageToken: "" })).toBe(false)
    expect(isPage({ fdxTokens: [] })).toBe(true)
    expect(Either.isLeft(Schema.encodeEither(FdxTokenPage)({ fdxTokens: [], nextPageToken: "" }))).toBe(true)
    const broken = { fdxTokens: [{ ...decoded.fdxTokens[0], id: "x" }] } as unknown as FdxTokenPage
    expect(messageOf(Schema.encodeEither(FdxTokenPage)(broken))).toBe("fdxTokens.0.id: an FDX token id must be a UUID")
  })

  it("the wire side checks each token's wire shape too", () => {
    const isJson = Schema.is(Schema.encodedSchema(FdxTokenPage))
    expect(isJson(page)).toBe(true)
    expect(isJson({ fdx_tokens: [{ ...fdxTokenBody, token_hash: null }] })).toBe(false)
    expect(isJson({ fdx_tokens: [1] })).toBe(false)
  })

  it("describes the wire shape as its JSON Schema", () => {
    const schema = JSON.stringify(JSONSchema.make(FdxTokenPage))
    for (const key of ["fdx_tokens", "next_page_token", ...Object.keys(fdxTokenBody)]) {
      expect(schema).toContain(`"${key}"`)
    }
    expect(schema).not.toContain("fdxTokens")
  })

  it("every valid page round-trips through JSON", () => {
    const equivalent = Schema.equivalence(Schema.typeSchema(FdxTokenPage))
    const encode = Schema.encodeSync(FdxTokenPage)
    FastCheck.assert(
      FastCheck.property(Arbitrary.make(FdxTokenPage), (decoded) => {
        const result = decodeTokenPage(viaJson(encode(decoded)))
        return Either.isRight(result) && equivalent(result.right, decoded)
      }),
      { numRuns: 300 }
    )
  })

  it("random JSON never throws: it decodes or gives a ParseError", () => {
    const isPage = Schema.is(Schema.typeSchema(FdxTokenPage))
    const token = FastCheck.oneof(
      FastCheck.jsonValue(),
      FastCheck.constant(fdxTokenBody),
      FastCheck.record(
        Object.fromEntries(Object.keys(fdxTokenBody).map((key) => [key, FastCheck.oneof(FastCheck.jsonValue())])),
        { requiredKeys: [] }
      )
    )
    FastCheck.assert(
      FastCheck.property(
        FastCheck.oneof(
          FastCheck.jsonValue(),
          FastCheck.record({ fdx_tokens: FastCheck.array(token), next_page_token: FastCheck.jsonValue() }, {
            requiredKeys: []
          })
        ),
        (json) => {
          const result = decodeTokenPage(json)
          return Either.isLeft(result) || isPage(result.right)
        }
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
    expect(decoded.fdxAuthRequests[0]).toEqual(Schema.decodeUnknownSync(FdxAuthRequest)(authRequestBody))
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
      "fdx_auth_requests.1.status: is missing"
    )
    expect(messageOf(decodeRequestPage({ fdx_auth_requests: [{ ...authRequestBody, expiry_time: "later" }] }))).toBe(
      "fdx_auth_requests.0.expiry_time: Expected DateTimeUtc, actual \"later\""
    )
    expect(messageOf(decodeRequestPage({ fdx_tokens: [] }))).toBe("fdx_auth_requests: is missing")
  })

  it("every valid page round-trips through JSON", () => {
    const equivalent = Schema.equivalence(Schema.typeSchema(FdxAuthRequestPage))
    const encode = Schema.encodeSync(FdxAuthRequestPage)
    FastCheck.assert(
      FastCheck.property(Arbitrary.make(FdxAuthRequestPage), (decoded) => {
        const result = decodeRequestPage(viaJson(encode(decoded)))
        return Either.isRight(result) && equivalent(result.right, decoded)
      }),
      { numRuns: 300 }
    )
  })

  it("random JSON never throws: it decodes or gives a ParseError", () => {
    const isPage = Schema.is(Schema.typeSchema(FdxAuthRequestPage))
    FastCheck.assert(
      FastCheck.property(
        FastCheck.oneof(
          FastCheck.jsonValue(),
          FastCheck.record({
            fdx_auth_requests: FastCheck.array(
              FastCheck.oneof(FastCheck.jsonValue(), FastCheck.constant(authRequestBody))
            ),
            next_page_token: FastCheck.jsonValue()
          }, { requiredKeys: [] })
        ),
        (json) => {
          const result = decodeRequestPage(json)
          return Either.isLeft(result) || isPage(result.right)
        }
      ),
      { numRuns: 3_000 }
    )
  })
})

describe("GrantStatus (closed)", () => {
  it("accepts the three published values only", () => {
    for (const status of ["GRANTED", "DENIED", "ERROR"]) expect(Schema.is(GrantStatus)(status)).toBe(true)
    for (const status of ["PENDING", "granted", "USED", "", 1]) expect(Schema.is(GrantStatus)(status)).toBe(false)
  })
})

describe("FdxAuthGrantBody", () => {
  const encode = Schema.encodeUnknownEither(FdxAuthGrantBody)

  it("maps a caller's camelCase input to the snake_case JSON body", () => {
    expect(encode({ authRequestId, status: "GRANTED", customerId })).toEqual(
      Either.right({ auth_request_id: authRequestId, status: "GRANTED", customer_id: customerId })
    )
    expect(encode({ authRequestId, status: "GRANTED", businessId })).toEqual(
      Either.right({ auth_request_id: authRequestId, status: "GRANTED", business_id: businessId })
    )
    // No key for an id not given (not even `undefined`: JSON.stringify would drop it, a strict server might not).
    const denied = Either.getOrThrow(encode({ authRequestId, status: "DENIED" }))
    expect(Object.keys(denied)).toEqual(["auth_request_id", "status"])
    expect(JSON.stringify(Either.getOrThrow(encode({ authRequestId, status: "ERROR", customerId })))).toBe(
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
      "authRequestId: is missing"
    ])
  })

  it("decodes the wire body too (a server reading it)", () => {
    expect(Schema.decodeUnknownSync(FdxAuthGrantBody)({ auth_request_id: authRequestId, status: "DENIED" })).toEqual({
      authRequestId,
      status: "DENIED"
    })
    expect(
      messageOf(Schema.decodeUnknownEither(FdxAuthGrantBody)({ auth_request_id: authRequestId, status: "MAYBE" }))
    ).toBe("status: a grant status must be GRANTED, DENIED or ERROR")
  })

  it("every valid body round-trips through JSON, and GRANTED always names who", () => {
    const decode = Schema.decodeUnknownEither(FdxAuthGrantBody)
    const equivalent = Schema.equivalence(Schema.typeSchema(FdxAuthGrantBody))
    FastCheck.assert(
      FastCheck.property(Arbitrary.make(FdxAuthGrantBody), (body) => {
        const json = Either.getOrThrow(encode(body))
        const decoded = decode(viaJson(json))
        const who = [json.customer_id, json.business_id].filter((id) => id !== undefined).length
        return Either.isRight(decoded) && equivalent(decoded.right, body) && who <= 1 &&
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
    expect(messageOf(Schema.decodeUnknownEither(FdxAuthGrant)({}))).toBe("redirect_uri: is missing")
    expect(messageOf(Schema.decodeUnknownEither(FdxAuthGrant)({ redirect_uri: null }))).toBe(
      "redirect_uri: Expected string, actual null"
    )
  })

  it("random JSON never throws", () => {
    FastCheck.assert(
      FastCheck.property(FastCheck.record({ redirect_uri: FastCheck.jsonValue() }, { requiredKeys: [] }), (json) => {
        const result = Schema.decodeUnknownEither(FdxAuthGrant)(json)
        return Either.isLeft(result) || typeof result.right.redirectUri === "string"
      }),
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
    expect(messageOf(Schema.decodeUnknownEither(AuthorizationTest)({ redirect_url: 5 }))).toBe(
      "redirect_url: Expected string | null, actual 5; redirect_url: Expected undefined, actual 5"
    )
  })

  it("every valid answer round-trips through JSON", () => {
    const decode = Schema.decodeUnknownEither(AuthorizationTest)
    const encode = Schema.encodeSync(AuthorizationTest)
    FastCheck.assert(
      FastCheck.property(Arbitrary.make(AuthorizationTest), (test) => {
        const decoded = decode(viaJson(encode(test)))
        return Either.isRight(decoded) && decoded.right.redirectUrl === test.redirectUrl
      }),
      { numRuns: 1_000 }
    )
  })
})
