/**
 * The grant of an FDX authorization request
 * (`POST /fdx_auth_requests/authorize`): its body, `FdxAuthGrantBody`, and
 * its answer, `FdxAuthGrant`.
 *
 * @since 0.3.0
 */
import * as Schema from "effect/Schema"
import * as SchemaTransformation from "effect/SchemaTransformation"
import * as Rules from "../../../src/core/rules.js"
import type { BusinessId, CustomerId, FdxAuthRequestId } from "./PceIds.js"
import * as PceIds from "./PceIds.js"

/**
 * The outcome a fintech reports for an FDX authorization request (the spec's
 * `fdx_auth_grant_status`). This is an *input*: a value outside the published
 * list is refused before any request is sent.
 *
 * - `GRANTED`: the customer authenticated and authorized Plaid's access
 * - `DENIED`: the customer declined, or could not authenticate
 * - `ERROR`: the authentication failed on the fintech's side
 *
 * @example
 * ```ts
 * import { GrantStatus } from "effect-synctera/effect4"
 * import { Schema } from "effect"
 *
 * const status = Schema.decodeUnknownSync(GrantStatus)("DENIED")
 * ```
 *
 * @since 0.3.0
 * @category schemas
 */
export const GrantStatus = Schema.Literals(Rules.grantStatuses).annotate({
  identifier: "GrantStatus",
  message: "a grant status must be GRANTED, DENIED or ERROR"
})

/**
 * `GRANTED`, `DENIED` or `ERROR`.
 *
 * @since 0.3.0
 * @category schemas
 */
export type GrantStatus = typeof GrantStatus.Type

/**
 * The spec's "one of customer_id or business_id", as a check: at most one
 * owner, and exactly one for `GRANTED` (a `DENIED` or `ERROR` grant may name
 * none: a customer who could not sign in has no id). `true`, or what is wrong.
 *
 * @example
 * ```ts
 * import { grantOwnerRule } from "effect-synctera/effect4"
 *
 * grantOwnerRule({ status: "GRANTED" }) // "a GRANTED request needs the customerId or businessId it is granted for"
 * grantOwnerRule({ status: "DENIED" }) // true
 * ```
 *
 * @since 0.3.0
 * @category schemas
 */
export const grantOwnerRule: (grant: {
  readonly status: GrantStatus
  readonly customerId?: string | undefined
  readonly businessId?: string | undefined
}) => true | string = Rules.grantOwnerRule

const FdxAuthGrantBodyJson = Schema.Struct({
  auth_request_id: Schema.String,
  status: GrantStatus,
  customer_id: Schema.optionalKey(Schema.String),
  business_id: Schema.optionalKey(Schema.String)
}).annotate({ identifier: "FdxAuthGrantBody.Json" })

const FdxAuthGrantBodyFields = Schema.Struct({
  authRequestId: PceIds.FdxAuthRequestId,
  status: GrantStatus,
  customerId: Schema.optionalKey(PceIds.CustomerId),
  businessId: Schema.optionalKey(PceIds.BusinessId)
}).check(Schema.makeFilter(grantOwnerRule)).annotate({ identifier: "FdxAuthGrantBody" })

/**
 * The body of `POST /fdx_auth_requests/authorize` (the spec's
 * `fdx_auth_grant_post`): camelCase on this side, snake_case JSON on the wire
 * (`auth_request_id`, `status`, `customer_id`, `business_id`).
 *
 * Encoding checks the input first: the ids must be UUIDs, and, as the spec
 * asks for "one of customer_id or business_id", a body gives at most one of
 * them, and a `GRANTED` one gives exactly one. (A `DENIED` or `ERROR` body
 * may give neither: a customer who could not sign in has no id yet.) So
 * `Schema.encodeUnknownEffect(FdxAuthGrantBody)` takes a caller's plain
 * strings and gives the JSON to send, or a `SchemaError` that says what is
 * wrong. Decoding (a server reading the body) checks the same.
 *
 * @example
 * ```ts
 * import { FdxAuthGrantBody } from "effect-synctera/effect4"
 * import { Schema } from "effect"
 *
 * const json = Schema.encodeUnknownSync(FdxAuthGrantBody)({
 *   authRequestId: "046b6c7f-0b8a-43b9-b35d-6489e6daee91",
 *   status: "GRANTED",
 *   customerId: "c0d7c4f2-8a31-4c8e-9a55-1f5b0e3c2d11"
 * })
 * // { auth_request_id: "046b6c7f-…", status: "GRANTED", customer_id: "c0d7c4f2-…" }
 * ```
 *
 * @since 0.3.0
 * @category schemas
 */
