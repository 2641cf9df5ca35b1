/**
 * The live client: one logical call = input check, then attempts over HTTP
 * with retries, a per-attempt timeout and a deadline, then a typed answer.
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Headers from "effect/http/Headers"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import * as Schedule from "effect/Schedule"
import type * as SchemaIssue from "effect/SchemaIssue"
import * as SchemaParser from "effect/SchemaParser"
import type * as Tracer from "effect/Tracer"
import { idempotencyKeyOf, renderPath, type RetryClass } from "../../../src/core/operations.js"
import { ambiguousStatus, ambiguousTransport, mayRetry } from "../../../src/core/retry.js"
import { makeRetryBudget, type RetryBudget } from "../../../src/core/retryBudget.js"
import { InvalidInput, NetworkError, type Operation, type SyncteraError, Timeout } from "../errors/SyncteraError.js"
import type { SyncteraService } from "../Synctera.js"
import type { Answer, AttemptFailure, Exchange, Outgoing } from "./exchange.js"
import type { OperationSpec } from "./operations.js"
import type { Settings } from "./options.js"
import { parseOptions } from "./parseMessage.js"
import { decodeSuccess, paginationError, statusFailure } from "./response.js"
import { type Runner, serviceOf } from "./service.js"
import { clientSpan } from "./span.js"
import { validator } from "./validate.js"

/** The package's version, sent as the user agent. */
const userAgent = "effect-synctera/0.1.0"

