/**
 * Plaid Core Exchange, as the model plays it: FDX authorization requests and
 * FDX tokens, at the wire level, as pure functions over their state.
 *
 * The lifecycle:
 * - `authorization_test` (sandbox only) creates a `PENDING` request that
 *   expires after {@link authRequestLifetimeMillis}, and answers the
 *   configured Authentication URI with `auth_request_id` appended (201).
 * - A grant decides a `PENDING` request: `GRANTED` (exactly one of
 *   `customer_id` / `business_id`, which must be the tenant's) gets an
 *   authorization code; `DENIED` and `ERROR` (at most one owner) make it
 *   `DENIED` (the model's choice: the enum has no `ERROR` status, and a failed
 *   authentication must not be granted later). It answers 201 with a
 *   `redirect_uri` to Plaid's page: `?code=…&state=…` for a grant,
 *   `?error=access_denied&state=…` or `?error=server_error&state=…` otherwise.
 *   An unknown request is 404; a decided one 409 (Synctera: "Resource already
 *   exists"); an expired one 400.
 * - Plaid exchanges the code ({@link exchange}): the request becomes `USED`,
 *   and an `ACCESS` (1 hour) and a `REFRESH` token (90 days) are issued for its
 *   customer or business.
 * - A refresh token is used once ({@link refresh}): it becomes `USED`, and the
 *   new tokens carry `parent_token_id`. Any token can be revoked
 *   ({@link revoke}). Synctera has no API for either; the sandbox offers them
 *   as controls, so that tests reach every status.
 *
 * @since 0.3.0
 */
import { grantStatuses, isUuid as isUuidText } from "../rules.js"
import { type Failure, failure, type Outcome, success } from "./Outcome.js"
import { page } from "./Pages.js"
import type {
  AuthorizationTestJson,
  FdxAuthGrantJson,
  FdxAuthRequestJson,
  FdxAuthRequestPageJson,
  FdxTokenJson,
  FdxTokenPageJson
} from "./wire.js"

/**
 * How long a new auth request can be decided: 10 minutes (the model's choice;
 * Synctera documents only that requests expire).
 *
 * @since 0.3.0
 * @category pce
 */
export const authRequestLifetimeMillis = 10 * 60 * 1000

const accessLifetimeMillis = 60 * 60 * 1000
const refreshLifetimeMillis = 90 * 24 * 60 * 60 * 1000

/**
 * The Plaid Core Exchange part of the model's state. Maps are by lower-case
 * id, in list order (items are only ever added at the end).
 *
 * @since 0.3.0
 * @category pce
 */
export interface PceState {
  readonly fdxTokens: ReadonlyMap<string, FdxTokenJson>
  readonly authRequests: ReadonlyMap<string, FdxAuthRequestJson>
  readonly customers: ReadonlySet<string>
  readonly businesses: ReadonlySet<string>
}

/**
 * Where the flow's browser steps go.
 *
 * @since 0.3.0
 * @category pce
 */
export interface PceUris {
  /** The fintech's Authentication URI, which `authorization_test` answers (with `auth_request_id`). */
  readonly authenticationUri: string
  /** The page that plays Plaid's part: a grant's `redirect_uri` points there. */
  readonly plaidUri: string
}

/**
 * The default {@link PceUris}: placeholders outside this machine. The sandbox
 * server points `plaidUri` at its own Plaid page; tests and apps set
 * `authenticationUri` to their login page.
 *
 * @since 0.3.0
 * @category pce
 */
export const defaultUris: PceUris = {
  authenticationUri: "https://fintech.example/plaid/authenticate",
  plaidUri: "https://plaid.example/oauth/callback"
}

/**
 * What a control ({@link exchange}, {@link refresh}, {@link revoke}) did:
 * the tokens it issued or changed, or why it refused.
 *
 * @since 0.3.0
 * @category pce
 */
export type ControlResult =
  | { readonly _tag: "Done"; readonly tokens: ReadonlyArray<FdxTokenJson> }
  | { readonly _tag: "Refused"; readonly reason: string }

const iso = (millis: number): string => new Date(millis).toISOString()