export const FdxAuthGrantBody: Schema.Codec<FdxAuthGrantBody, FdxAuthGrantBody.Json> = FdxAuthGrantBodyJson.pipe(
  Schema.decodeTo(
    FdxAuthGrantBodyFields,
    SchemaTransformation.transform({
      decode: (json) => ({
        authRequestId: json.auth_request_id,
        status: json.status,
        ...(json.customer_id !== undefined ? { customerId: json.customer_id } : {}),
        ...(json.business_id !== undefined ? { businessId: json.business_id } : {})
      }),
      encode: (body) => ({
        auth_request_id: body.authRequestId,
        status: body.status,
        ...(body.customerId !== undefined ? { customer_id: body.customerId } : {}),
        ...(body.businessId !== undefined ? { business_id: body.businessId } : {})
      })
    })
  )
)

/**
 * The body of a grant, checked: see the {@link FdxAuthGrantBody} schema.
 *
 * @since 0.3.0
 * @category schemas
 */
export interface FdxAuthGrantBody {
  /** The authorization request being decided: the `auth_request_id` Plaid Link passed on. */
  readonly authRequestId: FdxAuthRequestId
  /** The outcome. */
  readonly status: GrantStatus
  /** The customer the request is granted for (personal accounts). */
  readonly customerId?: CustomerId
  /** The business the request is granted for (business accounts). */
  readonly businessId?: BusinessId
}

/**
 * The types that go with the {@link FdxAuthGrantBody} schema.
 *
 * @since 0.3.0
 * @category schemas
 */
export declare namespace FdxAuthGrantBody {
  /**
   * What a caller gives: the same fields with plain strings for the ids,
   * checked when the body is encoded.
   *
   * @since 0.3.0
   * @category schemas
   */
  export interface Input {
    readonly authRequestId: string
    readonly status: GrantStatus
    readonly customerId?: string
    readonly businessId?: string
  }

  /**
   * The JSON body sent to Synctera, snake_case.
   *
   * @since 0.3.0
   * @category schemas
   */
  export interface Json {
    readonly auth_request_id: string
    readonly status: GrantStatus
    readonly customer_id?: string
    readonly business_id?: string
  }
}

const FdxAuthGrantJson = Schema.Struct({
  redirect_uri: Schema.String
}).annotate({ identifier: "FdxAuthGrant.Json" })

const FdxAuthGrantFields = Schema.Struct({
  redirectUri: Schema.String
}).annotate({ identifier: "FdxAuthGrant" })

/**
 * The answer to a grant (`201` of `POST /fdx_auth_requests/authorize`, the
 * spec's `fdx_auth_grant_response`): `{ redirect_uri }` on the wire, which
 * the spec requires. Answer the customer's browser with a `302` to it: after
 * `GRANTED` it continues Plaid's flow, after `DENIED` or `ERROR` it is Plaid's
 * failure page. Unknown extra fields are ignored.
 *
 * @example
 * ```ts
 * import { FdxAuthGrant } from "effect-synctera/effect4"
 * import { Schema } from "effect"
 *
 * const grant = Schema.decodeUnknownSync(FdxAuthGrant)({ redirect_uri: "https://cdn.plaid.com/link/v2/stable/oauth.html" })
 * const location = grant.redirectUri
 * ```
 *
 * @since 0.3.0
 * @category schemas
 */
export const FdxAuthGrant: Schema.Codec<FdxAuthGrant, FdxAuthGrant.Json> = FdxAuthGrantJson.pipe(
  Schema.decodeTo(
    FdxAuthGrantFields,
    SchemaTransformation.transform({
      decode: (json) => ({ redirectUri: json.redirect_uri }),
      encode: (grant) => ({ redirect_uri: grant.redirectUri })
    })
  )
)

/**
 * The answer to a grant, decoded: see the {@link FdxAuthGrant} schema.
 *
 * @since 0.3.0
 * @category schemas
 */
export interface FdxAuthGrant {
  /** Where to send the customer's browser next (with a `302`). */
  readonly redirectUri: string
}

/**
 * The types that go with the {@link FdxAuthGrant} schema.
 *
 * @since 0.3.0
 * @category schemas
 */
export declare namespace FdxAuthGrant {
  /**
   * The wire shape of a grant's answer, as Synctera sends it.
   *
   * @since 0.3.0
   * @category schemas
   */
  export interface Json {
    readonly redirect_uri: string
  }
}
