/**
 * `FdxToken`: an FDX token of Plaid Core Exchange, with open enums for
 * its status and type.
 *
 * @since 0.1.0
 */
import * as DateTime from "effect/DateTime"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import * as SchemaAST from "effect/SchemaAST"
import { FdxTokenId } from "./Ids.js"
import * as OpenEnum from "./OpenEnum.js"

/**
 * The FDX token statuses this client knows. When `ENABLED`, check
 * `tokenExpiryTime`; a refresh token becomes `USED` once it has made a new
 * token.
 *
 * @since 0.1.0
 * @category schemas
 */
export const knownFdxTokenStatuses = ["ENABLED", "REVOKED", "USED"] as const

/**
 * The status of an FDX token: a known value, or an {@link OpenEnum.Unrecognized}
 * string for a status Synctera added after this client was released.
 *
 * @example
 * ```ts
 * import type { FdxToken } from "effect-synctera"
 *
 * const describe = (status: FdxToken["status"]): string => {
 *   switch (status) {
 *     case "ENABLED": return "usable until it expires"
 *     case "REVOKED": return "revoked"
 *     case "USED": return "refresh token already used"
 *     default: return `unknown status ${status}`
 *   }
 * }
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const FdxTokenStatus = OpenEnum.make(...knownFdxTokenStatuses).annotations({ identifier: "FdxTokenStatus" })

/**
 * A token status: one of `knownFdxTokenStatuses`, or an `Unrecognized` value
 * this client does not know yet.
 *
 * @since 0.1.0
 * @category schemas
 */
export type FdxTokenStatus = typeof FdxTokenStatus.Type

/**
 * The FDX token types this client knows.
 *
 * @since 0.1.0
 * @category schemas
 */
export const knownFdxTokenTypes = ["ACCESS", "REFRESH"] as const

/**
 * The type of an FDX token: a known value, or an {@link OpenEnum.Unrecognized}
 * string.
 *
 * @since 0.1.0
 * @category schemas
 */
export const FdxTokenType = OpenEnum.make(...knownFdxTokenTypes).annotations({ identifier: "FdxTokenType" })

/**
 * A token type: one of `knownFdxTokenTypes`, or an `Unrecognized` value this
 * client does not know yet.
 *
 * @since 0.1.0
 * @category schemas
 */
export type FdxTokenType = typeof FdxTokenType.Type

/** `string | null` as one check (a `NullOr` union costs several). */
const StringOrNull = Schema.declare((input): input is string | null => input === null || typeof input === "string", {
  identifier: "string | null",
  jsonSchema: { type: ["string", "null"] },
  arbitrary: () => (fc) => fc.option(fc.string(), { nil: null }),
  pretty: () => (value) => JSON.stringify(value)
})

// Absent and `null` both decode to a missing field: real APIs send either.
const optionalStringOrNull = Schema.optional(StringOrNull)

/**
 * The wire shape as JSON types only: the values are checked once, on the
 * domain side. (Renaming in one transformation, rather than a `fromKey` per
 * field, and parsing the timestamps inside it keeps a decode at a few µs; see
 * bench/README.md.) Every field is a string or an optional `string | null`.
 */
const FdxTokenJsonFields = Schema.Struct({
  id: Schema.String,
  tenant: Schema.String,
  status: Schema.String,
  token_type: Schema.String,
  token_hash: Schema.String,
  creation_time: Schema.String,
  last_updated_time: Schema.String,
  token_expiry_time: Schema.String,
  customer_id: optionalStringOrNull,
  business_id: optionalStringOrNull,
  parent_token_id: optionalStringOrNull
})

/**
 * The same check as the struct's, in one loop over its fields (the struct's
 * own decoding costs a fifth of a whole token's: an `Either` per field and a
 * copy of the object).
 */
