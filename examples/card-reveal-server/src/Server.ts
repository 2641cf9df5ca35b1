/**
 * The example's server: the `HttpApi` handlers, the page and its scripts, and
 * the layer that serves them all.
 */
import { HttpApiBuilder, type HttpApp, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Config, Effect, Layer, Option } from "effect"
import { isTransient, Synctera, type SyncteraError } from "effect-synctera"
import { readFileSync } from "node:fs"
import { Accounts } from "./Accounts.js"
import {
  Authentication,
  CardNotFound,
  CardRevealApi,
  CardUnavailable,
  CurrentUser,
  RevealToken,
  session,
  TryAgainLater,
  Unauthorized
} from "./Api.js"

/**
 * What the page needs to know: the Synctera environment its widget must use,
 * and where Synctera's widget script is. In production that is Synctera's
 * assets host; by default it is the local stand-in in `public/widgets/`, so
 * the page loads only local scripts.
 */
export interface PageSettings {
  readonly environment: "sandbox" | "production"
  readonly widgetScriptUrl: string
  /** Whether the session cookie is `Secure`; `false` only for plain HTTP on loopback. */
  readonly secureCookies: boolean
}

/** Reads {@link PageSettings}: `SYNCTERA_ENVIRONMENT`, `WIDGET_SCRIPT_URL`, `SECURE_COOKIES`. */
export const pageSettingsConfig: Config.Config<PageSettings> = Config.all({
  environment: Config.literal("sandbox", "production")("SYNCTERA_ENVIRONMENT").pipe(Config.withDefault("sandbox")),
  widgetScriptUrl: Config.string("WIDGET_SCRIPT_URL").pipe(Config.withDefault("/widgets/synctera-widgets.js")),
  secureCookies: Config.boolean("SECURE_COOKIES").pipe(Config.withDefault(true))
})

/**
 * Maps what Synctera answered to what the browser may know. A card that
 * Synctera refuses is "unavailable"; an outage that outlived the client's own
 * retries is "try again later"; anything else (a wrong API key, an unreadable
 * answer) is this server's problem: logged, and answered as a 500. None of
 * Synctera's detail reaches the browser.
 */
const toBrowserError =
  (cardId: string) => (error: SyncteraError): Effect.Effect<never, CardUnavailable | TryAgainLater> => {
    switch (error._tag) {
      case "NotFound":
      case "Forbidden":
      case "Unprocessable":
        return Effect.zipRight(
          Effect.logWarning("card refused by Synctera", error.message),
          Effect.fail(new CardUnavailable({ cardId }))
        )
      default:
        return isTransient(error) || error._tag === "Timeout"
          ? Effect.zipRight(Effect.logWarning("Synctera unavailable", error.message), Effect.fail(new TryAgainLater()))
          : Effect.zipRight(Effect.logError("widget token failed", error.message), Effect.die(error))
    }
  }

/** The cards group: the ownership check, then one `REVEAL` widget token. */
const CardsLive = HttpApiBuilder.group(CardRevealApi, "cards", (handlers) =>
  Effect.gen(function*() {
    const accounts = yield* Accounts
    const synctera = yield* Synctera
    const settings = yield* pageSettingsConfig
    return handlers
      .handle("revealToken", ({ path: { cardId } }) =>
        Effect.gen(function*() {
          const user = yield* CurrentUser
          yield* Effect.annotateCurrentSpan("app.user_id", user.id)
          // Ownership first: a card that is not the user's gets the same 404
          // whether it exists or not, and Synctera is never asked about it.
          if (!(yield* accounts.owns(user.id, cardId))) {
            return yield* new CardNotFound({ cardId })
          }
          const token = yield* synctera.getWidgetToken({ cardId, widgetType: "REVEAL" }).pipe(
            Effect.catchAll(toBrowserError(cardId))
          )
          return new RevealToken({ cardId, widgetToken: token.widgetToken, environment: settings.environment })
        }).pipe(Effect.withSpan("CardReveal.revealToken", { attributes: { "app.card_id": cardId } })))
      .handle("myCards", () => Effect.flatMap(CurrentUser, (user) => accounts.cardsOf(user.id)))
  }))

