/**
 * Each Synctera operation this package covers, described once, without
 * Effect: its name, method and path, how its checked input becomes a request
 * on the wire, whether it sends an `Idempotency-Key`, its retry class, its
 * success status and its span's attributes. Each Effect line adds only the
 * schemas of the input and of the success body; its live client, its
 * in-memory layer, the model and the sandbox's routes all run from these.
 *
 * @since 0.3.0
 */

/**
 * The client operations, as named in errors, spans and logs (a stream's page
 * calls report as the list operation).
 *
 * @since 0.3.0
 * @category operations
 */
export const operationNames = [
  "getWidgetToken",
  "getFdxToken",
  "listFdxTokens",
  "listFdxAuthRequests",
  "grantFdxAuthRequest",
  "getAuthorizationTest"
] as const

/**
 * One of {@link operationNames}.
 *
 * @since 0.3.0
 * @category operations
 */
export type OperationName = (typeof operationNames)[number]

/**
 * A request as it goes on the wire: path parameters, query, JSON body.
 *
 * @since 0.3.0
 * @category operations
 */
export interface WireRequest {
  readonly params: Readonly<Record<string, string>>
  readonly query?: Readonly<Record<string, string>> | undefined
  readonly body?: unknown
}

/**
 * How an operation may be retried:
 *
 * - `repeatable`: asking again changes nothing (a GET, or a POST Synctera
 *   deduplicates by `Idempotency-Key`), so every transient failure is retried;
 * - `applyOnce`: it changes something and nothing documents that Synctera
 *   deduplicates it, so it is retried only when it cannot have been applied
 *   (see `retry.ts`).
 *
 * @since 0.3.0
 * @category operations
 */
export type RetryClass = "repeatable" | "applyOnce"

/**
 * One operation, for an input already checked (of type `Input`).
 *
 * @since 0.3.0
 * @category operations
 */
export interface Route<Input> {
  readonly name: OperationName
  readonly method: "GET" | "POST"
  /** Below the base URL, parameters in braces: `/cards/{card_id}/widget_token`. */
  readonly path: string
  readonly toWire: (input: Input) => WireRequest
  /**
   * Whether the call sends an `Idempotency-Key`: `false`, or how to read the
   * caller's key from the input (a fresh UUID when it has none).
   */
  readonly idempotencyKey: false | ((input: Input) => string | undefined)
  readonly retry: RetryClass
  /** Whether only the sandbox has it: refused before sending when the client points at production. */
  readonly sandboxOnly: boolean
  /** The status Synctera answers on success (the client accepts any 2xx). */
  readonly successStatus: 200 | 201
  /** The span's attributes (besides `synctera.attempts`). */
  readonly attributes: (input: Input, idempotencyKey: string | undefined) => Record<string, string | number>
}

/**
 * The path with its parameters filled in.
 *
 * @since 0.3.0
 * @category operations
 */
export const renderPath = (path: string, params: WireRequest["params"]): string =>
  path.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? "")

/**
 * The `Idempotency-Key` a call sends: none, the caller's, or a fresh UUID
 * (made once per call, so every attempt sends the same).
 *
 * @since 0.3.0
 * @category operations
 */
export const idempotencyKeyOf = <Input>(
  route: { readonly idempotencyKey: false | ((input: Input) => string | undefined) },
  input: Input
): string | undefined => route.idempotencyKey === false ? undefined : route.idempotencyKey(input) ?? crypto.randomUUID()

/** A caller's own idempotency key, when the input may carry one. */
interface WithKey {
  readonly idempotencyKey?: string | undefined
}

/**
 * `GET /cards/{card_id}/widget_token?widget_type=…`.
 *
 * @since 0.3.0
 * @category operations
 */
export const getWidgetToken: Route<{ readonly cardId: string; readonly widgetType: string } & WithKey> = {
  name: "getWidgetToken",
  method: "GET",
  path: "/cards/{card_id}/widget_token",
  toWire: (input) => ({ params: { card_id: input.cardId }, query: { widget_type: input.widgetType } }),
  idempotencyKey: (input) => input.idempotencyKey,
  retry: "repeatable",
  sandboxOnly: false,
  successStatus: 200,
  attributes: (input, key) => ({
    "synctera.card_id": input.cardId,
    "synctera.widget_type": input.widgetType,
    "synctera.idempotency_key": key ?? ""
  })
}

/**
 * `GET /fdx_tokens/{fdx_token_id}`.
 *
 * @since 0.3.0
 * @category operations
 */