const isPast = (time: string | null | undefined, now: number): boolean =>
  typeof time === "string" && Date.parse(time) <= now

const isUuid = (value: unknown): value is string => typeof value === "string" && isUuidText(value)

const isGrantStatus = (value: unknown): value is (typeof grantStatuses)[number] =>
  grantStatuses.some((status) => status === value)

/** `url` with query parameters added (or set); appended as text to what is not a URL. */
const withParams = (url: string, params: Readonly<Record<string, string>>): string => {
  if (!URL.canParse(url)) return `${url}${url.includes("?") ? "&" : "?"}${new URLSearchParams(params)}`
  const parsed = new URL(url)
  for (const [name, value] of Object.entries(params)) parsed.searchParams.set(name, value)
  return parsed.href
}

const badRequest = (detail: string, field: { readonly missing?: string; readonly invalid?: string }): Failure =>
  failure(400, "BAD_REQUEST", detail, {
    ...(field.missing === undefined ? {} : { missing: [field.missing] }),
    ...(field.invalid === undefined ? {} : { invalid: [field.invalid] })
  })

/** A map with one entry replaced, keeping its place in the list. */
const replaced = <A>(map: ReadonlyMap<string, A>, key: string, value: A): ReadonlyMap<string, A> =>
  new Map(map).set(key, value)

/** A map with entries added at the end. */
const appended = <A>(map: ReadonlyMap<string, A>, entries: ReadonlyArray<readonly [string, A]>) =>
  new Map([...map, ...entries])

/** The `next_page_token` of a page's body, when there is a next page. */
const nextPage = (next: string | undefined): { readonly next_page_token?: string } =>
  next === undefined ? {} : { next_page_token: next }

/**
 * `GET /fdx_tokens`: a page of every token of the tenant.
 *
 * @since 0.3.0
 * @category pce
 */
export const listFdxTokens = (state: PceState, query: Readonly<Record<string, string | undefined>>): Outcome => {
  const answer = page([...state.fdxTokens.values()], query)
  if ("_tag" in answer) return answer
  return success(200, { fdx_tokens: answer.items, ...nextPage(answer.next) } satisfies FdxTokenPageJson)
}

/**
 * `GET /fdx_auth_requests`: a page of every auth request of the tenant.
 *
 * @since 0.3.0
 * @category pce
 */
export const listFdxAuthRequests = (
  state: PceState,
  query: Readonly<Record<string, string | undefined>>
): Outcome => {
  const answer = page([...state.authRequests.values()], query)
  if ("_tag" in answer) return answer
  return success(200, { fdx_auth_requests: answer.items, ...nextPage(answer.next) } satisfies FdxAuthRequestPageJson)
}

/**
 * `GET /fdx_auth_requests/authorization_test`: a new `PENDING` request, and
 * the Authentication URI to start it at.
 *
 * @since 0.3.0
 * @category pce
 */
export const authorizationTest = (
  state: PceState,
  tenant: string,
  uris: PceUris,
  now: number
): readonly [Outcome, PceState] => {
  const id = crypto.randomUUID()
  const request: FdxAuthRequestJson = {
    id,
    tenant,
    status: "PENDING",
    oauth2_state: crypto.randomUUID(),
    creation_time: iso(now),
    last_updated_time: iso(now),
    expiry_time: iso(now + authRequestLifetimeMillis)
  }
  return [
    success(
      201,
      { redirect_url: withParams(uris.authenticationUri, { auth_request_id: id }) } satisfies AuthorizationTestJson
    ),
    { ...state, authRequests: appended(state.authRequests, [[id, request]]) }
  ]
}

