/**
 * The live layer's options (the public types live here, below both the
 * layers that take them and the code that checks them) and how they become
 * checked, ready-to-use settings: the Effect 4 side (`Redacted`, `Duration`,
 * `Result`) of the core's options (`src/core/options.ts`), which holds their
 * defaults, rules and messages.
 *
 * @internal
 */
import * as Duration from "effect/Duration"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import * as core from "../../../src/core/options.js"

/**
 * Where the live layer sends requests.
 *
 * @since 0.3.0
 */
export type Environment = core.Environment

/**
 * How the client retries transient failures (see `isTransient`).
 *
 * @since 0.3.0
 */
export type RetryOptions = core.RetryOptions<Duration.Input>

/**
 * The options of the live layers, public as `SyncteraLive.Options`.
 *
 * @since 0.3.0
 */
export type Options = core.Options<Redacted.Redacted, Duration.Input>

/**
 * The client-wide retry budget (see `src/core/options.ts`).
 *
 * @since 0.3.0
 */
export type RetryBudgetOptions = core.RetryBudgetOptions

/**
 * The server URLs of the spec's `servers`, API version included.
 *
 * @since 0.3.0
 */
export const environmentUrls: Record<Environment, string> = core.environmentUrls

/**
 * Checked settings.
 *
 * @since 0.3.0
 */
export type Settings = core.Settings<Redacted.Redacted, Duration.Duration>

/**
 * The defaults, as documented in the README (durations in milliseconds).
 *
 * @since 0.3.0
 */
export const defaults = core.defaults

/**
 * Effect 4's durations, as the core's checks see them (also those of the
 * sandbox's options). Effect 4 has negative durations: the checks refuse
 * them where zero or more is allowed, and the sandbox's latency counts one
 * as none.
 *
 * @since 0.3.0
 */
export const durations: core.Durations<Duration.Input, Duration.Duration> = {
  decode: (input) => Option.getOrUndefined(Duration.fromInput(input)),
  isFinite: Duration.isFinite,
  toMillis: Duration.toMillis,
  millis: Duration.millis
}

const toResult = <A>(checked: core.Checked<A>): Result.Result<A, string> =>
  checked.ok ? Result.succeed(checked.value) : Result.fail(checked.problem)

/**
 * Checks a base URL: `https:`, or `http:` on a loopback host only; no
 * credentials, query or fragment. Returns it without a trailing slash.
 *
 * @since 0.3.0
 */
export const checkBaseUrl = (input: string): Result.Result<string, string> => toResult(core.checkBaseUrl(input))

/**
 * Checks and completes the options; the failure says what is wrong.
 *
 * @since 0.3.0
 */
export const resolve = (options: Options): Result.Result<Settings, string> => toResult(core.resolve(options, durations))
