/**
 * THE schema tables: what each schema of the package reads on the wire, the
 * domain value it gives, what it refuses and in which words, and what it
 * writes back, as plain data shared by both Effect lines. Both lines'
 * schemas have the same names and the same wire ↔ domain behaviour;
 * `test/schemas.test.ts` and `effect4/test/schemas.test.ts` run every case
 * through their own `Schema` API, by `schemasEngine.ts`. Where the words of
 * a refusal come from each Effect's own formatter and differ, a case records
 * both, and why (`ByLine`, as `behaviour.ts`'s `differs`).
 *
 * This file: the tables' types and words, the wire bodies both lines' tests
 * use (their `support/fixtures.ts` re-export them), and the cases of the
 * widget token, the FDX token, the ids, the enums and the error body.
 * `schemasPce.ts` has the Plaid Core Exchange schemas' cases,
 * `schemasTrust.ts` the pages' trust in their own decoding,
 * `schemasProperties.ts` the property tests; `schemasEngine.ts` runs them.
 *
 * Values are plain JSON, as `engine.ts`'s `toPlain` gives them: a
 * `DateTime.Utc` as its ISO string, absent fields left out (and a decoded or
 * encoded value may not hold a field set to `undefined`: absent means absent).
 *
 * No Effect here, and nothing from either line.
 */
import type { ErrorBodyJson, FdxAuthRequestJson, FdxTokenJson, WidgetTokenJson } from "../../src/core/model/wire.js"
import { cardWidgetTypes, grantStatuses, idempotencyKeyRule, notAUuid, uuidPattern } from "../../src/core/rules.js"
import type { Json, JsonObject, Line } from "./behaviour.js"

// --- the tables' types ---

/**
 * The schemas the tables speak of: each line's public export of that name,
 * and `Color`, the open enum `OpenEnum.make("RED", "GREEN")` each line makes
 * with its own `OpenEnum`.
 */
export type SchemaName =
  | "AuthorizationTest"
  | "BusinessId"
  | "CardId"
  | "CardWidgetType"
  | "Color"
  | "CustomerId"
  | "ErrorBody"
  | "FdxAuthGrant"
  | "FdxAuthGrantBody"
  | "FdxAuthRequest"
  | "FdxAuthRequestId"
  | "FdxAuthRequestPage"
  | "FdxToken"
  | "FdxTokenId"
  | "FdxTokenPage"
  | "GrantStatus"
  | "IdempotencyKey"
  | "WidgetToken"

/**
 * A refusal as both lines' tests print it: `path: message` per issue (the
 * path dotted, left out at the root), joined with `; `. A `RegExp` where the
 * whole message is not worth its letters (Effect 3 prints a whole struct's
 * type).
 */
export type Message = string | RegExp

/** What each line says, where the lines say it differently, and why. */
export interface ByLine<A> {
  readonly effect3: A
  readonly effect4: A
  readonly why: string
}

/** What a refusal says: the same on both lines, or each line's words. */
export type Words = Message | ByLine<Message>

/** What a case is about. */
interface Case {
  readonly schema: SchemaName
  readonly note: string
}

/** A wire input that decodes. */
export interface Decodes extends Case {
  /** Plain JSON but for a few objects with a prototype (which the schemas must not read). */
  readonly wire: unknown
  /** The decoded value. */
  readonly domain: Json
  /** What the decoded value encodes back to. */
  readonly encoded: Json
  /**
   * Where a line does not decode as the case says today: what it gives
   * instead, and why. Each is a gap to close in that line, kept here so that
   * it is explicit and cannot grow unnoticed (as `behaviour.ts`'s `differs`).
   */
  readonly differs?: {
    readonly effect3?: { readonly domain: Json; readonly encoded: Json }
    readonly effect4?: { readonly domain: Json; readonly encoded: Json }
    readonly why: string
  }
}

/** A wire input that fails to decode. */
export interface Refuses extends Case {
  readonly wire: unknown
  readonly error: Words
  /** Decoded with `errors: "all"`: every issue, not the first one only. */
  readonly allErrors?: boolean
}

/** A domain value that encodes (one without timestamps: a line's domain value is then plain JSON too). */
export interface Encodes extends Case {
  readonly domain: Json
  readonly wire: Json
  /** The wire value's JSON text, where the order of its keys is part of the case. */
  readonly text?: string
}

