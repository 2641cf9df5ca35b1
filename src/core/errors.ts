/**
 * The rules of the client's errors that are not Effect: which error a status
 * gives, which errors may succeed if tried again, and every error's message.
 * Both Effect lines build their error classes on these, so that the same
 * failure reads the same, word for word, on either line.
 *
 * @since 0.3.0
 */
import type { OperationName } from "./operations.js"

/**
 * The tags of the errors made from an HTTP status (the status decides, never
 * the `status` field inside the body, which can disagree).
 *
 * @since 0.3.0
 * @category errors
 */
export type StatusErrorTag =
  | "BadRequest"
  | "Unauthorized"
  | "Forbidden"
  | "NotFound"
  | "Conflict"
  | "Unprocessable"
  | "RateLimited"
  | "Internal"
  | "UnexpectedStatus"

/**
 * Every error tag.
 *
 * @since 0.3.0
 * @category errors
 */
export type ErrorTag = StatusErrorTag | "NetworkError" | "Timeout" | "InvalidResponse" | "InvalidInput"

const byStatus: Readonly<Record<number, StatusErrorTag>> = {
  400: "BadRequest",
  401: "Unauthorized",
  403: "Forbidden",
  404: "NotFound",
  409: "Conflict",
  422: "Unprocessable",
  429: "RateLimited"
}

/**
 * The error a non-2xx status gives: 400, 401, 403, 404, 409, 422 and 429 each
 * their own, any 5xx `Internal`, anything else `UnexpectedStatus`.
 *
 * @since 0.3.0
 * @category errors
 */
export const statusTag = (status: number): StatusErrorTag =>
  byStatus[status] ?? (status >= 500 && status <= 599 ? "Internal" : "UnexpectedStatus")

/**
 * What {@link isTransient} reads of an error: any error of either line has
 * these fields.
 *
 * @since 0.3.0
 * @category errors
 */
export interface TransienceFacts {
  readonly _tag: ErrorTag
  readonly status?: number | undefined
  readonly code?: string | undefined
  readonly limit?: "attempt" | "deadline" | undefined
  readonly maybeApplied?: true | undefined
}

const transientStatuses: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504])

/**
 * Whether trying the same call again later may succeed: network errors and
 * attempt timeouts, 408, 429, 5xx but 501 and 505+, and
 * `IDEMPOTENCY_CONCURRENT_USE`; never `IDEMPOTENCY_INVALID_REUSE`, a refused
 * input or an unreadable 2xx, nor a failure that may have been applied
 * (`maybeApplied`: repeating it could apply it twice).
 *
 * @since 0.3.0
 * @category errors
 */
export const isTransient = (error: TransienceFacts): boolean => {
  switch (error._tag) {
    case "NetworkError":
      return error.maybeApplied !== true
    case "Timeout":
      return error.limit === "attempt" && error.maybeApplied !== true
    case "InvalidResponse":
    case "InvalidInput":
      return false
  }
  if (error.maybeApplied === true) return false
  if (error.code === "IDEMPOTENCY_INVALID_REUSE") return false
  if (error.code === "IDEMPOTENCY_CONCURRENT_USE") return true
  return error.status !== undefined && transientStatuses.has(error.status)
}

/**
 * A length of time as Effect 3's `Duration.format` writes it (`"1s 500ms"`,
 * `"0"`, `"Infinity"`), from milliseconds, so that both lines say it alike.
 *
 * @since 0.3.0
 * @category messages
 */
export const formatMillis = (millis: number): string => {
  if (millis === Number.POSITIVE_INFINITY) return "Infinity"
  const nanos = BigInt(Math.round(millis * 1_000_000))
  if (nanos === 0n) return "0"
  const ms = nanos / 1_000_000n
  const sec = ms / 1000n
  const min = sec / 60n
  const hr = min / 60n
  const fragments: ReadonlyArray<readonly [bigint, string]> = [
    [hr / 24n, "d"],
    [hr % 24n, "h"],
    [min % 60n, "m"],
    [sec % 60n, "s"],
    [ms % 1000n, "ms"],
    [nanos % 1_000_000n, "ns"]
  ]
  return fragments.filter(([value]) => value !== 0n).map(([value, unit]) => `${value}${unit}`).join(" ")
}