const isFdxTokenJson = (() => {
  const fields = Object.entries(FdxTokenJsonFields.fields).map(([key, field]) => {
    if (field !== Schema.String && field !== optionalStringOrNull) {
      throw new Error(`FdxToken.Json: ${key} must be Schema.String or optional string | null`)
    }
    return { key, required: field === Schema.String }
  })
  return (input: unknown): input is typeof FdxTokenJsonFields.Type => {
    if (!Predicate.isRecord(input)) return false
    for (const { key, required } of fields) {
      const value = input[key]
      if (typeof value === "string") {
        // The struct reads an optional key only as the object's own: an
        // inherited one is left to it (it drops it).
        if (!required && !Object.hasOwn(input, key)) return false
      } else if (required || !(value === undefined || value === null)) {
        return false
      }
    }
    return true
  }
})()

/**
 * The wire shape: the plain check above on the way in and out, and the
 * struct's own decoding (with its messages) for anything the check refuses.
 */
const FdxTokenJson = Schema.declare(
  [FdxTokenJsonFields],
  {
    decode: (struct) => {
      const decode = ParseResult.decodeUnknown(struct)
      return (input, options) => isFdxTokenJson(input) ? ParseResult.succeed(input) : decode(input, options)
    },
    encode: (struct) => {
      const encode = ParseResult.encodeUnknown(struct)
      return (input, options) => isFdxTokenJson(input) ? ParseResult.succeed(input) : encode(input, options)
    }
  },
  {
    identifier: "FdxToken.Json",
    // Tools that read fields (`SchemaAST.getPropertySignatures`, JSON Schema) see the struct's.
    [SchemaAST.SurrogateAnnotationId]: FdxTokenJsonFields.ast,
    arbitrary: (struct) => struct,
    pretty: (struct) => struct,
    equivalence: (struct) => struct
  }
)

const optional = Schema.optionalWith(Schema.String, { exact: true })

/** The domain shape, camelCase. */
const FdxTokenFields = Schema.Struct({
  /** FDX token id. */
  id: FdxTokenId,
  /** The id of the tenant containing the resource. */
  tenant: Schema.String,
  /** The status of the token; when `ENABLED`, check `tokenExpiryTime`. */
  status: FdxTokenStatus,
  /** `ACCESS` or `REFRESH`. */
  tokenType: FdxTokenType,
  /** The non-secret hash of the token. */
  tokenHash: Schema.String,
  /** When the token was created. */
  creationTime: Schema.DateTimeUtcFromSelf,
  /** When the token was last updated. */
  lastUpdatedTime: Schema.DateTimeUtcFromSelf,
  /** When the token expires. */
  tokenExpiryTime: Schema.DateTimeUtcFromSelf,
  /** The customer the token belongs to (personal accounts). */
  customerId: optional,
  /** The business the token belongs to (business accounts). */
  businessId: optional,
  /** The token that refreshed into this one, if any. */
  parentTokenId: optional
}).annotations({ identifier: "FdxToken" })

type Mutable<A> = { -readonly [K in keyof A]: A[K] }

/**
 * A timestamp as `Schema.DateTimeUtc` reads it. Synctera sends RFC 3339 in
 * UTC (`…Z`), which `new Date` reads as `DateTime` would, at half the cost;
 * anything else goes through `DateTime.make` (a string without a zone is UTC
 * there, local time for `new Date`).
 */
const utc = (text: string): DateTime.Utc | undefined => {
  if (text.endsWith("Z")) {
    const date = new Date(text)
    return Number.isNaN(date.getTime()) ? undefined : DateTime.unsafeFromDate(date)
  }
  return Option.getOrUndefined(Option.map(DateTime.make(text), DateTime.toUtc))
}

/** A timestamp that is not a date: the same issue `Schema.DateTimeUtc` gives, at its key. */
const notATime = (
  json: typeof FdxTokenJsonFields.Type,
  key: "creation_time" | "last_updated_time" | "token_expiry_time"
): ParseResult.ParseIssue => new ParseResult.Pointer(key, json, new ParseResult.Type(Schema.DateTimeUtc.ast, json[key]))

