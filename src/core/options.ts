/**
 * The live layers' options, their defaults and their check, for both Effect
 * lines: which base URL is safe to send the API key to, and what a duration,
 * a retry count or a retry budget may be. The checks return a plain
 * {@link Checked} result; each line turns a problem into its own
 * `ConfigError`. Durations are each line's own (`Duration`): the checks see
 * them through {@link Durations}.
 *
 * @since 0.3.0
 */
import type { RetryBudgetSettings } from "./retryBudget.js"

/**
 * The outcome of a check: the checked value, or the first problem found, as
 * a message for the caller.
 *
 * @since 0.3.0
 * @category checks
 */
export type Checked<A> =
  | { readonly ok: true; readonly value: A }
  | { readonly ok: false; readonly problem: string }

const ok = <A>(value: A): Checked<A> => ({ ok: true, value })

const problem = (message: string): Checked<never> => ({ ok: false, problem: message })

/**
 * How the checks see a line's durations: `I` is what a caller may write
 * (`Duration.DurationInput`, `Duration.Input`), `D` the duration itself.
 *
 * @since 0.3.0
 * @category checks
 */
export interface Durations<I, D> {
  /** The duration an input stands for; `undefined` when it stands for none. */
  readonly decode: (input: I) => D | undefined
  /** Whether a duration is finite. */
  readonly isFinite: (duration: D) => boolean
  /** A duration in milliseconds: below zero for a negative one (Effect 4 has them). */
  readonly toMillis: (duration: D) => number
  /** The duration of so many milliseconds. */
  readonly millis: (millis: number) => D
  /**
   * Whether an input is below zero, for a line whose durations cannot be
   * (Effect 3 makes such an input a zero duration): it is then refused as
   * below zero, as on a line whose durations can be.
   */
  readonly isNegative?: ((input: I) => boolean) | undefined
}

/**
 * Where the live layer sends requests.
 *
 * @since 0.3.0
 * @category options
 */
export type Environment = "sandbox" | "production"

/**
 * How the client retries transient failures (see `isTransient`).
 *
 * @since 0.3.0
 * @category options
 */
export interface RetryOptions<DurationInput> {
  /** Retries after the first attempt; default 2 (3 attempts in all). */
  readonly times?: number | undefined
  /** The first backoff, doubled on each retry, with ±20% jitter; default 500 ms. */
  readonly base?: DurationInput | undefined
  /** The largest backoff; default 8 s. */
  readonly cap?: DurationInput | undefined
}

/**
 * The options of the live layers, public as `SyncteraLive.Options`, with
 * each line's API key (`Redacted`) and durations.
 *
 * @since 0.3.0
 * @category options
 */
export interface Options<Key, DurationInput> {
  /** The API key, sent as `Authorization: Bearer …` and nowhere else. */
  readonly apiKey: Key
  /** `sandbox` (default) or `production`; ignored when `baseUrl` is set. */
  readonly environment?: Environment | undefined
  /**
   * The full server URL, API version included (`https://api-sandbox.synctera.com/v1`);
   * paths are appended to it. Must be `https:`, or `http:` on a loopback host.
   */
  readonly baseUrl?: string | undefined
  /** The limit for one attempt, body included; default 10 s. */
  readonly timeout?: DurationInput | undefined
  /** The limit for the whole call, retries and waits included; default 30 s. */
  readonly deadline?: DurationInput | undefined
  /** Retry settings, or `false` for a single attempt. */
  readonly retry?: false | RetryOptions<DurationInput> | undefined
  /** The largest response body read, in bytes; default 1 MiB. */
  readonly maxBodyBytes?: number | undefined
  /** The longest server-requested wait (`Retry-After`) honoured; default 60 s. */
  readonly maxRetryAfter?: DurationInput | undefined
  /** The client-wide retry budget, or `false` for none; see {@link RetryBudgetOptions}. */
  readonly retryBudget?: false | RetryBudgetOptions | undefined
}

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

/**
 * The server URLs of the spec's `servers`, API version included.
 *
 * @since 0.3.0
 * @category options
 */
export const environmentUrls: Record<Environment, string> = {
  sandbox: "https://api-sandbox.synctera.com/v1",
  production: "https://api.synctera.com/v1"
}

/**
 * Checked settings, with each line's API key and durations.
 *
 * @since 0.3.0
 * @category options
 */
export interface Settings<Key, Duration> {
  readonly apiKey: Key
  readonly baseUrl: string
  /** Whether the client points at production by its environment (no base URL of the caller's). */
  readonly production: boolean
  readonly timeout: Duration
  readonly deadline: Duration
  readonly retry: {
    readonly times: number
    readonly base: Duration
    readonly cap: Duration
  }
  readonly maxBodyBytes: number
  readonly maxRetryAfter: Duration
  readonly retryBudget: RetryBudgetSettings | false
}

/**
 * The defaults, as documented in the README (durations in milliseconds).
 *
 * @since 0.3.0
 * @category options
 */