/** The grant body's fields, read from raw JSON: the first refusal, or the fields. */
const readGrant = (
  bodyText: string | undefined
):
  | Failure
  | {
    readonly id: string
    readonly status: "GRANTED" | "DENIED" | "ERROR"
    readonly customer: string | undefined
    readonly business: string | undefined
  } =>
{
  let json: unknown
  try {
    json = JSON.parse(bodyText ?? "")
  } catch {
    return failure(400, "BAD_REQUEST_BODY", "the request body is not JSON")
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return failure(400, "BAD_REQUEST_BODY", "the request body must be a JSON object")
  }
  const body: Partial<Record<string, unknown>> = json
  const { auth_request_id: id, business_id: business, customer_id: customer, status } = body
  if (id === undefined) return badRequest("auth_request_id is required", { missing: "auth_request_id" })
  if (!isUuid(id)) return badRequest("auth_request_id must be a UUID", { invalid: "auth_request_id" })
  if (status === undefined) return badRequest("status is required", { missing: "status" })
  if (!isGrantStatus(status)) {
    return badRequest(`status must be one of ${grantStatuses.join(", ")}`, { invalid: "status" })
  }
  if (customer !== undefined && !isUuid(customer)) {
    return badRequest("customer_id must be a UUID", { invalid: "customer_id" })
  }
  if (business !== undefined && !isUuid(business)) {
    return badRequest("business_id must be a UUID", { invalid: "business_id" })
  }
  if (customer !== undefined && business !== undefined) {
    return badRequest("give one of customer_id or business_id, not both", { invalid: "business_id" })
  }
  if (status === "GRANTED" && customer === undefined && business === undefined) {
    return badRequest("a grant needs one of customer_id or business_id", { missing: "customer_id" })
  }
  return { id, status, customer, business }
}

/**
 * `POST /fdx_auth_requests/authorize`: decides a `PENDING` request.
 *
 * @since 0.3.0
 * @category pce
 */
export const grant = (
  state: PceState,
  bodyText: string | undefined,
  uris: PceUris,
  now: number
): readonly [Outcome, PceState] => {
  const fields = readGrant(bodyText)
  if ("_tag" in fields) return [fields, state]
  const { business, customer, id, status } = fields
  if (customer !== undefined && !state.customers.has(customer.toLowerCase())) {
    return [badRequest(`customer ${customer} does not exist in this tenant`, { invalid: "customer_id" }), state]
  }
  if (business !== undefined && !state.businesses.has(business.toLowerCase())) {
    return [badRequest(`business ${business} does not exist in this tenant`, { invalid: "business_id" }), state]
  }
  const request = state.authRequests.get(id.toLowerCase())
  if (request === undefined) return [failure(404, "RESOURCE_NOT_FOUND", `auth request ${id} not found`), state]
  if (request.status !== "PENDING") {
    return [
      failure(409, "RESOURCE_ALREADY_EXISTS", `auth request ${id} was already decided (${request.status})`),
      state
    ]
  }
  if (isPast(request.expiry_time, now)) {
    return [badRequest(`auth request ${id} expired at ${request.expiry_time}`, { invalid: "auth_request_id" }), state]
  }
  const oauthState = request.oauth2_state ?? id
  const code = status === "GRANTED" ? crypto.randomUUID() : undefined
  const redirectUri = withParams(
    uris.plaidUri,
    code !== undefined
      ? { code, state: oauthState }
      : { error: status === "DENIED" ? "access_denied" : "server_error", state: oauthState }
  )
  const decided: FdxAuthRequestJson = {
    ...request,
    status: status === "GRANTED" ? "GRANTED" : "DENIED",
    last_updated_time: iso(now),
    redirect_uri: redirectUri,
    ...(customer === undefined ? {} : { customer_id: customer }),
    ...(business === undefined ? {} : { business_id: business }),
    ...(code === undefined ? {} : { code })
  }
  return [
    success(201, { redirect_uri: redirectUri } satisfies FdxAuthGrantJson),
    { ...state, authRequests: replaced(state.authRequests, id.toLowerCase(), decided) }
  ]
}

