/**
 * The Synctera service: the operations of the Synctera API this package
 * covers (card widget tokens and Plaid Core Exchange), as an Effect 4
 * service.
 *
 * @example
 * ```ts
 * import { Synctera } from "effect-synctera/effect4"
 * import { Effect } from "effect"
 *
 * // Needs a `Synctera` service in context: provide `SyncteraLive` (real HTTP)
 * // or a stand-in (see `SyncteraService`).
 * export const program = Effect.gen(function*() {
 *   const token = yield* Synctera.getWidgetToken({
 *     cardId: "7d943c51-e4ff-4e57-9558-08cab6b963c7",
 *     widgetType: "REVEAL"
 *   })
 *   return token.widgetToken
 * })
 * ```
 *
 * @since 0.3.0
 */
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { pageLimit, pageLimitMessage } from "../../src/core/rules.js"
import type { SyncteraError } from "./errors/SyncteraError.js"
import type { AuthorizationTest } from "./schemas/AuthorizationTest.js"
import { CardWidgetType } from "./schemas/CardWidgetType.js"
import { type FdxAuthGrant, grantOwnerRule, GrantStatus } from "./schemas/FdxAuthGrant.js"
import type { FdxAuthRequest } from "./schemas/FdxAuthRequest.js"
import type { FdxAuthRequestPage, FdxTokenPage } from "./schemas/FdxPages.js"
import type { FdxToken } from "./schemas/FdxToken.js"
import { CardId, FdxTokenId, IdempotencyKey } from "./schemas/Ids.js"
import { BusinessId, CustomerId, FdxAuthRequestId } from "./schemas/PceIds.js"
import type { WidgetToken } from "./schemas/WidgetToken.js"

/**
 * The input of {@link SyncteraService.getWidgetToken}, validated before any
 * request is sent.
 *
 * @example
 * ```ts
 * import { GetWidgetTokenRequest } from "effect-synctera/effect4"
 * import { Schema } from "effect"
 *
 * const checked = Schema.decodeUnknownExit(GetWidgetTokenRequest)({ cardId: "not-a-uuid", widgetType: "REVEAL" })
 * // a failure: "a card id must be a UUID" at ["cardId"]
 * ```
 *
 * @since 0.3.0
 * @category requests
 */
export const GetWidgetTokenRequest = Schema.Struct({
  /** The card the widget is for: a UUID. */
  cardId: CardId,
  /** The widget the token is for. */
  widgetType: CardWidgetType,
  /**
   * The `Idempotency-Key` for this logical call; every retry reuses it. When
   * left out, the client makes a random UUID for the call.
   */
  idempotencyKey: Schema.optional(IdempotencyKey)
}).annotate({ identifier: "GetWidgetTokenRequest" })

/**
 * What a caller passes to {@link SyncteraService.getWidgetToken}: plain
 * strings for the ids, checked at run time.
 *
 * @since 0.3.0
 * @category requests
 */
export type GetWidgetTokenRequest = typeof GetWidgetTokenRequest.Encoded

/**
 * The input of {@link SyncteraService.getFdxToken}, validated before any
 * request is sent.
 *
 * @example
 * ```ts
 * import { GetFdxTokenRequest } from "effect-synctera/effect4"
 * import { Schema } from "effect"
 *
 * const request = Schema.decodeUnknownSync(GetFdxTokenRequest)({ fdxTokenId: "3c90c3cc-0d44-4b50-8888-8dd25736052a" })
 * ```
 *
 * @since 0.3.0
 * @category requests
 */
export const GetFdxTokenRequest = Schema.Struct({
  /** The FDX token to read: a UUID. */
  fdxTokenId: FdxTokenId
}).annotate({ identifier: "GetFdxTokenRequest" })

/**
 * What a caller passes to {@link SyncteraService.getFdxToken}.
 *
 * @since 0.3.0
 * @category requests
 */
export type GetFdxTokenRequest = typeof GetFdxTokenRequest.Encoded

/**
 * The size of one page of a list: an integer from 1 to 100 (Synctera's
 * default and largest page is 100).
 *
 * @example
 * ```ts
 * import { PageLimit } from "effect-synctera/effect4"
 * import { Schema } from "effect"
 *
 * Schema.is(PageLimit)(50) // true
 * Schema.is(PageLimit)(500) // false: "a page limit must be an integer from 1 to 100"
 * ```
 *
 * @since 0.3.0
 * @category requests
 */
export const PageLimit = Schema.Int.check(
  Schema.isBetween({ minimum: pageLimit.min, maximum: pageLimit.max }, { message: pageLimitMessage })
).annotate({ identifier: "PageLimit" })

