/**
 * The server: the handlers of the `HttpApi`, its stylesheet, the security
 * headers, and the layer that serves them all.
 *
 * Every form is CSRF-safe three ways: the session cookie is
 * `SameSite=Strict` (another site's form posts without it), every form
 * carries the session's token (compared in constant time), and a browser that
 * says the form came from another site (`Sec-Fetch-Site`) is refused. All of
 * it is checked before Synctera is asked anything.
 */
import { HttpApiBuilder, type HttpApp, type HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Chunk, DateTime, Effect, Layer, Option, Redacted, Schema, Stream } from "effect"
import { FdxAuthRequestId, isTransient, Synctera } from "effect-synctera"
import { readFileSync } from "node:fs"
import { type Account, Accounts } from "./Accounts.js"
import { CoreExchangeLoginApi } from "./Api.js"
import { decide, type Decision } from "./Decision.js"
import {
  authenticateUrl,
  connectedAppsPage,
  consentPage,
  maxSignInAttempts,
  type Page,
  problemPage,
  signInPage
} from "./Pages.js"
import { isSessionToken, type Session, sessionCookie, Sessions } from "./Sessions.js"
import { loginSettingsConfig } from "./Settings.js"

type Response = HttpServerResponse.HttpServerResponse

/** An `auth_request_id` from the browser, if it is one: a UUID. */
const requestIdOf = (value: string | undefined): Option.Option<string> =>
  Schema.decodeUnknownOption(FdxAuthRequestId)(value)

/** What the handlers share: sessions, accounts, Synctera, the settings, and the answers they make. */
const Shared = Effect.gen(function*() {
  const sessions = yield* Sessions
  const accounts = yield* Accounts
  const synctera = yield* Synctera
  const settings = yield* loginSettingsConfig
  const cookieOptions = { httpOnly: true, sameSite: "strict", secure: settings.secureCookies, path: "/" } as const

  /** Sets the session cookie on an answer. */
  const withCookie = (response: Response, session: Session): Effect.Effect<Response> =>
    // The id is base64url, a valid cookie value: this cannot fail.
    Effect.orDie(HttpServerResponse.setCookie(response, sessionCookie, Redacted.value(session.id), cookieOptions))

  /** Expires the session cookie, set with the same attributes. */
  const withoutCookie = (response: Response): Response =>
    HttpServerResponse.expireCookie(response, sessionCookie, cookieOptions)

  /** A page; with the cookie of `newSession` when there is one. */
  const respond = (page: Page, newSession?: Session): Effect.Effect<Response> => {
    const response = HttpServerResponse.text(page.body.value, {
      status: page.status,
      contentType: "text/html; charset=utf-8"
    })
    return newSession === undefined ? Effect.succeed(response) : withCookie(response, newSession)
  }

  /** A `303` to one of this server's pages, after a form. */
  const seeOther = (path: string): Response => HttpServerResponse.redirect(path, { status: 303 })

  /** The browser's session, if its cookie names one. */
  const current = (request: HttpServerRequest.HttpServerRequest): Effect.Effect<Option.Option<Session>> => {
    const id = request.cookies[sessionCookie]
    return id === undefined ? Effect.succeedNone : sessions.get(id)
  }

  /** The browser's session, or a new one, whose cookie the answer must set (`isNew`). */
  const currentOrNew = (request: HttpServerRequest.HttpServerRequest) =>
    Effect.flatMap(current(request), (found) =>
      Option.match(found, {
        onSome: (session) => Effect.succeed({ session, isNew: false }),
        onNone: () => Effect.map(sessions.start, (session) => ({ session, isNew: true }))
      }))

  /**
   * The session of a form: the browser's, if the form carries its token and
   * the browser does not say the form came from elsewhere. A browser that
   * sends no `Sec-Fetch-Site` is checked by the cookie and the token alone.
   */
  const formSession = (
    request: HttpServerRequest.HttpServerRequest,
    token: string
  ): Effect.Effect<Option.Option<Session>> => {
    const site = request.headers["sec-fetch-site"]
    if (site !== undefined && site !== "same-origin") return Effect.succeedNone
    return Effect.map(current(request), Option.filter((session) => isSessionToken(session, token)))
  }

  /** The signed-in user of a session. */
  const accountOf = (session: Session): Effect.Effect<Option.Option<Account>> =>
    Option.match(session.userId, { onNone: () => Effect.succeedNone, onSome: accounts.byId })

  /** Tells Synctera the decision (step 4); the browser's answer. */
  const decideAndAnswer = (
    decision: Decision,
    session: Session,
    account: Option.Option<Account>
  ): Effect.Effect<Response> =>
    decide(decision, settings).pipe(
      Effect.provideService(Synctera, synctera),
      Effect.flatMap((outcome) => {
        switch (outcome._tag) {
          case "Redirect":
            return Effect.succeed(HttpServerResponse.redirect(outcome.uri, { status: 302 }))
          case "AskAgain":
            return respond(
              Option.match(account, {
                onSome: (user) =>
                  consentPage({ session, authRequestId: decision.authRequestId, name: user.name, askAgain: true }),
                // Nobody signed in (a Cancel, failed sign-ins): all there is to ask again is the sign-in.
                onNone: () => signInPage({ session, authRequestId: decision.authRequestId })
              })
            )
          case "Failed":
            return respond(problemPage(outcome.problem, decision.authRequestId))
        }
      })
    )

  return {
    sessions,
    accounts,
    synctera,
    respond,
    withCookie,
    withoutCookie,
    seeOther,
    currentOrNew,
    formSession,
    accountOf,
    decideAndAnswer
  }
})

