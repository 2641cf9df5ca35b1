/**
 * The example's HTTP API, as an `HttpApi`: one endpoint that a signed-in
 * user's browser calls to get a `REVEAL` widget token for one of *their*
 * cards, and a demo sign-in.
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

/** The signed-in user, provided to the handlers by {@link Authentication}. */
export class CurrentUser extends Context.Tag("card-reveal/CurrentUser")<CurrentUser, {
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

/** The card cannot be revealed (terminated, suspended, …). */
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
export class Authentication extends HttpApiMiddleware.Tag<Authentication>()("card-reveal/Authentication", {
  failure: Unauthorized,
  provides: CurrentUser,
  security: { session }
}) {}

/** What the browser gets: the token for one widget mount, and the environment the widget must use. */
export class RevealToken extends Schema.Class<RevealToken>("RevealToken")({
  cardId: Schema.String,
  widgetToken: Schema.String,
  environment: Schema.Literal("sandbox", "production")
}) {}

/** `POST /api/cards/:cardId/reveal-token`: POST, so that no cache or prefetch ever holds a token. */
export const revealToken = HttpApiEndpoint.post("revealToken", "/api/cards/:cardId/reveal-token")
  .setPath(Schema.Struct({ cardId: Schema.String }))
  .addSuccess(RevealToken)
  .addError(CardNotFound)
  .addError(CardUnavailable)
  .addError(TryAgainLater)

/** The cards of the signed-in user. */
export class CardsApi extends HttpApiGroup.make("cards")
  .add(revealToken)
  .add(
    HttpApiEndpoint.get("myCards", "/api/cards").addSuccess(Schema.Array(Schema.String))
  )
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
export class CardRevealApi extends HttpApi.make("card-reveal").add(CardsApi).add(DemoSignInApi) {}