export const getFdxToken: Route<{ readonly fdxTokenId: string }> = {
  name: "getFdxToken",
  method: "GET",
  path: "/fdx_tokens/{fdx_token_id}",
  toWire: (input) => ({ params: { fdx_token_id: input.fdxTokenId } }),
  idempotencyKey: false,
  retry: "repeatable",
  sandboxOnly: false,
  successStatus: 200,
  attributes: (input) => ({ "synctera.fdx_token_id": input.fdxTokenId })
}

/**
 * A list's checked input: one page, of `limit` items, after `pageToken`.
 *
 * @since 0.3.0
 * @category operations
 */
export interface ListInput {
  readonly limit?: number | undefined
  readonly pageToken?: string | undefined
}

/** A list's query: `limit` and `page_token` when given. */
const listQuery = (input: ListInput): Record<string, string> => ({
  ...(input.limit === undefined ? {} : { limit: String(input.limit) }),
  ...(input.pageToken === undefined ? {} : { page_token: input.pageToken })
})

const listAttributes = (input: ListInput) => ({
  ...(input.limit === undefined ? {} : { "synctera.limit": input.limit }),
  "synctera.first_page": input.pageToken === undefined ? 1 : 0
})

/**
 * `GET /fdx_tokens?limit=…&page_token=…`.
 *
 * @since 0.3.0
 * @category operations
 */
export const listFdxTokens: Route<ListInput> = {
  name: "listFdxTokens",
  method: "GET",
  path: "/fdx_tokens",
  toWire: (input) => ({ params: {}, query: listQuery(input) }),
  idempotencyKey: false,
  retry: "repeatable",
  sandboxOnly: false,
  successStatus: 200,
  attributes: listAttributes
}

/**
 * `GET /fdx_auth_requests?limit=…&page_token=…`.
 *
 * @since 0.3.0
 * @category operations
 */
export const listFdxAuthRequests: Route<ListInput> = {
  name: "listFdxAuthRequests",
  method: "GET",
  path: "/fdx_auth_requests",
  toWire: (input) => ({ params: {}, query: listQuery(input) }),
  idempotencyKey: false,
  retry: "repeatable",
  sandboxOnly: false,
  successStatus: 200,
  attributes: listAttributes
}

/**
 * A grant's checked input (its owner checked by `grantOwnerRule`).
 *
 * @since 0.3.0
 * @category operations
 */
export interface GrantInput extends WithKey {
  readonly authRequestId: string
  readonly status: string
  readonly customerId?: string | undefined
  readonly businessId?: string | undefined
}

/**
 * `POST /fdx_auth_requests/authorize` with the spec's snake_case body
 * (`fdx_auth_grant_post`). It changes something, and nothing documents that
 * Synctera deduplicates it: `applyOnce`. It still sends an `Idempotency-Key`
 * (the caller's, or a fresh one, the same on every attempt), so that a server
 * that honours keys can.
 *
 * @since 0.3.0
 * @category operations
 */
export const grantFdxAuthRequest: Route<GrantInput> = {
  name: "grantFdxAuthRequest",
  method: "POST",
  path: "/fdx_auth_requests/authorize",
  toWire: ({ authRequestId, businessId, customerId, status }) => ({
    params: {},
    body: {
      auth_request_id: authRequestId,
      status,
      ...(customerId === undefined ? {} : { customer_id: customerId }),
      ...(businessId === undefined ? {} : { business_id: businessId })
    }
  }),
  idempotencyKey: (input) => input.idempotencyKey,
  retry: "applyOnce",
  sandboxOnly: false,
  successStatus: 201,
  attributes: (input, key) => ({
    "synctera.auth_request_id": input.authRequestId,
    "synctera.grant_status": input.status,
    "synctera.idempotency_key": key ?? ""
  })
}

/**
 * `GET /fdx_auth_requests/authorization_test`: creates an auth request, so
 * `applyOnce`; sandbox only.
 *
 * @since 0.3.0
 * @category operations
 */
export const getAuthorizationTest: Route<unknown> = {
  name: "getAuthorizationTest",
  method: "GET",
  path: "/fdx_auth_requests/authorization_test",
  toWire: () => ({ params: {} }),
  idempotencyKey: () => undefined,
  retry: "applyOnce",
  sandboxOnly: true,
  successStatus: 201,
  attributes: () => ({})
}

/**
 * Every operation's route, for the sandbox server and the model.
 *
 * @since 0.3.0
 * @category operations
 */
export const routes: ReadonlyArray<Pick<Route<never>, "name" | "method" | "path" | "retry">> = [
  getWidgetToken,
  getFdxToken,
  listFdxTokens,
  listFdxAuthRequests,
  grantFdxAuthRequest,
  getAuthorizationTest
]
