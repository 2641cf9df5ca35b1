/**
 * `FdxToken`: an FDX token of Plaid Core Exchange, with open enums for
 * its status and type.
 *
 * @since 0.3.0
 */
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as SchemaTransformation from "effect/SchemaTransformation"
import { FdxTokenId } from "./Ids.js"
import { type Mutable, notATime, optionalString, optionalStringOrNull, utc } from "./internal/wire.js"
import * as OpenEnum from "./OpenEnum.js"

/**
 * The FDX token statuses this client knows. When `ENABLED`, check
 * `tokenExpiryTime`; a refresh token becomes `USED` once it has made a new
 * token.
 *
 * @since 0.3.0
 * @category schemas
 */
export const knownFdxTokenStatuses = ["ENABLED", "REVOKED", "USED"] as const

/**
 * The status of an FDX token: a known value, or an {@link OpenEnum.Unrecognized}
 * string for a status Synctera added after this client was released.
 *
 * @example
 * ```ts
 * import type { FdxToken } from "effect-synctera/effect4"
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
 * @since 0.3.0
 * @category schemas
 */
export const FdxTokenStatus = OpenEnum.make(...knownFdxTokenStatuses).annotate({ identifier: "FdxTokenStatus" })

/**
 * A token status: one of `knownFdxTokenStatuses`, or an `Unrecognized` value
 * this client does not know yet.
 *
 * @since 0.3.0
 * @category schemas
 */
export type FdxTokenStatus = typeof FdxTokenStatus.Type

/**
 * The FDX token types this client knows.
 *
 * @since 0.3.0
 * @category schemas
 */
export const knownFdxTokenTypes = ["ACCESS", "REFRESH"] as const

/**
 * The type of an FDX token: a known value, or an {@link OpenEnum.Unrecognized}
 * string.
 *
 * @example
 * ```ts
 * import { FdxTokenType } from "effect-synctera/effect4"
 * import { Schema } from "effect"
 *
 * const type = Schema.decodeUnknownSync(FdxTokenType)("REFRESH")
 * ```
 *
 * @since 0.3.0
 * @category schemas
 */
export const FdxTokenType = OpenEnum.make(...knownFdxTokenTypes).annotate({ identifier: "FdxTokenType" })

/**
 * A token type: one of `knownFdxTokenTypes`, or an `Unrecognized` value this
 * client does not know yet.
 *
 * @since 0.3.0
 * @category schemas
 */
export type FdxTokenType = typeof FdxTokenType.Type

/**
 * The wire shape, JSON types only: the values are checked once, on the
 * domain side. The timestamps are read in the transformation that renames
 * the fields, as the Effect 3 line does, and a bad one is reported at its
 * wire key (three `Schema.DateTimeUtcFromString` fields here made a decode
 * 1.4–2× as slow; see bench/README.md).
 */
const FdxTokenJson = Schema.Struct({
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
}).annotate({ identifier: "FdxToken.Json" })

/** The wire timestamps, in the order a bad one is reported. */
const timeKeys = ["creation_time", "last_updated_time", "token_expiry_time"] as const

/** The domain shape, camelCase. */
const FdxTokenFields = Schema.Struct({
  id: FdxTokenId,
  tenant: Schema.String,
  status: FdxTokenStatus,
  tokenType: FdxTokenType,
  tokenHash: Schema.String,
  creationTime: Schema.DateTimeUtc,
  lastUpdatedTime: Schema.DateTimeUtc,
  tokenExpiryTime: Schema.DateTimeUtc,
  customerId: optionalString,
  businessId: optionalString,
  parentTokenId: optionalString
}).annotate({ identifier: "FdxToken" })

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
 * it as a literal and check it with `Schema.decodeUnknownSync(Schema.toType(FdxToken))`.
 *
 * @example
 * ```ts
 * import { FdxToken } from "effect-synctera/effect4"
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
 * @since 0.3.0
 * @category schemas
 */
export const FdxToken: Schema.Codec<FdxToken, FdxToken.Json> = FdxTokenJson.pipe(
  Schema.decodeTo(
    FdxTokenFields,
    SchemaTransformation.transformEffect({
      decode: (json, options) => {
        const creationTime = utc(json.creation_time)
        const lastUpdatedTime = utc(json.last_updated_time)
        const tokenExpiryTime = utc(json.token_expiry_time)
        if (creationTime === undefined) {
          return Effect.fail(notATime(FdxTokenJson.ast, json, "creation_time", timeKeys, options))
        }
        if (lastUpdatedTime === undefined) {
          return Effect.fail(notATime(FdxTokenJson.ast, json, "last_updated_time", timeKeys, options))
        }
        if (tokenExpiryTime === undefined) {
          return Effect.fail(notATime(FdxTokenJson.ast, json, "token_expiry_time", timeKeys, options))
        }
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
        return Effect.succeed(token)
      },
      encode: (token) => {
        const json: Mutable<typeof FdxTokenJson.Type> = {
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
        return Effect.succeed(json)
      }
    })
  )
)

/**
 * An FDX token, decoded: see the {@link FdxToken} schema.
 *
 * @since 0.3.0
 * @category schemas
 */
export interface FdxToken {
  /** FDX token id. */
  readonly id: FdxTokenId
  /** The id of the tenant containing the resource. */
  readonly tenant: string
  /** The status of the token; when `ENABLED`, check `tokenExpiryTime`. */
  readonly status: FdxTokenStatus
  /** `ACCESS` or `REFRESH`. */
  readonly tokenType: FdxTokenType
  /** The non-secret hash of the token. */
  readonly tokenHash: string
  /** When the token was created. */
  readonly creationTime: DateTime.Utc
  /** When the token was last updated. */
  readonly lastUpdatedTime: DateTime.Utc
  /** When the token expires. */
  readonly tokenExpiryTime: DateTime.Utc
  /** The customer the token belongs to (personal accounts). */
  readonly customerId?: string
  /** The business the token belongs to (business accounts). */
  readonly businessId?: string
  /** The token that refreshed into this one, if any. */
  readonly parentTokenId?: string
}

/**
 * The types that go with the {@link FdxToken} schema.
 *
 * @since 0.3.0
 * @category schemas
 */
export declare namespace FdxToken {
  /**
   * The wire shape of an FDX token, snake_case, as Synctera sends it
   * (timestamps as RFC 3339 strings).
   *
   * @since 0.3.0
   * @category schemas
   */
  export interface Json {
    readonly id: string
    readonly tenant: string
    readonly status: string
    readonly token_type: string
    readonly token_hash: string
    readonly creation_time: string
    readonly last_updated_time: string
    readonly token_expiry_time: string
    readonly customer_id?: string | null | undefined
    readonly business_id?: string | null | undefined
    readonly parent_token_id?: string | null | undefined
  }
}
