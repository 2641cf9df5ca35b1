/**
 * The page a grant's `redirect_uri` points to in the sandbox: it plays
 * Plaid's part of Plaid Core Exchange. With `?code=…` it exchanges the code
 * as Plaid would (the auth request becomes `USED`; an `ACCESS` and a
 * `REFRESH` token are issued) and says where Plaid Link would go next; with
 * `?error=…` it says the customer was not connected.
 *
 * @since 0.2.0
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import type { SandboxModel } from "../model/SandboxModel.js"

const escape = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

const page = (status: number, title: string, body: string) =>
  HttpServerResponse.text(
    `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1f2933}
h1{font-size:1.4rem}code{background:#eef2f7;padding:0 .2rem}.note{color:#52606d;font-size:.9rem}</style></head>
<body><main><p class="note">Sandbox stand-in for Plaid</p><h1 id="title">${
      escape(title)
    }</h1>${body}</main></body></html>`,
    {
      status,
      contentType: "text/html; charset=utf-8",
      headers: {
        "cache-control": "no-store",
        "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'"
      }
    }
  )

/**
 * The handler of `GET /plaid/oauth/callback`.
 *
 * @since 0.2.0
 * @category pages
 */
export const plaidPage = (model: SandboxModel) =>
  Effect.flatMap(HttpServerRequest.ParsedSearchParams, (search) => {
    const value = (name: string): string | undefined => {
      const v = search[name]
      return typeof v === "string" ? v : v?.[0]
    }
    const code = value("code")
    const error = value("error")
    if (code === undefined) {
      return Effect.succeed(page(
        200,
        "Not connected",
        `<p id="outcome" data-outcome="${escape(error ?? "no_code")}">The account was not connected (<code>${
          escape(error ?? "no code")
        }</code>). Plaid Link would now tell the customer and close.</p>`
      ))
    }
    return model.exchange(code).pipe(
      Effect.map((tokens) =>
        page(
          200,
          "Account connected",
          `<p id="outcome" data-outcome="connected">Plaid exchanged the authorization code: ${tokens.length} FDX tokens issued (${
            tokens.map((token) => `<code>${escape(token.tokenType)}</code>`).join(", ")
          }). Plaid Link would now return to the app that asked for the connection.</p>`
        )
      ),
      Effect.catchTag("ControlRefused", (refused) =>
        Effect.succeed(page(
          400,
          "Exchange refused",
          `<p id="outcome" data-outcome="refused">Plaid could not exchange this code: ${escape(refused.reason)}.</p>`
        )))
    )
  })