/** A domain value that fails to encode. */
export interface EncodeRefuses extends Case {
  readonly domain: Json
  readonly error: Words
}

/** What `Schema.is` says of values of the schema's type side, or of its wire (encoded) side. */
export interface Membership extends Case {
  readonly side: "type" | "wire"
  readonly accepts: ReadonlyArray<Json>
  readonly refuses: ReadonlyArray<Json>
}

/** The keys a schema's JSON Schema names (its wire keys) and does not (its domain keys). */
export interface JsonSchemaKeys {
  readonly schema: SchemaName
  readonly mentions: ReadonlyArray<string>
  readonly omits: ReadonlyArray<string>
}

/** The cases of some of the schemas. */
export interface Tables {
  readonly decodes: ReadonlyArray<Decodes>
  readonly refuses: ReadonlyArray<Refuses>
  readonly encodes: ReadonlyArray<Encodes>
  readonly encodeRefuses: ReadonlyArray<EncodeRefuses>
  readonly memberships: ReadonlyArray<Membership>
  readonly jsonSchemaKeys: ReadonlyArray<JsonSchemaKeys>
}

// --- the words ---

/** Whether `value` is each line's, rather than the same on both. */
export const isByLine = <A>(value: A | ByLine<A>): value is ByLine<A> =>
  typeof value === "object" && value !== null && "why" in value && "effect3" in value && "effect4" in value

/** What `words` are on `line`. */
export const wordsOn = (words: Words, line: Line): Message =>
  typeof words === "string" || words instanceof RegExp ? words : words[line]

/**
 * Why the lines' words differ: every one of these is the schema formatter's
 * own (the package's own rules, an id's "must be a UUID", read the same on
 * both lines).
 */
const why = {
  missing: "the formatter's words for a missing key: Effect 3 says `is missing`, Effect 4 `Missing key`",
  got:
    "Effect 3's formatter adds the value it got (`, actual …`); Effect 4's does not (it would, asked to `reportInput`)",
  optional:
    "an optional field is a union: Effect 3 lists each member that failed, with the value (`undefined` too); Effect 4 names the union once",
  timestamp: "each Effect's own words for a string that is not a UTC timestamp",
  shape: "not an object at all: Effect 3 prints the whole wire struct's type, Effect 4 the wire schema's identifier",
  brand: "not a string where an id is expected: Effect 3 names the string it expected, Effect 4 the id's identifier",
  openEnum: "not a string where an open enum is expected: Effect 3 names the string, Effect 4 the union it expected",
  nonEmpty: "each Effect's own words for the empty string a non-empty one refuses"
} as const

/** `message` at `path` (the root: ""). */
const at = (path: string, message: string): string => path === "" ? message : `${path}: ${message}`

/** A key missing at `path`. */
export const missing = (path: string): ByLine<string> => ({
  effect3: at(path, "is missing"),
  effect4: at(path, "Missing key"),
  why: why.missing
})

/** Not a `type` at `path`: `value`. */
export const notA = (path: string, type: string, value: Json): ByLine<string> => ({
  effect3: at(path, `Expected ${type}, actual ${JSON.stringify(value)}`),
  effect4: at(path, `Expected ${type}`),
  why: why.got
})

/** Not a `type`, `null` or absent at `path` (an optional field): `value`. */
export const optionalNotA = (path: string, type: string, value: Json): ByLine<string> => ({
  effect3: `${at(path, `Expected ${type} | null, actual ${JSON.stringify(value)}`)}; ${
    at(path, `Expected undefined, actual ${JSON.stringify(value)}`)
  }`,
  effect4: at(path, `Expected ${type} | null | undefined`),
  why: why.optional
})

/** Not a UTC timestamp at `path`: `text`. */
export const notATimestamp = (path: string, text: string): ByLine<string> => ({
  effect3: at(path, `Expected DateTimeUtc, actual ${JSON.stringify(text)}`),
  effect4: at(path, "Expected a valid UTC DateTime string"),
  why: why.timestamp
})

/** Not an object at all, for a wire struct Effect 4 names `identifier` (Effect 3's words: `effect3`). */
export const notTheShape = (identifier: string, effect3: RegExp): ByLine<Message> => ({
  effect3,
  effect4: `Expected ${identifier}`,
  why: why.shape
})

/** An empty string at `path`, where a non-empty one is expected. */
export const empty = (path: string): ByLine<string> => ({
  effect3: at(path, "Expected a non empty string, actual \"\""),
  effect4: at(path, "Expected a value with a length of at least 1"),
  why: why.nonEmpty
})