/**
 * The input of {@link SyncteraService.listFdxTokens} and
 * {@link SyncteraService.listFdxAuthRequests}: one page, of `limit` items
 * (default 100), after `pageToken` (the `nextPageToken` of the page before;
 * sent as one query value, whatever it holds).
 *
 * @example
 * ```ts
 * import { ListRequest } from "effect-synctera/effect4"
 * import { Schema } from "effect"
 *
 * const request = Schema.decodeUnknownSync(ListRequest)({ limit: 50, pageToken: "a8937a0d" })
 * ```
 *
 * @since 0.3.0
 * @category requests
 */
export const ListRequest = Schema.Struct({
  /** How many items, 1 to 100; Synctera's default is 100. */
  limit: Schema.optional(PageLimit),
  /** Where to start: the `nextPageToken` of the page before; none for the first page. */
  pageToken: Schema.optional(Schema.String)
}).annotate({ identifier: "ListRequest" })

/**
 * What a caller passes to a list operation.
 *
 * @since 0.3.0
 * @category requests
 */
export type ListRequest = typeof ListRequest.Encoded

/**
 * The input of {@link SyncteraService.streamFdxTokens} and
 * {@link SyncteraService.streamFdxAuthRequests}: the page size the stream
 * asks for.
 *
 * @since 0.3.0
 * @category requests
 */
export interface StreamRequest {
  /** How many items each page call asks for, 1 to 100; default 100. */
  readonly limit?: number | undefined
}

/**
 * The input of {@link SyncteraService.grantFdxAuthRequest}, validated before
 * any request is sent: UUIDs for the ids, a known status, and the spec's
 * "one of customer_id or business_id" (exactly one for `GRANTED`, at most one
 * otherwise; see `grantOwnerRule`).
 *
 * @example
 * ```ts
 * import { GrantFdxAuthRequestRequest } from "effect-synctera/effect4"
 * import { Schema } from "effect"
 *
 * const checked = Schema.decodeUnknownExit(GrantFdxAuthRequestRequest)({
 *   authRequestId: "046b6c7f-0b8a-43b9-b35d-6489e6daee91",
 *   status: "GRANTED"
 * })
 * // a failure: "a GRANTED request needs the customerId or businessId it is granted for"
 * ```
 *
 * @since 0.3.0
 * @category requests
 */
export const GrantFdxAuthRequestRequest = Schema.Struct({
  /** The auth request being decided: the `auth_request_id` Plaid Link brought to your login page. */
  authRequestId: FdxAuthRequestId,
  /** `GRANTED` (signed in and agreed), `DENIED` (declined, or could not sign in) or `ERROR`. */
  status: GrantStatus,
  /** The Synctera customer the access is for (personal accounts). */
  customerId: Schema.optional(CustomerId),
  /** The Synctera business the access is for (business accounts). */
  businessId: Schema.optional(BusinessId),
  /**
   * The `Idempotency-Key` of this logical call, the same on every attempt;
   * a random UUID when left out.
   */
  idempotencyKey: Schema.optional(IdempotencyKey)
}).check(Schema.makeFilter(grantOwnerRule)).annotate({ identifier: "GrantFdxAuthRequestRequest" })

/**
 * What a caller passes to {@link SyncteraService.grantFdxAuthRequest}.
 *
 * @since 0.3.0
 * @category requests
 */
export type GrantFdxAuthRequestRequest = typeof GrantFdxAuthRequestRequest.Encoded

/**
 * The operations of the {@link Synctera} service.
 *
 * @example
 * ```ts
 * import { Synctera } from "effect-synctera/effect4"
 * import { Effect, Layer, Stream } from "effect"
 *
 * // A hand-written stand-in for tests.
 * const AlwaysTheSameToken = Layer.succeed(Synctera, Synctera.of({
 *   getWidgetToken: () => Effect.succeed({ tenant: "t", widgetToken: "w" }),
 *   getFdxToken: () => Effect.die("not used here"),
 *   listFdxTokens: () => Effect.die("not used here"),
 *   streamFdxTokens: () => Stream.die("not used here"),
 *   listFdxAuthRequests: () => Effect.die("not used here"),
 *   streamFdxAuthRequests: () => Stream.die("not used here"),
 *   grantFdxAuthRequest: () => Effect.die("not used here"),
 *   getAuthorizationTest: () => Effect.die("not used here")
 * }))
 * ```
 *
 * @since 0.3.0
 * @category models
 */
