/**
 * The live client: one logical call = input check, then attempts over HTTP
 * with retries, a per-attempt timeout and a deadline, then a typed answer.
 *
 * @internal
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import type * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import { isTransient, NetworkError, type Operation, type SyncteraError, Timeout } from "../errors/SyncteraError.js"
import { FdxToken } from "../schemas/FdxToken.js"
import { WidgetToken } from "../schemas/WidgetToken.js"
import { GetFdxTokenRequest, GetWidgetTokenRequest, type SyncteraService } from "../Synctera.js"
import { AttemptTimedOut, currentAttemptTimeout } from "./attemptTimeout.js"
import { readBounded } from "./body.js"
import type { Settings } from "./options.js"
import { causeText, decodeSuccess, statusFailure } from "./response.js"
import { makeRetryBudget, type RetryBudget } from "./retryBudget.js"
import { validator } from "./validate.js"

/** The package's version, sent as the user agent. */
const userAgent = "effect-synctera/0.1.0"

/** A failed attempt, with what the retry schedule needs to decide. */
interface Failed {
  readonly error: SyncteraError
  /** The wait the server asked for, if any. */
  readonly retryAfter: Duration.Duration | undefined
  /** The logical call it belongs to. */
  readonly state: CallState
}

/** Progress of one logical call, shared by its attempts. */
interface CallState {
  attempts: number
  /** When the logical call must be over, in clock milliseconds. */
  deadlineAt: number
  /** Retry-budget tokens its retries spent. */
  spent: number
  /** Whether the current attempt's time limit is what is left of the deadline. */
  limitIsDeadline: boolean
}

const transportDescription = (error: HttpClientError.HttpClientError): string =>
  error._tag === "RequestError"
    ? `${error.reason}: ${causeText(error.cause) || error.description || "request failed"}`
    : `response body broke off: ${causeText(error.cause) || error.description || "read failed"}`

/**
 * The retry policy: transient failures only, exponential backoff with jitter
 * up to a cap, the server's wait when it gave one (unless longer than
 * allowed), never a wait that would pass the call's deadline, and only while
 * the client-wide budget can pay for the retry.
 */
const retrySchedule = (settings: Settings, budget: RetryBudget): Schedule.Schedule<Duration.Duration, Failed> => {
  const costs = settings.retryBudget === false ? { retryCost: 0, timeoutCost: 0 } : settings.retryBudget
  return Schedule.identity<Failed>().pipe(
    Schedule.whileInput((failed) =>
      isTransient(failed.error) &&
      (failed.retryAfter === undefined || Duration.lessThanOrEqualTo(failed.retryAfter, settings.maxRetryAfter))
    ),
    Schedule.zipLeft(
      Schedule.exponential(settings.retry.base).pipe(
        Schedule.jittered,
        Schedule.modifyDelay((delay) => Duration.min(delay, settings.retry.cap)),
        Schedule.intersect(Schedule.recurs(settings.retry.times))
      )
    ),
    Schedule.modifyDelay((failed, delay) => failed.retryAfter ?? delay),
    Schedule.delays,
    Schedule.checkEffect((failed, delay) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) => {
        if (now + Duration.toMillis(delay) >= failed.state.deadlineAt) return Effect.succeed(false)
        // Spent last, and only for a retry that will happen.
        const price = failed.error._tag === "Timeout" ? costs.timeoutCost : costs.retryCost
        if (budget.tryAcquire(price)) {
          failed.state.spent += price
          return Effect.succeed(true)
        }
        return Effect.as(
          Effect.logWarning("Synctera retry budget exhausted: failing without retry").pipe(
            Effect.annotateLogs({ error: failed.error.message })
          ),
          false
        )
      })
    )
  )
}

/** How the transport under the client behaves. */
export interface Transport {
  /**
   * True for the stock `@effect/platform` clients: they record their own
   * spans, propagate trace headers and (fetch) follow redirects, all of which
   * the client turns off per request, and the attempt's time limit is an
   * `Effect.timeoutFail`. False for the lean undici client, which does none of
   * it and enforces the limit itself (see `attemptTimeout.ts`), so that this
   * per-request work is skipped.
   */
  readonly stock: boolean
  /** The fetch options in context when the layer was built (fetch transport). */
  readonly fetchInit: Option.Option<globalThis.RequestInit>
}

