/**
 * Step 4 of Plaid Core Exchange: the fintech tells Synctera what the customer
 * decided (`Synctera.grantFdxAuthRequest`), and the browser follows the
 * `redirect_uri` Synctera answers. When there is none, this module works out
 * what the customer should be told, asking Synctera for the request's status
 * when the error alone does not say.
 */
import { Data, DateTime, Effect, Either, Option, Stream } from "effect"
import { type FdxAuthRequest, type GrantStatus, isTransient, Synctera, type SyncteraError } from "effect-synctera"
import { isAllowedRedirect, type LoginSettings } from "./Settings.js"

/**
 * Why there is no redirect, as the error page tells it (see `Pages.ts` for
 * the words, and the HTTP status of each).
 *
 * - `invalid-link`: no `auth_request_id`, or not a UUID.
 * - `unknown-request`: Synctera has no such request.
 * - `expired`: the request passed its expiry time before the decision.
 * - `already-answered`: the request was already granted or denied.
 * - `already-connected`: the request was used: Plaid has its tokens.
 * - `recorded`: the decision was recorded, but there is no way back to Plaid:
 *   its answer was lost and the request has no `redirect_uri`, or the one
 *   there is goes somewhere this server does not send browsers.
 * - `unconfirmed`: the decision may or may not have been recorded, and
 *   Synctera could not be asked which.
 * - `unavailable`: Synctera could not be reached; nothing was recorded.
 * - `not-completed`: nothing was recorded, for a reason on this side (a
 *   customer Synctera does not know, a wrong API key, …): logged.
 * - `form-expired`: the form's session or CSRF token is not this browser's.
 */
export type Problem =
  | "invalid-link"
  | "unknown-request"
  | "expired"
  | "already-answered"
  | "already-connected"
  | "recorded"
  | "unconfirmed"
  | "unavailable"
  | "not-completed"
  | "form-expired"

/** What the browser gets after a decision. */
export type Outcome = Data.TaggedEnum<{
  /** A `302` to Synctera's `redirect_uri`: on to Plaid. */
  Redirect: { readonly uri: string }
  /**
   * The grant failed in a way that may have applied it, and the request,
   * looked up, is still `PENDING`: nothing was recorded, so the customer is
   * asked again.
   */
  AskAgain: {}
  /** No redirect: an error page. */
  Failed: { readonly problem: Problem }
}>

/** The constructors of {@link Outcome}. */
export const Outcome = Data.taggedEnum<Outcome>()

/** What the customer decided, and for whom. */
export interface Decision {
  readonly authRequestId: string
  /** `GRANTED` (Allow) or `DENIED` (Deny, Cancel, or too many failed sign-ins). */
  readonly status: Extract<GrantStatus, "GRANTED" | "DENIED">
  /** The Synctera customer of the signed-in user; none when nobody signed in. */
  readonly customerId?: string | undefined
}

/**
 * The request as Synctera has it, or `None` when it has none. It is found by
 * walking the tenant's requests (there is no read-by-id endpoint), page by
 * page, stopping at the first match: the pages after it are never asked for.
 */
export const lookUpRequest = (
  authRequestId: string
): Effect.Effect<Option.Option<FdxAuthRequest>, SyncteraError, Synctera> =>
  Synctera.streamFdxAuthRequests().pipe(
    Stream.find((request) => request.id.toLowerCase() === authRequestId.toLowerCase()),
    Stream.runHead,
    Effect.withSpan("CoreExchange.lookUpRequest", { attributes: { "app.auth_request_id": authRequestId } })
  )

const failed = (problem: Problem): Outcome => Outcome.Failed({ problem })

/** How a failed grant is read once the request has been looked up. */
interface Reading {
  /** Whether the grant may have been applied (so a matching decision is ours). */
  readonly maybeApplied: boolean
  /** What a request still `PENDING` (and not expired) means. */
  readonly pending: Outcome
  /** What to say when the lookup fails, or the status is one this client does not know. */
  readonly otherwise: Problem
}

/**
 * What the request's state says about a failed grant. A request decided as
 * the customer just decided, after a failure that may have applied the
 * grant, was decided by this grant: the browser goes on to the request's own
 * `redirect_uri` (the package's README, "After an ambiguous failure"), when
 * it has one on `REDIRECT_ORIGINS`.
 */
