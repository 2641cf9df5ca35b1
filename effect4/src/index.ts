/**
 * effect-synctera/effect4: the Effect-native client for the Synctera banking
 * API, for Effect 4.
 *
 * The `Synctera` service (card widget tokens, FDX tokens and the Plaid Core
 * Exchange flow), the data it returns and the errors it fails with: the same
 * names, options, error tags, defaults and messages as the Effect 3 line
 * (`effect-synctera`), in Effect 4's terms.
 *
 * @example
 * ```ts
 * import { Synctera, SyncteraLive } from "effect-synctera/effect4"
 * import { Effect } from "effect"
 *
 * // Reads SYNCTERA_API_KEY (required), SYNCTERA_ENVIRONMENT, SYNCTERA_BASE_URL.
 * const reveal = (cardId: string) =>
 *   Synctera.getWidgetToken({ cardId, widgetType: "REVEAL" }).pipe(
 *     Effect.map((token) => token.widgetToken),
 *     Effect.provide(SyncteraLive.layerNodeConfig)
 *   )
 * ```
 *
 * @since 0.3.0
 */

/**
 * The `SyncteraError` union: one tagged error per way a call can fail, with
 * `isTransient` (the retry rule) and `isSyncteraError`.
 *
 * @since 0.3.0
 */
export * from "./errors/SyncteraError.js"

/**
 * The live layers: real HTTP to Synctera, straight over undici
 * (`SyncteraLive.layerNode`, `SyncteraLive.layerNodeConfig`) or through
 * Effect 4's `HttpClient` from `effect/http` (`SyncteraLive.layer`,
 * `SyncteraLive.layerConfig`, …).
 *
 * @since 0.3.0
 */
export * as SyncteraLive from "./layers/SyncteraLive.js"

/**
 * `AuthorizationTest`: the answer of the sandbox-only authorization test.
 *
 * @since 0.3.0
 */
export * from "./schemas/AuthorizationTest.js"

/**
 * `CardWidgetType`: the card widgets a token can be made for.
 *
 * @since 0.3.0
 */
export * from "./schemas/CardWidgetType.js"

/**
 * `ErrorBody`: Synctera's error body, read leniently.
 *
 * @since 0.3.0
 */
export * from "./schemas/ErrorBody.js"

/**
 * `FdxAuthGrant`, `FdxAuthGrantBody`, `GrantStatus`: the grant of an FDX
 * authorization request.
 *
 * @since 0.3.0
 */
export * from "./schemas/FdxAuthGrant.js"

/**
 * `FdxAuthRequest`: an FDX authorization request, with its open status enum.
 *
 * @since 0.3.0
 */
export * from "./schemas/FdxAuthRequest.js"

/**
 * `FdxTokenPage`, `FdxAuthRequestPage`: the pages of the list operations.
 *
 * @since 0.3.0
 */
export * from "./schemas/FdxPages.js"

/**
 * `FdxToken`: an FDX token of Plaid Core Exchange, with its open status and
 * type enums.
 *
 * @since 0.3.0
 */
export * from "./schemas/FdxToken.js"

/**
 * The branded ids: `CardId`, `FdxTokenId`, `IdempotencyKey`.
 *
 * @since 0.3.0
 */
export * from "./schemas/Ids.js"

/**
 * The Plaid Core Exchange ids: `FdxAuthRequestId`, `CustomerId`, `BusinessId`.
 *
 * @since 0.3.0
 */
export * from "./schemas/PceIds.js"

/**
 * Open enums: string literals that also accept values this client does not
 * know yet, branded `Unrecognized`.
 *
 * @since 0.3.0
 */
export * as OpenEnum from "./schemas/OpenEnum.js"

/**
 * `WidgetToken`: a short-lived, one-time token for a card widget.
 *
 * @since 0.3.0
 */
export * from "./schemas/WidgetToken.js"

/**
 * The `Synctera` service key, its interface and its request schemas.
 *
 * @since 0.3.0
 */
export * from "./Synctera.js"
