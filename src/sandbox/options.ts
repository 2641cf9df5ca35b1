/**
 * The sandbox server's options, and their check.
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import type { Seed } from "../model/Seed.js"

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
 * while its idempotency key is reserved.
 *
 * @since 0.1.0
 * @category options
 */
export interface Faults {
  readonly failRate?: number | undefined
  readonly rateLimitRate?: number | undefined
  /** The wait a 429 asks for, in seconds; default 1. */
  readonly retryAfterSeconds?: number | undefined
  readonly stallRate?: number | undefined
  readonly dropRate?: number | undefined
  readonly latency?: Duration.DurationInput | undefined
}

/**
 * The options of the sandbox server.
 *
 * @since 0.1.0
 * @category options
 */
export interface SandboxOptions {
  /** The port on 127.0.0.1; default 0 (a free port). */
  readonly port?: number | undefined
  /** The API key clients must send as `Authorization: Bearer …`; default a random one. */
  readonly apiKey?: string | undefined
  /** What the sandbox holds; default `defaultSeed`. */
  readonly seed?: Seed | undefined
  /** Random faults; default none. */
  readonly faults?: Faults | undefined
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
 * The sandbox could not start: invalid options, or the port could not be
 * listened on.
 *
 * @since 0.1.0
 * @category errors
 */
export class SandboxError extends Data.TaggedError("SandboxError")<{
  readonly reason: "InvalidOptions" | "Listen"
  readonly message: string
  readonly cause?: unknown
}> {}

/**
 * Checked faults: cumulative thresholds for one roll of the dice.
 *
 * @since 0.1.0
 * @category internal
 */
export interface ResolvedFaults {
  readonly enabled: boolean
  readonly drop: number
  readonly rateLimit: number
  readonly fail: number
  readonly stall: number
  readonly retryAfterSeconds: number
  readonly latency: Duration.Duration
}

/**
 * Checked options.
 *
 * @since 0.1.0
 * @category internal
 */
export interface Resolved {
  readonly port: number
  readonly apiKey: string
  readonly faults: ResolvedFaults
  readonly logSize: number
}

const invalid = (message: string) => Either.left(new SandboxError({ reason: "InvalidOptions", message }))

const rate = (name: string, value: number | undefined): Either.Either<number, SandboxError> =>
  value === undefined
    ? Either.right(0)
    : Number.isFinite(value) && value >= 0 && value <= 1
    ? Either.right(value)
    : invalid(`${name} must be a number from 0 to 1, got ${value}`)

/**
 * Checks and completes the options.
 *
 * @since 0.1.0
 * @category internal
 */
export const resolve = (options: SandboxOptions): Either.Either<Resolved, SandboxError> =>
  Either.gen(function*() {
    const port = options.port ?? 0
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      return yield* invalid(`port must be an integer from 0 to 65535, got ${port}`)
    }
    const apiKey = options.apiKey ?? `sandbox_${crypto.randomUUID().replaceAll("-", "")}`
    if (!/^[\x21-\x7E]{1,200}$/.test(apiKey)) {
      return yield* invalid("apiKey must be 1 to 200 visible ASCII characters")
    }
    const faults = options.faults ?? {}
    const drop = yield* rate("dropRate", faults.dropRate)
    const rateLimit = yield* rate("rateLimitRate", faults.rateLimitRate)
    const fail = yield* rate("failRate", faults.failRate)
    const stall = yield* rate("stallRate", faults.stallRate)
    if (drop + rateLimit + fail + stall > 1 + 1e-9) return yield* invalid("the fault rates add up to more than 1")
    const retryAfterSeconds = faults.retryAfterSeconds ?? 1
    if (!Number.isInteger(retryAfterSeconds) || retryAfterSeconds < 0) {
      return yield* invalid("retryAfterSeconds must be a whole number of seconds")
    }
    const latency = Duration.decodeUnknown(faults.latency ?? Duration.zero)
    if (latency._tag === "None" || !Duration.isFinite(latency.value)) {
      return yield* invalid("latency must be a finite duration")
    }
    const logSize = options.logSize ?? 1000
    if (!Number.isInteger(logSize) || logSize < 0) return yield* invalid("logSize must be a whole number")
    return {
      port,
      apiKey,
      logSize,
      faults: {
        enabled: drop + rateLimit + fail + stall > 0,
        drop,
        rateLimit: drop + rateLimit,
        fail: drop + rateLimit + fail,
        stall: drop + rateLimit + fail + stall,
        retryAfterSeconds,
        latency: latency.value
      }
    }
  })
