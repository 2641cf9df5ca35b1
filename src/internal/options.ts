/**
 * The live layer's options (the public types live here, below both the
 * layers that take them and the code that checks them) and how they become
 * checked, ready-to-use settings.
 *
 * @internal
 */
import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import type * as Redacted from "effect/Redacted"
import type { RetryBudgetSettings } from "../core/retryBudget.js"

/** Where the live layer sends requests. */
export type Environment = "sandbox" | "production"

/**
 * How the client retries transient failures (see `isTransient`).
 */
export interface RetryOptions {
  /** Retries after the first attempt; default 2 (3 attempts in all). */
  readonly times?: number | undefined
  /** The first backoff, doubled on each retry, with ±20% jitter; default 500 ms. */
  readonly base?: Duration.DurationInput | undefined
  /** The largest backoff; default 8 s. */
  readonly cap?: Duration.DurationInput | undefined
}

/**
 * The options of the live layers, public as `SyncteraLive.Options`.
 */
export interface Options {
  /** The API key, sent as `Authorization: Bearer …` and nowhere else. */
  readonly apiKey: Redacted.Redacted
  /** `sandbox` (default) or `production`; ignored when `baseUrl` is set. */
  readonly environment?: Environment | undefined
  /**
   * The full server URL, API version included (`https://api-sandbox.synctera.com/v1`);
   * paths are appended to it. Must be `https:`, or `http:` on a loopback host.
   */
  readonly baseUrl?: string | undefined
  /** The limit for one attempt, body included; default 10 s. */
  readonly timeout?: Duration.DurationInput | undefined
  /** The limit for the whole call, retries and waits included; default 30 s. */
  readonly deadline?: Duration.DurationInput | undefined
  /** Retry settings, or `false` for a single attempt. */
  readonly retry?: false | RetryOptions | undefined
  /** The largest response body read, in bytes; default 1 MiB. */
  readonly maxBodyBytes?: number | undefined
  /** The longest server-requested wait (`Retry-After`) honoured; default 60 s. */
  readonly maxRetryAfter?: Duration.DurationInput | undefined
  /** The client-wide retry budget, or `false` for none; see {@link RetryBudgetOptions}. */
  readonly retryBudget?: false | RetryBudgetOptions | undefined
}

/**
 * The client-wide retry budget: a token bucket, shared by every call of one
 * layer, that retries spend and successes refill (as the AWS SDKs' retry
 * quota). When it is empty, calls fail after their first attempt, so an outage
 * does not become a retry storm: under a 100% failure rate there are at most
 * about `capacity / retryCost` retries in all, not calls × retries.
 */
export interface RetryBudgetOptions {
  /** Tokens when full; default 500. */
  readonly capacity?: number | undefined
  /** Cost of a retry after an error status or a network error; default 5. */
  readonly retryCost?: number | undefined
  /** Cost of a retry after a per-attempt timeout; default 10. */
  readonly timeoutCost?: number | undefined
  /** Tokens a first-attempt success puts back (a retried success returns what it spent); default 1. */
  readonly refill?: number | undefined
}

/** The server URLs of the spec's `servers`, API version included. */
export const environmentUrls: Record<Environment, string> = {
  sandbox: "https://api-sandbox.synctera.com/v1",
  production: "https://api.synctera.com/v1"
}

/** Checked settings. */
export interface Settings {
  readonly apiKey: Redacted.Redacted
  readonly baseUrl: string
  /** Whether the client points at production by its environment (no base URL of the caller's). */
  readonly production: boolean
  readonly timeout: Duration.Duration
  readonly deadline: Duration.Duration
  readonly retry: {
    readonly times: number
    readonly base: Duration.Duration
    readonly cap: Duration.Duration
  }
  readonly maxBodyBytes: number
  readonly maxRetryAfter: Duration.Duration
  readonly retryBudget: RetryBudgetSettings | false
}

/** The defaults, as documented in the README. */
export const defaults = {
  environment: "sandbox",
  timeout: Duration.seconds(10),
  deadline: Duration.seconds(30),
  retry: { times: 2, base: Duration.millis(500), cap: Duration.seconds(8) },
  maxBodyBytes: 1024 * 1024,
  maxRetryAfter: Duration.seconds(60),
  retryBudget: { capacity: 500, retryCost: 5, timeoutCost: 10, refill: 1 }
} as const