const fromRequest = (
  decision: Decision,
  settings: LoginSettings,
  found: Either.Either<Option.Option<FdxAuthRequest>, SyncteraError>,
  now: DateTime.Utc,
  reading: Reading
): Outcome => {
  if (Either.isLeft(found)) return failed(reading.otherwise)
  if (Option.isNone(found.right)) return failed("unknown-request")
  const request = found.right.value
  const expired = request.expiryTime !== undefined && DateTime.lessThanOrEqualTo(request.expiryTime, now)
  switch (request.status) {
    case "USED":
      return failed("already-connected")
    case "GRANTED":
    case "DENIED": {
      const owner = request.customerId ?? request.businessId
      const ours = reading.maybeApplied && request.status === decision.status &&
        owner?.toLowerCase() === decision.customerId?.toLowerCase()
      if (!ours) return failed("already-answered")
      return request.redirectUri !== undefined && isAllowedRedirect(settings, request.redirectUri)
        ? Outcome.Redirect({ uri: request.redirectUri })
        : failed("recorded")
    }
    case "PENDING":
      return expired ? failed("expired") : reading.pending
    default:
      return failed(reading.otherwise)
  }
}

/** Whether the grant may have been applied: the client says so, or Synctera's 2xx could not be read. */
const mayHaveApplied = (error: SyncteraError): boolean =>
  error._tag === "InvalidResponse" || ("maybeApplied" in error && error.maybeApplied === true)

/**
 * Reads a failed grant. The error alone settles some cases: an unknown
 * request (404), an outage that outlived the client's retries and cannot
 * have applied the grant (503, 429, a refused connection). The others depend
 * on the request's state, so it is looked up first:
 *
 * - a 409 or a 400: decided already, used, or expired, as the request shows;
 *   a 400 for a request that is still `PENDING` is this side's fault (a
 *   customer Synctera does not know): logged;
 * - an ambiguous failure (`maybeApplied`, or an unreadable 2xx): a request
 *   still `PENDING` was not decided, so the customer is asked again; one
 *   decided as the customer just decided was decided by this grant, and the
 *   browser goes on to the request's `redirect_uri`; when the lookup fails
 *   too, the page says honestly that it could not be checked. The grant is
 *   never repeated blindly: Synctera does not deduplicate grants, and a
 *   second one of a decided request is a 409.
 */
const explain = (
  decision: Decision,
  settings: LoginSettings,
  error: SyncteraError
): Effect.Effect<Outcome, never, Synctera> => {
  const afterLookup = (reading: Reading) =>
    Effect.zipWith(
      Effect.either(lookUpRequest(decision.authRequestId)),
      DateTime.now,
      (found, now) => fromRequest(decision, settings, found, now, reading)
    )
  if (error._tag === "NotFound") return Effect.succeed(failed("unknown-request"))
  if (mayHaveApplied(error)) {
    return Effect.zipRight(
      Effect.logWarning("grant may or may not have been applied: checking the request", error.message),
      afterLookup({ maybeApplied: true, pending: Outcome.AskAgain(), otherwise: "unconfirmed" })
    )
  }
  if (error._tag === "Conflict") {
    return afterLookup({ maybeApplied: false, pending: failed("unavailable"), otherwise: "not-completed" })
  }
  if (error._tag === "BadRequest") {
    return afterLookup({ maybeApplied: false, pending: failed("not-completed"), otherwise: "not-completed" }).pipe(
      Effect.tap((outcome) =>
        outcome._tag === "Failed" && outcome.problem === "not-completed"
          ? Effect.logError("Synctera refused the grant of a pending request", error.message)
          : Effect.void
      )
    )
  }
  if (isTransient(error) || error._tag === "Timeout") {
    return Effect.as(Effect.logWarning("Synctera unavailable", error.message), failed("unavailable"))
  }
  return Effect.as(Effect.logError("grant failed", error.message), failed("not-completed"))
}

/**
 * Tells Synctera the customer's decision and says where the browser goes:
 * Synctera's `redirect_uri` (checked against `REDIRECT_ORIGINS`), else why
 * not. Never fails: every error becomes an {@link Outcome}.
 */
export const decide = (
  decision: Decision,
  settings: LoginSettings
): Effect.Effect<Outcome, never, Synctera> =>
  Synctera.grantFdxAuthRequest({
    authRequestId: decision.authRequestId,
    status: decision.status,
    ...(decision.customerId === undefined ? {} : { customerId: decision.customerId })
  }).pipe(
    Effect.matchEffect({
      onSuccess: (grant): Effect.Effect<Outcome> =>
        isAllowedRedirect(settings, grant.redirectUri)
          ? Effect.succeed(Outcome.Redirect({ uri: grant.redirectUri }))
          : Effect.as(
            // Not the URI itself: after a grant it carries the authorization code.
            Effect.logError("grant recorded, but its redirect_uri is not in REDIRECT_ORIGINS; not followed"),
            failed("recorded")
          ),
      onFailure: (error) => explain(decision, settings, error)
    }),
    Effect.tap((outcome) =>
      Effect.annotateCurrentSpan("app.outcome", outcome._tag === "Failed" ? outcome.problem : outcome._tag)
    ),
    Effect.withSpan("CoreExchange.decide", {
      attributes: { "app.auth_request_id": decision.authRequestId, "app.grant_status": decision.status }
    })
  )
