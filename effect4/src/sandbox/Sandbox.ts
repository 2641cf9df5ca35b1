/**
 * A local Synctera sandbox: a real HTTP server on 127.0.0.1 that answers the
 * operations of this package from the same model as the in-memory layer,
 * with optional faults. Point the live client at it to try or test the whole
 * stack without an account.
 *
 * @example
 * ```ts
 * import { Synctera, SyncteraLive } from "effect-synctera/effect4"
 * import { Sandbox, sandboxIds } from "effect-synctera/effect4/sandbox"
 * import { Effect, Layer } from "effect"
 * import { FetchHttpClient } from "effect/http"
 *
 * const SyncteraLayer = Layer.unwrap(
 *   Effect.map(Sandbox, (sandbox) => SyncteraLive.layer({ apiKey: sandbox.apiKey, baseUrl: sandbox.url }))
 * ).pipe(Layer.provide(FetchHttpClient.layer), Layer.provideMerge(Sandbox.layer({ faults: { failRate: 0.1 } })))
 *
 * const program = Synctera.getWidgetToken({ cardId: sandboxIds.cards.active, widgetType: "REVEAL" }).pipe(
 *   Effect.provide(SyncteraLayer)
 * )
 * ```
 *
 * @since 0.3.0
 */
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as HttpMiddleware from "effect/http/HttpMiddleware"
import * as Layer from "effect/Layer"
import * as Random from "effect/Random"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import * as Http from "node:http"
import type { InjectedFailure } from "../model/Outcome.js"
import * as SandboxModel from "../model/SandboxModel.js"
import { defaultSeed, type Seed } from "../model/Seed.js"
import * as App from "./app.js"
import { resolve, SandboxError, type SandboxOptions } from "./options.js"
import { RequestLog, type RequestRecord } from "./RequestLog.js"

/**
 * A running sandbox.
 *
 * @since 0.3.0
 * @category models
 */
export interface SandboxService {
  /** The base URL, API version included: `http://127.0.0.1:<port>/v1`. */
  readonly url: string
  /** The port listened on. */
  readonly port: number
  /** The API key the sandbox accepts. */
  readonly apiKey: Redacted.Redacted<string>
  /** What the sandbox started with. */
  readonly seed: Seed
  /** The model behind the server (add cards or FDX tokens through it). */
  readonly model: SandboxModel.SandboxModel
  /** Makes the next `n` API requests that are processed answer `failure`. */
  readonly failNext: (n: number, failure: InjectedFailure) => Effect.Effect<void>
  /**
   * Where `authorization_test` sends the browser (`authenticationUri`, the
   * fintech's login page) and where a grant redirects (`plaidUri`: by default
   * the sandbox's own Plaid page, `/plaid/oauth/callback`).
   */
  readonly setUris: SandboxModel.SandboxModel["setUris"]
  /** Uses a refresh token (also `POST /sandbox/fdx_tokens/{id}/refresh`). */
  readonly refreshFdxToken: SandboxModel.SandboxModel["refreshFdxToken"]
  /** Revokes an FDX token (also `POST /sandbox/fdx_tokens/{id}/revoke`). */
  readonly revokeFdxToken: SandboxModel.SandboxModel["revokeFdxToken"]
  /** The most recent API requests, oldest first (bounded by `logSize`); see `RequestRecord`. */
  readonly requests: Effect.Effect<ReadonlyArray<RequestRecord>>
}

/**
 * The running sandbox, provided by `Sandbox.layer(options)`.
 *
 * @since 0.3.0
 * @category tags
 */
export class Sandbox extends Context.Service<Sandbox, SandboxService>()("effect-synctera/Sandbox") {
  /**
   * A sandbox listening on 127.0.0.1 (a free port by default) for the life of
   * the layer; a fresh model per build.
   *
   * @since 0.3.0
   */
  static readonly layer = (options?: SandboxOptions): Layer.Layer<Sandbox, SandboxError> => layer(options)
}

/**
 * Starts a sandbox in the current scope; it stops (and drops every open
 * connection, stalled ones included) when the scope closes.
 *
 * @since 0.3.0
 * @category constructors
 */
export const make = (options: SandboxOptions = {}): Effect.Effect<SandboxService, SandboxError, Scope.Scope> =>
  Effect.gen(function*() {
    const resolved = yield* Effect.fromResult(resolve(options))
    const seed = options.seed ?? defaultSeed
    const model = yield* SandboxModel.make(
      seed,
      options.authenticationUri === undefined ? {} : { authenticationUri: options.authenticationUri }
    )
    const log = new RequestLog(resolved.logSize)
    const random = yield* Random.withSeed(Random.Random, options.randomSeed ?? crypto.randomUUID())
    const app = yield* App.make({ model, apiKey: resolved.apiKey, faults: resolved.faults, random, log })

    const nodeServer = Http.createServer()
    const server = yield* NodeHttpServer.make(() => nodeServer, { port: resolved.port, host: "127.0.0.1" }).pipe(
      Effect.mapError((error) =>
        new SandboxError({
          reason: "Listen",
          message: `cannot listen on 127.0.0.1:${resolved.port}: ${
            error.cause instanceof Error ? error.cause.message : String(error.cause)
          }`,
          cause: error.cause
        })
      )
    )
    yield* server.serve(app).pipe(
      // Spans per request cost more than the request itself here.
      Effect.provideService(HttpMiddleware.TracerDisabledWhen, () => true)
    )
    // Stalled bodies never end on their own: close every connection first
    // (this finalizer runs before the server's own), so that closing the
    // server does not wait for them.
    yield* Effect.addFinalizer(() => Effect.sync(() => nodeServer.closeAllConnections()))
    const port = server.address._tag === "UnixPathAddress" ? resolved.port : server.address.port
    yield* model.setUris({ plaidUri: `http://127.0.0.1:${port}/plaid/oauth/callback` })
    return {
      url: `http://127.0.0.1:${port}/v1`,
      port,
      apiKey: Redacted.make(resolved.apiKey),
      seed,
      model,
      failNext: model.failNext,
      setUris: model.setUris,
      refreshFdxToken: model.refreshFdxToken,
      revokeFdxToken: model.revokeFdxToken,
      requests: Effect.sync(() => log.snapshot())
    }
  })

/**
 * The same as `Sandbox.layer`.
 *
 * @since 0.3.0
 * @category layers
 */
export const layer = (options?: SandboxOptions): Layer.Layer<Sandbox, SandboxError> =>
  Layer.effect(Sandbox, make(options))
