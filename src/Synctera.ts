/**
 * The Synctera service: the operations of the Synctera API this package
 * covers (card widget tokens and Plaid Core Exchange), as an Effect service.
 *
 * @example
 * ```ts
 * import { Synctera, SyncteraLive } from "effect-synctera"
 * import { FetchHttpClient } from "@effect/platform"
 * import { Effect, Layer } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const token = yield* Synctera.getWidgetToken({
 *     cardId: "7d943c51-e4ff-4e57-9558-08cab6b963c7",
 *     widgetType: "REVEAL"
 *   })
 *   return token.widgetToken
 * })
 *
 * const SyncteraLayer = SyncteraLive.layerConfig.pipe(Layer.provide(FetchHttpClient.layer))
 *
 * // Run it with `Effect.runPromise(main)` (or `NodeRuntime.runMain(main)`).
 * export const main = program.pipe(Effect.provide(SyncteraLayer))
 * ```
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { pageLimit, pageLimitMessage } from "./core/rules.js"
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
 * @since 0.1.0
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
}).annotations({ identifier: "GetWidgetTokenRequest" })

/**
 * What a caller passes to {@link SyncteraService.getWidgetToken}: plain
 * strings for the ids, checked at run time.
 *
 * @since 0.1.0
 * @category requests
 */
export type GetWidgetTokenRequest = typeof GetWidgetTokenRequest.Encoded

/**
 * The input of {@link SyncteraService.getFdxToken}, validated before any
 * request is sent.
 *
 * @since 0.1.0
 * @category requests
 */
export const GetFdxTokenRequest = Schema.Struct({
  /** The FDX token to read: a UUID. */
  fdxTokenId: FdxTokenId
}).annotations({ identifier: "GetFdxTokenRequest" })

/**
 * What a caller passes to {@link SyncteraService.getFdxToken}.
 *
 * @since 0.1.0
 * @category requests
 */
export type GetFdxTokenRequest = typeof GetFdxTokenRequest.Encoded

/**
 * The size of one page of a list: an integer from 1 to 100 (Synctera's
 * default and largest page is 100).
 *
 * @since 0.2.0
 * @category requests
 */
export const PageLimit = Schema.Int.pipe(
  Schema.between(pageLimit.min, pageLimit.max, { message: () => pageLimitMessage })
).annotations({ identifier: "PageLimit" })

/**
 * The input of {@link SyncteraService.listFdxTokens} and
 * {@link SyncteraService.listFdxAuthRequests}: one page, of `limit` items
 * (default 100), after `pageToken` (the `nextPageToken` of the page before;
 * sent as one query value, whatever it holds).
 *
 * @since 0.2.0
 * @category requests
 */
export const ListRequest = Schema.Struct({
  /** How many items, 1 to 100; Synctera's default is 100. */
  limit: Schema.optional(PageLimit),
  /** Where to start: the `nextPageToken` of the page before; none for the first page. */
  pageToken: Schema.optional(Schema.String)
}).annotations({ identifier: "ListRequest" })

/**
 * What a caller passes to a list operation.
 *
 * @since 0.2.0
 * @category requests
 */
export type ListRequest = typeof ListRequest.Encoded

/**
 * The input of {@link SyncteraService.streamFdxTokens} and
 * {@link SyncteraService.streamFdxAuthRequests}: the page size the stream
 * asks for.
 *
 * @since 0.2.0
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
 * @since 0.2.0
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
}).pipe(Schema.filter(grantOwnerRule)).annotations({ identifier: "GrantFdxAuthRequestRequest" })

/**
 * What a caller passes to {@link SyncteraService.grantFdxAuthRequest}.
 *
 * @since 0.2.0
 * @category requests
 */
export type GrantFdxAuthRequestRequest = typeof GrantFdxAuthRequestRequest.Encoded

/**
 * The operations of the {@link Synctera} service.
 *
 * @example
 * ```ts
 * import { Synctera } from "effect-synctera"
 * import { Effect, Layer, Stream } from "effect"
 *
 * // A hand-written stand-in; `SyncteraTest.layer()` from "effect-synctera/testing"
 * // is the complete one.
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
 * @since 0.1.0
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
 * The Synctera service. Provide it with `SyncteraLive` (real HTTP) or
 * `SyncteraTest` (in memory, from `effect-synctera/testing`).
 *
 * @since 0.1.0
 * @category tags
 */
export class Synctera extends Context.Tag("effect-synctera/Synctera")<Synctera, SyncteraService>() {
  /**
   * {@link SyncteraService.getWidgetToken} through the service in context.
   *
   * @example
   * ```ts
   * import { Synctera } from "effect-synctera"
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
   */
  static readonly getWidgetToken = (
    request: GetWidgetTokenRequest
  ): Effect.Effect<WidgetToken, SyncteraError, Synctera> =>
    Effect.flatMap(Synctera, (synctera) => synctera.getWidgetToken(request))