const attemptsText = (attempts: number): string => `after ${attempts} attempt${attempts === 1 ? "" : "s"}`

const maybeAppliedText = (error: { readonly maybeApplied?: true | undefined }): string =>
  error.maybeApplied === true ? "; the request may or may not have been applied: check before repeating it" : ""

/**
 * The fields every error made from an HTTP response carries.
 *
 * @since 0.3.0
 * @category messages
 */
export interface ResponseFacts {
  readonly operation: OperationName
  readonly status: number
  readonly code?: string | undefined
  readonly detail?: string | undefined
  readonly requestId?: string | undefined
  readonly attempts: number
}

const statusLabels: Readonly<Record<Exclude<StatusErrorTag, "RateLimited" | "Internal" | "UnexpectedStatus">, string>> =
  {
    BadRequest: "Bad Request",
    Unauthorized: "Unauthorized",
    Forbidden: "Forbidden",
    NotFound: "Not Found",
    Conflict: "Conflict",
    Unprocessable: "Unprocessable Entity"
  }

const describeResponse = (error: ResponseFacts, label: string): string => {
  const code = error.code === undefined ? "" : ` ${error.code}`
  const detail = error.detail === undefined ? "" : `: ${error.detail}`
  const requestId = error.requestId === undefined ? "" : ` [request id ${error.requestId}]`
  return `Synctera ${error.operation} failed with ${error.status} ${label}${code}${detail}${requestId} ${
    attemptsText(error.attempts)
  }`
}

/**
 * Every error's message, by tag, from its fields (durations in milliseconds).
 *
 * @since 0.3.0
 * @category messages
 */
export const messages = {
  response: (tag: keyof typeof statusLabels, error: ResponseFacts): string =>
    describeResponse(error, statusLabels[tag]),
  rateLimited: (error: ResponseFacts & { readonly retryAfterMillis?: number | undefined }): string => {
    const wait = error.retryAfterMillis === undefined ? "" : ` (retry after ${formatMillis(error.retryAfterMillis)})`
    return describeResponse(error, "Too Many Requests") + wait
  },
  internal: (error: ResponseFacts & { readonly maybeApplied?: true | undefined }): string =>
    describeResponse(error, "Server Error") + maybeAppliedText(error),
  unexpectedStatus: (
    error: ResponseFacts & { readonly location?: string | undefined; readonly maybeApplied?: true | undefined }
  ): string => {
    const location = error.location === undefined ? "" : ` (redirect to ${error.location} not followed)`
    return describeResponse(error, "Unexpected Status") + location + maybeAppliedText(error)
  },
  networkError: (error: {
    readonly operation: OperationName
    readonly attempts: number
    readonly description: string
    readonly maybeApplied?: true | undefined
  }): string =>
    `Synctera ${error.operation} failed: network error: ${error.description} ${attemptsText(error.attempts)}${
      maybeAppliedText(error)
    }`,
  timeout: (error: {
    readonly operation: OperationName
    readonly attempts: number
    readonly limit: "attempt" | "deadline"
    readonly afterMillis: number
    readonly maybeApplied?: true | undefined
  }): string => {
    const what = error.limit === "attempt" ? "attempt timed out" : "deadline passed"
    return `Synctera ${error.operation} failed: ${what} after ${formatMillis(error.afterMillis)} (${
      attemptsText(error.attempts)
    })${maybeAppliedText(error)}`
  },
  invalidResponse: (error: {
    readonly operation: OperationName
    readonly status: number
    readonly attempts: number
    readonly requestId?: string | undefined
    readonly reason: string
    readonly description: string
  }): string => {
    const requestId = error.requestId === undefined ? "" : ` [request id ${error.requestId}]`
    return `Synctera ${error.operation} returned ${error.status} with an unreadable body (${error.reason}): ${error.description}${requestId} ${
      attemptsText(error.attempts)
    }`
  },
  invalidInput: (error: { readonly operation: OperationName; readonly description: string }): string =>
    `Synctera ${error.operation} refused its input: ${error.description}`
} as const