/** The demo sign-in: a stand-in for the app's real one. */
const DemoLive = HttpApiBuilder.group(CardRevealApi, "demo", (handlers) =>
  Effect.gen(function*() {
    const accounts = yield* Accounts
    const settings = yield* pageSettingsConfig
    return handlers.handle("signIn", ({ path: { user } }) =>
      Effect.flatMap(
        accounts.signIn(user),
        Option.match({
          onNone: () => Effect.fail(new Unauthorized()),
          onSome: (sessionId) =>
            HttpApiBuilder.securitySetCookie(session, sessionId, {
              httpOnly: true,
              sameSite: "strict",
              secure: settings.secureCookies,
              path: "/"
            }).pipe(Effect.as({ user }))
        })
      ))
  }))

/** Resolves the session cookie to the signed-in user. */
const AuthenticationLive = Layer.effect(
  Authentication,
  Effect.map(Accounts, (accounts) =>
    Authentication.of({
      session: (sessionId) =>
        Effect.flatMap(
          accounts.fromSession(sessionId),
          Option.match({
            onNone: () => Effect.fail(new Unauthorized()),
            onSome: (account) => Effect.succeed({ id: account.id, name: account.name })
          })
        )
    }))
)

const publicDir = new URL("../public/", import.meta.url)
const asset = (path: string) => readFileSync(new URL(path, publicDir), "utf8")

/** The page and its scripts, read once at startup. */
const PageLive = HttpApiBuilder.Router.use((router) =>
  Effect.gen(function*() {
    const settings = yield* pageSettingsConfig
    const page = asset("index.html").replace("%WIDGET_SCRIPT_URL%", settings.widgetScriptUrl)
    const app = asset("app.js")
    const standIn = asset("widgets/synctera-widgets.js")
    const js = (body: string) => HttpServerResponse.text(body, { contentType: "text/javascript; charset=utf-8" })
    yield* router.get("/", HttpServerResponse.html(page))
    yield* router.get("/app.js", Effect.succeed(js(app)))
    yield* router.get("/widgets/synctera-widgets.js", Effect.succeed(js(standIn)))
  })
)

/**
 * Security headers on every answer. The Content-Security-Policy lets the page
 * run only scripts of its own origin, plus the widget script's origin when it
 * is elsewhere (Synctera's assets host in production). API answers are
 * `no-store`: a widget token works once and lives minutes.
 */
const SecurityHeadersLive = HttpApiBuilder.middleware(
  Effect.map(pageSettingsConfig, (settings) => {
    const widgetOrigin = URL.canParse(settings.widgetScriptUrl) ? ` ${new URL(settings.widgetScriptUrl).origin}` : ""
    const csp = `default-src 'self'; script-src 'self'${widgetOrigin}; frame-src 'self'${widgetOrigin}; ` +
      `connect-src 'self'${widgetOrigin}; object-src 'none'; base-uri 'none'; frame-ancestors 'none'`
    return (app: HttpApp.Default) =>
      Effect.gen(function*() {
        const request = yield* HttpServerRequest.HttpServerRequest
        const response = yield* app
        return HttpServerResponse.setHeaders(response, {
          "content-security-policy": csp,
          "x-content-type-options": "nosniff",
          "referrer-policy": "no-referrer",
          ...(request.url.startsWith("/api/") ? { "cache-control": "no-store" } : {})
        })
      })
  })
)

/**
 * The whole app, served on the `HttpServer` in context; needs `Synctera` and
 * `Accounts`.
 */
export const AppLive = HttpApiBuilder.serve().pipe(
  Layer.provide(SecurityHeadersLive),
  Layer.provide(PageLive),
  Layer.provide(HttpApiBuilder.api(CardRevealApi)),
  Layer.provide([CardsLive, DemoLive]),
  Layer.provide(AuthenticationLive)
)
