/**
 * Each Synctera operation, described once: its method and path, how its input
 * is checked and put on the wire, its success status and schema, and its
 * retry class. The live client, the in-memory layer, the sandbox's routes and
 * the model all read these descriptions, so adding an operation means adding
 * its description here, its behaviour to the model, and (if users want it) a
 * CLI command.
 *
 * @internal
 */
import * as Schema from "effect/Schema"
import type { Operation } from "../errors/SyncteraError.js"
import { AuthorizationTest } from "../schemas/AuthorizationTest.js"
import { FdxAuthGrant, FdxAuthGrantBody } from "../schemas/FdxAuthGrant.js"
import { FdxAuthRequestPage, FdxTokenPage } from "../schemas/FdxPages.js"
import { FdxToken } from "../schemas/FdxToken.js"
import { WidgetToken } from "../schemas/WidgetToken.js"
import { GetFdxTokenRequest, GetWidgetTokenRequest, GrantFdxAuthRequestRequest, ListRequest } from "../Synctera.js"

/**
 * What a call puts on the wire, from its checked input: the path's
 * parameters (already safe for a path segment: validated ids), the query and
 * the JSON body.
 */
export interface WireRequest {
  readonly params: Readonly<Record<string, string>>
  readonly query?: Readonly<Record<string, string>> | undefined
  readonly body?: unknown
}

/**
 * How an operation may be retried.
 * - `repeatable`: repeating it cannot do harm (a read, or a call Synctera
 *   deduplicates by its `Idempotency-Key`): every transient failure is retried.
 * - `applyOnce`: it changes something and nothing documents that Synctera
 *   deduplicates it: retried only when it cannot have been applied (no
 *   connection made, 429, 503, `IDEMPOTENCY_CONCURRENT_USE`); after any other
 *   transient failure it fails at once, marked `maybeApplied`. It gets a
 *   connection of its own, so a stale pooled one cannot fail it for nothing.
 */
export type RetryClass = "repeatable" | "applyOnce"

/**
 * One operation. `Input` is what a caller passes, `Checked` the same after
 * its schema, `A` the result and `Json` its wire shape.
 */
export interface OperationSpec<Input, Checked, A, Json> {
  readonly name: Operation
  readonly method: "GET" | "POST"
  /** Below the base URL, parameters in braces: `/cards/{card_id}/widget_token`. */
  readonly path: string
  /** Checks the input before anything is sent (`InvalidInput` when it fails). */
  readonly input: Schema.Schema<Checked, Input>
  readonly toWire: (input: Checked) => WireRequest
  /**
   * Whether the call sends an `Idempotency-Key`: `false`, or how to read the
   * caller's key from the input (a fresh UUID when it has none).
   */
  readonly idempotencyKey: false | ((input: Checked) => string | undefined)
  readonly retry: RetryClass
  /** Whether only the sandbox has it: refused before sending when the client points at production. */
  readonly sandboxOnly: boolean
  /** The status Synctera answers on success (the client accepts any 2xx), and the body's schema. */
  readonly success: { readonly status: 200 | 201; readonly schema: Schema.Schema<A, Json> }
  /** The span's attributes (besides `synctera.attempts`). */
  readonly attributes: (input: Checked, idempotencyKey: string | undefined) => Record<string, string | number>
}

/** A path template with its parameters filled in. */
export const renderPath = (path: string, params: WireRequest["params"]): string =>
  path.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? "")

/** The idempotency key a call sends: the caller's, a fresh UUID, or none. */
export const idempotencyKeyOf = <Checked>(
  spec: { readonly idempotencyKey: false | ((input: Checked) => string | undefined) },
  input: Checked
): string | undefined => spec.idempotencyKey === false ? undefined : spec.idempotencyKey(input) ?? crypto.randomUUID()

/** `GET /cards/{card_id}/widget_token?widget_type=…`, with an `Idempotency-Key`. */
export const getWidgetToken: OperationSpec<
  typeof GetWidgetTokenRequest.Encoded,
  typeof GetWidgetTokenRequest.Type,
  WidgetToken,
  WidgetToken.Json
> = {
  name: "getWidgetToken",
  method: "GET",
  path: "/cards/{card_id}/widget_token",
  input: GetWidgetTokenRequest,
  toWire: (input) => ({ params: { card_id: input.cardId }, query: { widget_type: input.widgetType } }),
  idempotencyKey: (input) => input.idempotencyKey,
  retry: "repeatable",
  sandboxOnly: false,
  success: { status: 200, schema: WidgetToken },
  attributes: (input, key) => ({
    "synctera.card_id": input.cardId,
    "synctera.widget_type": input.widgetType,
    "synctera.idempotency_key": key ?? ""
  })
}

/** `GET /fdx_tokens/{fdx_token_id}`. */
export const getFdxToken: OperationSpec<
  typeof GetFdxTokenRequest.Encoded,
  typeof GetFdxTokenRequest.Type,
  FdxToken,
  FdxToken.Json
