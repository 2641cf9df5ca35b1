/**
 * Which failed attempts are retried, which failures leave it unknown whether
 * a request was applied (the rule of each retry class, see `RetryClass` in
 * `operations.ts`), and how long a server asked us to wait: in one place,
 * for both Effect lines.
 *
 * @since 0.3.0
 */
import { isTransient, type TransienceFacts } from "./errors.js"
import type { RetryClass } from "./operations.js"

/**
 * Statuses after which a request may have been applied: the server (or a
 * gateway in front of it) failed while or after handling it. A 503 is taken
 * as "not handled" (the service was unavailable), a 429 as refused.
 */
const ambiguousStatuses: ReadonlySet<number> = new Set([500, 502, 504])

/**
 * Whether an answer with `status` leaves it unknown whether an operation of
 * class `retry` was applied.
 *
 * @since 0.3.0
 * @category retries
 */
export const ambiguousStatus = (retry: RetryClass, status: number): boolean =>
  retry === "applyOnce" && ambiguousStatuses.has(status)

/**
 * Whether a failure without an answer leaves it unknown: a timeout, or a
 * transport failure once a connection was made (the request may have been
 * sent and handled before the connection broke).
 *
 * @since 0.3.0
 * @category retries
 */
export const ambiguousTransport = (retry: RetryClass, connected: boolean): boolean => retry === "applyOnce" && connected

/**
 * Whether a failed attempt is retried. `repeatable` operations: every
 * transient failure (`isTransient`). `applyOnce` operations: only what
 * cannot have been applied: no connection made, 429, 503,
 * `IDEMPOTENCY_CONCURRENT_USE` (ambiguous failures are marked `maybeApplied`
 * and are not transient).
 *
 * @since 0.3.0
 * @category retries
 */
export const mayRetry = (retry: RetryClass, error: TransienceFacts): boolean => {
  if (!isTransient(error)) return false
  if (retry === "repeatable") return true
  switch (error._tag) {
    case "NetworkError":
      return true // not marked maybeApplied: no connection was made
    case "Timeout":
    case "InvalidResponse":
    case "InvalidInput":
      return false
  }
  return error.code === "IDEMPOTENCY_CONCURRENT_USE" || error.status === 429 || error.status === 503
}

/**
 * Response headers by lower-case name.
 *
 * @since 0.3.0
 * @category retries
 */
export type HeaderLookup = Readonly<Record<string, string | undefined>>

const decimal = /^\s*\d+(\.\d+)?\s*$/

/**
 * How long the server asked us to wait, in milliseconds. Reads, in this
 * order: `retry-after-ms` (milliseconds), `Retry-After` (seconds, or an HTTP
 * date measured against `nowMillis`), and the body's `retry_after` (seconds).
 * A value that does not parse is ignored; a date in the past means "now".
 *
 * @since 0.3.0
 * @category retries
 */
export const retryAfterMillis = (
  headers: HeaderLookup,
  bodyRetryAfterSeconds: number | undefined,
  nowMillis: number
): number | undefined => {
  const ms = headers["retry-after-ms"]
  if (ms !== undefined && decimal.test(ms)) return Math.ceil(Number.parseFloat(ms))
  const header = headers["retry-after"]
  if (header !== undefined) {
    if (decimal.test(header)) return Math.ceil(Number.parseFloat(header) * 1000)
    const date = Date.parse(header)
    if (!Number.isNaN(date) && /[a-z]/i.test(header)) return Math.max(0, date - nowMillis)
  }
  if (bodyRetryAfterSeconds !== undefined) return Math.ceil(bodyRetryAfterSeconds * 1000)
  return undefined
}

const requestIdHeaders = ["x-request-id", "request-id", "x-amzn-requestid", "x-correlation-id"] as const

/**
 * The request id a response carries, from the first of the usual headers that
 * has one (cut to 200 characters).
 *
 * @since 0.3.0
 * @category retries
 */
export const requestIdOf = (headers: HeaderLookup): string | undefined => {
  for (const name of requestIdHeaders) {
    const value = headers[name]
    if (value !== undefined && value !== "") return value.slice(0, 200)
  }
  return undefined
}
