/**
 * `FdxAuthRequest`: an FDX authorization request of Plaid Core Exchange,
 * with an open enum for its status.
 *
 * @since 0.3.0
 */
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as SchemaTransformation from "effect/SchemaTransformation"
import { type Mutable, notATime, optionalString, optionalStringOrNull, optionalTime, utc } from "./internal/wire.js"
import * as OpenEnum from "./OpenEnum.js"
import { FdxAuthRequestId } from "./PceIds.js"

/**
 * The FDX authorization request statuses this client knows. A request starts
 * `PENDING`, becomes `GRANTED` or `DENIED` through the grant call, and `USED`
 * once its code has been exchanged for an access token. A request in any of
 * them may also have passed its `expiryTime`.
 *
 * @since 0.3.0
 * @category schemas
 */
export const knownFdxAuthRequestStatuses = ["PENDING", "GRANTED", "DENIED", "USED"] as const

/**
 * The status of an FDX authorization request: a known value, or an
 * {@link OpenEnum.Unrecognized} string for a status Synctera added after this
 * client was released.
 *
 * @example
 * ```ts
 * import type { FdxAuthRequest } from "effect-synctera/effect4"
 *
 * const describe = (status: FdxAuthRequest["status"]): string => {
 *   switch (status) {
 *     case "PENDING": return "waiting for the grant call"
 *     case "GRANTED": return "granted"
 *     case "DENIED": return "denied"
 *     case "USED": return "its code was exchanged"
 *     default: return `unknown status ${status}`
 *   }
 * }
 * ```
 *
 * @since 0.3.0
 * @category schemas
 */
export const FdxAuthRequestStatus = OpenEnum.make(...knownFdxAuthRequestStatuses).annotate({
  identifier: "FdxAuthRequestStatus"
})

/**
 * An authorization request status: one of `knownFdxAuthRequestStatuses`, or
 * an `Unrecognized` value this client does not know yet.
 *
 * @since 0.3.0
 * @category schemas
 */
export type FdxAuthRequestStatus = typeof FdxAuthRequestStatus.Type

/**
 * The wire shape (see `FdxToken`): JSON types only; the timestamps are read
 * in the transformation, the other values checked once, on the domain side.
 * The spec requires only `id` and `status`; every other field is an optional
 * `string | null`.
 */
const FdxAuthRequestJson = Schema.Struct({
  id: Schema.String,
  status: Schema.String,
  tenant: optionalStringOrNull,
  customer_id: optionalStringOrNull,
  business_id: optionalStringOrNull,
  code: optionalStringOrNull,
  oauth2_state: optionalStringOrNull,
  redirect_uri: optionalStringOrNull,
  creation_time: optionalStringOrNull,
  last_updated_time: optionalStringOrNull,
  expiry_time: optionalStringOrNull
}).annotate({ identifier: "FdxAuthRequest.Json" })

/** The wire timestamps, in the order a bad one is reported. */
const timeKeys = ["creation_time", "last_updated_time", "expiry_time"] as const

/** The domain shape, camelCase. */
const FdxAuthRequestFields = Schema.Struct({
  id: FdxAuthRequestId,
  status: FdxAuthRequestStatus,
  tenant: optionalString,
  customerId: optionalString,
  businessId: optionalString,
  code: optionalString,
  oauth2State: optionalString,
  redirectUri: optionalString,
  creationTime: optionalTime,
  lastUpdatedTime: optionalTime,
  expiryTime: optionalTime
}).annotate({ identifier: "FdxAuthRequest" })

/**
 * An FDX authorization request of Plaid Core Exchange (an element of
 * `GET /fdx_auth_requests`).
 *
 * Decoded from the snake_case wire shape: timestamps become `DateTime.Utc`,
 * optional fields are absent when the server leaves them out (or sends
 * `null`), `status` is an open enum, and unknown extra fields are ignored.
 * The spec requires only `id` and `status`. `customerId` and `businessId`
 * are read as strings, unchecked (as in `FdxToken`): the spec does not
 * declare them UUIDs.
 *
 * `code` is the OAuth authorization code Plaid exchanges for tokens: treat it
 * as a credential (do not log it).
 *
 * @example
 * ```ts
 * import { FdxAuthRequest } from "effect-synctera/effect4"
 * import { DateTime, Schema } from "effect"
 *
 * const request = Schema.decodeUnknownSync(FdxAuthRequest)({
 *   id: "046b6c7f-0b8a-43b9-b35d-6489e6daee91",
 *   status: "PENDING",
 *   tenant: "abcdef_ghijkl",
 *   creation_time: "2010-05-06T12:23:34.321Z",
 *   expiry_time: "2010-05-06T12:33:34.321Z",
 *   customer_id: null
 * })
 * const expired = request.expiryTime !== undefined && DateTime.isLessThan(request.expiryTime, DateTime.nowUnsafe())
 * const owner = request.customerId ?? request.businessId // undefined: null reads as absent
 * ```
 *
 * @since 0.3.0
 * @category schemas
 */
