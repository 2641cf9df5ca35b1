/**
 * The login page's HTTP API, as an `HttpApi`: HTML pages and the forms they
 * post (`application/x-www-form-urlencoded`). Every endpoint answers with an
 * `HttpServerResponse` of its own (a page with its status, a `303` after a
 * sign-in, a `302` to Synctera's `redirect_uri`); the schemas here decode
 * what the browser sends.
 */
import { HttpApi, HttpApiEndpoint, HttpApiGroup, HttpApiSchema } from "@effect/platform"
import { Schema } from "effect"
import { authenticatePath } from "./Pages.js"

/** A page. */
const Page = HttpApiSchema.Text({ contentType: "text/html" })

/** Every form carries the session's CSRF token; its fields are strings, as a browser sends them. */
const csrf = Schema.String

/**
 * `GET /plaid/authenticate?auth_request_id=…`: the Authentication URI. Plaid
 * Link sends the customer's browser here; the id is checked by the handler,
 * so that a link without one gets a page saying so rather than a bare 400.
 */
export const authenticate = HttpApiEndpoint.get("authenticate", authenticatePath)
  .setUrlParams(Schema.Struct({ auth_request_id: Schema.optional(Schema.String) }))
  .addSuccess(Page)

/**
 * `POST /sign-in`: the demo sign-in. `action=cancel` (for a connection)
 * reports the request DENIED: the customer chose not to sign in.
 */
export const signIn = HttpApiEndpoint.post("signIn", "/sign-in")
  .setPayload(HttpApiSchema.withEncoding(
    Schema.Struct({
      csrf,
      auth_request_id: Schema.optional(Schema.String),
      username: Schema.optional(Schema.String),
      password: Schema.optional(Schema.String),
      action: Schema.Literal("sign-in", "cancel")
    }),
    { kind: "UrlParams" }
  ))
  .addSuccess(Page)

/** `POST /plaid/decision`: Allow or Deny on the consent page. */
export const decision = HttpApiEndpoint.post("decision", "/plaid/decision")
  .setPayload(HttpApiSchema.withEncoding(
    Schema.Struct({ csrf, auth_request_id: Schema.String, decision: Schema.Literal("allow", "deny") }),
    { kind: "UrlParams" }
  ))
  .addSuccess(Page)

/** `POST /sign-out`: back to the sign-in page (of the same request, when there is one). */
export const signOut = HttpApiEndpoint.post("signOut", "/sign-out")
  .setPayload(HttpApiSchema.withEncoding(
    Schema.Struct({ csrf, auth_request_id: Schema.optional(Schema.String) }),
    { kind: "UrlParams" }
  ))
  .addSuccess(Page)

/** `GET /connected-apps`: the signed-in customer's FDX tokens. */
export const connectedApps = HttpApiEndpoint.get("connectedApps", "/connected-apps").addSuccess(Page)

/** The Plaid Core Exchange login: Synctera's Authentication URI and its forms. */
export class LoginApi extends HttpApiGroup.make("login")
  .add(authenticate)
  .add(signIn)
  .add(decision)
  .add(signOut)
{}

/** The customer's own pages. */
export class AccountApi extends HttpApiGroup.make("account").add(connectedApps) {}

/** The whole API. */
export class CoreExchangeLoginApi extends HttpApi.make("core-exchange-login").add(LoginApi).add(AccountApi) {}