/** Several issues, in order (a decoding with `errors: "all"`). */
export const issues = (...each: ReadonlyArray<string | ByLine<string>>): ByLine<string> => {
  const on = (line: Line): string => each.map((words) => typeof words === "string" ? words : words[line]).join("; ")
  const whys = each.flatMap((words) => typeof words === "string" ? [] : [words.why])
  return { effect3: on("effect3"), effect4: on("effect4"), why: [...new Set(whys)].join("; ") }
}

// --- the wire bodies, and what they decode to ---

export const cardId = "7d943c51-e4ff-4e57-9558-08cab6b963c7"
export const fdxTokenId = "3c90c3cc-0d44-4b50-8888-8dd25736052a"
export const authRequestId = "046b6c7f-0b8a-43b9-b35d-6489e6daee91"
export const customerId = "c0d7c4f2-8a31-4c8e-9a55-1f5b0e3c2d11"
export const businessId = "b0d7c4f2-8a31-4c8e-9a55-1f5b0e3c2d11"

/** A widget token as the spec's example has it. */
export const widgetTokenBody = {
  tenant: "abcdef_ghijkl",
  widget_token: "0b0319e2-d5f4-49cb-b426-9ff9b2e96969"
} satisfies WidgetTokenJson

/** The spec's reference FDX token (no `customer_id`). */
export const fdxTokenBody = {
  business_id: businessId,
  creation_time: "2010-05-06T12:23:34.321Z",
  id: fdxTokenId,
  last_updated_time: "2010-05-06T12:23:34.321Z",
  parent_token_id: "9a7e41c2-63f0-4a39-b6b5-7d1e2c3f4a55",
  status: "ENABLED",
  tenant: "abcdef_ghijkl",
  token_expiry_time: "2010-05-06T13:23:34.321Z",
  token_hash: "5f2b9c0e",
  token_type: "ACCESS"
} satisfies FdxTokenJson

/** {@link fdxTokenBody}, decoded. */
export const fdxTokenDomain = {
  businessId,
  creationTime: "2010-05-06T12:23:34.321Z",
  id: fdxTokenId,
  lastUpdatedTime: "2010-05-06T12:23:34.321Z",
  parentTokenId: "9a7e41c2-63f0-4a39-b6b5-7d1e2c3f4a55",
  status: "ENABLED",
  tenant: "abcdef_ghijkl",
  tokenExpiryTime: "2010-05-06T13:23:34.321Z",
  tokenHash: "5f2b9c0e",
  tokenType: "ACCESS"
}

/** Every field of the spec's `fdx_auth_request_response`. */
export const authRequestBody = {
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
} satisfies FdxAuthRequestJson

/** {@link authRequestBody}, decoded. */
export const authRequestDomain = {
  businessId,
  code: "0f3d7c2a-code",
  creationTime: "2010-05-06T12:23:34.321Z",
  customerId,
  expiryTime: "2010-05-06T12:33:34.321Z",
  id: authRequestId,
  lastUpdatedTime: "2010-05-06T12:24:34.321Z",
  oauth2State: "9a7e41c2-63f0-4a39-b6b5-7d1e2c3f4a55",
  redirectUri: "https://cdn.plaid.com/link/v2/stable/oauth.html",
  status: "PENDING",
  tenant: "abcdef_ghijkl"
}

/** `object` without `key`. */
export const without = (object: JsonObject, key: string): JsonObject =>
  Object.fromEntries(Object.entries(object).filter(([name]) => name !== key))

/**
 * `own`, with `prototype` as its prototype: what a struct schema reads of an
 * object should be its own fields, never an inherited one.
 */
export const inheriting = (prototype: JsonObject, own: JsonObject): object => {
  const wire = { ...own }
  Reflect.setPrototypeOf(wire, prototype)
  return wire
}

/**
 * A gap of the Effect 4 line: its wire structs are Effect 4's
 * `Schema.Struct`, which reads an optional key an object inherits from its
 * prototype; Effect 3's reads own keys only.
 */
export const inheritedFieldGap =
  "Effect 4's Schema.Struct (the line's wire structs) reads an optional key the object inherits from its prototype; Effect 3's reads own keys only"

// --- the open enums ---

/** The lists of known values each line exports for its open enums. */
export const knownListNames = ["knownFdxAuthRequestStatuses", "knownFdxTokenStatuses", "knownFdxTokenTypes"] as const

