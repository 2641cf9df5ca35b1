/**
 * The live {@link Synctera} service: real HTTP to Synctera through Effect's
 * `HttpClient` (`effect/http`).
 *
 * @example
 * ```ts
 * import { SyncteraLive } from "effect-synctera/effect4"
 * import { Layer, Redacted } from "effect"
 * import { FetchHttpClient } from "effect/http"
 *
 * // Sandbox by default; every option but the key is optional.
 * const SyncteraLayer = SyncteraLive.layer({
 *   apiKey: Redacted.make("my-sandbox-key"),
 *   retry: { times: 3 },
 *   deadline: "20 seconds"
 * }).pipe(Layer.provide(FetchHttpClient.layer))
 * ```
 *
 * @since 0.3.0
 */
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as HttpClient from "effect/http/HttpClient"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"
import type * as Scope from "effect/Scope"
import { makeService } from "../internal/client.js"
import { overHttpClient } from "../internal/exchange.js"
import * as internalOptions from "../internal/options.js"
import { Synctera, type SyncteraService } from "../Synctera.js"

/**
 * Which Synctera to talk to: `sandbox` (`https://api-sandbox.synctera.com/v1`,
 * no real-world financial impact; the default) or `production`
 * (`https://api.synctera.com/v1`).
 *
 * @since 0.3.0
 * @category options
 */
export type Environment = internalOptions.Environment

/**
 * The server URL of each {@link Environment}, API version included.
 *
 * @since 0.3.0
 * @category options
 */
export const environmentUrls: Readonly<Record<Environment, string>> = internalOptions.environmentUrls

/**
 * How the client retries transient failures (see `isTransient`).
 *
 * @since 0.3.0
 * @category options
 */
export type RetryOptions = internalOptions.RetryOptions

/**
 * The options of {@link layer}, {@link layerNode} and {@link make}.
 *
 * @since 0.3.0
 * @category options
 */
export type Options = internalOptions.Options

/**
 * The client-wide retry budget: a token bucket, shared by every call of one
 * layer, that retries spend and successes refill (as the AWS SDKs' retry
 * quota). When it is empty, calls fail after their first attempt, so an outage
 * does not become a retry storm: under a 100% failure rate there are at most
 * about `capacity / retryCost` retries in all, not calls × retries.
 *
 * @since 0.3.0
 * @category options
 */
export type RetryBudgetOptions = internalOptions.RetryBudgetOptions

/** Invalid options as a `ConfigError`: a schema error whose message is what is wrong. */
const invalidOptions = (message: string): Config.ConfigError =>
  new Config.ConfigError(new Schema.SchemaError(new SchemaIssue.InvalidValue({ message })))

const resolve = (options: Options): Effect.Effect<internalOptions.Settings, Config.ConfigError> =>
  Effect.fromResult(Result.mapError(internalOptions.resolve(options), invalidOptions))

/**
 * Builds the live service over the `HttpClient` in context. Fails with a
 * `ConfigError` when the options are invalid (a base URL that is not `https:`
 * off loopback, a negative retry count, …).
 *
 * @since 0.3.0
 * @category constructors
 */
export const make = (
  options: Options
): Effect.Effect<SyncteraService, Config.ConfigError, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const settings = yield* resolve(options)
    const httpClient = yield* HttpClient.HttpClient
    const fetchInit = yield* Effect.serviceOption(FetchHttpClient.RequestInit)
    const exchange = overHttpClient(httpClient, { ...settings, fetchInit })
    return makeService(exchange, settings, { spanIsParent: true })
  })

/**
 * The live layer over the `HttpClient` of the app's choice
 * (`FetchHttpClient.layer`, `NodeHttpClient.layerUndici`, …). Invalid options
 * are a programming error here and fail the layer as a defect; use
 * {@link make} or {@link layerConfig} for a typed `ConfigError`.
 *
 * @example
 * ```ts
 * import { NodeHttpClient } from "@effect/platform-node"
 * import { SyncteraLive } from "effect-synctera/effect4"
 * import { Layer, Redacted } from "effect"
 *
 * const SyncteraLayer = SyncteraLive.layer({
 *   apiKey: Redacted.make(process.env.SYNCTERA_API_KEY ?? ""),
 *   environment: "production"
 * }).pipe(Layer.provide(NodeHttpClient.layerUndici))
 * ```
 *
 * @since 0.3.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<Synctera, never, HttpClient.HttpClient> =>
  Layer.effect(Synctera, Effect.orDie(make(options)))

/**
 * The recommended layer on Node: the live client on a lean transport built
 * for it, straight over undici's dispatcher (its own connection pool, closed
 * with the layer). A complete `Layer<Synctera>`: no `HttpClient` to provide.
 * Its answers, errors, retries, limits and spans are those of {@link layer};
 * it skips the `HttpClient` machinery (so `HttpClient` middleware does not
 * apply: use {@link layer} for that). See the README's Performance section
 * for what it saves.
 * `undici` is loaded only when this layer is built.
 *
 * @example
 * ```ts
 * import { Synctera, SyncteraLive } from "effect-synctera/effect4"
 * import { Effect, Redacted } from "effect"
 *
 * const program = Synctera.getFdxToken({ fdxTokenId: "3c90c3cc-0d44-4b50-8888-8dd25736052a" }).pipe(
 *   Effect.provide(SyncteraLive.layerNode({ apiKey: Redacted.make("my-sandbox-key") }))
 * )
 * ```
 *
 * @since 0.3.0
 * @category layers
 */
