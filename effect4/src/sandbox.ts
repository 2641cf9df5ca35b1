/**
 * `effect-synctera/effect4/sandbox`: a local Synctera sandbox server (Node
 * only; needs `@effect/platform-node`), with the seed it serves.
 *
 * @example
 * ```ts
 * import { Sandbox } from "effect-synctera/effect4/sandbox"
 * import { Effect, Redacted } from "effect"
 *
 * const program = Effect.scoped(
 *   Effect.gen(function*() {
 *     const sandbox = yield* Sandbox
 *     return `${sandbox.url} with key ${Redacted.value(sandbox.apiKey)}`
 *   })
 * ).pipe(Effect.provide(Sandbox.layer()))
 * ```
 *
 * @since 0.3.0
 */

/**
 * The answers of the model: wire outcomes and injected failures.
 *
 * @since 0.3.0
 */
export * from "./model/Outcome.js"

/**
 * The seed the sandbox serves (`defaultSeed`, `sandboxIds`).
 *
 * @since 0.3.0
 */
export * from "./model/Seed.js"

export {
  /**
   * The faults the sandbox can inject (all off by default): `failRate`,
   * `rateLimitRate`, `latency`, `stallRate`, `dropRate`, `randomSeed`.
   *
   * @since 0.3.0
   * @category options
   */
  type Faults,
  /**
   * The sandbox's error: `InvalidOptions` or `Listen` (the port is taken, …).
   *
   * @example
   * ```ts
   * import { Sandbox } from "effect-synctera/effect4/sandbox"
   * import { Effect } from "effect"
   *
   * const reason = Effect.scoped(Sandbox).pipe(
   *   Effect.provide(Sandbox.layer({ faults: { failRate: 2 } })),
   *   Effect.flip,
   *   Effect.map((error) => error.reason) // "InvalidOptions"
   * )
   * ```
   *
   * @since 0.3.0
   * @category errors
   */
  SandboxError,
  /**
   * The options of `Sandbox.layer` and `make`: port, API key, seed, faults.
   *
   * @since 0.3.0
   * @category options
   */
  type SandboxOptions
} from "./sandbox/options.js"

export {
  /**
   * A request the sandbox received, as recorded in its log.
   *
   * @since 0.3.0
   * @category models
   */
  type RequestRecord
} from "./sandbox/RequestLog.js"

export {
  /**
   * Starts the sandbox server in a scope: the service of {@link Sandbox}
   * without the layer.
   *
   * @example
   * ```ts
   * import { make } from "effect-synctera/effect4/sandbox"
   * import { Effect } from "effect"
   *
   * const url = Effect.scoped(Effect.map(make({ port: 0 }), (sandbox) => sandbox.url))
   * ```
   *
   * @since 0.3.0
   * @category constructors
   */
  make,
  /**
   * The running sandbox server: its service key, and
   * `Sandbox.layer(options?)`, which starts it on a free port of 127.0.0.1
   * and closes it with the layer.
   *
   * @example
   * ```ts
   * import { Synctera, SyncteraLive } from "effect-synctera/effect4"
   * import { Sandbox, sandboxIds } from "effect-synctera/effect4/sandbox"
   * import { Effect, Layer } from "effect"
   * import { FetchHttpClient } from "effect/http"
   *
   * // The live client, over real HTTP, against a local sandbox.
   * const SyncteraOnSandbox = Layer.unwrap(
   *   Effect.map(Sandbox, (sandbox) => SyncteraLive.layer({ apiKey: sandbox.apiKey, baseUrl: sandbox.url }))
   * ).pipe(Layer.provide(FetchHttpClient.layer), Layer.provideMerge(Sandbox.layer()))
   *
   * const token = Synctera.getWidgetToken({ cardId: sandboxIds.cards.active, widgetType: "REVEAL" }).pipe(
   *   Effect.provide(SyncteraOnSandbox)
   * )
   * ```
   *
   * @since 0.3.0
   * @category tags
   */
  Sandbox,
  /**
   * What a running sandbox provides: its `url`, `apiKey`, `seed`, `failNext`
   * and the `requests` it received.
   *
   * @since 0.3.0
   * @category models
   */
  type SandboxService
} from "./sandbox/Sandbox.js"
