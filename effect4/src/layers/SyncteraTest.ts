/**
 * The in-memory {@link Synctera} service, for tests and demos: no network, no
 * account. It answers from the same model as the sandbox server, checks input
 * exactly as the live client does, and turns the model's error answers into
 * the same typed errors (one attempt: it never retries).
 *
 * @example
 * ```ts
 * import { Synctera } from "effect-synctera/effect4"
 * import { SyncteraTest, sandboxIds } from "effect-synctera/effect4/testing"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const control = yield* SyncteraTest
 *   yield* control.failNext(1, { status: 503 })
 *   const first = yield* Effect.flip(Synctera.getWidgetToken({ cardId: sandboxIds.cards.active, widgetType: "REVEAL" }))
 *   const second = yield* Synctera.getWidgetToken({ cardId: sandboxIds.cards.active, widgetType: "REVEAL" })
 *   return [first._tag, second.tenant, (yield* control.calls).length] // ["Internal", "sandbox_tenant", 2]
 * }).pipe(Effect.provide(SyncteraTest.layer()))
 * ```
 *
 * @since 0.3.0
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Headers from "effect/http/Headers"
import * as Layer from "effect/Layer"
import * as Result from "effect/Result"
import * as SchemaParser from "effect/SchemaParser"
import type { PceUris } from "../../../src/core/model/Pce.js"
import { idempotencyKeyOf } from "../../../src/core/operations.js"
import { ambiguousStatus } from "../../../src/core/retry.js"
import type { InvalidResponse, Operation, SyncteraError } from "../errors/SyncteraError.js"
import type { OperationSpec } from "../internal/operations.js"
import { parseOptions } from "../internal/parseMessage.js"
import { decodeSuccess, paginationError, type Received, statusFailure } from "../internal/response.js"
import { type Runner, serviceOf } from "../internal/service.js"
import { clientSpan } from "../internal/span.js"
import { validator } from "../internal/validate.js"
import type { InjectedFailure, Outcome } from "../model/Outcome.js"
import * as SandboxModel from "../model/SandboxModel.js"
import { defaultSeed, type Seed, type SeedCard } from "../model/Seed.js"
import type { FdxToken } from "../schemas/FdxToken.js"
import { Synctera, type SyncteraService } from "../Synctera.js"

/**
 * A call that reached the in-memory Synctera (input that failed validation
 * never does, as with the live client): the operation, its input as the
 * operation's request schema checked it, and the idempotency key it sent
 * (the caller's, or a fresh UUID when the caller gave none, exactly as the
 * live client does; operations without one, such as reads, carry none).
 *
 * @since 0.3.0
 * @category models
 */
export interface Call {
  readonly operation: Operation
  readonly input: unknown
  readonly idempotencyKey: string | undefined
}

/**
 * The controls of the in-memory Synctera.
 *
 * @since 0.3.0
 * @category models
 */
export interface SyncteraTestService {
  /** The seed the layer was built with. */
  readonly seed: Seed
  /** The model behind the service, shared with nothing else. */
  readonly model: SandboxModel.SandboxModel
  /** Adds cards, or changes the state of existing ones. */
  readonly addCards: (cards: Iterable<SeedCard>) => Effect.Effect<void>
  /** Adds FDX tokens, or replaces those with the same id. */
  readonly addFdxTokens: (tokens: Iterable<FdxToken>) => Effect.Effect<void>
  /** Sets where `authorization_test` sends the browser (`authenticationUri`) and where grants redirect (`plaidUri`). */
  readonly setUris: (uris: Partial<PceUris>) => Effect.Effect<void>
  /** Plays Plaid: exchanges a granted request's code; gives the `ACCESS` and `REFRESH` tokens issued. */
  readonly exchange: SandboxModel.SandboxModel["exchange"]
  /** Uses a refresh token: it becomes `USED`; gives it and the new tokens (with `parent_token_id`). */
  readonly refreshFdxToken: SandboxModel.SandboxModel["refreshFdxToken"]
  /** Revokes an FDX token. */
  readonly revokeFdxToken: SandboxModel.SandboxModel["revokeFdxToken"]
  /**
   * Makes the next `n` calls that are processed fail with `failure` (for
   * example `{ status: 503 }`, or `{ status: 429, retryAfter: 2 }`). A call
   * that replays a stored answer for its idempotency key does not use one up.
   */
  readonly failNext: (n: number, failure: InjectedFailure) => Effect.Effect<void>
  /**
   * Time every later call spends "in flight" (on Effect's `Clock`, so
   * `TestClock` controls it); a second call with the same idempotency key
   * during that time gets `IDEMPOTENCY_CONCURRENT_USE`. Default: none.
   */
  readonly setLatency: (latency: Duration.Input) => Effect.Effect<void>
  /**
   * The calls made so far, oldest first: the last {@link maxRecordedCalls}, so
   * that a long-lived stand-in does not grow without end.
   */
  readonly calls: Effect.Effect<ReadonlyArray<Call>>
}

/**
 * The control service of the in-memory Synctera; `SyncteraTest.layer(seed?)`
 * provides it together with {@link Synctera}.
 *
 * @example
 * ```ts
 * import { Synctera } from "effect-synctera/effect4"
 * import { SyncteraTest, sandboxIds } from "effect-synctera/effect4/testing"
 * import { Effect } from "effect"
 *
 * const suspended = Effect.gen(function*() {
 *   const control = yield* SyncteraTest
 *   yield* control.addCards([{ id: sandboxIds.cards.active, state: "suspended" }])
 *   return yield* Effect.flip(Synctera.getWidgetToken({ cardId: sandboxIds.cards.active, widgetType: "REVEAL" }))
 * }).pipe(Effect.provide(SyncteraTest.layer())) // Unprocessable, code CARD_SUSPENDED
 * ```
 *
 * @since 0.3.0
 * @category tags
 */
