/**
 * The pages, rendered on the server as plain HTML forms: no script at all,
 * so the Content-Security-Policy allows none. Every value in them goes
 * through the escaping {@link html} template.
 *
 * The fintech is "Northwind Bank", a made-up name; what Plaid's app may see
 * (the consent page's list) is static text here, where a real app would show
 * what its Core Exchange integration actually shares.
 */
import { Array as Arr, DateTime, Order, Redacted } from "effect"
import type { FdxToken } from "effect-synctera"
import type { Problem } from "./Decision.js"
import { type Html, html } from "./Html.js"
import type { Session } from "./Sessions.js"

/** The made-up fintech's name. */
export const bankName = "Northwind Bank"

/** Where Plaid Link sends the customer: the Authentication URI to configure with Synctera. */
export const authenticatePath = "/plaid/authenticate"

/** The URL of the login page for one request. */
export const authenticateUrl = (authRequestId: string): string =>
  `${authenticatePath}?auth_request_id=${encodeURIComponent(authRequestId)}`

/** A rendered page and the HTTP status it goes with. */
export interface Page {
  readonly status: number
  readonly body: Html
}

const layout = (options: {
  readonly title: string
  readonly name: string
  readonly attributes?: Html
  readonly body: Html
}): Html =>
  html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · ${bankName}</title>
<link rel="stylesheet" href="/assets/app.css">
</head>
<body>
<header class="bank"><span class="logo" aria-hidden="true">N</span> ${bankName}</header>
<main data-page="${options.name}"${options.attributes}>
${options.body}
</main>
</body>
</html>
`

const csrfField = (session: Session) =>
  html`<input type="hidden" name="csrf" value="${Redacted.value(session.csrfToken)}">`

const requestField = (authRequestId: string | undefined) =>
  authRequestId === undefined ? html`` : html`<input type="hidden" name="auth_request_id" value="${authRequestId}">`

/** How many failed sign-ins a request allows before it is reported DENIED. */
export const maxSignInAttempts = 3

/**
 * The sign-in page: for a connection (`authRequestId`), with a Cancel button
 * that reports the request DENIED; or for the connected-apps page.
 */
export const signInPage = (options: {
  readonly session: Session
  readonly authRequestId?: string | undefined
  /** After a failed sign-in: how many attempts are left, and the username tried (kept in its field). */
  readonly attemptsLeft?: number | undefined
  readonly username?: string | undefined
}): Page => {
  const forConnection = options.authRequestId !== undefined
  const error = options.attemptsLeft === undefined ?
    html`` :
    html`<p class="notice error" role="alert" id="sign-in-error">
That username and password don't match.${
      forConnection
        ? html` ${options.attemptsLeft} ${options.attemptsLeft === 1 ? "attempt" : "attempts"} left.`
        : html``
    }</p>`
  return {
    status: options.attemptsLeft === undefined ? 200 : 401,
    body: layout({
      title: "Sign in",
      name: "sign-in",
      body: html`<h1>Sign in to ${bankName}</h1>
<p>${
        forConnection
          ? "An app wants to connect to your account through Plaid. Sign in to choose what it may see."
          : "Sign in to see the apps connected to your account."
      }</p>
${error}
<form method="post" action="/sign-in">
${csrfField(options.session)}${requestField(options.authRequestId)}
<label for="username">Username</label>
<input id="username" name="username" autocomplete="username" required autofocus value="${options.username ?? ""}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<div class="actions">
<button type="submit" name="action" value="sign-in" class="primary">Sign in</button>
${
        forConnection
          ? html`<button type="submit" name="action" value="cancel" formnovalidate>Cancel and go back to Plaid</button>`
          : html``
      }
</div>
</form>
<p class="demo">Demo: sign in as <code>alice</code> or <code>bob</code>, password <code>demo</code>.</p>`
    })
  }
}

/** What the consent page lists: what Plaid's app would see. Static, as a placeholder for yours. */
const shared: ReadonlyArray<readonly [string, string]> = [
  ["Account details", "the name and type of each account, and the last 4 digits of its number"],
  ["Balances", "current and available"],
  ["Transactions", "from the past 24 months, with amounts, dates and descriptions"]
]

const signOutForm = (session: Session, authRequestId: string | undefined, label: string) =>
  html`<form method="post" action="/sign-out" class="inline">
${csrfField(session)}${requestField(authRequestId)}<button type="submit" class="link">${label}</button>
</form>`

/**
 * The consent page: what Plaid's app asks for, Allow and Deny. `askAgain`
 * after an answer that Synctera may or may not have recorded, and that it
 * turned out not to have.
 */
export const consentPage = (options: {
  readonly session: Session
  readonly authRequestId: string
  readonly name: string
  readonly askAgain?: boolean
}): Page => ({
  status: 200,
  body: layout({
    title: "Connect your account",
    name: "consent",
    body: html`<h1>Connect your ${bankName} account</h1>
<div class="who">Signed in as <strong id="user">${options.name}</strong>. ${
      signOutForm(options.session, options.authRequestId, `Not ${options.name}?`)
    }</div>
${
      options.askAgain === true
        ? html`<p class="notice" role="status" id="ask-again">We could not confirm your answer with our banking partner, so we checked: it was not recorded. Please choose again.</p>`
        : html``
    }
