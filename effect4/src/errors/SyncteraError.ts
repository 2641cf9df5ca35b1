/**
 * Every way a Synctera call can fail, as data.
 *
 * The HTTP status decides the error (never the `status` field inside the body,
 * which can disagree): 400 {@link BadRequest}, 401 {@link Unauthorized}, 403
 * {@link Forbidden}, 404 {@link NotFound}, 409 {@link Conflict}, 422
 * {@link Unprocessable}, 429 {@link RateLimited}, 5xx {@link Internal}, any
 * other non-2xx {@link UnexpectedStatus}. Beyond statuses: {@link NetworkError},
 * {@link Timeout}, {@link InvalidResponse} (a 2xx the client cannot read) and
 * {@link InvalidInput} (refused before any request was sent).
 *
 * Each error says which operation failed and after how many attempts; the
 * response errors add the status, the body's `code` and `detail`, the request
 * id header and the raw body (bounded). None of them ever holds the API key.
 *
 * Each is an Effect 4 `Schema.TaggedError` whose identifier is namespaced
 * (`"effect-synctera/BadRequest"`, …) while its `name`, like its `_tag`, is
 * the bare tag (`"BadRequest"`), so that it prints as `BadRequest: …`. The
 * messages are the core's (`core/errors.ts`), word for word the Effect 3
 * line's.
 *
 * @example
 * ```ts
 * import { Synctera } from "effect-synctera/effect4"
 * import { Effect } from "effect"
 *
 * const token = Synctera.getWidgetToken({
 *   cardId: "7d943c51-e4ff-4e57-9558-08cab6b963c7",
 *   widgetType: "REVEAL"
 * }).pipe(
 *   Effect.catchTags({
 *     Forbidden: (e) => Effect.fail(`not your card: ${e.detail ?? e.message}`),
 *     Unprocessable: (e) => Effect.fail(`card cannot be revealed: ${e.code}`)
 *   })
 * )
 * ```
 *
 * @since 0.3.0
 */
import * as Duration from "effect/Duration"
import * as Schema from "effect/Schema"
import * as Core from "../../../src/core/errors.js"
import { operationNames } from "../../../src/core/operations.js"

/**
 * The client operations, as named in errors, spans and logs.
 *
 * @example
 * ```ts
 * import { Operation } from "effect-synctera/effect4"
 * import { Schema } from "effect"
 *
 * const isOperation = Schema.is(Operation)
 * isOperation("getFdxToken") // true
 * ```
 *
 * @since 0.3.0
 * @category errors
 */
export const Operation = Schema.Literals(operationNames)

/**
 * The operation that failed (a stream's page calls report as the list
 * operation: `streamFdxTokens` as `listFdxTokens`).
 *
 * @since 0.3.0
 * @category errors
 */
export type Operation = typeof Operation.Type

/** The fields every error made from an HTTP response carries. */
const responseFields = {
  /** The operation that failed. */
  operation: Operation,
  /** The HTTP status of the last response. */
  status: Schema.Int,
  /** The body's machine-readable `code`, when it had one. */
  code: Schema.optional(Schema.String),
  /** The body's human-readable `detail`, when it had one. */
  detail: Schema.optional(Schema.String),
  /** The request id the server sent (`x-request-id` or similar), for support. */
  requestId: Schema.optional(Schema.String),
  /** How many attempts were made, retries included. */
  attempts: Schema.Int,
  /** The raw response body, cut to a bounded length. */
  body: Schema.optional(Schema.String)
}

/**
 * Set on the failures after which a request that changes something (a grant,
 * `authorization_test`) may or may not have been applied: a 500, 502 or 504,
 * a timeout, a connection that broke after the request was sent. Such a
 * request is never retried blindly; find out what happened before repeating
 * it (the README's "After an ambiguous failure").
 */
const maybeAppliedField = {
  /** `true` when the request may or may not have been applied (see {@link isTransient}). */
  maybeApplied: Schema.optional(Schema.Literal(true))
}

/**
 * 400: Synctera refused the request as malformed. Not retried.
 *
 * @example
 * ```ts
 * import { BadRequest } from "effect-synctera/effect4"
 *
 * const error = new BadRequest({ operation: "grantFdxAuthRequest", status: 400, code: "BAD_REQUEST_BODY", attempts: 1 })
 * error.message // "Synctera grantFdxAuthRequest failed with 400 Bad Request BAD_REQUEST_BODY after 1 attempt"
 * ```
 *
 * @since 0.3.0
 * @category errors
 */
