/**
 * What the sandbox model answers, at the wire level: an HTTP status, a JSON
 * body in Synctera's snake_case shape, and headers. The sandbox server sends
 * it as is; the in-memory layer reads it the way the live client reads a
 * response.
 *
 * Error bodies are written in the wire shape of the package's own
 * `ErrorBody` schema (a type test holds the two together), so the model
 * cannot drift from what the client decodes. The Effect-free core
 * (`core/model/Outcome`) holds these; this module gives them to this line.
 *
 * @since 0.3.0
 */
export {
  /**
   * A non-2xx answer.
   *
   * @since 0.3.0
   * @category outcome
   */
  type Failure,
  /**
   * A failure outcome, its body in the wire shape of `ErrorBody`.
   *
   * @since 0.3.0
   * @category outcome
   */
  failure,
  /**
   * The outcome of an injected failure, with the default code and detail of
   * its status when none is given.
   *
   * @since 0.3.0
   * @category outcome
   */
  injected,
  /**
   * A failure to inject (`failNext`, or the sandbox's random faults). `code`
   * and `detail` default to the usual ones for the status; `retryAfter` (in
   * seconds, 429 only) is sent both as the `Retry-After` header and as the
   * body's `retry_after`.
   *
   * @since 0.3.0
   * @category outcome
   */
  type InjectedFailure,
  /**
   * Whether an answer is kept for its idempotency key. Synctera keeps every
   * answer except 5xx and 429 ones; the model also never keeps a 409, which
   * means "not processed, try again" (a concurrent-use answer is never stored
   * either).
   *
   * @since 0.3.0
   * @category outcome
   */
  isCacheable,
  /**
   * An answer of the model.
   *
   * @since 0.3.0
   * @category outcome
   */
  type Outcome,
  /**
   * A 2xx answer: its status (200, or 201 for what creates something) and
   * its body, a JSON value in Synctera's wire shape. Clients decode it with
   * the operation's schema; the in-memory layer decodes each body object
   * once.
   *
   * @since 0.3.0
   * @category outcome
   */
  type Success,
  /**
   * A success outcome.
   *
   * @since 0.3.0
   * @category outcome
   */
  success,
  /**
   * A Synctera v1 error body as sent: `{ code, detail, status }`,
   * `retry_after` on a 429, and the extra fields some codes carry
   * (`missing`, `invalid`).
   *
   * @since 0.3.0
   * @category outcome
   */
  type WireError
} from "../../../src/core/model/Outcome.js"
