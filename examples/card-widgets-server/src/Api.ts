/**
 * The example's HTTP API, as an `HttpApi`: the endpoint that a signed-in
 * cardholder's browser calls to get a widget token for one of *their* cards,
 * one per widget it mounts, and a demo sign-in.
 *
 * The errors are the app's own: nothing of Synctera's answer (its error codes,
 * its request ids, whether a card exists at all) reaches the browser.
 */
import {
  HttpApi,
  HttpApiEndpoint,
  HttpApiGroup,
  HttpApiMiddleware,
  HttpApiSchema,
  HttpApiSecurity
} from "@effect/platform"
import { Context, Schema } from "effect"
import type { CardWidgetType } from "effect-synctera"

/** The signed-in user, provided to the handlers by {@link Authentication}. */
export class CurrentUser extends Context.Tag("card-widgets/CurrentUser")<CurrentUser, {
  readonly id: string
  readonly name: string
}>() {}

/** No session, or an unknown one. */
export class Unauthorized extends Schema.TaggedError<Unauthorized>()(
  "Unauthorized",
  {},
  HttpApiSchema.annotations({ status: 401 })
) {}

/** The card is not one of the user's: the same answer whether it exists or not. */
export class CardNotFound extends Schema.TaggedError<CardNotFound>()(
  "CardNotFound",
  { cardId: Schema.String },
  HttpApiSchema.annotations({ status: 404 })
) {}

/** Synctera will not make a token for this card (terminated, suspended, …). */
export class CardUnavailable extends Schema.TaggedError<CardUnavailable>()(
  "CardUnavailable",
  { cardId: Schema.String },
  HttpApiSchema.annotations({ status: 409 })
) {}

/** Synctera is unavailable for now (after the client's own retries). */
export class TryAgainLater extends Schema.TaggedError<TryAgainLater>()(
  "TryAgainLater",
  {},
  HttpApiSchema.annotations({ status: 503 })
) {}

/** The session cookie: `HttpOnly`, `SameSite=Strict`, so another site cannot make the browser call the API. */
export const session = HttpApiSecurity.apiKey({ in: "cookie", key: "session" })

/** Resolves the session cookie to the {@link CurrentUser}. */
export class Authentication extends HttpApiMiddleware.Tag<Authentication>()("card-widgets/Authentication", {
  failure: Unauthorized,
  provides: CurrentUser,
  security: { session }
}) {}

/**
 * The Synctera widgets the page mounts, by their element names. There is no
 * reveal-card (PAN/CVV) widget: Synctera has not shipped one.
 */
export const CardWidget = Schema.Literal("activate-card", "set-pin", "reveal-pin")

/** One of the Synctera widgets the page mounts. */
export type CardWidget = typeof CardWidget.Type

/**
 * The widget token type each widget takes: a token is made for one widget, so
 * a `GET_PIN` token cannot set a PIN.
 */
export const tokenTypeOf: { readonly [W in CardWidget]: CardWidgetType } = {
  "activate-card": "ACTIVATE",
  "set-pin": "SET_PIN",
  "reveal-pin": "GET_PIN"
}

/** What the browser gets: the token for one widget mount, and the environment the widget must use. */
export class WidgetGrant extends Schema.Class<WidgetGrant>("WidgetGrant")({
  cardId: Schema.String,
  widget: CardWidget,
  widgetToken: Schema.String,
  environment: Schema.Literal("sandbox", "production")
}) {}

/**
 * `POST /api/cards/:cardId/widget-token/:widget`: one fresh token for one
 * mount of one widget. POST, so that no cache or prefetch ever holds a token;
 * the widget in the path (not a token type), so that the browser cannot ask for
 * a type the page has no widget for, such as `REVEAL`.
 */
export const widgetToken = HttpApiEndpoint.post("widgetToken", "/api/cards/:cardId/widget-token/:widget")
  .setPath(Schema.Struct({ cardId: Schema.String, widget: CardWidget }))
  .addSuccess(WidgetGrant)
  .addError(CardNotFound)
  .addError(CardUnavailable)
  .addError(TryAgainLater)

/** The signed-in user, for the page: their name and their cards' ids. */
export class Me extends Schema.Class<Me>("Me")({
  name: Schema.String,
  cardIds: Schema.Array(Schema.String)
}) {}

/** The cards of the signed-in user. */
export class CardsApi extends HttpApiGroup.make("cards")
  .add(widgetToken)
  .add(HttpApiEndpoint.get("me", "/api/me").addSuccess(Me))
  .middleware(Authentication)
{}

/** A stand-in for the app's real sign-in: sets the session cookie of a demo user. */
export class DemoSignInApi extends HttpApiGroup.make("demo")
  .add(
    HttpApiEndpoint.post("signIn", "/demo/sign-in/:user")
      .setPath(Schema.Struct({ user: Schema.String }))
      .addSuccess(Schema.Struct({ user: Schema.String }))
      .addError(Unauthorized)
  )
{}

/** The whole API. */
export class CardWidgetsApi extends HttpApi.make("card-widgets").add(CardsApi).add(DemoSignInApi) {}