export class BadRequest extends Schema.TaggedError<BadRequest>("effect-synctera/BadRequest")(
  "BadRequest",
  responseFields
) {
  /** The tag, as Effect 3's errors name themselves (the identifier is namespaced). */
  override get name(): string {
    return "BadRequest"
  }

  override get message(): string {
    return Core.messages.response("BadRequest", this)
  }
}

/**
 * 401: the API key is missing, wrong, or for the other environment (a sandbox
 * key against production, or the reverse). Not retried.
 *
 * @since 0.3.0
 * @category errors
 */
export class Unauthorized extends Schema.TaggedError<Unauthorized>("effect-synctera/Unauthorized")(
  "Unauthorized",
  responseFields
) {
  /** The tag, as Effect 3's errors name themselves (the identifier is namespaced). */
  override get name(): string {
    return "Unauthorized"
  }

  override get message(): string {
    return Core.messages.response("Unauthorized", this)
  }
}

/**
 * 403: the key may not do this, or the resource belongs to someone else. Not
 * retried.
 *
 * @since 0.3.0
 * @category errors
 */
export class Forbidden extends Schema.TaggedError<Forbidden>("effect-synctera/Forbidden")(
  "Forbidden",
  responseFields
) {
  /** The tag, as Effect 3's errors name themselves (the identifier is namespaced). */
  override get name(): string {
    return "Forbidden"
  }

  override get message(): string {
    return Core.messages.response("Forbidden", this)
  }
}

/**
 * 404: no such card or FDX token (`RESOURCE_NOT_FOUND`). Not retried.
 *
 * @since 0.3.0
 * @category errors
 */
export class NotFound extends Schema.TaggedError<NotFound>("effect-synctera/NotFound")(
  "NotFound",
  responseFields
) {
  /** The tag, as Effect 3's errors name themselves (the identifier is namespaced). */
  override get name(): string {
    return "NotFound"
  }

  override get message(): string {
    return Core.messages.response("NotFound", this)
  }
}

/**
 * 409: a conflict. `IDEMPOTENCY_CONCURRENT_USE` (an earlier request with the
 * same idempotency key is still running) is retried, since the retry receives
 * the first request's answer, and surfaced when retries run out. Any other
 * 409 ("Resource already exists": an auth request already decided) is final.
 *
 * @since 0.3.0
 * @category errors
 */
export class Conflict extends Schema.TaggedError<Conflict>("effect-synctera/Conflict")(
  "Conflict",
  responseFields
) {
  /** The tag, as Effect 3's errors name themselves (the identifier is namespaced). */
  override get name(): string {
    return "Conflict"
  }

  override get message(): string {
    return Core.messages.response("Conflict", this)
  }
}

/**
 * 422: the request is well-formed but cannot be done (for example a terminated
 * card), or `IDEMPOTENCY_INVALID_REUSE`: the idempotency key was already used
 * for a different request. Not retried, except `IDEMPOTENCY_CONCURRENT_USE`,
 * which Synctera's error list also gives as a 422.
 *
 * @since 0.3.0
 * @category errors
 */
export class Unprocessable extends Schema.TaggedError<Unprocessable>("effect-synctera/Unprocessable")(
  "Unprocessable",
  responseFields
) {
  /** The tag, as Effect 3's errors name themselves (the identifier is namespaced). */
  override get name(): string {
    return "Unprocessable"
  }

  override get message(): string {
    return Core.messages.response("Unprocessable", this)
  }
}

/**
 * 429: too many requests. Retried after the wait the server asked for, unless
 * that wait is longer than the client allows or would pass the call's
 * deadline; then this error comes back at once with `retryAfter`, so the
 * caller can schedule the call again.
 *
 * @since 0.3.0
 * @category errors
 */
export class RateLimited extends Schema.TaggedError<RateLimited>("effect-synctera/RateLimited")(
  "RateLimited",
  {
    ...responseFields,
    /** The wait the server asked for (`Retry-After`, `retry-after-ms` or the body's `retry_after`). */
    retryAfter: Schema.optional(Schema.Duration)
  }
) {
  /** The tag, as Effect 3's errors name themselves (the identifier is namespaced). */
  override get name(): string {
    return "RateLimited"
  }

  override get message(): string {
    return Core.messages.rateLimited({
      ...this,
      retryAfterMillis: this.retryAfter === undefined ? undefined : Duration.toMillis(this.retryAfter)
    })
  }
}

