/**
 * The page a grant's `redirect_uri` points to in the sandbox: it plays
 * Plaid's part of Plaid Core Exchange. With `?code=…` it exchanges the code
 * as Plaid would (the auth request becomes `USED`; an `ACCESS` and a
 * `REFRESH` token are issued) and says where Plaid Link would go next; with
 * `?error=…` it says the customer was not connected. What it says is the
 * core's (`src/core/sandbox/plaidPage.ts`); this is the Effect 4 handler.
 *
 * @since 0.3.0
 */
import * as Effect from "effect/Effect"
import * as HttpServerRequest from "effect/http/HttpServerRequest"
import * as HttpServerResponse from "effect/http/HttpServerResponse"
import * as Page from "../../../src/core/sandbox/plaidPage.js"
import type { SandboxModel } from "../model/SandboxModel.js"

const respond = (page: Page.Page): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.text(page.html, { status: page.status, contentType: Page.contentType, headers: Page.headers })

/**
 * The handler of `GET /plaid/oauth/callback`.
 *
 * @since 0.3.0
 * @category pages
 */
export const plaidPage = (
  model: SandboxModel
): Effect.Effect<HttpServerResponse.HttpServerResponse, never, HttpServerRequest.ParsedSearchParams> =>
  Effect.flatMap(HttpServerRequest.ParsedSearchParams, (search) => {
    const code = Page.searchValue(search, "code")
    if (code === undefined) return Effect.succeed(respond(Page.notConnected(Page.searchValue(search, "error"))))
    return model.exchange(code).pipe(
      Effect.map((tokens) => respond(Page.connected(tokens))),
      Effect.catchTag("ControlRefused", (refused) => Effect.succeed(respond(Page.refused(refused.reason))))
    )
  })
