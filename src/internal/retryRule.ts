/**
 * Which failed attempts are retried, and which failures leave it unknown
 * whether a request was applied: the rule of each retry class (see
 * `RetryClass` in `operations.ts`), in one place.
 *
 * @internal
 */
import { isTransient, type SyncteraError } from "../errors/SyncteraError.js"
import type { RetryClass } from "./operations.js"

/**
 * Statuses after which a request may have been applied: the server (or a
 * gateway in front of it) failed while or after handling it. A 503 is taken
 * as "not handled" (the service was unavailable), a 429 as refused.
 */
const ambiguousStatuses: ReadonlySet<number> = new Set([500, 502, 504])

/** Whether an answer with this status leaves an `applyOnce` request's fate unknown. */
export const ambiguousStatus = (retry: RetryClass, status: number): boolean =>
  retry === "applyOnce" && ambiguousStatuses.has(status)

/**
 * Whether a failure without an answer leaves it unknown: a timeout, or a
 * transport failure once a connection was made (the request may have been
 * sent and handled before the connection broke).
 */
export const ambiguousTransport = (retry: RetryClass, connected: boolean): boolean => retry === "applyOnce" && connected

/**
 * Whether a failed attempt is retried. `repeatable` operations: every
 * transient failure ({@link isTransient}). `applyOnce` operations: only what
 * cannot have been applied: no connection made, 429, 503,
 * `IDEMPOTENCY_CONCURRENT_USE` (ambiguous failures are marked `maybeApplied`
 * and are not transient).
 */
export const mayRetry = (retry: RetryClass, error: SyncteraError): boolean => {
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