/**
 * 5xx: Synctera (or a gateway in front of it) failed. 500, 502, 503 and 504
 * are retried; others (501, …) are not. For a grant only 503 is retried: after
 * a 500, 502 or 504 it fails at once with `maybeApplied: true`.
 *
 * @since 0.3.0
 * @category errors
 */
export class Internal extends Schema.TaggedError<Internal>("effect-synctera/Internal")(
  "Internal",
  { ...responseFields, ...maybeAppliedField }
) {
  /** The tag, as Effect 3's errors name themselves (the identifier is namespaced). */
  override get name(): string {
    return "Internal"
  }

  override get message(): string {
    return Core.messages.internal(this)
  }
}

/**
 * Any other non-2xx status: a redirect (never followed, so the API key never
 * goes to another host), 408, 499 `REQUEST_CANCELED`, an unexpected 4xx. 408
 * is retried; the others are not.
 *
 * @since 0.3.0
 * @category errors
 */
export class UnexpectedStatus extends Schema.TaggedError<UnexpectedStatus>("effect-synctera/UnexpectedStatus")(
  "UnexpectedStatus",
  {
    ...responseFields,
    /** The `Location` header of a redirect, when there was one. */
    location: Schema.optional(Schema.String),
    ...maybeAppliedField
  }
) {
  /** The tag, as Effect 3's errors name themselves (the identifier is namespaced). */
  override get name(): string {
    return "UnexpectedStatus"
  }

  override get message(): string {
    return Core.messages.unexpectedStatus(this)
  }
}

/**
 * The request never got a complete answer: connection refused or reset, DNS,
 * TLS, or the body broke off. Retried, except for a grant whose request may
 * have reached Synctera (`maybeApplied`).
 *
 * @since 0.3.0
 * @category errors
 */
export class NetworkError extends Schema.TaggedError<NetworkError>("effect-synctera/NetworkError")(
  "NetworkError",
  {
    operation: Operation,
    attempts: Schema.Int,
    /** What the transport reported. */
    description: Schema.String,
    ...maybeAppliedField
  }
) {
  /** The tag, as Effect 3's errors name themselves (the identifier is namespaced). */
  override get name(): string {
    return "NetworkError"
  }

  override get message(): string {
    return Core.messages.networkError(this)
  }
}

/**
 * The call took too long: one attempt passed the per-attempt `timeout`
 * (retried, except for a grant: `maybeApplied`), or the whole call passed its
 * `deadline` (final).
 *
 * @example
 * ```ts
 * import { Timeout } from "effect-synctera/effect4"
 * import { Duration } from "effect"
 *
 * const error = new Timeout({ operation: "getFdxToken", attempts: 1, limit: "attempt", after: Duration.seconds(10) })
 * error.message // "Synctera getFdxToken failed: attempt timed out after 10s (after 1 attempt)"
 * ```
 *
 * @since 0.3.0
 * @category errors
 */
export class Timeout extends Schema.TaggedError<Timeout>("effect-synctera/Timeout")(
  "Timeout",
  {
    operation: Operation,
    attempts: Schema.Int,
    /** Which limit was reached. */
    limit: Schema.Literals(["attempt", "deadline"]),
    /** The limit's length. */
    after: Schema.Duration,
    ...maybeAppliedField
  }
) {
  /** The tag, as Effect 3's errors name themselves (the identifier is namespaced). */
  override get name(): string {
    return "Timeout"
  }

  override get message(): string {
    return Core.messages.timeout({ ...this, afterMillis: Duration.toMillis(this.after) })
  }
}

/**
 * A 2xx response the client could not read: not JSON, not the documented
 * shape, empty, of another content type, or larger than the body limit. It
 * carries what was received. Not retried: with an idempotency key, Synctera
 * would replay the same answer.
 *
 * @since 0.3.0
 * @category errors
 */
export class InvalidResponse extends Schema.TaggedError<InvalidResponse>("effect-synctera/InvalidResponse")(
  "InvalidResponse",
  {
    operation: Operation,
    status: Schema.Int,
    attempts: Schema.Int,
    requestId: Schema.optional(Schema.String),
    /**
     * What was wrong with the body: not the documented shape (`Decode`),
     * empty, of another content type, too large, or a list page whose
     * `next_page_token` was already given in the same walk through the list
     * (`Pagination`: following it would never end).
     */
    reason: Schema.Literals(["Decode", "Empty", "ContentType", "TooLarge", "Pagination"]),
    /** Details: the schema's or the JSON parser's report, or the limit. */
    description: Schema.String,
    /** The raw body, cut to a bounded length. */
    body: Schema.optional(Schema.String)
  }
) {
  /** The tag, as Effect 3's errors name themselves (the identifier is namespaced). */
  override get name(): string {
    return "InvalidResponse"
  }

  override get message(): string {
    return Core.messages.invalidResponse(this)
  }
}

