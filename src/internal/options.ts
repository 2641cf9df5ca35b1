/**
 * The live layer's options (the public types live here, below both the
 * layers that take them and the code that checks them) and how they become
 * checked, ready-to-use settings: the Effect 3 side (`Redacted`, `Duration`,
 * `Either`) of the core's options (`core/options.ts`), which holds their
 * defaults, rules and messages.
 *
 * @internal
 */
import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import * as core from "../core/options.js"

/** Where the live layer sends requests. */
export type Environment = core.Environment

/** How the client retries transient failures (see `isTransient`). */
export type RetryOptions = core.RetryOptions<Duration.DurationInput>

/** The options of the live layers, public as `SyncteraLive.Options`. */
export type Options = core.Options<Redacted.Redacted, Duration.DurationInput>

/** The client-wide retry budget (see `core/options.ts`). */
export type RetryBudgetOptions = core.RetryBudgetOptions

/** The server URLs of the spec's `servers`, API version included. */
export const environmentUrls: Record<Environment, string> = core.environmentUrls

/** Checked settings. */
export type Settings = core.Settings<Redacted.Redacted, Duration.Duration>

/** The defaults, as documented in the README (durations in milliseconds). */
export const defaults = core.defaults

/** Whether a duration input is below zero (Effect 3 makes it a zero `Duration`). */
const isNegative = (input: Duration.DurationInput): boolean =>
  typeof input === "number"
    ? input < 0
    : typeof input === "bigint"
    ? input < 0n
    : typeof input === "string"
    ? /^\s*-/.test(input)
    : Array.isArray(input)
    ? input.some((part) => part < 0)
    : false

/** Effect 3's durations, as the core's checks see them (also those of the sandbox's options). */
export const durations: core.Durations<Duration.DurationInput, Duration.Duration> = {
  decode: (input) => Option.getOrUndefined(Duration.decodeUnknown(input)),
  isNegative,
  isFinite: Duration.isFinite,
  toMillis: Duration.toMillis,
  millis: Duration.millis
}

const toEither = <A>(checked: core.Checked<A>): Either.Either<A, string> =>
  checked.ok ? Either.right(checked.value) : Either.left(checked.problem)

/**
 * Checks a base URL: `https:`, or `http:` on a loopback host only; no
 * credentials, query or fragment. Returns it without a trailing slash.
 */
export const checkBaseUrl = (input: string): Either.Either<string, string> => toEither(core.checkBaseUrl(input))

/** Checks and completes the options; the left side says what is wrong. */
export const resolve = (options: Options): Either.Either<Settings, string> => toEither(core.resolve(options, durations))
