/**
 * The example's server: the `HttpApi` handlers, the page and its scripts, and
 * the layer that serves them all.
 */
import { HttpApiBuilder, type HttpApp, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Effect, Layer, Option } from "effect"
import { isTransient, Synctera, type SyncteraError } from "effect-synctera"
import { readFileSync } from "node:fs"
import { Accounts } from "./Accounts.js"
import {
  Authentication,
  CardNotFound,
  CardUnavailable,
  type CardWidget,
  CardWidgetsApi,
  CurrentUser,
  Me,
  session,
  tokenTypeOf,
  TryAgainLater,
  Unauthorized,
  WidgetGrant
} from "./Api.js"
import { assetNameOf, pageSettingsConfig, widgetOrigin, widgetScriptUrl } from "./Settings.js"

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

/** The cards group: the ownership check, then one widget token of the widget's type. */
const CardsLive = HttpApiBuilder.group(CardWidgetsApi, "cards", (handlers) =>
  Effect.gen(function*() {
    const accounts = yield* Accounts
    const synctera = yield* Synctera
    const settings = yield* pageSettingsConfig
    return handlers
      .handle("widgetToken", ({ path: { cardId, widget } }) =>
        Effect.gen(function*() {
          const user = yield* CurrentUser
          yield* Effect.annotateCurrentSpan("app.user_id", user.id)
          // Ownership first: a card that is not the user's gets the same 404
          // whether it exists or not, and Synctera is never asked about it.
          if (!(yield* accounts.owns(user.id, cardId))) {
            return yield* new CardNotFound({ cardId })
          }
          // A fresh token on every call, with a fresh idempotency key (the
          // client's default): a token works once and expires in 5 minutes,
          // so a replayed answer would be a dead token.
          const token = yield* synctera.getWidgetToken({ cardId, widgetType: tokenTypeOf[widget] }).pipe(
            Effect.catchAll(toBrowserError(cardId))
          )
          return new WidgetGrant({
            cardId,
            widget,
            widgetToken: token.widgetToken,
            environment: settings.environment
          })
        }).pipe(
          Effect.withSpan("CardWidgets.widgetToken", { attributes: { "app.card_id": cardId, "app.widget": widget } })
        ))
      .handle("me", () =>
        Effect.flatMap(
          CurrentUser,
          (user) => Effect.map(accounts.cardsOf(user.id), (cardIds) => new Me({ name: user.name, cardIds }))
        ))
  }))

/** The demo sign-in: a stand-in for the app's real one. */
const DemoLive = HttpApiBuilder.group(CardWidgetsApi, "demo", (handlers) =>
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

/** The local stand-ins for Synctera's widget scripts, by widget. */
export const standInPath = (widget: CardWidget): string => `widgets/${assetNameOf[widget]}/index.js`

const widgets: ReadonlyArray<CardWidget> = ["activate-card", "set-pin", "reveal-pin"]

/** A URL on this server: a path, not an origin's (`Settings.ts` refuses `//host` paths). */
const isPath = (url: string): url is `/${string}` => url.startsWith("/")

/** For a value put into an HTML attribute. */
const escapeAttribute = (value: string) =>
  value.replaceAll("&", "&amp;").replaceAll("\"", "&quot;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")

/**
 * The page and its scripts, read once at startup. When the widget scripts are
 * configured at a path on this server (`WIDGET_ASSETS_URL=/widgets`), the
 * local stand-ins are served there, at the URLs the real scripts would have;
 * otherwise this server serves no widget script at all.
 */
const PageLive = HttpApiBuilder.Router.use((router) =>
  Effect.gen(function*() {
    const settings = yield* pageSettingsConfig
    const values: Record<string, string> = {
      "%ACTIVATE_CARD_SCRIPT%": widgetScriptUrl(settings, "activate-card"),
      "%SET_PIN_SCRIPT%": widgetScriptUrl(settings, "set-pin"),
      "%REVEAL_PIN_SCRIPT%": widgetScriptUrl(settings, "reveal-pin"),
      "%PIN_AUTO_HIDE_SECONDS%": String(settings.pinAutoHideSeconds)
    }
    const page = asset("index.html").replace(/%[A-Z_]+%/g, (key) => escapeAttribute(values[key] ?? key))
    const js = (body: string) => HttpServerResponse.text(body, { contentType: "text/javascript; charset=utf-8" })
    yield* router.get("/", HttpServerResponse.html(page))
    yield* router.get("/app.js", Effect.succeed(js(asset("app.js"))))
    yield* router.get(
      "/app.css",
      Effect.succeed(HttpServerResponse.text(asset("app.css"), { contentType: "text/css" }))
    )
    for (const widget of widgets) {
      const url = widgetScriptUrl(settings, widget)
      if (isPath(url)) yield* router.get(url, Effect.succeed(js(asset(standInPath(widget)))))
    }
  })
)

/**
 * Security headers on every answer. The Content-Security-Policy lets the page
 * run only scripts of its own origin and of the widgets' assets host (when it
 * is elsewhere), and frame only that host: Synctera's widgets put the card's
 * fields and the PIN in frames of their own. Styles and everything else come
 * from this origin only. API answers are `no-store`: a widget token works
 * once and lives minutes.
 */
const SecurityHeadersLive = HttpApiBuilder.middleware(
  Effect.map(pageSettingsConfig, (settings) => {
    const origin = widgetOrigin(settings)
    const widgetSource = origin === undefined ? "" : ` ${origin}`
    const csp = `default-src 'self'; script-src 'self'${widgetSource}; frame-src 'self'${widgetSource}; ` +
      `connect-src 'self'${widgetSource}; object-src 'none'; base-uri 'none'; frame-ancestors 'none'`
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
  Layer.provide(HttpApiBuilder.api(CardWidgetsApi)),
  Layer.provide([CardsLive, DemoLive]),
  Layer.provide(AuthenticationLive)
)