/** A failed attempt, with what the retry schedule needs to decide. */
interface Failed {
  readonly error: SyncteraError
  /** The retry class of its operation. */
  readonly retry: RetryClass
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

/**
 * The retry policy: transient failures only, exponential backoff with jitter
 * up to a cap, the server's wait when it gave one (unless longer than
 * allowed), never a wait that would pass the call's deadline, and only while
 * the client-wide budget can pay for the retry. (Each step runs its inner
 * steps first: the budget is spent last, only for a retry that will happen.)
 */
const retrySchedule = (settings: Settings, budget: RetryBudget): Schedule.Schedule<Duration.Duration, Failed> => {
  const costs = settings.retryBudget === false ? { retryCost: 0, timeoutCost: 0 } : settings.retryBudget
  return Schedule.exponential(settings.retry.base).pipe(
    Schedule.setInputType<Failed>(),
    Schedule.jittered,
    Schedule.modifyDelay(({ duration }) => Effect.succeed(Duration.min(duration, settings.retry.cap))),
    Schedule.upTo({ times: settings.retry.times }),
    Schedule.while(({ input }) =>
      mayRetry(input.retry, input.error) &&
      (input.retryAfter === undefined || Duration.isLessThanOrEqualTo(input.retryAfter, settings.maxRetryAfter))
    ),
    Schedule.modifyDelay(({ duration, input }) => Effect.succeed(input.retryAfter ?? duration)),
    Schedule.while(({ duration, input, now }) => {
      if (now + Duration.toMillis(duration) >= input.state.deadlineAt) return Effect.succeed(false)
      const price = input.error._tag === "Timeout" ? costs.timeoutCost : costs.retryCost
      if (budget.tryAcquire(price)) {
        input.state.spent += price
        return Effect.succeed(true)
      }
      return Effect.as(
        Effect.logWarning("Synctera retry budget exhausted: failing without retry").pipe(
          Effect.annotateLogs({ error: input.error.message })
        ),
        false
      )
    })
  )
}

/**
 * Builds the live service over an exchange (see `exchange.ts`).
 * `spanIsParent`: whether each attempt runs under the call's span, so that
 * spans the transport records (a user's `HttpClient` middleware) nest under it.
 * The undici exchange records none: it skips that per-call cost, and makes the
 * span only when a tracer can see it (see `span.ts`). The retry path runs under
 * the span, when there is one, for its logs.
 *
 * @since 0.3.0
 */
export const makeService = (
  exchange: Exchange,
  settings: Settings,
  options: { readonly spanIsParent: boolean }
): SyncteraService => {
  const baseHeaders = Headers.fromInput({
    accept: "application/json",
    "user-agent": userAgent,
    authorization: `Bearer ${Redacted.value(settings.apiKey)}`
  })
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

  const fail = (
    retry: RetryClass,
    state: CallState,
    error: SyncteraError,
    retryAfter?: Duration.Duration
  ): Effect.Effect<never, Failed> => Effect.fail({ error, retry, retryAfter, state })

  /** An attempt without an answer: out of time (its own limit, or what was left of the deadline), or the network. */
  const attemptFailed = (
    operation: Operation,
    retry: RetryClass,
    state: CallState,
    failure: AttemptFailure
  ): Effect.Effect<never, Failed> =>
    failure._tag === "TimedOut"
      ? fail(
        retry,
        state,
        new Timeout({
          operation,
          attempts: state.attempts,
          limit: state.limitIsDeadline ? "deadline" : "attempt",
          after: state.limitIsDeadline ? settings.deadline : settings.timeout,
          maybeApplied: ambiguousTransport(retry, true) ? true : undefined
        })
      )
      : fail(
        retry,
        state,
        new NetworkError({
          operation,
          attempts: state.attempts,
          description: scrub(failure.description),
          maybeApplied: ambiguousTransport(retry, failure.connected) ? true : undefined
        })
      )

  /** What an answer means: the decoded value, or the typed error it stands for. */
  const onAnswer = <A>(
    operation: Operation,
    retry: RetryClass,
    state: CallState,
    decode: (json: unknown) => Result.Result<A, SchemaIssue.Issue>,
    refuse: ((value: A) => string | undefined) | undefined,
    answer: Answer
  ): Effect.Effect<A, Failed> => {
    const received = {
      operation,
      attempts: state.attempts,
      status: answer.status,
      headers: answer.headers,
      body: answer.body,
      limit: settings.maxBodyBytes,
      scrub
    }
    if (answer.status >= 200 && answer.status <= 299) {
      const decoded = decodeSuccess(received, decode)
      if (Result.isFailure(decoded)) return fail(retry, state, decoded.failure)
      const refusal = refuse?.(decoded.success)
      if (refusal !== undefined) return fail(retry, state, Result.merge(paginationError(received, refusal)))
      // A first-attempt success refills the budget; a retried one returns what it spent.
      budget.onSuccess(state.spent)
      return Effect.succeed(decoded.success)
    }
    return Effect.flatMap(Clock.currentTimeMillis, (now) => {
      const { error, retryAfter } = statusFailure(received, now, ambiguousStatus(retry, answer.status))
      return fail(retry, state, error, retryAfter)
    })
  }

  /**
   * One logical call. Each attempt has one time limit: the per-attempt
   * timeout, or what is left of the deadline if that is sooner, so the
   * deadline needs no timer of its own (waits between attempts never pass it:
   * see the schedule). The retry machinery is only set up once an attempt has
   * failed.
   */
  const call = <A>(
    operation: Operation,
    retry: RetryClass,
    outgoing: Outgoing,
    decode: (json: unknown) => Result.Result<A, SchemaIssue.Issue>,
    refuse: ((value: A) => string | undefined) | undefined,
    span: Tracer.Span | undefined
  ): Effect.Effect<A, SyncteraError> =>
    Effect.suspend(() => {
      const state: CallState = { attempts: 0, deadlineAt: 0, spent: 0, limitIsDeadline: false }
      const attempt = (now: number): Effect.Effect<A, Failed> => {
        state.attempts++
        span?.attribute("synctera.attempts", state.attempts)
        const remaining = Math.max(0, state.deadlineAt - now)
        state.limitIsDeadline = remaining <= timeoutMillis
        return Effect.matchEffect(exchange(outgoing, state.limitIsDeadline ? remaining : timeoutMillis), {
          onFailure: (failure) => attemptFailed(operation, retry, state, failure),
          onSuccess: (answer) => onAnswer(operation, retry, state, decode, refuse, answer)
        })
      }
      const afterFailure = (first: Failed): Effect.Effect<A, SyncteraError> => {
        // Replays the first failure into the schedule, then makes new attempts.
        let replayed = false
        const again = Effect.suspend(() => {
          if (replayed) return Effect.flatMap(Clock.currentTimeMillis, attempt)
          replayed = true
          return Effect.fail(first)
        })
        const retried = again.pipe(
          Effect.tapError((failed) =>
            Effect.logDebug("Synctera attempt failed").pipe(
              Effect.annotateLogs({ operation, attempt: state.attempts, error: failed.error.message })
            )
          ),
          Effect.retry(schedule),
          Effect.mapError((failed) => failed.error)
        )
        return span === undefined ? retried : Effect.withParentSpan(retried, span)
      }
      return Effect.flatMap(Clock.currentTimeMillis, (now) => {
        state.deadlineAt = now + deadlineMillis
        return Effect.catch(attempt(now), afterFailure)
      })
    })

  /**
   * The call under its client span. As a parent (for the transport's own
   * spans) the span is always made; otherwise only when a tracer other than
   * Effect's native one can see it (see `span.ts`).
   */
  const traced = <A>(
    name: string,
    attributes: Record<string, string | number>,
    run: (span: Tracer.Span | undefined) => Effect.Effect<A, SyncteraError>
  ): Effect.Effect<A, SyncteraError> =>
    options.spanIsParent
      ? Effect.useSpan(
        name,
        { kind: "client", attributes },
        (span) => Effect.withParentSpan(run(span), span)
      )
      : clientSpan(name, attributes, run)

  /** Points at production (and not at a base URL of the caller's): sandbox-only operations are refused. */
  const onProduction = settings.production

  /** One operation of the service, from its description. */
  const runner: Runner = <I, C, A, J>(
    spec: OperationSpec<I, C, A, J>
  ) => {
    const check = validator(spec.input, spec.name)
    const decode = SchemaParser.decodeUnknownResult(spec.success.schema, parseOptions)
    const spanName = `Synctera.${spec.name}`
    const unavailable = spec.sandboxOnly && onProduction
      ? new InvalidInput({
        operation: spec.name,
        description: `${spec.name} exists only in Synctera's sandbox, and this client points at production`
      })
      : undefined
    return (input: I, refuse?: (value: A) => string | undefined) =>
      Effect.suspend(() => {
        if (unavailable !== undefined) return Effect.fail(unavailable)
        const checked = check(input)
        if (Result.isFailure(checked)) return Effect.fail(checked.failure)
        const key = idempotencyKeyOf(spec, checked.success)
        const wire = spec.toWire(checked.success)
        let headers = key === undefined ? baseHeaders : Headers.set(baseHeaders, "idempotency-key", key)
        if (wire.body !== undefined) headers = Headers.set(headers, "content-type", "application/json")
        const outgoing: Outgoing = {
          method: spec.method,
          path: renderPath(spec.path, wire.params),
          query: wire.query,
          headers,
          body: wire.body === undefined ? undefined : JSON.stringify(wire.body),
          ownConnection: spec.retry === "applyOnce"
        }
        return traced(
          spanName,
          spec.attributes(checked.success, key),
          (span) => call(spec.name, spec.retry, outgoing, decode, refuse, span)
        )
      })
  }

  return serviceOf(runner)
}