export const defaults = {
  environment: "sandbox",
  timeoutMillis: 10_000,
  deadlineMillis: 30_000,
  retry: { times: 2, baseMillis: 500, capMillis: 8_000 },
  maxBodyBytes: 1024 * 1024,
  maxRetryAfterMillis: 60_000,
  retryBudget: { capacity: 500, retryCost: 5, timeoutCost: 10, refill: 1 }
} as const

const isLoopback = (hostname: string): boolean =>
  hostname === "localhost" || hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(hostname)

/**
 * Checks a base URL: `https:`, or `http:` on a loopback host only (the API key
 * must never cross a network in clear text); no credentials, query or
 * fragment. Returns it without a trailing slash.
 *
 * @since 0.3.0
 * @category checks
 */
export const checkBaseUrl = (input: string): Checked<string> => {
  let url: URL
  try {
    url = new URL(input)
  } catch {
    return problem(`baseUrl is not a URL: ${JSON.stringify(input.slice(0, 200))}`)
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopback(url.hostname))) {
    return problem(
      `baseUrl must use https: (http: is allowed for loopback hosts only), got ${url.protocol}//${url.host}`
    )
  }
  if (url.username !== "" || url.password !== "") return problem("baseUrl must not carry credentials")
  if (url.search !== "" || url.hash !== "") return problem("baseUrl must not have a query or a fragment")
  return ok(url.href.replace(/\/+$/, ""))
}

/**
 * Checks an optional duration: finite, and above zero (or, with
 * `allowZero`, zero or more); `fallbackMillis` when there is none.
 */
const duration = <I, D>(
  durations: Durations<I, D>,
  name: string,
  input: I | undefined,
  fallbackMillis: number,
  allowZero: boolean
): Checked<D> => {
  if (input === undefined) return ok(durations.millis(fallbackMillis))
  const value = durations.decode(input)
  if (value === undefined) return problem(`${name} is not a duration`)
  const millis = durations.isNegative?.(input) === true ? -1 : durations.toMillis(value)
  if (!durations.isFinite(value) || (allowZero ? millis < 0 : !(millis > 0))) {
    return problem(`${name} must be a finite duration ${allowZero ? "of zero or more" : "above zero"}`)
  }
  return ok(value)
}

const budgetSettings = (options: RetryBudgetOptions): Checked<RetryBudgetSettings> => {
  const settings: RetryBudgetSettings = {
    capacity: options.capacity ?? defaults.retryBudget.capacity,
    retryCost: options.retryCost ?? defaults.retryBudget.retryCost,
    timeoutCost: options.timeoutCost ?? defaults.retryBudget.timeoutCost,
    refill: options.refill ?? defaults.retryBudget.refill
  }
  for (const [name, value] of Object.entries(settings)) {
    if (!Number.isFinite(value) || value < 0) {
      return problem(`retryBudget.${name} must be a finite number of zero or more`)
    }
  }
  return ok(settings)
}

/**
 * Checks and completes the options, in a fixed order (base URL, timeout,
 * deadline, maxRetryAfter, retry, maxBodyBytes, retry budget): the problem is
 * the first one found.
 *
 * @since 0.3.0
 * @category checks
 */
export const resolve = <Key, I, D>(options: Options<Key, I>, durations: Durations<I, D>): Checked<Settings<Key, D>> => {
  const baseUrl = checkBaseUrl(options.baseUrl ?? environmentUrls[options.environment ?? defaults.environment])
  if (!baseUrl.ok) return baseUrl
  const timeout = duration(durations, "timeout", options.timeout, defaults.timeoutMillis, false)
  if (!timeout.ok) return timeout
  const deadline = duration(durations, "deadline", options.deadline, defaults.deadlineMillis, false)
  if (!deadline.ok) return deadline
  const maxRetryAfter = duration(durations, "maxRetryAfter", options.maxRetryAfter, defaults.maxRetryAfterMillis, true)
  if (!maxRetryAfter.ok) return maxRetryAfter
  const retryOptions: RetryOptions<I> = options.retry === false ? { times: 0 } : options.retry ?? {}
  const times = retryOptions.times ?? defaults.retry.times
  if (!Number.isInteger(times) || times < 0) return problem("retry.times must be an integer of zero or more")
  const base = duration(durations, "retry.base", retryOptions.base, defaults.retry.baseMillis, true)
  if (!base.ok) return base
  const cap = duration(durations, "retry.cap", retryOptions.cap, defaults.retry.capMillis, true)
  if (!cap.ok) return cap
  const maxBodyBytes = options.maxBodyBytes ?? defaults.maxBodyBytes
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1) return problem("maxBodyBytes must be a positive integer")
  const retryBudget: Checked<RetryBudgetSettings | false> = options.retryBudget === false
    ? ok(false)
    : budgetSettings(options.retryBudget ?? {})
  if (!retryBudget.ok) return retryBudget
  return ok({
    apiKey: options.apiKey,
    production: options.baseUrl === undefined && (options.environment ?? defaults.environment) === "production",
    retryBudget: retryBudget.value,
    baseUrl: baseUrl.value,
    timeout: timeout.value,
    deadline: deadline.value,
    retry: { times, base: base.value, cap: cap.value },
    maxBodyBytes,
    maxRetryAfter: maxRetryAfter.value
  })
}