<p>An app you use wants to connect to your account through <strong>Plaid</strong>. If you allow it, Plaid and that app can see:</p>
<ul class="scopes">
${shared.map(([what, detail]) => html`<li><strong>${what}</strong>: ${detail}</li>`)}
</ul>
<p class="small">They never see your password. Your account's Connected apps page lists every app you have connected.</p>
<form method="post" action="/plaid/decision">
${csrfField(options.session)}${requestField(options.authRequestId)}
<div class="actions">
<button type="submit" name="decision" value="allow" class="primary">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</div>
</form>`
  })
})

/** The words and the status of each {@link Problem}. */
const problems: {
  readonly [P in Problem]: { readonly status: number; readonly title: string; readonly text: string }
} = {
  "invalid-link": {
    status: 400,
    title: "This link is not complete",
    text: "The link that brought you here has no valid connection request in it. " +
      "Go back to the app you were connecting and start again."
  },
  "unknown-request": {
    status: 404,
    title: "We can't find this connection request",
    text: "Nothing was shared. Go back to the app you were connecting and start again."
  },
  expired: {
    status: 410,
    title: "This connection request has expired",
    text: "A connection request lasts only a few minutes. Nothing was shared. " +
      "Go back to the app you were connecting and start again."
  },
  "already-answered": {
    status: 409,
    title: "This connection request was already answered",
    text: "It was allowed or denied before, perhaps in another window, and that answer stands. " +
      "To connect again, start again from the app."
  },
  "already-connected": {
    status: 409,
    title: "This connection is already complete",
    text:
      "Plaid has already finished connecting with this request. Your connected apps are listed under Connected apps."
  },
  recorded: {
    status: 502,
    title: "Your answer was recorded, but we couldn't take you back to Plaid",
    text: "Go back to the app you were connecting and start again. " +
      "Nothing is shared until Plaid completes a connection."
  },
  unconfirmed: {
    status: 503,
    title: "We couldn't confirm your answer",
    text: "Our banking partner did not answer in time, and we could not check whether your answer was recorded. " +
      "Go back to the app you were connecting and start again. " +
      "Connected apps always lists every app that can see your data."
  },
  unavailable: {
    status: 503,
    title: "We couldn't reach our banking partner",
    text: "Nothing was recorded or shared. Please try again in a moment."
  },
  "not-completed": {
    status: 500,
    title: "We couldn't complete this connection",
    text: "Nothing was shared. Go back to the app you were connecting and try again later; " +
      `if it keeps happening, contact ${bankName} support.`
  },
  "form-expired": {
    status: 403,
    title: "This page has expired",
    text: "For your security, we only accept a form from the page we just showed you. Please start again."
  }
}

/** The error page of a {@link Problem}; with a way to try again when trying again can help. */
export const problemPage = (problem: Problem, authRequestId?: string): Page => {
  const { status, text, title } = problems[problem]
  const retry = authRequestId !== undefined && (problem === "unavailable" || problem === "form-expired")
  return {
    status,
    body: layout({
      title,
      name: "problem",
      attributes: html` data-problem="${problem}"`,
      body: html`<h1>${title}</h1>
<p id="explanation">${text}</p>
${retry ? html`<p><a class="button primary" href="${authenticateUrl(authRequestId)}">Try again</a></p>` : html``}
${authRequestId === undefined ? html`` : html`<p class="small">Request <code>${authRequestId}</code></p>`}`
    })
  }
}

const dateFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" })

const time = (at: DateTime.Utc) =>
  html`<time datetime="${DateTime.formatIso(at)}">${DateTime.formatIntl(at, dateFormat)} UTC</time>`

const typeLabel = (type: FdxToken["tokenType"]): string =>
  type === "ACCESS" ? "Access" : type === "REFRESH" ? "Refresh" : type

/** A token's status as the customer reads it: an `ENABLED` token past its expiry time is expired. */
const statusLabel = (token: FdxToken, now: DateTime.Utc): string => {
  switch (token.status) {
    case "ENABLED":
      return DateTime.lessThanOrEqualTo(token.tokenExpiryTime, now) ? "Expired" : "Active"
    case "REVOKED":
      return "Revoked"
    case "USED":
      return "Renewed"
    default:
      return `Unknown (${token.status})`
  }
}

const newestFirst = Order.reverse(Order.mapInput(DateTime.Order, (token: FdxToken) => token.creationTime))

/**
 * The connected-apps page: the customer's FDX tokens, newest first. There is
 * no endpoint to revoke one, so the page sends the customer to support.
 */
export const connectedAppsPage = (options: {
  readonly session: Session
  readonly name: string
  readonly tokens: ReadonlyArray<FdxToken>
  readonly now: DateTime.Utc
}): Page => {
  const rows = Arr.sort(options.tokens, newestFirst).map((token) =>
    html`<tr data-token-id="${token.id}" data-token-type="${token.tokenType}" data-status="${token.status}">
<td>${typeLabel(token.tokenType)}</td><td>${statusLabel(token, options.now)}</td><td>${
      time(token.creationTime)
    }</td><td>${time(token.tokenExpiryTime)}</td>
</tr>`
  )
  return {
    status: 200,
    body: layout({
      title: "Connected apps",
      name: "connected-apps",
      body: html`<h1>Connected apps</h1>
<div class="who">Signed in as <strong id="user">${options.name}</strong>. ${
        signOutForm(options.session, undefined, "Sign out")
      }</div>
<p>Apps connected to your account through Plaid. Each connection has an access token, which the app reads your data with, and a refresh token, which renews it.</p>
${
        rows.length === 0
          ? html`<p id="no-apps">No apps are connected to your account.</p>`
          : html`<table>
<thead><tr><th scope="col">Token</th><th scope="col">Status</th><th scope="col">Created</th><th scope="col">Expires</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`
      }
<p class="small">To disconnect an app, contact ${bankName} support.</p>`
    })
  }
}
