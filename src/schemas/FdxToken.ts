/**
 * `FdxToken`: an FDX token of Plaid Core Exchange, with open enums for
 * its status and type.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
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

const required = <S extends Schema.Schema.Any, const Key extends string>(schema: S, key: Key) =>
  Schema.propertySignature(schema).pipe(Schema.fromKey(key))

// Absent and `null` both decode to a missing field: real APIs send either.
const optional = <S extends Schema.Schema.Any, const Key extends string>(schema: S, key: Key) =>
  Schema.optionalWith(schema, { exact: true, nullable: true }).pipe(Schema.fromKey(key))

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
 * @since 0.1.0
 * @category schemas
 */
export class FdxToken extends Schema.Class<FdxToken>("FdxToken")({
  /** FDX token id. */
  id: FdxTokenId,
  /** The id of the tenant containing the resource. */
  tenant: Schema.String,
  /** The status of the token; when `ENABLED`, check `tokenExpiryTime`. */
  status: FdxTokenStatus,
  /** `ACCESS` or `REFRESH`. */
  tokenType: required(FdxTokenType, "token_type"),
  /** The non-secret hash of the token. */
  tokenHash: required(Schema.String, "token_hash"),
  /** When the token was created. */
  creationTime: required(Schema.DateTimeUtc, "creation_time"),
  /** When the token was last updated. */
  lastUpdatedTime: required(Schema.DateTimeUtc, "last_updated_time"),
  /** When the token expires. */
  tokenExpiryTime: required(Schema.DateTimeUtc, "token_expiry_time"),
  /** The customer the token belongs to (personal accounts). */
  customerId: optional(Schema.String, "customer_id"),
  /** The business the token belongs to (business accounts). */
  businessId: optional(Schema.String, "business_id"),
  /** The token that refreshed into this one, if any. */
  parentTokenId: optional(Schema.String, "parent_token_id")
}) {}
