/**
 * Each Synctera operation on the Effect 4 line: its description in the shared
 * core (`src/core/operations.ts`: method, path, wire encoding, idempotency
 * key, retry class, success status, span attributes) with the two schemas
 * that are this line's own, the input's and the success body's. The live
 * client, the in-memory layer and the CLI read these; the sandbox's routes and
 * the model read the core's.
 *
 * @internal
 */
import * as Schema from "effect/Schema"
import * as Core from "../../../src/core/operations.js"
import { AuthorizationTest } from "../schemas/AuthorizationTest.js"
import { FdxAuthGrant } from "../schemas/FdxAuthGrant.js"
import { FdxAuthRequestPage, FdxTokenPage } from "../schemas/FdxPages.js"
import { FdxToken } from "../schemas/FdxToken.js"
import { WidgetToken } from "../schemas/WidgetToken.js"
import { GetFdxTokenRequest, GetWidgetTokenRequest, GrantFdxAuthRequestRequest, ListRequest } from "../Synctera.js"

/**
 * One operation on this line: its description in the shared core (`Route`),
 * with the schema that checks its input and the schema of its success body.
 * `Input` is what a caller passes, `Checked` the same after its schema, `A`
 * the result and `Json` its wire shape.
 *
 * @since 0.3.0
 */
export interface OperationSpec<Input, Checked, A, Json> extends Omit<Core.Route<Checked>, "successStatus"> {
  /** Checks the input before anything is sent (`InvalidInput` when it fails). */
  readonly input: Schema.Codec<Checked, Input>
  /** The status Synctera answers on success (the client accepts any 2xx), and the body's schema. */
  readonly success: { readonly status: 200 | 201; readonly schema: Schema.Codec<A, Json> }
}

/** This line's operation: the core's route, its input schema and its success schema. */
const spec = <Input, Checked, A, Json>(
  route: Core.Route<Checked>,
  input: Schema.Codec<Checked, Input>,
  schema: Schema.Codec<A, Json>
): OperationSpec<Input, Checked, A, Json> => {
  const { successStatus, ...rest } = route
  return { ...rest, input, success: { status: successStatus, schema } }
}

/**
 * `GET /cards/{card_id}/widget_token`.
 *
 * @since 0.3.0
 */
export const getWidgetToken = spec(Core.getWidgetToken, GetWidgetTokenRequest, WidgetToken)

/**
 * `GET /fdx_tokens/{fdx_token_id}`.
 *
 * @since 0.3.0
 */
export const getFdxToken = spec(Core.getFdxToken, GetFdxTokenRequest, FdxToken)

/**
 * `GET /fdx_tokens?limit=…&page_token=…`.
 *
 * @since 0.3.0
 */
export const listFdxTokens = spec(Core.listFdxTokens, ListRequest, FdxTokenPage)

/**
 * `GET /fdx_auth_requests?limit=…&page_token=…`.
 *
 * @since 0.3.0
 */
export const listFdxAuthRequests = spec(Core.listFdxAuthRequests, ListRequest, FdxAuthRequestPage)

/**
 * `POST /fdx_auth_requests/authorize`: `applyOnce` (see the core's description).
 *
 * @since 0.3.0
 */
export const grantFdxAuthRequest = spec(Core.grantFdxAuthRequest, GrantFdxAuthRequestRequest, FdxAuthGrant)

/**
 * `GET /fdx_auth_requests/authorization_test`: `applyOnce`; sandbox only. No input.
 *
 * @since 0.3.0
 */
export const getAuthorizationTest = spec(Core.getAuthorizationTest, Schema.Struct({}), AuthorizationTest)