export interface SyncteraService {
  /**
   * Creates a short-lived, one-time token for one of Synctera's card widgets
   * (`GET /cards/{card_id}/widget_token?widget_type=…`). Safe to retry: every
   * attempt of one call sends the same `Idempotency-Key`.
   */
  readonly getWidgetToken: (request: GetWidgetTokenRequest) => Effect.Effect<WidgetToken, SyncteraError>
  /**
   * Reads an FDX token of Plaid Core Exchange (`GET /fdx_tokens/{fdx_token_id}`).
   */
  readonly getFdxToken: (request: GetFdxTokenRequest) => Effect.Effect<FdxToken, SyncteraError>
  /** One page of the tenant's FDX tokens (`GET /fdx_tokens`). */
  readonly listFdxTokens: (request?: ListRequest) => Effect.Effect<FdxTokenPage, SyncteraError>
  /**
   * Every FDX token, page after page: a page is asked for only when the
   * consumer pulls past the one before.
   */
  readonly streamFdxTokens: (request?: StreamRequest) => Stream.Stream<FdxToken, SyncteraError>
  /** One page of the tenant's FDX authorization requests (`GET /fdx_auth_requests`). */
  readonly listFdxAuthRequests: (request?: ListRequest) => Effect.Effect<FdxAuthRequestPage, SyncteraError>
  /** Every FDX authorization request, page after page, as {@link SyncteraService.streamFdxTokens}. */
  readonly streamFdxAuthRequests: (request?: StreamRequest) => Stream.Stream<FdxAuthRequest, SyncteraError>
  /**
   * Decides an authorization request Plaid sent to your login page
   * (`POST /fdx_auth_requests/authorize`); answer the browser with a 302 to
   * the `redirectUri`. Never applied twice by a retry: retried only when it
   * cannot have been applied; after an ambiguous failure the error has
   * `maybeApplied: true` (see the README).
   */
  readonly grantFdxAuthRequest: (request: GrantFdxAuthRequestRequest) => Effect.Effect<FdxAuthGrant, SyncteraError>
  /**
   * Sandbox only: creates an authorization request and gives the URL that
   * starts it at your Authentication URI (`GET /fdx_auth_requests/authorization_test`).
   */
  readonly getAuthorizationTest: () => Effect.Effect<AuthorizationTest, SyncteraError>
}

/**
 * The Synctera service (an Effect 4 `Context.Service`, key
 * `"effect-synctera/Synctera"`). Provide it with `SyncteraLive` (real HTTP),
 * `SyncteraTest` (in memory) or `Layer.succeed(Synctera, Synctera.of({ … }))`.
 *
 * Effect 4 services have no generated accessors; these static ones are
 * written out, with the same names and types as the Effect 3 line's: each
 * calls the service in context (`Synctera.getWidgetToken(request)` is
 * `Synctera.use((synctera) => synctera.getWidgetToken(request))`).
 *
 * @example
 * ```ts
 * import { Synctera } from "effect-synctera/effect4"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const synctera = yield* Synctera
 *   return yield* synctera.getFdxToken({ fdxTokenId: "3c90c3cc-0d44-4b50-8888-8dd25736052a" })
 * })
 * ```
 *
 * @since 0.3.0
 * @category tags
 */
export class Synctera extends Context.Service<Synctera, SyncteraService>()("effect-synctera/Synctera") {
  /**
   * {@link SyncteraService.getWidgetToken} through the service in context.
   *
   * @example
   * ```ts
   * import { Synctera } from "effect-synctera/effect4"
   * import { Effect } from "effect"
   *
   * const program = Effect.gen(function*() {
   *   const { widgetToken } = yield* Synctera.getWidgetToken({
   *     cardId: "7d943c51-e4ff-4e57-9558-08cab6b963c7",
   *     widgetType: "SET_PIN"
   *   })
   *   return widgetToken
   * })
   * ```
   *
   * @since 0.3.0
   */
  static readonly getWidgetToken = (
    request: GetWidgetTokenRequest
  ): Effect.Effect<WidgetToken, SyncteraError, Synctera> => Synctera.use((synctera) => synctera.getWidgetToken(request))

  /**
   * {@link SyncteraService.getFdxToken} through the service in context.
   *
   * @example
   * ```ts
   * import { Synctera } from "effect-synctera/effect4"
   * import { Effect } from "effect"
   *
   * const isUsable = Synctera.getFdxToken({ fdxTokenId: "3c90c3cc-0d44-4b50-8888-8dd25736052a" }).pipe(
   *   Effect.map((token) => token.status === "ENABLED")
   * )
   * ```
   *
   * @since 0.3.0
   */
  static readonly getFdxToken = (
    request: GetFdxTokenRequest
  ): Effect.Effect<FdxToken, SyncteraError, Synctera> => Synctera.use((synctera) => synctera.getFdxToken(request))

