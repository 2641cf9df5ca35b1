/**
 * The Synctera service: the two operations of the Synctera API this package
 * covers, as an Effect service.
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
import type { SyncteraError } from "./errors/SyncteraError.js"
import { CardWidgetType } from "./schemas/CardWidgetType.js"
import type { FdxToken } from "./schemas/FdxToken.js"
import { CardId, FdxTokenId, IdempotencyKey } from "./schemas/Ids.js"
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
 * The operations of the {@link Synctera} service.
 *
 * @example
 * ```ts
 * import { Synctera } from "effect-synctera"
 * import { Effect, Layer } from "effect"
 *
 * // A hand-written stand-in; `SyncteraTest.layer()` from "effect-synctera/testing"
 * // is the complete one.
 * const AlwaysTheSameToken = Layer.succeed(Synctera, {
 *   getWidgetToken: () => Effect.succeed({ tenant: "t", widgetToken: "w" }),
 *   getFdxToken: () => Effect.die("not used here")
 * })
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
}