/** The login: the Authentication URI, the sign-in, the decision, the sign-out. */
const LoginLive = HttpApiBuilder.group(CoreExchangeLoginApi, "login", (handlers) =>
  Effect.gen(function*() {
    const {
      accountOf,
      accounts,
      currentOrNew,
      decideAndAnswer,
      formSession,
      respond,
      seeOther,
      sessions,
      withCookie,
      withoutCookie
    } = yield* Shared
    return handlers
      // Step 2: Plaid Link brings the customer here. Step 3: sign in, then consent.
      .handle("authenticate", ({ request, urlParams }) =>
        Effect.gen(function*() {
          const authRequestId = requestIdOf(urlParams.auth_request_id)
          if (Option.isNone(authRequestId)) return yield* respond(problemPage("invalid-link"))
          const { isNew, session } = yield* currentOrNew(request)
          const account = yield* accountOf(session)
          const page = Option.match(account, {
            onNone: () => signInPage({ session, authRequestId: authRequestId.value }),
            onSome: (user) => consentPage({ session, authRequestId: authRequestId.value, name: user.name })
          })
          return yield* respond(page, isNew ? session : undefined)
        }))
      .handle("signIn", ({ payload, request }) =>
        Effect.gen(function*() {
          const authRequestId = requestIdOf(payload.auth_request_id)
          if (payload.auth_request_id !== undefined && Option.isNone(authRequestId)) {
            return yield* respond(problemPage("invalid-link"))
          }
          const found = yield* formSession(request, payload.csrf)
          if (Option.isNone(found)) {
            return yield* respond(problemPage("form-expired", Option.getOrUndefined(authRequestId)))
          }
          const session = found.value
          if (payload.action === "cancel") {
            // The customer chose not to sign in: DENIED, for nobody.
            return Option.isSome(authRequestId)
              ? yield* decideAndAnswer({ authRequestId: authRequestId.value, status: "DENIED" }, session, Option.none())
              : seeOther("/connected-apps")
          }
          const account = yield* accounts.authenticate(payload.username ?? "", payload.password ?? "")
          if (Option.isSome(account)) {
            const signedIn = yield* sessions.signIn(session, account.value.id)
            const next = Option.match(authRequestId, { onNone: () => "/connected-apps", onSome: authenticateUrl })
            return yield* withCookie(seeOther(next), signedIn)
          }
          const failures = yield* sessions.failedSignIn(session)
          if (Option.isSome(authRequestId) && failures >= maxSignInAttempts) {
            // The customer could not sign in: Synctera documents DENIED for that too.
            yield* Effect.logInfo("too many failed sign-ins: reporting the request DENIED")
            return yield* decideAndAnswer(
              { authRequestId: authRequestId.value, status: "DENIED" },
              session,
              Option.none()
            )
          }
          return yield* respond(signInPage({
            session,
            authRequestId: Option.getOrUndefined(authRequestId),
            attemptsLeft: Math.max(0, maxSignInAttempts - failures),
            username: payload.username
          }))
        }))
      // Step 4: Allow or Deny, told to Synctera; the browser follows its redirect_uri.
      .handle("decision", ({ payload, request }) =>
        Effect.gen(function*() {
          const authRequestId = requestIdOf(payload.auth_request_id)
          if (Option.isNone(authRequestId)) return yield* respond(problemPage("invalid-link"))
          const session = yield* formSession(request, payload.csrf)
          const account = Option.isSome(session) ? yield* accountOf(session.value) : Option.none()
          // A form of another session, or of one that was signed out since.
          if (Option.isNone(session) || Option.isNone(account)) {
            return yield* respond(problemPage("form-expired", authRequestId.value))
          }
          yield* Effect.annotateCurrentSpan("app.user_id", account.value.id)
          return yield* decideAndAnswer(
            {
              authRequestId: authRequestId.value,
              status: payload.decision === "allow" ? "GRANTED" : "DENIED",
              customerId: account.value.customerId
            },
            session.value,
            account
          )
        }))
      .handle("signOut", ({ payload, request }) =>
        Effect.gen(function*() {
          const authRequestId = requestIdOf(payload.auth_request_id)
          const session = yield* formSession(request, payload.csrf)
          if (Option.isNone(session)) {
            return yield* respond(problemPage("form-expired", Option.getOrUndefined(authRequestId)))
          }
          yield* sessions.end(session.value)
          const next = Option.match(authRequestId, { onNone: () => "/connected-apps", onSome: authenticateUrl })
          return withoutCookie(seeOther(next))
        }))
  }))