  /**
   * {@link SyncteraService.listFdxTokens} through the service in context.
   *
   * @example
   * ```ts
   * import { Synctera } from "effect-synctera/effect4"
   * import { Effect } from "effect"
   *
   * const firstTwoPages = Effect.gen(function*() {
   *   const first = yield* Synctera.listFdxTokens({ limit: 50 })
   *   if (first.nextPageToken === undefined) return first.fdxTokens
   *   const second = yield* Synctera.listFdxTokens({ limit: 50, pageToken: first.nextPageToken })
   *   return [...first.fdxTokens, ...second.fdxTokens]
   * })
   * ```
   *
   * @since 0.3.0
   */
  static readonly listFdxTokens = (request?: ListRequest): Effect.Effect<FdxTokenPage, SyncteraError, Synctera> =>
    Synctera.use((synctera) => synctera.listFdxTokens(request))

  /**
   * {@link SyncteraService.streamFdxTokens} through the service in context.
   *
   * @example
   * ```ts
   * import { Synctera } from "effect-synctera/effect4"
   * import { Stream } from "effect"
   *
   * // The ENABLED tokens of one customer, whatever the number of pages.
   * const connected = (customerId: string) =>
   *   Synctera.streamFdxTokens().pipe(
   *     Stream.filter((token) => token.customerId === customerId && token.status === "ENABLED"),
   *     Stream.runCollect
   *   )
   * ```
   *
   * @since 0.3.0
   */
  static readonly streamFdxTokens = (request?: StreamRequest): Stream.Stream<FdxToken, SyncteraError, Synctera> =>
    Stream.unwrap(Synctera.useSync((synctera) => synctera.streamFdxTokens(request)))

  /**
   * {@link SyncteraService.listFdxAuthRequests} through the service in context.
   *
   * @example
   * ```ts
   * import { Synctera } from "effect-synctera/effect4"
   * import { Effect } from "effect"
   *
   * const pending = Synctera.listFdxAuthRequests().pipe(
   *   Effect.map((page) => page.fdxAuthRequests.filter((request) => request.status === "PENDING"))
   * )
   * ```
   *
   * @since 0.3.0
   */
  static readonly listFdxAuthRequests = (
    request?: ListRequest
  ): Effect.Effect<FdxAuthRequestPage, SyncteraError, Synctera> =>
    Synctera.use((synctera) => synctera.listFdxAuthRequests(request))

  /**
   * {@link SyncteraService.streamFdxAuthRequests} through the service in context.
   *
   * @example
   * ```ts
   * import { Synctera } from "effect-synctera/effect4"
   * import { Effect, Option, Stream } from "effect"
   *
   * // Where one auth request stands, after an ambiguous grant failure.
   * const statusOf = (authRequestId: string) =>
   *   Synctera.streamFdxAuthRequests().pipe(
   *     Stream.filter((request) => request.id === authRequestId),
   *     Stream.runHead,
   *     Effect.map(Option.map((request) => request.status))
   *   )
   * ```
   *
   * @since 0.3.0
   */
  static readonly streamFdxAuthRequests = (
    request?: StreamRequest
  ): Stream.Stream<FdxAuthRequest, SyncteraError, Synctera> =>
    Stream.unwrap(Synctera.useSync((synctera) => synctera.streamFdxAuthRequests(request)))

  /**
   * {@link SyncteraService.grantFdxAuthRequest} through the service in context.
   *
   * @example
   * ```ts
   * import { Synctera } from "effect-synctera/effect4"
   * import { Effect } from "effect"
   *
   * // On your login page, once the customer has signed in and agreed:
   * const grant = (authRequestId: string, customerId: string) =>
   *   Synctera.grantFdxAuthRequest({ authRequestId, status: "GRANTED", customerId }).pipe(
   *     Effect.map((grant) => grant.redirectUri) // answer the browser with a 302 there
   *   )
   * ```
   *
   * @since 0.3.0
   */
  static readonly grantFdxAuthRequest = (
    request: GrantFdxAuthRequestRequest
  ): Effect.Effect<FdxAuthGrant, SyncteraError, Synctera> =>
    Synctera.use((synctera) => synctera.grantFdxAuthRequest(request))

  /**
   * {@link SyncteraService.getAuthorizationTest} through the service in context.
   *
   * @example
   * ```ts
   * import { Synctera } from "effect-synctera/effect4"
   * import { Effect } from "effect"
   *
   * // Sandbox only: the URL that starts the whole flow at your login page.
   * const start = Effect.map(Synctera.getAuthorizationTest(), (test) => test.redirectUrl)
   * ```
   *
   * @since 0.3.0
   */
  static readonly getAuthorizationTest = (): Effect.Effect<AuthorizationTest, SyncteraError, Synctera> =>
    Synctera.use((synctera) => synctera.getAuthorizationTest())
}
