/**
 * The sandbox server's options, their defaults and their check, for both
 * Effect lines. The check returns a plain {@link Checked} result; each line
 * turns a problem into its own `SandboxError`. Seeds and durations are each
 * line's own: the check sees durations through {@link Durations}.
 *
 * @since 0.3.0
 */
import { type Checked, type Durations } from "../options.js"

/**
 * Faults the sandbox injects at random into the API routes (never into
 * 401, 404 or 405 answers). Each rate is a share of requests, from 0 to 1;
 * together they may not pass 1. Per request, at most one fault happens:
 *
 * - `dropRate`: the connection is destroyed before the request is processed
 *   (the client sees a reset; nothing is stored for the idempotency key).
 * - `rateLimitRate`: 429 `TOO_MANY_REQUESTS` with a `Retry-After` header and
 *   a `retry_after` body field of `retryAfterSeconds`.
 * - `failRate`: 500 `INTERNAL_SERVER_ERROR` or 503 `SERVICE_UNAVAILABLE`
 *   (half each).
 * - `stallRate`: the request is processed (and its answer stored for its
 *   idempotency key), the status line, the headers and all the body but its
 *   last two bytes are sent, and the body never finishes; a retry with the
 *   same key gets the stored answer.
 *
 * 429 and 5xx answers are never stored for an idempotency key, so a retry
 * with the same key runs again. `latency` is added to every API request,
 * while its idempotency key is reserved (a negative one, which Effect 4 can
 * express, counts as none).
 *
 * @since 0.3.0
 * @category options
 */
export interface Faults<DurationInput> {
  readonly failRate?: number | undefined
  readonly rateLimitRate?: number | undefined
  /** The wait a 429 asks for, in seconds; default 1. */
  readonly retryAfterSeconds?: number | undefined
  readonly stallRate?: number | undefined
  readonly dropRate?: number | undefined
  readonly latency?: DurationInput | undefined
}

/**
 * The options of the sandbox server, with each line's seed and durations.
 *
 * @since 0.3.0
 * @category options
 */
export interface SandboxOptions<Seed, DurationInput> {
  /** The port on 127.0.0.1; default 0 (a free port). */
  readonly port?: number | undefined
  /** The API key clients must send as `Authorization: Bearer …`; default a random one. */
  readonly apiKey?: string | undefined
  /** What the sandbox holds; default `defaultSeed`. */
  readonly seed?: Seed | undefined
  /** Random faults; default none. */
  readonly faults?: Faults<DurationInput> | undefined
  /** Seeds the fault dice, for repeatable runs; default random. */
  readonly randomSeed?: number | undefined
  /** How many recent requests `requests` keeps; default 1000. */
  readonly logSize?: number | undefined
  /**
   * The fintech's Authentication URI, which `authorization_test` answers with
   * `auth_request_id` appended; default a placeholder (`setUris` changes it).
   */
  readonly authenticationUri?: string | undefined
}

/**
 * Checked faults: cumulative thresholds for one roll of the dice.
 *
 * @since 0.3.0
 * @category options
 */
export interface ResolvedFaults<Duration> {
  readonly enabled: boolean
  readonly drop: number
  readonly rateLimit: number
  readonly fail: number
  readonly stall: number
  readonly retryAfterSeconds: number
  readonly latency: Duration
}

/**
 * Checked options.
 *
 * @since 0.3.0
 * @category options
 */
export interface Resolved<Duration> {
  readonly port: number
  readonly apiKey: string
  readonly faults: ResolvedFaults<Duration>
  readonly logSize: number
}

/**
 * The defaults of the options that have a fixed one.
 *
 * @since 0.3.0
 * @category options
 */
export const defaults = {
  port: 0,
  retryAfterSeconds: 1,
  latencyMillis: 0,
  logSize: 1000
} as const

const invalid = (message: string): Checked<never> => ({ ok: false, problem: message })

const rate = (name: string, value: number | undefined): Checked<number> =>
  value === undefined
    ? { ok: true, value: 0 }
    : Number.isFinite(value) && value >= 0 && value <= 1
    ? { ok: true, value }
    : invalid(`${name} must be a number from 0 to 1, got ${value}`)

/**
 * Checks and completes the options (a random API key when there is none);
 * the problem is the first one found.
 *
 * @since 0.3.0
 * @category checks
 */
export const resolve = <Seed, I, D>(
  options: SandboxOptions<Seed, I>,
  durations: Durations<I, D>
): Checked<Resolved<D>> => {
  const port = options.port ?? defaults.port
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    return invalid(`port must be an integer from 0 to 65535, got ${port}`)
  }
  const apiKey = options.apiKey ?? `sandbox_${crypto.randomUUID().replaceAll("-", "")}`
  if (!/^[\x21-\x7E]{1,200}$/.test(apiKey)) return invalid("apiKey must be 1 to 200 visible ASCII characters")
  const faults = options.faults ?? {}
  const drop = rate("dropRate", faults.dropRate)
  if (!drop.ok) return drop
  const rateLimit = rate("rateLimitRate", faults.rateLimitRate)
  if (!rateLimit.ok) return rateLimit
  const fail = rate("failRate", faults.failRate)
  if (!fail.ok) return fail
  const stall = rate("stallRate", faults.stallRate)
  if (!stall.ok) return stall
  const total = drop.value + rateLimit.value + fail.value + stall.value
  if (total > 1 + 1e-9) return invalid("the fault rates add up to more than 1")
  const retryAfterSeconds = faults.retryAfterSeconds ?? defaults.retryAfterSeconds
  if (!Number.isInteger(retryAfterSeconds) || retryAfterSeconds < 0) {
    return invalid("retryAfterSeconds must be a whole number of seconds")
  }
  const latencyInput = faults.latency ?? undefined // `null`, too, is no latency
  const latency = latencyInput === undefined
    ? durations.millis(defaults.latencyMillis)
    : durations.decode(latencyInput)
  if (latency === undefined || !durations.isFinite(latency)) return invalid("latency must be a finite duration")
  const logSize = options.logSize ?? defaults.logSize
  if (!Number.isInteger(logSize) || logSize < 0) return invalid("logSize must be a whole number")
  return {
    ok: true,
    value: {
      port,
      apiKey,
      logSize,
      faults: {
        enabled: total > 0,
        drop: drop.value,
        rateLimit: drop.value + rateLimit.value,
        fail: drop.value + rateLimit.value + fail.value,
        stall: total,
        retryAfterSeconds,
        latency: durations.toMillis(latency) < 0 ? durations.millis(0) : latency
      }
    }
  }
}