/** One of {@link knownListNames}. */
export type KnownList = (typeof knownListNames)[number]

/** What each list holds, on both lines. */
export const knownLists: { readonly [List in KnownList]: ReadonlyArray<string> } = {
  knownFdxAuthRequestStatuses: ["PENDING", "GRANTED", "DENIED", "USED"],
  knownFdxTokenStatuses: ["ENABLED", "REVOKED", "USED"],
  knownFdxTokenTypes: ["ACCESS", "REFRESH"]
}

/** Values no list knows (`OpenEnum.isKnown` says no), which the open enums pass through. */
export const unrecognizedValues: ReadonlyArray<string> = ["EXPIRED", "SUSPENDED", "ID", "enabled", ""]

/**
 * The statuses of both open status enums, known and not, and how a `Match`
 * over the known literals describes each (each line matches its own decoded
 * statuses): a known one in lower case, any other as unrecognized.
 */
export const matchedStatuses: ReadonlyArray<{ readonly status: string; readonly described: string }> = [
  ...new Set([...knownLists.knownFdxTokenStatuses, ...knownLists.knownFdxAuthRequestStatuses])
].map((status) => ({ status, described: status.toLowerCase() }))
  .concat(unrecognizedValues.map((status) => ({ status, described: `unrecognized ${status}` })))

// --- the ids ---

/** An id schema, the name and description its JSON Schema gives it, and what its rule calls it. */
export interface IdCase {
  readonly schema: SchemaName
  readonly description: string
  /** As in `notAUuid`: "a card" id must be a UUID. */
  readonly what: string
}

export const ids: ReadonlyArray<IdCase> = [
  { schema: "CardId", description: "The unique identifier of a card (a UUID)", what: "a card" },
  { schema: "FdxTokenId", description: "The unique identifier of an FDX token (a UUID)", what: "an FDX token" },
  {
    schema: "FdxAuthRequestId",
    description: "The unique identifier of an FDX authorization request (a UUID)",
    what: "an FDX authorization request"
  },
  { schema: "CustomerId", description: "The unique identifier of a Synctera customer (a UUID)", what: "a customer" },
  { schema: "BusinessId", description: "The unique identifier of a Synctera business (a UUID)", what: "a business" }
]

/**
 * An id's JSON Schema document: the same definition on both lines, in the
 * envelope of each Effect's JSON Schema dialect.
 */
export const idJsonSchema = ({ description, schema }: IdCase): ByLine<Json> => {
  const definitions = { [schema]: { type: "string", description, format: "uuid", pattern: uuidPattern.source } }
  const $ref = `#/$defs/${schema}`
  return {
    effect3: { $schema: "http://json-schema.org/draft-07/schema#", $defs: definitions, $ref },
    effect4: { dialect: "draft-2020-12", schema: { $ref }, definitions },
    why:
      "each Effect's JSON Schema dialect: Effect 3 writes draft-07, Effect 4 draft 2020-12 with its definitions apart"
  }
}

/** Strings no id takes: nothing that could leave a path segment or a header. */
const notIds: ReadonlyArray<Json> = [
  "",
  "abc",
  "../x",
  `${cardId}/x`,
  `${cardId} `,
  `${cardId}\r\nX: y`,
  `${authRequestId}/x`,
  `${authRequestId} `,
  `${authRequestId}\r\nX: y`,
  "7d943c51%2Fe4ff-4e57-9558-08cab6b963c7",
  5,
  null
]

const idCases = {
  memberships: ids.map(({ schema }): Membership => ({
    schema,
    side: "type",
    note: "UUIDs only, in any case",
    accepts: [cardId, cardId.toUpperCase(), authRequestId],
    refuses: notIds
  })),
  refuses: ids.flatMap(({ schema, what }): ReadonlyArray<Refuses> => [
    { schema, note: "not a UUID", wire: "nope", error: notAUuid(what) },
    {
      schema,
      note: "not a string",
      wire: 5,
      error: { effect3: "Expected string, actual 5", effect4: `Expected ${schema}`, why: why.brand }
    }
  ])
}

// --- the FDX token ---

/** The optional fields of an FDX token, wire and domain; every other field of the reference is required. */
const optionalFdxTokenFields: Readonly<Record<string, string>> = {
  business_id: "businessId",
  customer_id: "customerId",
  parent_token_id: "parentTokenId"
}

