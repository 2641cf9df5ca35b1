/**
 * The JSON the model reads and answers, as plain interfaces: Synctera's
 * snake_case wire shapes, field for field the `Json` (encoded) types of each
 * line's schemas (a type test holds the Effect 3 ones to these). Optional
 * fields read `string | null | undefined` where Synctera may send `null`.
 *
 * @since 0.3.0
 */

/**
 * A Synctera v1 error body: `{ code, detail, status }`, and `retry_after`
 * (seconds) on some 429 answers. None of the fields is guaranteed.
 *
 * @since 0.3.0
 * @category wire
 */
export interface ErrorBodyJson {
  readonly code?: string | undefined
  readonly detail?: string | undefined
  readonly status?: number | undefined
  readonly retry_after?: number | undefined
}

/**
 * An FDX token (`GET /fdx_tokens/{fdx_token_id}`), timestamps in ISO 8601.
 *
 * @since 0.3.0
 * @category wire
 */
export interface FdxTokenJson {
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

/**
 * An FDX authorization request (an element of `GET /fdx_auth_requests`):
 * only `id` and `status` are required.
 *
 * @since 0.3.0
 * @category wire
 */
export interface FdxAuthRequestJson {
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

/**
 * A page of FDX tokens; `next_page_token` until the last page.
 *
 * @since 0.3.0
 * @category wire
 */
export interface FdxTokenPageJson {
  readonly fdx_tokens: ReadonlyArray<FdxTokenJson>
  readonly next_page_token?: string | null | undefined
}

/**
 * A page of FDX authorization requests; `next_page_token` until the last
 * page.
 *
 * @since 0.3.0
 * @category wire
 */
export interface FdxAuthRequestPageJson {
  readonly fdx_auth_requests: ReadonlyArray<FdxAuthRequestJson>
  readonly next_page_token?: string | null | undefined
}

/**
 * A card widget token (`GET /cards/{card_id}/widget_token`).
 *
 * @since 0.3.0
 * @category wire
 */
export interface WidgetTokenJson {
  readonly tenant: string
  readonly widget_token: string
}

/**
 * The answer of `GET /fdx_auth_requests/authorization_test`: the
 * Authentication URI to open, with `auth_request_id` appended.
 *
 * @since 0.3.0
 * @category wire
 */
export interface AuthorizationTestJson {
  readonly redirect_url?: string | null | undefined
}

/**
 * The answer of a grant (`POST /fdx_auth_requests/authorize`): where the
 * customer's browser goes next.
 *
 * @since 0.3.0
 * @category wire
 */
export interface FdxAuthGrantJson {
  readonly redirect_uri: string
}