  /**
   * {@link SyncteraService.getFdxToken} through the service in context.
   *
   * @example
   * ```ts
   * import { Synctera } from "effect-synctera"
   * import { Effect } from "effect"
   *
   * const isUsable = Synctera.getFdxToken({ fdxTokenId: "3c90c3cc-0d44-4b50-8888-8dd25736052a" }).pipe(
   *   Effect.map((token) => token.status === "ENABLED")
   * )
   * ```
   */
  static readonly getFdxToken = (
    request: GetFdxTokenRequest
  ): Effect.Effect<FdxToken, SyncteraError, Synctera> =>
    Effect.flatMap(Synctera, (synctera) => synctera.getFdxToken(request))

  /**
   * {@link SyncteraService.listFdxTokens} through the service in context.
   *
   * @example
   * ```ts
   * import { Synctera } from "effect-synctera"
   * import { Effect } from "effect"
   *
   * const firstTwoPages = Effect.gen(function*() {
   *   const first = yield* Synctera.listFdxTokens({ limit: 50 })
   *   if (first.nextPageToken === undefined) return first.fdxTokens
   *   const second = yield* Synctera.listFdxTokens({ limit: 50, pageToken: first.nextPageToken })
   *   return [...first.fdxTokens, ...second.fdxTokens]
   * })
   * ```
   */
  static readonly listFdxTokens = (request?: ListRequest): Effect.Effect<FdxTokenPage, SyncteraError, Synctera> =>
    Effect.flatMap(Synctera, (synctera) => synctera.listFdxTokens(request))

  /**
   * {@link SyncteraService.streamFdxTokens} through the service in context.
   *
   * @example
   * ```ts
   * import { Synctera } from "effect-synctera"
   * import { Stream } from "effect"
   *
   * // The ENABLED tokens of one customer, whatever the number of pages.
   * const connected = (customerId: string) =>
   *   Synctera.streamFdxTokens().pipe(
   *     Stream.filter((token) => token.customerId === customerId && token.status === "ENABLED"),
   *     Stream.runCollect
   *   )
   * ```
   */
  static readonly streamFdxTokens = (request?: StreamRequest): Stream.Stream<FdxToken, SyncteraError, Synctera> =>
    Stream.unwrap(Effect.map(Synctera, (synctera) => synctera.streamFdxTokens(request)))

  /**
   * {@link SyncteraService.listFdxAuthRequests} through the service in context.
   *
   * @example
   * ```ts
   * import { Synctera } from "effect-synctera"
   * import { Effect } from "effect"
   *
   * const pending = Synctera.listFdxAuthRequests().pipe(
   *   Effect.map((page) => page.fdxAuthRequests.filter((request) => request.status === "PENDING"))
   * )
   * ```
   */
  static readonly listFdxAuthRequests = (
    request?: ListRequest
  ): Effect.Effect<FdxAuthRequestPage, SyncteraError, Synctera> =>
    Effect.flatMap(Synctera, (synctera) => synctera.listFdxAuthRequests(request))

  /**
   * {@link SyncteraService.streamFdxAuthRequests} through the service in context.
   *
   * @example
   * ```ts
   * import { Synctera } from "effect-synctera"
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
   */
  static readonly streamFdxAuthRequests = (
    request?: StreamRequest
  ): Stream.Stream<FdxAuthRequest, SyncteraError, Synctera> =>
    Stream.unwrap(Effect.map(Synctera, (synctera) => synctera.streamFdxAuthRequests(request)))

  /**
   * {@link SyncteraService.grantFdxAuthRequest} through the service in context.
   *
   * @example
   * ```ts
   * import { Synctera } from "effect-synctera"
   * import { Effect } from "effect"
   *
   * // On your login page, once the customer has signed in and agreed:
   * const grant = (authRequestId: string, customerId: string) =>
   *   Synctera.grantFdxAuthRequest({ authRequestId, status: "GRANTED", customerId }).pipe(
   *     Effect.map((grant) => grant.redirectUri) // answer the browser with a 302 there
   *   )
   * ```
   */
  static readonly grantFdxAuthRequest = (
    request: GrantFdxAuthRequestRequest
  ): Effect.Effect<FdxAuthGrant, SyncteraError, Synctera> =>
    Effect.flatMap(Synctera, (synctera) => synctera.grantFdxAuthRequest(request))

  /**
   * {@link SyncteraService.getAuthorizationTest} through the service in context.
   *
   * @example
   * ```ts
   * import { Synctera } from "effect-synctera"
   * import { Effect } from "effect"
   *
   * // Sandbox only: the URL that starts the whole flow at your login page.
   * const start = Effect.map(Synctera.getAuthorizationTest(), (test) => test.redirectUrl)
   * ```
   */
  static readonly getAuthorizationTest = (): Effect.Effect<AuthorizationTest, SyncteraError, Synctera> =>
    Effect.flatMap(Synctera, (synctera) => synctera.getAuthorizationTest())
}