/** An offset and a zoneless timestamp, each the reference's instant. */
const sameInstant = ["2010-05-06T14:23:34.321+02:00", "2010-05-06T12:23:34.321"] as const

const fdxTokenCases = {
  decodes: [
    { note: "the reference", wire: fdxTokenBody, domain: fdxTokenDomain, encoded: fdxTokenBody },
    {
      note: "null optional fields, as absent",
      wire: { ...fdxTokenBody, business_id: null, parent_token_id: null, customer_id: null },
      domain: without(without(fdxTokenDomain, "businessId"), "parentTokenId"),
      encoded: without(without(fdxTokenBody, "business_id"), "parent_token_id")
    },
    {
      note: "unknown fields, ignored",
      wire: { ...fdxTokenBody, scope: "accounts", extra: { a: 1 } },
      domain: fdxTokenDomain,
      encoded: fdxTokenBody
    },
    {
      note: "an optional field its prototype has: only own fields are read",
      wire: inheriting({ customer_id: "from-a-prototype" }, fdxTokenBody),
      domain: fdxTokenDomain,
      encoded: fdxTokenBody,
      differs: {
        effect4: {
          domain: { ...fdxTokenDomain, customerId: "from-a-prototype" },
          encoded: { ...fdxTokenBody, customer_id: "from-a-prototype" }
        },
        why: inheritedFieldGap
      }
    },
    {
      note: "an own customer_id",
      wire: { ...fdxTokenBody, customer_id: "own" },
      domain: { ...fdxTokenDomain, customerId: "own" },
      encoded: { ...fdxTokenBody, customer_id: "own" }
    },
    ...sameInstant.map((text) => ({
      note: `${text}: the same instant, in UTC`,
      wire: { ...fdxTokenBody, creation_time: text },
      domain: fdxTokenDomain,
      encoded: fdxTokenBody
    })),
    {
      note: "an unrecognized status and token type, passed through",
      wire: { ...fdxTokenBody, status: "EXPIRED", token_type: "ID" },
      domain: { ...fdxTokenDomain, status: "EXPIRED", tokenType: "ID" },
      encoded: { ...fdxTokenBody, status: "EXPIRED", token_type: "ID" }
    },
    ...Object.keys(fdxTokenBody).flatMap((key) => {
      const field = optionalFdxTokenFields[key]
      return field === undefined ? [] : [{
        note: `without the optional ${key}`,
        wire: without(fdxTokenBody, key),
        domain: without(fdxTokenDomain, field),
        encoded: without(fdxTokenBody, key)
      }]
    })
  ].map((decodes): Decodes => ({ schema: "FdxToken", ...decodes })),
  refuses: [
    ...Object.keys(fdxTokenBody).flatMap((key) =>
      optionalFdxTokenFields[key] === undefined
        ? [{ note: `without the required ${key}`, wire: without(fdxTokenBody, key), error: missing(key) }]
        : []
    ),
    {
      note: "a token type not a string",
      wire: { ...fdxTokenBody, token_type: 5 },
      error: notA("token_type", "string", 5)
    },
    { note: "a status not a string", wire: { ...fdxTokenBody, status: 3 }, error: notA("status", "string", 3) },
    {
      note: "an optional id not a string",
      wire: { ...fdxTokenBody, customer_id: 5 },
      error: optionalNotA("customer_id", "string", 5)
    },
    {
      note: "a timestamp not a date",
      wire: { ...fdxTokenBody, creation_time: "yesterday" },
      error: notATimestamp("creation_time", "yesterday")
    },
    {
      note: "a timestamp out of range",
      wire: { ...fdxTokenBody, last_updated_time: "2010-13-45T99:00:00Z" },
      error: notATimestamp("last_updated_time", "2010-13-45T99:00:00Z")
    },
    {
      note: "an id not a UUID",
      wire: { ...fdxTokenBody, id: "not-a-uuid" },
      error: "id: an FDX token id must be a UUID"
    },
    {
      note: "an array",
      wire: [fdxTokenBody],
      error: notTheShape("FdxToken.Json", /^Expected \{ readonly id: string; .*actual \[/)
    },
    {
      note: "null",
      wire: null,
      error: notTheShape("FdxToken.Json", /^Expected \{ readonly id: string; .*actual null$/)
    }
  ].map((refuses): Refuses => ({ schema: "FdxToken", ...refuses }))
}

// --- the tables ---

/** The widget token's, the FDX token's, the ids', the enums' and the error body's cases. */
export const tables: Tables = {
  decodes: [
    {
      schema: "WidgetToken",
      note: "snake_case, an unknown field ignored",
      wire: { ...widgetTokenBody, expires_in: 300 },
      domain: { tenant: "abcdef_ghijkl", widgetToken: widgetTokenBody.widget_token },
      encoded: widgetTokenBody
    },
    ...fdxTokenCases.decodes,
    ...["RED", "BLUE"].map((color): Decodes => ({
      schema: "Color",
      note: `${color}, whatever the string, known or not`,
      wire: color,
      domain: color,
      encoded: color
    })),
    {
      schema: "ErrorBody",
      note: "the documented shape, retry_after, an unknown field ignored",
      wire: { code: "X", detail: "d", status: 429, retry_after: 2, missing: ["a"] },
      domain: { code: "X", detail: "d", status: 429, retryAfter: 2 },
      encoded: { code: "X", detail: "d", status: 429, retry_after: 2 } satisfies ErrorBodyJson
    }
  ],
  refuses: [
    { schema: "WidgetToken", note: "no widget_token", wire: { tenant: "t" }, error: missing("widget_token") },
    {
      schema: "WidgetToken",
      note: "a null widget_token",
      wire: { tenant: "t", widget_token: null },
      error: notA("widget_token", "string", null)
    },
    ...fdxTokenCases.refuses,
    {
      schema: "Color",
      note: "not a string",
      wire: 1,
      error: {
        effect3: "Expected string, actual 1",
        effect4: "Expected \"RED\" | \"GREEN\" | string",
        why: why.openEnum
      }
    },
    ...idCases.refuses,
    {
      schema: "IdempotencyKey",
      note: "a blank",
      wire: "a b",
      error: idempotencyKeyRule.message
    },
    {
      schema: "GrantStatus",
      note: "not a grant status",
      wire: "MAYBE",
      error: "a grant status must be GRANTED, DENIED or ERROR"
    }
  ],
  encodes: [
    {
      schema: "ErrorBody",
      note: "retryAfter as retry_after",
      domain: { code: "X", retryAfter: 2 },
      wire: { code: "X", retry_after: 2 }
    }
  ],
  encodeRefuses: [],
  memberships: [
    ...idCases.memberships,
    {
      schema: "IdempotencyKey",
      side: "type",
      note: "1 to 255 visible ASCII characters",
      accepts: ["k", "reveal-7d943c51-2024-06-01T12:00", "x".repeat(255), cardId],
      refuses: ["", "x".repeat(256), "a b", "é", "a\r\nX: y"]
    },
    {
      schema: "CardWidgetType",
      side: "type",
      note: "closed: the four widgets",
      accepts: cardWidgetTypes,
      refuses: ["reveal", "SHOW", "", 1]
    },
    {
      schema: "GrantStatus",
      side: "type",
      note: "closed: the three published values",
      accepts: grantStatuses,
      refuses: ["PENDING", "granted", "USED", "", 1]
    },
    {
      schema: "ErrorBody",
      side: "type",
      note: "any of its fields, of the right type (a status a safe integer)",
      accepts: [{}, { code: "X", detail: "d", status: 429, retryAfter: 0.5 }],
      refuses: [{ status: 2 ** 53 }, { status: 1.5 }, { retryAfter: -1 }, { code: 1 }, null]
    }
  ],
  jsonSchemaKeys: [{ schema: "FdxToken", mentions: Object.keys(fdxTokenBody), omits: ["tokenType"] }]
}

/** What each line's lenient error body reader makes of a body: wrong types dropped, anything else tolerated. */
export const lenientErrorBodies: ReadonlyArray<{ readonly json: Json; readonly body: Json | ByLine<Json> }> = [
  { json: { code: 1, detail: "d", status: "400" }, body: { detail: "d" } },
  { json: { code: "c", status: 1.5, retry_after: -1 }, body: { code: "c" } },
  { json: { status: 429, retry_after: 1.5 }, body: { status: 429, retryAfter: 1.5 } },
  { json: "oops", body: {} },
  { json: null, body: {} },
  { json: [{ code: "X" }], body: {} },
  // A status beyond the safe integers is dropped, as ErrorBody (Schema.Int) refuses it.
  { json: { code: "c", status: 2 ** 53 }, body: { code: "c" } }
]