export class SyncteraTest extends Context.Service<SyncteraTest, SyncteraTestService>()(
  "effect-synctera/SyncteraTest"
) {
  /**
   * A fresh in-memory Synctera (and its controls) per build of the layer,
   * holding `seed` ({@link defaultSeed} when left out).
   *
   * @since 0.3.0
   */
  static readonly layer = (seed?: Seed): Layer.Layer<Synctera | SyncteraTest> => layer(seed)
}

/**
 * How many calls `SyncteraTest.calls` keeps: the most recent ones.
 *
 * @since 0.3.0
 * @category constants
 */
export const maxRecordedCalls = 10_000

const jsonHeaders = { "content-type": "application/json" }

/**
 * Builds the in-memory service and its controls over a fresh model.
 *
 * @since 0.3.0
 * @category constructors
 */
export const make = (
  seed: Seed = defaultSeed
): Effect.Effect<{ readonly synctera: SyncteraService; readonly control: SyncteraTestService }> =>
  Effect.gen(function*() {
    const model = yield* SandboxModel.make(seed)
    // Plain cells: each is read and written in one synchronous step.
    const calls: Array<Call> = []
    // Trimmed in batches: appending stays amortised constant time.
    const record = (call: Call) => {
      calls.push(call)
      if (calls.length >= 2 * maxRecordedCalls) calls.splice(0, calls.length - maxRecordedCalls)
    }
    let latency = Duration.zero
    const handleOptions = () => Duration.isZero(latency) ? undefined : { latency }

    /**
     * One operation, from its description: the input checked as the live
     * client checks it, put on the wire as the live client puts it, answered
     * by the model, and the answer read with the live client's own reading
     * (one attempt). A success body is decoded once per body object (the
     * model hands out the same object for the same stored token), so a read
     * costs no decoding after the first and still gives what a client decodes
     * from that body.
     */
    const runner: Runner = <I, C, A, J>(spec: OperationSpec<I, C, A, J>) => {
      const check = validator(spec.input, spec.name)
      const decode = SchemaParser.decodeUnknownResult(spec.success.schema, parseOptions)
      const decoded = new WeakMap<object, Result.Result<A, InvalidResponse>>()
      const spanName = `Synctera.${spec.name}`
      const received = (outcome: Outcome): Received => ({
        operation: spec.name,
        attempts: 1,
        status: outcome.status,
        headers: Headers.fromInput(outcome._tag === "Failure" ? { ...jsonHeaders, ...outcome.headers } : jsonHeaders),
        body: { text: JSON.stringify(outcome.body), complete: true },
        limit: Number.MAX_SAFE_INTEGER,
        scrub: (text) => text
      })
      const read = (
        outcome: Outcome,
        refuse: ((value: A) => string | undefined) | undefined
      ): Effect.Effect<A, SyncteraError> => {
        if (outcome._tag === "Failure") {
          // Marked as the live client marks it: a 500 to a grant may have been applied.
          const maybeApplied = ambiguousStatus(spec.retry, outcome.status)
          return Effect.flatMap(
            Clock.currentTimeMillis,
            (now) => Effect.fail(statusFailure(received(outcome), now, maybeApplied).error)
          )
        }
        const body = outcome.body
        const cacheable = typeof body === "object" && body !== null
        let result = cacheable ? decoded.get(body) : undefined
        if (result === undefined) {
          result = decodeSuccess(received(outcome), decode)
          if (cacheable) decoded.set(body, result)
        }
        const refusal = Result.isSuccess(result) ? refuse?.(result.success) : undefined
        if (refusal !== undefined) return Effect.fail(Result.merge(paginationError(received(outcome), refusal)))
        return Effect.fromResult(result)
      }
      return (input: I, refuse?: (value: A) => string | undefined) =>
        Effect.suspend((): Effect.Effect<A, SyncteraError> => {
          const checked = check(input)
          if (Result.isFailure(checked)) return Effect.fail(checked.failure)
          const key = idempotencyKeyOf(spec, checked.success)
          record({ operation: spec.name, input: checked.success, idempotencyKey: key })
          const wire = spec.toWire(checked.success)
          const request: SandboxModel.ModelRequest = {
            operation: spec.name,
            params: wire.params,
            query: wire.query,
            body: wire.body === undefined ? undefined : JSON.stringify(wire.body),
            idempotencyKey: key
          }
          return clientSpan(
            spanName,
            { ...spec.attributes(checked.success, key), "synctera.attempts": 1 },
            () => Effect.flatMap(model.handle(request, handleOptions()), (outcome) => read(outcome, refuse))
          )
        })
    }

    const control: SyncteraTestService = {
      seed,
      model,
      addCards: model.addCards,
      addFdxTokens: model.addFdxTokens,
      failNext: model.failNext,
      setUris: model.setUris,
      exchange: model.exchange,
      refreshFdxToken: model.refreshFdxToken,
      revokeFdxToken: model.revokeFdxToken,
      setLatency: (input) =>
        Effect.sync(() => {
          latency = Duration.fromInputUnsafe(input)
        }),
      calls: Effect.sync(() => calls.slice(-maxRecordedCalls))
    }
    return { synctera: serviceOf(runner), control }
  })

/**
 * A fresh in-memory Synctera (and its controls) per build of the layer; the
 * same as `SyncteraTest.layer`.
 *
 * @since 0.3.0
 * @category layers
 */
export const layer = (seed?: Seed): Layer.Layer<Synctera | SyncteraTest> =>
  Layer.effectContext(
    Effect.map(make(seed), ({ control, synctera }) =>
      Context.make(Synctera, synctera).pipe(Context.add(SyncteraTest, control)))
  )
