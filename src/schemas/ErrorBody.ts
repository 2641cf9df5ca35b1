/**
 * `ErrorBody`: the body of a Synctera error response, read leniently.
 *
 * @since 0.1.0
 */
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"

/**
 * The body of a Synctera v1 error response (`error` in the API spec):
 * `{ code, detail, status }`. None of the fields is guaranteed ("legacy
 * errors"), and some codes add fields of their own (`missing`, `invalid`, …),
 * which are ignored here and kept in the error's raw `body`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ErrorBody = Schema.Struct({
  /** A machine-readable code, e.g. `BAD_REQUEST_BODY`. */
  code: Schema.optional(Schema.String),
  /** A human-readable explanation. */
  detail: Schema.optional(Schema.String),
  /** The HTTP status, as the server saw it (it can disagree with the real one). */
  status: Schema.optional(Schema.Int),
  /** Seconds to wait before retrying; sent with some 429 answers, not guaranteed. */
  retryAfter: Schema.optional(Schema.NonNegative).pipe(Schema.fromKey("retry_after"))
}).annotations({ identifier: "ErrorBody" })

/**
 * A decoded error body: `code`, `detail` and `status`, each optional.
 *
 * @since 0.1.0
 * @category schemas
 */
export type ErrorBody = typeof ErrorBody.Type

const decodeStrict = Schema.decodeUnknownOption(ErrorBody)

/**
 * Reads an error body as leniently as a proxy or a legacy endpoint requires:
 * any JSON value is accepted, each field is kept only when it has the right
 * type, and everything else is dropped. Never fails.
 *
 * @since 0.1.0
 * @category schemas
 */
export const decodeErrorBodyLenient = (json: unknown): ErrorBody => {
  const strict = decodeStrict(json)
  if (strict._tag === "Some") return strict.value
  if (!Predicate.isRecord(json)) return {}
  const { code, detail, retry_after, status } = json
  return {
    ...(Predicate.isString(code) ? { code } : {}),
    ...(Predicate.isString(detail) ? { detail } : {}),
    ...(Predicate.isNumber(status) && Number.isSafeInteger(status) ? { status } : {}),
    ...(Predicate.isNumber(retry_after) && retry_after >= 0 ? { retryAfter: retry_after } : {})
  }
}
