/**
 * `ErrorBody`: the body of a Synctera error response, read leniently.
 *
 * @since 0.3.0
 */
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"

/**
 * The body of a Synctera v1 error response (`error` in the API spec):
 * `{ code, detail, status }`. None of the fields is guaranteed ("legacy
 * errors"), and some codes add fields of their own (`missing`, `invalid`, …),
 * which are ignored here and kept in the error's raw `body`.
 *
 * @example
 * ```ts
 * import { ErrorBody } from "effect-synctera/effect4"
 * import { Schema } from "effect"
 *
 * const body = Schema.decodeUnknownSync(ErrorBody)({ code: "RATE_LIMITED", status: 429, retry_after: 2 })
 * // { code: "RATE_LIMITED", status: 429, retryAfter: 2 }
 * ```
 *
 * @since 0.3.0
 * @category schemas
 */
export const ErrorBody = Schema.Struct({
  /** A machine-readable code, e.g. `BAD_REQUEST_BODY`. */
  code: Schema.optional(Schema.String),
  /** A human-readable explanation. */
  detail: Schema.optional(Schema.String),
  /** The HTTP status, as the server saw it (it can disagree with the real one). */
  status: Schema.optional(Schema.Int),
  /** Seconds to wait before retrying (`retry_after`); sent with some 429 answers, not guaranteed. */
  retryAfter: Schema.optional(Schema.Number.check(Schema.isGreaterThanOrEqualTo(0)))
}).pipe(Schema.encodeKeys({ retryAfter: "retry_after" })).annotate({ identifier: "ErrorBody" })

/**
 * A decoded error body: `code`, `detail`, `status` and `retryAfter`, each
 * optional.
 *
 * @since 0.3.0
 * @category schemas
 */
export type ErrorBody = typeof ErrorBody.Type

const decodeStrict = Schema.decodeUnknownOption(ErrorBody)

/**
 * Reads an error body as leniently as a proxy or a legacy endpoint requires:
 * any JSON value is accepted, each field is kept only when it has the right
 * type, and everything else is dropped. Never fails.
 *
 * @example
 * ```ts
 * import { decodeErrorBodyLenient } from "effect-synctera/effect4"
 *
 * decodeErrorBodyLenient({ code: 1, detail: "card is terminated", status: "422" }) // { detail: "card is terminated" }
 * decodeErrorBodyLenient("<html>Bad Gateway</html>") // {}
 * ```
 *
 * @since 0.3.0
 * @category schemas
 */
export const decodeErrorBodyLenient = (json: unknown): ErrorBody => {
  const strict = decodeStrict(json)
  if (strict._tag === "Some") return strict.value
  if (!Predicate.isObject(json)) return {}
  const { code, detail, retry_after, status } = json
  return {
    ...(Predicate.isString(code) ? { code } : {}),
    ...(Predicate.isString(detail) ? { detail } : {}),
    ...(Predicate.isNumber(status) && Number.isSafeInteger(status) ? { status } : {}),
    ...(Predicate.isNumber(retry_after) && retry_after >= 0 ? { retryAfter: retry_after } : {})
  }
}