/**
 * An FDX token of Plaid Core Exchange (`GET /fdx_tokens/{fdx_token_id}`).
 *
 * Decoded from the snake_case wire shape: timestamps become `DateTime.Utc`,
 * optional fields are absent when the server leaves them out (or sends
 * `null`), `status` and `tokenType` are open enums, and unknown extra fields
 * are ignored. Synctera documents that exactly one of `customerId` and
 * `businessId` is present; the client does not reject a token that breaks
 * that, so check it where it matters to you.
 *
 * A token is a plain readonly object: to make one (in a test, say), write
 * it as a literal and check it with `Schema.validateSync(Schema.typeSchema(FdxToken))`.
 *
 * @example
 * ```ts
 * import { FdxToken } from "effect-synctera"
 * import { DateTime, Schema } from "effect"
 *
 * const token = Schema.decodeUnknownSync(FdxToken)({
 *   id: "3c90c3cc-0d44-4b50-8888-8dd25736052a",
 *   tenant: "abcdef_ghijkl",
 *   status: "ENABLED",
 *   token_type: "ACCESS",
 *   token_hash: "5f2b9c0e",
 *   creation_time: "2010-05-06T12:23:34.321Z",
 *   last_updated_time: "2010-05-06T12:23:34.321Z",
 *   token_expiry_time: "2030-05-06T12:23:34.321Z",
 *   customer_id: "c0d7c4f2-8a31-4c8e-9a55-1f5b0e3c2d11"
 * })
 * const expires = DateTime.formatIso(token.tokenExpiryTime) // "2030-05-06T12:23:34.321Z"
 * const owner = token.customerId ?? token.businessId // camelCase on this side
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const FdxToken: Schema.Schema<FdxToken, FdxToken.Json> = Schema.transformOrFail(FdxTokenJson, FdxTokenFields, {
  strict: true,
  decode: (json) => {
    const creationTime = utc(json.creation_time)
    const lastUpdatedTime = utc(json.last_updated_time)
    const tokenExpiryTime = utc(json.token_expiry_time)
    if (creationTime === undefined) return ParseResult.fail(notATime(json, "creation_time"))
    if (lastUpdatedTime === undefined) return ParseResult.fail(notATime(json, "last_updated_time"))
    if (tokenExpiryTime === undefined) return ParseResult.fail(notATime(json, "token_expiry_time"))
    const token: Mutable<typeof FdxTokenFields.Encoded> = {
      id: json.id,
      tenant: json.tenant,
      status: json.status,
      tokenType: json.token_type,
      tokenHash: json.token_hash,
      creationTime,
      lastUpdatedTime,
      tokenExpiryTime
    }
    if (typeof json.customer_id === "string") token.customerId = json.customer_id
    if (typeof json.business_id === "string") token.businessId = json.business_id
    if (typeof json.parent_token_id === "string") token.parentTokenId = json.parent_token_id
    return ParseResult.succeed(token)
  },
  encode: (token) => {
    const json: Mutable<FdxToken.Json> = {
      id: token.id,
      tenant: token.tenant,
      status: token.status,
      token_type: token.tokenType,
      token_hash: token.tokenHash,
      creation_time: DateTime.formatIso(token.creationTime),
      last_updated_time: DateTime.formatIso(token.lastUpdatedTime),
      token_expiry_time: DateTime.formatIso(token.tokenExpiryTime)
    }
    if (token.customerId !== undefined) json.customer_id = token.customerId
    if (token.businessId !== undefined) json.business_id = token.businessId
    if (token.parentTokenId !== undefined) json.parent_token_id = token.parentTokenId
    return ParseResult.succeed(json)
  }
})

/**
 * An FDX token, decoded: see the {@link FdxToken} schema.
 *
 * @since 0.1.0
 * @category schemas
 */
export interface FdxToken extends Schema.Schema.Type<typeof FdxTokenFields> {}

/**
 * The types that go with the {@link FdxToken} schema.
 *
 * @since 0.1.0
 * @category schemas
 */
export declare namespace FdxToken {
  /**
   * The wire shape of an FDX token, snake_case, as Synctera sends it.
   *
   * @since 0.1.0
   * @category schemas
   */
  export interface Json extends Schema.Schema.Encoded<typeof FdxTokenJsonFields> {}
}