export const layerNode = (options: Options): Layer.Layer<Synctera> =>
  Layer.unwrap(Effect.flatMap(Effect.orDie(resolve(options)), nodeLayer))

/** The `layerNode` service on checked settings: its own undici pool, closed with the layer. */
const nodeLayer = (settings: internalOptions.Settings): Effect.Effect<Layer.Layer<Synctera>, never, Scope.Scope> =>
  Effect.gen(function*() {
    const [undici, undiciExchange] = yield* Effect.promise(() =>
      Promise.all([import("undici"), import("../internal/undiciExchange.js")])
    )
    const agent = (options: ConstructorParameters<typeof undici.Agent>[0]) =>
      Effect.acquireRelease(
        Effect.sync(() => new undici.Agent(options)),
        (agent) => Effect.ignore(Effect.tryPromise(() => agent.destroy()))
      )
    const pooled = yield* agent({ keepAliveTimeout: 30_000 })
    // For requests that must never go on a stale pooled connection (see `RetryClass`).
    const unpooled = yield* agent({ keepAliveTimeout: 1, pipelining: 0 })
    const exchange = undiciExchange.make({ pooled, unpooled }, settings)
    return Layer.succeed(Synctera, makeService(exchange, settings, { spanIsParent: false }))
  })

const optional = <A>(config: Config.Config<A>): Config.Config<A | undefined> =>
  Config.map(Config.option(config), Option.getOrUndefined)

/** A base URL as {@link Options} takes it (see `checkBaseUrl`). */
const BaseUrl = Schema.String.check(
  Schema.makeFilter((url: string) =>
    Result.match(internalOptions.checkBaseUrl(url), {
      onFailure: (message) => message,
      onSuccess: () => true
    })
  )
)

/**
 * The live layer's options read from configuration (environment variables by
 * default):
 *
 * | variable | meaning |
 * | --- | --- |
 * | `SYNCTERA_API_KEY` | required, kept `Redacted` |
 * | `SYNCTERA_ENVIRONMENT` | `sandbox` (default) or `production` |
 * | `SYNCTERA_BASE_URL` | overrides the environment's URL |
 * | `SYNCTERA_TIMEOUT` | per-attempt limit, e.g. `10 seconds` |
 * | `SYNCTERA_DEADLINE` | whole-call limit, e.g. `30 seconds` |
 * | `SYNCTERA_MAX_RETRIES` | retries after the first attempt; `0` turns them off |
 *
 * @since 0.3.0
 * @category config
 */
export const config: Config.Config<Options> = Config.all({
  apiKey: Config.Redacted("SYNCTERA_API_KEY"),
  environment: Config.Literals(["sandbox", "production"], "SYNCTERA_ENVIRONMENT").pipe(
    Config.withDefault(internalOptions.defaults.environment)
  ),
  baseUrl: optional(
    Config.schema(BaseUrl, "SYNCTERA_BASE_URL").pipe(
      // Checked by the schema: this only drops a trailing slash.
      Config.map((url) => Result.getOrElse(internalOptions.checkBaseUrl(url), () => url))
    )
  ),
  timeout: optional(Config.Duration("SYNCTERA_TIMEOUT")),
  deadline: optional(Config.Duration("SYNCTERA_DEADLINE")),
  maxRetries: optional(Config.Int("SYNCTERA_MAX_RETRIES"))
}).pipe(
  Config.map(({ maxRetries, ...options }): Options => ({
    ...options,
    ...(maxRetries === undefined ? {} : { retry: { times: maxRetries } })
  }))
)

/**
 * The live layer configured from {@link config}. A missing or invalid setting
 * fails the layer with a `ConfigError`.
 *
 * @example
 * ```ts
 * import { SyncteraLive } from "effect-synctera/effect4"
 * import { Layer } from "effect"
 * import { FetchHttpClient } from "effect/http"
 *
 * const SyncteraLayer = SyncteraLive.layerConfig.pipe(Layer.provide(FetchHttpClient.layer))
 * ```
 *
 * @since 0.3.0
 * @category layers
 */
export const layerConfig: Layer.Layer<Synctera, Config.ConfigError, HttpClient.HttpClient> = Layer.effect(
  Synctera,
  Effect.flatMap(config, make)
)

/**
 * The recommended layer on Node ({@link layerNode}) configured from
 * {@link config}, the same settings as {@link layerConfig}. A complete
 * `Layer<Synctera>`; a missing or invalid setting fails it with a
 * `ConfigError`.
 *
 * @example
 * ```ts
 * import { Synctera, SyncteraLive } from "effect-synctera/effect4"
 * import { Effect } from "effect"
 *
 * // Reads SYNCTERA_API_KEY, SYNCTERA_ENVIRONMENT, SYNCTERA_BASE_URL, ….
 * const program = Synctera.getFdxToken({ fdxTokenId: "3c90c3cc-0d44-4b50-8888-8dd25736052a" }).pipe(
 *   Effect.provide(SyncteraLive.layerNodeConfig)
 * )
 * ```
 *
 * @since 0.3.0
 * @category layers
 */
export const layerNodeConfig: Layer.Layer<Synctera, Config.ConfigError> = Layer.unwrap(
  Effect.flatMap(Effect.flatMap(config, resolve), nodeLayer)
)