/** Builds the live service over an `HttpClient`. */
export const makeService = (
  httpClient: HttpClient.HttpClient,
  settings: Settings,
  transport: Transport
): SyncteraService => {
  // Synctera is a third party: our trace ids are none of its business. The
  // platform's own request span is off too: it records every header and
  // keeps the request (Authorization included) in its exit value; the client
  // records its own span with safe attributes instead.
  const client = transport.stock
    ? httpClient.pipe(HttpClient.withTracerPropagation(false), HttpClient.withTracerDisabledWhen(() => true))
    : httpClient
  const baseHeaders = Headers.fromInput({
    accept: "application/json",
    "user-agent": userAgent,
    authorization: `Bearer ${Redacted.value(settings.apiKey)}`
  })
  // With the fetch transport, a redirect must come back to us rather than be
  // followed: the key must never go to another origin.
  const noRedirects: globalThis.RequestInit = {
    ...Option.getOrElse(transport.fetchInit, () => ({})),
    redirect: "manual"
  }
  const withTransportContext = transport.stock
    ? <A, E>(effect: Effect.Effect<A, E>) => Effect.provideService(effect, FetchHttpClient.RequestInit, noRedirects)
    : <A, E>(effect: Effect.Effect<A, E>) => effect
  // A server that echoes the request (a debugging proxy, a misconfigured
  // gateway) must not put the key into an error: scrub it from error text.
  // Echoes come as the key is, or percent-encoded (in a redirect's Location).
  // (Keys shorter than 8 characters are test keys that would match ordinary text.)
  const secret = Redacted.value(settings.apiKey)
  const secretForms = [...new Set([secret, encodeURIComponent(secret)])]
  const scrub = secret.length < 8
    ? <S extends string | undefined>(text: S): S => text
    : <S extends string | undefined>(text: S): S | string =>
      text === undefined
        ? text
        : secretForms.reduce((scrubbed, form) => scrubbed.replaceAll(form, "<redacted>"), text)
  const budget = makeRetryBudget(settings.retryBudget)
  const schedule = retrySchedule(settings, budget)
  const timeoutMillis = Duration.toMillis(settings.timeout)
  const deadlineMillis = Duration.toMillis(settings.deadline)

  const fail = (state: CallState, error: SyncteraError, retryAfter?: Duration.Duration): Effect.Effect<never, Failed> =>
    Effect.fail({ error, retryAfter, state })

  /** The attempt ran out of time: its own limit, or what was left of the deadline. */
  const timedOut = (operation: Operation, state: CallState): Failed => ({
    error: new Timeout({
      operation,
      attempts: state.attempts,
      limit: state.limitIsDeadline ? "deadline" : "attempt",
      after: state.limitIsDeadline ? settings.deadline : settings.timeout
    }),
    retryAfter: undefined,
    state
  })

  /** A transport failure: a timeout when the transport enforced the limit, else the network. */
  const transportFailed = (
    operation: Operation,
    state: CallState,
    error: HttpClientError.HttpClientError
  ): Effect.Effect<never, Failed> =>
    error.cause instanceof AttemptTimedOut
      ? Effect.fail(timedOut(operation, state))
      : fail(
        state,
        new NetworkError({ operation, attempts: state.attempts, description: scrub(transportDescription(error)) })
      )

  const onResponse = <A>(
    operation: Operation,
    state: CallState,
    decode: (json: unknown) => Either.Either<A, ParseResult.ParseError>,
    response: HttpClientResponse.HttpClientResponse
  ): Effect.Effect<A, Failed> =>
    readBounded(response, settings.maxBodyBytes).pipe(
      Effect.catchAll((error) => transportFailed(operation, state, error)),
      Effect.flatMap((body) => {
        const received = {
          operation,
          attempts: state.attempts,
          status: response.status,
          headers: response.headers,
          body,
          limit: settings.maxBodyBytes,
          scrub
        }
        if (response.status >= 200 && response.status <= 299) {
          const decoded = decodeSuccess(received, decode)
          return Either.isRight(decoded) ? Effect.succeed(decoded.right) : fail(state, decoded.left)
        }
        return Effect.flatMap(Clock.currentTimeMillis, (now) => {
          const { error, retryAfter } = statusFailure(received, now)
          return fail(state, error, retryAfter)
        })
      })
    )

  /**
   * One logical call. Each attempt has one timer: the per-attempt timeout, or
   * what is left of the deadline if that is sooner, so the deadline needs no
   * timer of its own (waits between attempts never pass it: see the
   * schedule). The retry machinery is only set up once an attempt has failed.
   */
  const call = <A>(
    operation: Operation,
    request: HttpClientRequest.HttpClientRequest,
    decode: (json: unknown) => Either.Either<A, ParseResult.ParseError>
  ): Effect.Effect<A, SyncteraError> =>
    Effect.suspend(() => {
      const state: CallState = { attempts: 0, deadlineAt: 0, spent: 0, limitIsDeadline: false }
      const attempt = (now: number): Effect.Effect<A, Failed> => {
        state.attempts++
        const remaining = Math.max(0, state.deadlineAt - now)
        state.limitIsDeadline = remaining <= timeoutMillis
        const limit = state.limitIsDeadline ? remaining : timeoutMillis
        const exchange = client.execute(request).pipe(
          Effect.catchAll((error) => transportFailed(operation, state, error)),
          Effect.flatMap((response) => onResponse(operation, state, decode, response))
        )
        return transport.stock
          ? Effect.timeoutFail(exchange, { duration: limit, onTimeout: () => timedOut(operation, state) })
          : Effect.locally(exchange, currentAttemptTimeout, limit)
      }
      const afterFailure = (first: Failed): Effect.Effect<A, SyncteraError> => {
        // Replays the first failure into the schedule, then makes new attempts.
        let replayed = false
        const again = Effect.suspend(() => {
          if (replayed) return Effect.flatMap(Clock.currentTimeMillis, attempt)
          replayed = true
          return Effect.fail(first)
        })
        return again.pipe(
          Effect.tapError((failed) =>
            Effect.logDebug("Synctera attempt failed").pipe(
              Effect.annotateLogs({ operation, attempt: state.attempts, error: failed.error.message })
            )
          ),
          Effect.retry(schedule),
          Effect.tap(() => budget.onSuccess(state.spent)),
          Effect.mapError((failed) => failed.error),
          // Read when the call ends, not when this pipeline is built.
          Effect.ensuring(Effect.suspend(() => Effect.annotateCurrentSpan("synctera.attempts", state.attempts)))
        )
      }
      return Effect.flatMap(Clock.currentTimeMillis, (now) => {
        state.deadlineAt = now + deadlineMillis
        return attempt(now).pipe(
          Effect.map((value) => {
            budget.onSuccess(0)
            return value
          }),
          Effect.catchAll(afterFailure),
          withTransportContext
        )
      })
    })

  const checkWidgetTokenRequest = validator(GetWidgetTokenRequest, "getWidgetToken")
  const checkFdxTokenRequest = validator(GetFdxTokenRequest, "getFdxToken")
  const decodeWidgetToken = Schema.decodeUnknownEither(WidgetToken)
  const decodeFdxToken = Schema.decodeUnknownEither(FdxToken)

  return {
    getWidgetToken: (input) =>
      Effect.suspend(() => {
        const checked = checkWidgetTokenRequest(input)
        if (checked._tag === "Left") return Effect.fail(checked.left)
        const { cardId, idempotencyKey, widgetType } = checked.right
        const key = idempotencyKey ?? crypto.randomUUID()
        const request = HttpClientRequest.get(`${settings.baseUrl}/cards/${cardId}/widget_token`, {
          headers: Headers.set(baseHeaders, "idempotency-key", key),
          urlParams: { widget_type: widgetType }
        })
        return call("getWidgetToken", request, decodeWidgetToken).pipe(
          Effect.withSpan("Synctera.getWidgetToken", {
            kind: "client",
            captureStackTrace: false,
            attributes: {
              "synctera.card_id": cardId,
              "synctera.widget_type": widgetType,
              "synctera.idempotency_key": key
            }
          })
        )
      }),
    getFdxToken: (input) =>
      Effect.suspend(() => {
        const checked = checkFdxTokenRequest(input)
        if (checked._tag === "Left") return Effect.fail(checked.left)
        const { fdxTokenId } = checked.right
        const request = HttpClientRequest.get(`${settings.baseUrl}/fdx_tokens/${fdxTokenId}`, { headers: baseHeaders })
        return call("getFdxToken", request, decodeFdxToken).pipe(
          Effect.withSpan("Synctera.getFdxToken", {
            kind: "client",
            captureStackTrace: false,
            attributes: { "synctera.fdx_token_id": fdxTokenId }
          })
        )
      })
  }
}
