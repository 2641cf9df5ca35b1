/**
 * The page a grant's `redirect_uri` points to in the sandbox, for both
 * Effect lines: what it says for each outcome (not connected, connected,
 * exchange refused), as HTML, and the headers it goes with. Each line
 * serves it as its own `HttpServerResponse`.
 *
 * @since 0.3.0
 */

/**
 * One rendering of the page: its status and its HTML.
 *
 * @since 0.3.0
 * @category pages
 */
export interface Page {
  readonly status: number
  readonly html: string
}

/**
 * The page's content type.
 *
 * @since 0.3.0
 * @category pages
 */
export const contentType = "text/html; charset=utf-8"

/**
 * The page's headers (besides its content type): never cached, and nothing
 * loaded or run but its inline style.
 *
 * @since 0.3.0
 * @category pages
 */
export const headers: Readonly<Record<string, string>> = {
  "cache-control": "no-store",
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'"
}

const escape = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

const page = (status: number, title: string, body: string): Page => ({
  status,
  html: `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1f2933}
h1{font-size:1.4rem}code{background:#eef2f7;padding:0 .2rem}.note{color:#52606d;font-size:.9rem}</style></head>
<body><main><p class="note">Sandbox stand-in for Plaid</p><h1 id="title">${
    escape(title)
  }</h1>${body}</main></body></html>`
})

/**
 * The first value of a query parameter, as the lines' `ParsedSearchParams`
 * hold them (a string, or a list for a repeated one).
 *
 * @since 0.3.0
 * @category pages
 */
export const searchValue = (
  search: Readonly<Record<string, string | ReadonlyArray<string> | undefined>>,
  name: string
): string | undefined => {
  const v = search[name]
  return typeof v === "string" ? v : v?.[0]
}

/**
 * The callback came without a code: the customer was not connected (`error`
 * is the callback's `error` parameter, if any).
 *
 * @since 0.3.0
 * @category pages
 */
export const notConnected = (error: string | undefined): Page =>
  page(
    200,
    "Not connected",
    `<p id="outcome" data-outcome="${escape(error ?? "no_code")}">The account was not connected (<code>${
      escape(error ?? "no code")
    }</code>). Plaid Link would now tell the customer and close.</p>`
  )

/**
 * The code was exchanged: these tokens were issued.
 *
 * @since 0.3.0
 * @category pages
 */
export const connected = (tokens: ReadonlyArray<{ readonly tokenType: string }>): Page =>
  page(
    200,
    "Account connected",
    `<p id="outcome" data-outcome="connected">Plaid exchanged the authorization code: ${tokens.length} FDX tokens issued (${
      tokens.map((token) => `<code>${escape(token.tokenType)}</code>`).join(", ")
    }). Plaid Link would now return to the app that asked for the connection.</p>`
  )

/**
 * The model refused to exchange the code, for `reason`.
 *
 * @since 0.3.0
 * @category pages
 */
export const refused = (reason: string): Page =>
  page(
    400,
    "Exchange refused",
    `<p id="outcome" data-outcome="refused">Plaid could not exchange this code: ${escape(reason)}.</p>`
  )