/** A new token of a customer or business. */
const issue = (
  tenant: string,
  type: "ACCESS" | "REFRESH",
  owner: { readonly customer_id?: string | null | undefined; readonly business_id?: string | null | undefined },
  now: number,
  parent: string | undefined
): FdxTokenJson => ({
  id: crypto.randomUUID(),
  tenant,
  status: "ENABLED",
  token_type: type,
  token_hash: `sha256:${crypto.randomUUID().replaceAll("-", "")}`,
  creation_time: iso(now),
  last_updated_time: iso(now),
  token_expiry_time: iso(now + (type === "ACCESS" ? accessLifetimeMillis : refreshLifetimeMillis)),
  ...(typeof owner.customer_id === "string" ? { customer_id: owner.customer_id } : {}),
  ...(typeof owner.business_id === "string" ? { business_id: owner.business_id } : {}),
  ...(parent === undefined ? {} : { parent_token_id: parent })
})

const withTokens = (state: PceState, tokens: ReadonlyArray<FdxTokenJson>): PceState => ({
  ...state,
  fdxTokens: appended(state.fdxTokens, tokens.map((token) => [token.id.toLowerCase(), token] as const))
})

/**
 * Plaid's side of a grant: exchanges the authorization code of a `GRANTED`
 * request that has not expired. The request becomes `USED`; an `ACCESS` and a
 * `REFRESH` token are issued for its customer or business.
 *
 * @since 0.3.0
 * @category pce
 */
export const exchange = (
  state: PceState,
  tenant: string,
  code: string,
  now: number
): readonly [ControlResult, PceState] => {
  const request = [...state.authRequests.values()].find((r) => r.code === code && r.status === "GRANTED")
  if (request === undefined) return [{ _tag: "Refused", reason: "no granted auth request has this code" }, state]
  if (isPast(request.expiry_time, now)) return [{ _tag: "Refused", reason: "the auth request has expired" }, state]
  const tokens = [issue(tenant, "ACCESS", request, now, undefined), issue(tenant, "REFRESH", request, now, undefined)]
  const used: FdxAuthRequestJson = { ...request, status: "USED", last_updated_time: iso(now) }
  return [
    { _tag: "Done", tokens },
    withTokens({ ...state, authRequests: replaced(state.authRequests, request.id.toLowerCase(), used) }, tokens)
  ]
}

/**
 * Uses a refresh token: an `ENABLED`, unexpired `REFRESH` token becomes
 * `USED`, and a new `ACCESS` and `REFRESH` token with `parent_token_id` are
 * issued for the same owner.
 *
 * @since 0.3.0
 * @category pce
 */
export const refresh = (
  state: PceState,
  tenant: string,
  id: string,
  now: number
): readonly [ControlResult, PceState] => {
  const token = state.fdxTokens.get(id.toLowerCase())
  if (token === undefined) return [{ _tag: "Refused", reason: `no FDX token ${id}` }, state]
  if (token.token_type !== "REFRESH") return [{ _tag: "Refused", reason: "only a REFRESH token refreshes" }, state]
  if (token.status !== "ENABLED") return [{ _tag: "Refused", reason: `the token is ${token.status}` }, state]
  if (isPast(token.token_expiry_time, now)) return [{ _tag: "Refused", reason: "the token has expired" }, state]
  const tokens = [issue(tenant, "ACCESS", token, now, token.id), issue(tenant, "REFRESH", token, now, token.id)]
  const used: FdxTokenJson = { ...token, status: "USED", last_updated_time: iso(now) }
  return [
    { _tag: "Done", tokens: [used, ...tokens] },
    withTokens({ ...state, fdxTokens: replaced(state.fdxTokens, id.toLowerCase(), used) }, tokens)
  ]
}

/**
 * Revokes a token (any status but `REVOKED`).
 *
 * @since 0.3.0
 * @category pce
 */
export const revoke = (state: PceState, id: string, now: number): readonly [ControlResult, PceState] => {
  const token = state.fdxTokens.get(id.toLowerCase())
  if (token === undefined) return [{ _tag: "Refused", reason: `no FDX token ${id}` }, state]
  if (token.status === "REVOKED") return [{ _tag: "Refused", reason: "the token is already REVOKED" }, state]
  const revoked: FdxTokenJson = { ...token, status: "REVOKED", last_updated_time: iso(now) }
  return [{ _tag: "Done", tokens: [revoked] }, {
    ...state,
    fdxTokens: replaced(state.fdxTokens, id.toLowerCase(), revoked)
  }]
}
