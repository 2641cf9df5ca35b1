/**
 * How long a server asked us to wait before the next attempt.
 *
 * @internal
 */
import type * as Headers from "@effect/platform/Headers"
import * as Duration from "effect/Duration"
import type { ErrorBody } from "../schemas/ErrorBody.js"

const decimal = /^\s*\d+(\.\d+)?\s*$/

const fromSeconds = (text: string): Duration.Duration | undefined =>
  decimal.test(text) ? Duration.millis(Math.ceil(Number.parseFloat(text) * 1000)) : undefined

/**
 * Reads, in this order: `retry-after-ms` (milliseconds), `Retry-After`
 * (seconds, or an HTTP date measured against `nowMillis`), and the body's
 * `retry_after` (seconds). A value that does not parse is ignored; a date in
 * the past means "now".
 */
export const parseRetryAfter = (
  headers: Headers.Headers,
  body: ErrorBody,
  nowMillis: number
): Duration.Duration | undefined => {
  const ms = headers["retry-after-ms"]
  if (ms !== undefined && decimal.test(ms)) return Duration.millis(Math.ceil(Number.parseFloat(ms)))
  const header = headers["retry-after"]
  if (header !== undefined) {
    const seconds = fromSeconds(header)
    if (seconds !== undefined) return seconds
    const date = Date.parse(header)
    if (!Number.isNaN(date) && /[a-z]/i.test(header)) return Duration.millis(Math.max(0, date - nowMillis))
  }
  if (body.retryAfter !== undefined) return Duration.millis(Math.ceil(body.retryAfter * 1000))
  return undefined
}

const requestIdHeaders = ["x-request-id", "request-id", "x-amzn-requestid", "x-correlation-id"] as const

/** The first request id header the response carries, for support tickets. */
export const requestIdOf = (headers: Headers.Headers): string | undefined => {
  for (const name of requestIdHeaders) {
    const value = headers[name]
    if (value !== undefined && value !== "") return value.slice(0, 200)
  }
  return undefined
}
