/**
 * What the sandbox model answers, at the wire level: an HTTP status, a JSON
 * body in Synctera's snake_case shape, and headers; and which answers an
 * idempotency key keeps.
 *
 * Error bodies are written in the wire shape the client reads
 * ({@link ErrorBodyJson}), so the model cannot drift from what the client
 * decodes.
 *
 * @since 0.3.0
 */
import type { ErrorBodyJson } from "./wire.js"

/**
 * A Synctera v1 error body as sent: `{ code, detail, status }`, `retry_after`
 * on a 429, and the extra fields some codes carry (`missing`, `invalid`).
 *
 * @since 0.3.0
 * @category outcome
 */
export interface WireError extends ErrorBodyJson {
  readonly missing?: ReadonlyArray<string>
  readonly invalid?: ReadonlyArray<string>
}

/**
 * A 2xx answer: its status (200, or 201 for what creates something) and its
 * body, a JSON value in Synctera's wire shape.
 *
 * @since 0.3.0
 * @category outcome
 */
export interface Success {
  readonly _tag: "Success"
  readonly status: 200 | 201
  readonly body: unknown
}

/**
 * A non-2xx answer.
 *
 * @since 0.3.0
 * @category outcome
 */
export interface Failure {
  readonly _tag: "Failure"
  readonly status: number
  readonly body: WireError
  /** Extra response headers, lower-case names (for example `retry-after`). */
  readonly headers?: Readonly<Record<string, string>> | undefined
}

/**
 * An answer of the model.
 *
 * @since 0.3.0
 * @category outcome
 */
export type Outcome = Success | Failure

/**
 * A failure to inject (`failNext`, or the sandbox's random faults). `code`
 * and `detail` default to the usual ones for the status; `retryAfter` (in
 * seconds, 429 only) is sent both as the `Retry-After` header and as the
 * body's `retry_after`.
 *
 * @since 0.3.0
 * @category outcome
 */
export interface InjectedFailure {
  readonly status: number
  readonly code?: string | undefined
  readonly detail?: string | undefined
  readonly retryAfter?: number | undefined
}

/**
 * A success outcome.
 *
 * @since 0.3.0
 * @category outcome
 */
export const success = (status: 200 | 201, body: unknown): Success => ({ _tag: "Success", status, body })

/**
 * A failure outcome. Its body keeps the wire shape's own rules: a status that
 * is not an integer, or a `retryAfter` that is not a non-negative number, is
 * the caller's bug and throws (as encoding it with the `ErrorBody` schema
 * did).
 *
 * @since 0.3.0
 * @category outcome
 */
export const failure = (
  status: number,
  code: string,
  detail: string,
  extra: {
    readonly retryAfter?: number | undefined
    readonly missing?: ReadonlyArray<string>
    readonly invalid?: ReadonlyArray<string>
    readonly headers?: Readonly<Record<string, string>>
  } = {}
): Failure => {
  if (!Number.isSafeInteger(status)) throw new RangeError(`an error body's status must be an integer, got ${status}`)
  const retryAfter = extra.retryAfter
  if (retryAfter !== undefined && !(retryAfter >= 0)) {
    throw new RangeError(`an error body's retry_after must be a non-negative number, got ${retryAfter}`)
  }
  return {
    _tag: "Failure",
    status,
    body: {
      code,
      detail,
      status,
      ...(retryAfter === undefined ? {} : { retry_after: retryAfter }),
      ...(extra.missing === undefined ? {} : { missing: extra.missing }),
      ...(extra.invalid === undefined ? {} : { invalid: extra.invalid })
    },
    headers: extra.headers
  }
}

const defaultCodes: Readonly<Record<number, readonly [code: string, detail: string]>> = {
  400: ["BAD_REQUEST", "the request is malformed"],
  401: ["UNAUTHORIZED", "missing or invalid API key"],
  403: ["FORBIDDEN", "this API key may not do this"],
  404: ["RESOURCE_NOT_FOUND", "the resource does not exist"],
  409: ["IDEMPOTENCY_CONCURRENT_USE", "a request with this idempotency key is still in progress"],
  422: ["UNPROCESSABLE_ENTITY", "the request cannot be processed"],
  429: ["TOO_MANY_REQUESTS", "rate limit exceeded, slow down"],
  500: ["INTERNAL_SERVER_ERROR", "an internal error occurred"],
  502: ["BAD_GATEWAY", "bad gateway"],
  503: ["SERVICE_UNAVAILABLE", "the service is temporarily unavailable"],
  504: ["GATEWAY_TIMEOUT", "gateway timeout"]
}

/**
 * The outcome of an injected failure, with the default code and detail of its
 * status when none is given.
 *
 * @since 0.3.0
 * @category outcome
 */
export const injected = (injection: InjectedFailure): Failure => {
  const [code, detail] = defaultCodes[injection.status] ?? ["INJECTED_FAILURE", "injected failure"]
  const retryAfter = injection.status === 429 ? injection.retryAfter : undefined
  return failure(injection.status, injection.code ?? code, injection.detail ?? `${detail} (injected)`, {
    retryAfter,
    ...(retryAfter === undefined ? {} : { headers: { "retry-after": String(retryAfter) } })
  })
}

/**
 * Whether an answer is kept for its idempotency key. Synctera keeps every
 * answer except 5xx and 429 ones; the model also never keeps a 409, which
 * means "not processed, try again" (a concurrent-use answer is never stored
 * either).
 *
 * @since 0.3.0
 * @category outcome
 */
export const isCacheable = (outcome: Outcome): boolean =>
  outcome.status !== 429 && outcome.status !== 409 && !(outcome.status >= 500 && outcome.status <= 599)