const isLoopback = (hostname: string): boolean =>
  hostname === "localhost" || hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(hostname)

/**
 * Checks a base URL: `https:`, or `http:` on a loopback host only (the API key
 * must never cross a network in clear text); no credentials, query or
 * fragment. Returns it without a trailing slash.
 */
export const checkBaseUrl = (input: string): Either.Either<string, string> => {
  let url: URL
  try {
    url = new URL(input)
  } catch {
    return Either.left(`baseUrl is not a URL: ${JSON.stringify(input.slice(0, 200))}`)
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopback(url.hostname))) {
    return Either.left(
      `baseUrl must use https: (http: is allowed for loopback hosts only), got ${url.protocol}//${url.host}`
    )
  }
  if (url.username !== "" || url.password !== "") return Either.left("baseUrl must not carry credentials")
  if (url.search !== "" || url.hash !== "") return Either.left("baseUrl must not have a query or a fragment")
  return Either.right(url.href.replace(/\/+$/, ""))
}

const duration = (
  name: string,
  input: Duration.DurationInput | undefined,
  fallback: Duration.Duration,
  allowZero: boolean
): Either.Either<Duration.Duration, string> => {
  if (input === undefined) return Either.right(fallback)
  const decoded = Duration.decodeUnknown(input)
  if (decoded._tag === "None") return Either.left(`${name} is not a duration`)
  const value = decoded.value
  if (
    !Duration.isFinite(value) ||
    (allowZero ? Duration.lessThan(value, Duration.zero) : !Duration.greaterThan(value, Duration.zero))
  ) {
    return Either.left(`${name} must be a finite duration ${allowZero ? "of zero or more" : "above zero"}`)
  }
  return Either.right(value)
}

const budgetSettings = (
  options: Exclude<Options["retryBudget"], false | undefined>
): Either.Either<RetryBudgetSettings, string> => {
  const settings: RetryBudgetSettings = {
    capacity: options.capacity ?? defaults.retryBudget.capacity,
    retryCost: options.retryCost ?? defaults.retryBudget.retryCost,
    timeoutCost: options.timeoutCost ?? defaults.retryBudget.timeoutCost,
    refill: options.refill ?? defaults.retryBudget.refill
  }
  for (const [name, value] of Object.entries(settings)) {
    if (!Number.isFinite(value) || value < 0) {
      return Either.left(`retryBudget.${name} must be a finite number of zero or more`)
    }
  }
  return Either.right(settings)
}

/** Checks and completes the options; the left side says what is wrong. */
export const resolve = (options: Options): Either.Either<Settings, string> =>
  Either.gen(function*() {
    const baseUrl = yield* checkBaseUrl(options.baseUrl ?? environmentUrls[options.environment ?? defaults.environment])
    const timeout = yield* duration("timeout", options.timeout, defaults.timeout, false)
    const deadline = yield* duration("deadline", options.deadline, defaults.deadline, false)
    const maxRetryAfter = yield* duration("maxRetryAfter", options.maxRetryAfter, defaults.maxRetryAfter, true)
    const retryOptions = options.retry === false ? { times: 0 } : options.retry ?? {}
    const times = retryOptions.times ?? defaults.retry.times
    if (!Number.isInteger(times) || times < 0) {
      return yield* Either.left("retry.times must be an integer of zero or more")
    }
    const base = yield* duration("retry.base", retryOptions.base, defaults.retry.base, true)
    const cap = yield* duration("retry.cap", retryOptions.cap, defaults.retry.cap, true)
    const maxBodyBytes = options.maxBodyBytes ?? defaults.maxBodyBytes
    if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1) {
      return yield* Either.left("maxBodyBytes must be a positive integer")
    }
    const retryBudget = options.retryBudget === false ? false : yield* budgetSettings(options.retryBudget ?? {})
    return {
      apiKey: options.apiKey,
      production: options.baseUrl === undefined && (options.environment ?? defaults.environment) === "production",
      retryBudget,
      baseUrl,
      timeout,
      deadline,
      retry: { times, base, cap },
      maxBodyBytes,
      maxRetryAfter
    }
  })