> = {
  name: "getFdxToken",
  method: "GET",
  path: "/fdx_tokens/{fdx_token_id}",
  input: GetFdxTokenRequest,
  toWire: (input) => ({ params: { fdx_token_id: input.fdxTokenId } }),
  idempotencyKey: false,
  retry: "repeatable",
  sandboxOnly: false,
  success: { status: 200, schema: FdxToken },
  attributes: (input) => ({ "synctera.fdx_token_id": input.fdxTokenId })
}

/** A list's query: `limit` and `page_token` when given. */
const listQuery = (input: typeof ListRequest.Type): Record<string, string> => ({
  ...(input.limit === undefined ? {} : { limit: String(input.limit) }),
  ...(input.pageToken === undefined ? {} : { page_token: input.pageToken })
})

const listAttributes = (input: typeof ListRequest.Type) => ({
  ...(input.limit === undefined ? {} : { "synctera.limit": input.limit }),
  "synctera.first_page": input.pageToken === undefined ? 1 : 0
})

/** `GET /fdx_tokens?limit=…&page_token=…`. */
export const listFdxTokens: OperationSpec<
  typeof ListRequest.Encoded,
  typeof ListRequest.Type,
  FdxTokenPage,
  FdxTokenPage.Json
> = {
  name: "listFdxTokens",
  method: "GET",
  path: "/fdx_tokens",
  input: ListRequest,
  toWire: (input) => ({ params: {}, query: listQuery(input) }),
  idempotencyKey: false,
  retry: "repeatable",
  sandboxOnly: false,
  success: { status: 200, schema: FdxTokenPage },
  attributes: listAttributes
}

/** `GET /fdx_auth_requests?limit=…&page_token=…`. */
export const listFdxAuthRequests: OperationSpec<
  typeof ListRequest.Encoded,
  typeof ListRequest.Type,
  FdxAuthRequestPage,
  FdxAuthRequestPage.Json
> = {
  name: "listFdxAuthRequests",
  method: "GET",
  path: "/fdx_auth_requests",
  input: ListRequest,
  toWire: (input) => ({ params: {}, query: listQuery(input) }),
  idempotencyKey: false,
  retry: "repeatable",
  sandboxOnly: false,
  success: { status: 200, schema: FdxAuthRequestPage },
  attributes: listAttributes
}

const encodeGrantBody = Schema.encodeSync(FdxAuthGrantBody)

/**
 * `POST /fdx_auth_requests/authorize` with the spec's snake_case body. It
 * changes something, and nothing documents that Synctera deduplicates it:
 * `applyOnce`. It still sends an `Idempotency-Key` (the caller's, or a fresh
 * one, the same on every attempt), so that a server that honours keys can.
 */
export const grantFdxAuthRequest: OperationSpec<
  typeof GrantFdxAuthRequestRequest.Encoded,
  typeof GrantFdxAuthRequestRequest.Type,
  FdxAuthGrant,
  FdxAuthGrant.Json
> = {
  name: "grantFdxAuthRequest",
  method: "POST",
  path: "/fdx_auth_requests/authorize",
  input: GrantFdxAuthRequestRequest,
  toWire: ({ authRequestId, businessId, customerId, status }) => ({
    params: {},
    // The input was checked by the same rule (grantOwnerRule): encoding cannot fail.
    body: encodeGrantBody({
      authRequestId,
      status,
      ...(customerId === undefined ? {} : { customerId }),
      ...(businessId === undefined ? {} : { businessId })
    })
  }),
  idempotencyKey: (input) => input.idempotencyKey,
  retry: "applyOnce",
  sandboxOnly: false,
  success: { status: 201, schema: FdxAuthGrant },
  attributes: (input, key) => ({
    "synctera.auth_request_id": input.authRequestId,
    "synctera.grant_status": input.status,
    "synctera.idempotency_key": key ?? ""
  })
}

/** No input. */
const NoInput = Schema.Struct({})

/** `GET /fdx_auth_requests/authorization_test`: creates an auth request, so `applyOnce`; sandbox only. */
export const getAuthorizationTest: OperationSpec<
  typeof NoInput.Encoded,
  typeof NoInput.Type,
  AuthorizationTest,
  AuthorizationTest.Json
> = {
  name: "getAuthorizationTest",
  method: "GET",
  path: "/fdx_auth_requests/authorization_test",
  input: NoInput,
  toWire: () => ({ params: {} }),
  idempotencyKey: () => undefined,
  retry: "applyOnce",
  sandboxOnly: true,
  success: { status: 201, schema: AuthorizationTest },
  attributes: () => ({})
}

/** Every operation's route, for the sandbox server. */
export const routes: ReadonlyArray<Pick<OperationSpec<never, never, unknown, unknown>, "name" | "method" | "path">> = [
  getWidgetToken,
  getFdxToken,
  listFdxTokens,
  listFdxAuthRequests,
  grantFdxAuthRequest,
  getAuthorizationTest
]