/** The customer's connected apps: their FDX tokens. */
const AccountLive = HttpApiBuilder.group(CoreExchangeLoginApi, "account", (handlers) =>
  Effect.gen(function*() {
    const { accountOf, currentOrNew, respond, synctera } = yield* Shared
    return handlers.handle("connectedApps", ({ request }) =>
      Effect.gen(function*() {
        const { isNew, session } = yield* currentOrNew(request)
        const account = yield* accountOf(session)
        if (Option.isNone(account)) return yield* respond(signInPage({ session }), isNew ? session : undefined)
        const customerId = account.value.customerId.toLowerCase()
        yield* Effect.annotateCurrentSpan("app.user_id", account.value.id)
        // The tenant's tokens, page by page, keeping only this customer's: the
        // pages are not all held in memory, only the matches.
        const tokens = yield* synctera.streamFdxTokens().pipe(
          Stream.filter((token) => token.customerId?.toLowerCase() === customerId),
          Stream.runCollect,
          Effect.map(Chunk.toReadonlyArray),
          Effect.either
        )
        if (tokens._tag === "Left") {
          const error = tokens.left
          const transient = isTransient(error) || error._tag === "Timeout"
          yield* transient
            ? Effect.logWarning("Synctera unavailable", error.message)
            : Effect.logError("listing FDX tokens failed", error.message)
          return yield* respond(problemPage(transient ? "unavailable" : "not-completed"))
        }
        const now = yield* DateTime.now
        return yield* respond(connectedAppsPage({ session, name: account.value.name, tokens: tokens.right, now }))
      }).pipe(Effect.withSpan("CoreExchange.connectedApps")))
  }))

const stylesheet = readFileSync(new URL("../public/app.css", import.meta.url), "utf8")

/** The stylesheet, and `/` (to the connected apps). */
const AssetsLive = HttpApiBuilder.Router.use((router) =>
  Effect.gen(function*() {
    yield* router.get(
      "/assets/app.css",
      Effect.succeed(HttpServerResponse.text(stylesheet, { contentType: "text/css" }))
    )
    yield* router.get("/", Effect.succeed(HttpServerResponse.redirect("/connected-apps", { status: 303 })))
  })
)

/**
 * Security headers on every answer. The Content-Security-Policy allows no
 * script at all (the pages have none), styles from this origin only, and
 * forms that post here, and whose redirect goes where a grant may send the
 * browser (`REDIRECT_ORIGINS`): browsers check a form's redirects against
 * `form-action` too. No framing (`frame-ancestors`, `X-Frame-Options`): a
 * consent page in someone else's frame is how clickjacking gets an Allow.
 * No `Cross-Origin-Opener-Policy`: Plaid Link may open this page in a
 * window of its own and follow it to the end of the flow. Nothing is cached:
 * the pages carry a CSRF token and the customer's data.
 */
const SecurityHeadersLive = HttpApiBuilder.middleware(
  Effect.map(loginSettingsConfig, (settings) => {
    const csp = [
      "default-src 'none'",
      "style-src 'self'",
      `form-action 'self' ${settings.redirectOrigins.join(" ")}`,
      "frame-ancestors 'none'",
      "base-uri 'none'"
    ].join("; ")
    return (app: HttpApp.Default) =>
      Effect.map(app, (response) =>
        HttpServerResponse.setHeaders(response, {
          "content-security-policy": csp,
          "x-frame-options": "DENY",
          "x-content-type-options": "nosniff",
          "referrer-policy": "no-referrer",
          "cache-control": "no-store"
        }))
  })
)

/**
 * The whole app, served on the `HttpServer` in context; needs `Synctera`,
 * `Accounts` and `Sessions`.
 */
export const AppLive = HttpApiBuilder.serve().pipe(
  Layer.provide(SecurityHeadersLive),
  Layer.provide(AssetsLive),
  Layer.provide(HttpApiBuilder.api(CoreExchangeLoginApi)),
  Layer.provide([LoginLive, AccountLive])
)