export const FdxAuthRequest: Schema.Codec<FdxAuthRequest, FdxAuthRequest.Json> = FdxAuthRequestJson.pipe(
  Schema.decodeTo(
    FdxAuthRequestFields,
    SchemaTransformation.transformEffect({
      decode: (json, options) => {
        const request: Mutable<typeof FdxAuthRequestFields.Encoded> = { id: json.id, status: json.status }
        if (typeof json.tenant === "string") request.tenant = json.tenant
        if (typeof json.customer_id === "string") request.customerId = json.customer_id
        if (typeof json.business_id === "string") request.businessId = json.business_id
        if (typeof json.code === "string") request.code = json.code
        if (typeof json.oauth2_state === "string") request.oauth2State = json.oauth2_state
        if (typeof json.redirect_uri === "string") request.redirectUri = json.redirect_uri
        if (typeof json.creation_time === "string") {
          const time = utc(json.creation_time)
          if (time === undefined) {
            return Effect.fail(notATime(FdxAuthRequestJson.ast, json, "creation_time", timeKeys, options))
          }
          request.creationTime = time
        }
        if (typeof json.last_updated_time === "string") {
          const time = utc(json.last_updated_time)
          if (time === undefined) {
            return Effect.fail(notATime(FdxAuthRequestJson.ast, json, "last_updated_time", timeKeys, options))
          }
          request.lastUpdatedTime = time
        }
        if (typeof json.expiry_time === "string") {
          const time = utc(json.expiry_time)
          if (time === undefined) {
            return Effect.fail(notATime(FdxAuthRequestJson.ast, json, "expiry_time", timeKeys, options))
          }
          request.expiryTime = time
        }
        return Effect.succeed(request)
      },
      encode: (request) => {
        const json: Mutable<typeof FdxAuthRequestJson.Type> = { id: request.id, status: request.status }
        if (request.tenant !== undefined) json.tenant = request.tenant
        if (request.customerId !== undefined) json.customer_id = request.customerId
        if (request.businessId !== undefined) json.business_id = request.businessId
        if (request.code !== undefined) json.code = request.code
        if (request.oauth2State !== undefined) json.oauth2_state = request.oauth2State
        if (request.redirectUri !== undefined) json.redirect_uri = request.redirectUri
        if (request.creationTime !== undefined) json.creation_time = DateTime.formatIso(request.creationTime)
        if (request.lastUpdatedTime !== undefined) json.last_updated_time = DateTime.formatIso(request.lastUpdatedTime)
        if (request.expiryTime !== undefined) json.expiry_time = DateTime.formatIso(request.expiryTime)
        return Effect.succeed(json)
      }
    })
  )
)

/**
 * An FDX authorization request, decoded: see the {@link FdxAuthRequest}
 * schema.
 *
 * @since 0.3.0
 * @category schemas
 */
export interface FdxAuthRequest {
  /** The id of the authorization request. */
  readonly id: FdxAuthRequestId
  /** The status of the request; any status may also have passed `expiryTime`. */
  readonly status: FdxAuthRequestStatus
  /** The id of the tenant containing the resource. */
  readonly tenant?: string
  /** The customer the request was granted for (personal accounts). */
  readonly customerId?: string
  /** The business the request was granted for (business accounts). */
  readonly businessId?: string
  /** The authorization code returned to Plaid once the customer has authenticated. */
  readonly code?: string
  /** The OAuth2 state, an opaque string returned to Plaid. */
  readonly oauth2State?: string
  /** Where to redirect after a successful authorization. */
  readonly redirectUri?: string
  /** When the request was created. */
  readonly creationTime?: DateTime.Utc
  /** When the request was last updated. */
  readonly lastUpdatedTime?: DateTime.Utc
  /** When the request expires. */
  readonly expiryTime?: DateTime.Utc
}

/**
 * The types that go with the {@link FdxAuthRequest} schema.
 *
 * @since 0.3.0
 * @category schemas
 */
export declare namespace FdxAuthRequest {
  /**
   * The wire shape of an FDX authorization request, snake_case, as Synctera
   * sends it (timestamps as RFC 3339 strings).
   *
   * @since 0.3.0
   * @category schemas
   */
  export interface Json {
    readonly id: string
    readonly status: string
    readonly tenant?: string | null | undefined
    readonly customer_id?: string | null | undefined
    readonly business_id?: string | null | undefined
    readonly code?: string | null | undefined
    readonly oauth2_state?: string | null | undefined
    readonly redirect_uri?: string | null | undefined
    readonly creation_time?: string | null | undefined
    readonly last_updated_time?: string | null | undefined
    readonly expiry_time?: string | null | undefined
  }
}
