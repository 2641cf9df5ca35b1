/**
 * One mapping from an HTTP answer to a typed error, shared by the live client
 * and the in-memory layer so that both fail alike.
 *
 * @internal
 */
import type * as Duration from "effect/Duration"
import { statusTag } from "../core/errors.js"
import {
  BadRequest,
  Conflict,
  Forbidden,
  Internal,
  type InvalidInput,
  type InvalidResponse,
  type NetworkError,
  NotFound,
  type Operation,
  RateLimited,
  type SyncteraError,
  type Timeout,
  Unauthorized,
  UnexpectedStatus,
  Unprocessable
} from "../errors/SyncteraError.js"
import type { ErrorBody } from "../schemas/ErrorBody.js"

/** Everything known about a non-2xx answer. */
export interface StatusFacts {
  readonly operation: Operation
  readonly status: number
  readonly attempts: number
  readonly body: ErrorBody
  readonly requestId?: string | undefined
  readonly rawBody?: string | undefined
  readonly retryAfter?: Duration.Duration | undefined
  readonly location?: string | undefined
  /** Whether the request may or may not have been applied (see `src/core/retry.ts`). */
  readonly maybeApplied?: boolean | undefined
}

/** The error types a non-2xx status can become. */
export type StatusError = Exclude<SyncteraError, NetworkError | Timeout | InvalidResponse | InvalidInput>

/** Maps by the HTTP status, never by the `status` field of the body. */
export const statusError = (facts: StatusFacts): StatusError => {
  const fields = {
    operation: facts.operation,
    status: facts.status,
    attempts: facts.attempts,
    code: facts.body.code,
    detail: facts.body.detail,
    requestId: facts.requestId,
    body: facts.rawBody
  }
  const maybeApplied = facts.maybeApplied === true ? true : undefined
  switch (statusTag(facts.status)) {
    case "BadRequest":
      return new BadRequest(fields)
    case "Unauthorized":
      return new Unauthorized(fields)
    case "Forbidden":
      return new Forbidden(fields)
    case "NotFound":
      return new NotFound(fields)
    case "Conflict":
      return new Conflict(fields)
    case "Unprocessable":
      return new Unprocessable(fields)
    case "RateLimited":
      return new RateLimited({ ...fields, retryAfter: facts.retryAfter })
    case "Internal":
      return new Internal({ ...fields, maybeApplied })
    case "UnexpectedStatus":
      return new UnexpectedStatus({ ...fields, location: facts.location, maybeApplied })
  }
}