/**
 * The input was refused before any request was sent: a card or FDX token id
 * that is not a UUID, an unknown widget type, a malformed idempotency key.
 *
 * @since 0.3.0
 * @category errors
 */
export class InvalidInput extends Schema.TaggedError<InvalidInput>("effect-synctera/InvalidInput")(
  "InvalidInput",
  {
    operation: Operation,
    /** Why the input was refused. */
    description: Schema.String
  }
) {
  /** The tag, as Effect 3's errors name themselves (the identifier is namespaced). */
  override get name(): string {
    return "InvalidInput"
  }

  override get message(): string {
    return Core.messages.invalidInput(this)
  }
}

/**
 * Everything a Synctera operation can fail with.
 *
 * @since 0.3.0
 * @category errors
 */
export type SyncteraError =
  | BadRequest
  | Unauthorized
  | Forbidden
  | NotFound
  | Conflict
  | Unprocessable
  | RateLimited
  | Internal
  | UnexpectedStatus
  | NetworkError
  | Timeout
  | InvalidResponse
  | InvalidInput

/**
 * The schema of {@link SyncteraError}, to send errors over the wire (RPC,
 * workers) or to decode them back.
 *
 * @example
 * ```ts
 * import { NotFound, SyncteraError } from "effect-synctera/effect4"
 * import { Schema } from "effect"
 *
 * const json = Schema.encodeSync(Schema.toCodecJson(SyncteraError))(
 *   new NotFound({ operation: "getFdxToken", status: 404, attempts: 1 })
 * )
 * const back = Schema.decodeUnknownSync(Schema.toCodecJson(SyncteraError))(json) // a NotFound again
 * ```
 *
 * @since 0.3.0
 * @category errors
 */
export const SyncteraError = Schema.Union([
  BadRequest,
  Unauthorized,
  Forbidden,
  NotFound,
  Conflict,
  Unprocessable,
  RateLimited,
  Internal,
  UnexpectedStatus,
  NetworkError,
  Timeout,
  InvalidResponse,
  InvalidInput
])

/**
 * Whether a value is one of the {@link SyncteraError}s.
 *
 * @example
 * ```ts
 * import { isSyncteraError } from "effect-synctera/effect4"
 *
 * const describe = (error: unknown): string => isSyncteraError(error) ? error._tag : "not from Synctera"
 * ```
 *
 * @since 0.3.0
 * @category errors
 */
export const isSyncteraError: (u: unknown) => u is SyncteraError = Schema.is(SyncteraError)

/**
 * Whether an error is transient: the same call may succeed if it is made
 * again with the same idempotency key. This is the rule the client's own
 * retries follow, exposed for callers who retry at a higher level:
 *
 * - network errors and per-attempt timeouts;
 * - 408, 429, 500, 502, 503, 504;
 * - `IDEMPOTENCY_CONCURRENT_USE` whatever its status (Synctera documents it as
 *   409 on one page and 422 on another);
 * - never `IDEMPOTENCY_INVALID_REUSE`, whatever its status, nor another 409
 *   (in the Plaid Core Exchange operations: "Resource already exists"), nor
 *   any other status, nor an unreadable 2xx, nor refused input, nor a passed
 *   deadline, nor a failure marked `maybeApplied` (a grant that may have
 *   been applied: repeating it blindly could apply it twice).
 *
 * A grant (and `authorization_test`) is retried by the client more narrowly
 * still: only when it cannot have been applied (no connection made, 429, 503,
 * `IDEMPOTENCY_CONCURRENT_USE`); see the README's Retries section.
 *
 * @example
 * ```ts
 * import { Synctera, isTransient } from "effect-synctera/effect4"
 * import { Effect, Schedule } from "effect"
 *
 * // A job-level retry on top of the client's own: only what may succeed again.
 * const reveal = Synctera.getWidgetToken({
 *   cardId: "7d943c51-e4ff-4e57-9558-08cab6b963c7",
 *   widgetType: "REVEAL",
 *   idempotencyKey: "reveal-7d943c51-2024-06-01T12:00"
 * }).pipe(
 *   Effect.retry({ schedule: Schedule.spaced("1 minute"), times: 3, while: isTransient })
 * )
 * ```
 *
 * @since 0.3.0
 * @category errors
 */
export const isTransient = (error: SyncteraError): boolean => Core.isTransient(error)
