/**
 * The in-memory {@link Synctera} service, for tests and demos: no network, no
 * account. It answers from the same model as the sandbox server, checks input
 * exactly as the live client does, and turns the model's error answers into
 * the same typed errors (one attempt: it never retries).
 *
 * @example
 * ```ts
 * import { Synctera } from "effect-synctera"
 * import { SyncteraTest, sandboxIds } from "effect-synctera/testing"
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
 * @since 0.1.0
 */
import * as Headers from "@effect/platform/Headers"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import type * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import type { Operation, SyncteraError } from "../errors/SyncteraError.js"
import { decodeSuccess, type Received, statusFailure } from "../internal/response.js"
import { clientSpan } from "../internal/span.js"
import { validator } from "../internal/validate.js"
import type { InjectedFailure, Outcome } from "../model/Outcome.js"
import * as SandboxModel from "../model/SandboxModel.js"
import { defaultSeed, type Seed, type SeedCard } from "../model/Seed.js"
import { FdxToken } from "../schemas/FdxToken.js"
import { WidgetToken } from "../schemas/WidgetToken.js"
import { GetFdxTokenRequest, GetWidgetTokenRequest, Synctera, type SyncteraService } from "../Synctera.js"

/**
 * A call that reached the in-memory Synctera (input that failed validation
 * never does, as with the live client). `idempotencyKey` is the key the call
 * used: the caller's, or a fresh UUID when the caller gave none, exactly as
 * the live client does; FDX token reads carry none.
 *
 * @since 0.1.0
 * @category models
 */
export type Call =
  | {
    readonly operation: "getWidgetToken"
    readonly input: typeof GetWidgetTokenRequest.Type
    readonly idempotencyKey: string
  }
  | {
    readonly operation: "getFdxToken"
    readonly input: typeof GetFdxTokenRequest.Type
    readonly idempotencyKey: undefined
  }

/**
 * The controls of the in-memory Synctera.
 *
 * @since 0.1.0
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
  readonly setLatency: (latency: Duration.DurationInput) => Effect.Effect<void>
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
 * @since 0.1.0
 * @category tags
 */
export class SyncteraTest extends Context.Tag("effect-synctera/SyncteraTest")<SyncteraTest, SyncteraTestService>() {
  /**
   * A fresh in-memory Synctera (and its controls) per build of the layer,
   * holding `seed` ({@link defaultSeed} when left out).
   */
  static readonly layer = (seed?: Seed): Layer.Layer<Synctera | SyncteraTest> => layer(seed)
}

/**
 * How many calls `SyncteraTest.calls` keeps: the most recent ones.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxRecordedCalls = 10_000

const checkWidgetTokenRequest = validator(GetWidgetTokenRequest, "getWidgetToken")
const checkFdxTokenRequest = validator(GetFdxTokenRequest, "getFdxToken")
const decodeWidgetToken = Schema.decodeUnknownEither(WidgetToken)
const decodeFdxToken = Schema.decodeUnknownEither(FdxToken)

const jsonHeaders = { "content-type": "application/json" }

/**
 * Reads a model answer with the live client's own response interpretation
 * (one attempt), as if it had come over HTTP.
 */
/** Whether a model's value is a widget token or an FDX token. */
const isWidgetToken = (value: WidgetToken | FdxToken): value is WidgetToken => "widgetToken" in value
const isFdxToken = (value: WidgetToken | FdxToken): value is FdxToken => "tokenHash" in value

const read = <A>(
  operation: Operation,
  outcome: Outcome,
  decode: (json: unknown) => Either.Either<A, ParseResult.ParseError>,
  isValue: (value: WidgetToken | FdxToken) => value is A & (WidgetToken | FdxToken)
): Effect.Effect<A, SyncteraError> => {
  // A success carries the token the client would decode from its body: no
  // round trip through JSON (a copy, so callers never share one object).
  if (outcome._tag === "Success" && isValue(outcome.value)) return Effect.succeed({ ...outcome.value })
  const received: Received = {
    operation,
    attempts: 1,
    status: outcome.status,
    headers: Headers.fromInput(outcome._tag === "Failure" ? { ...jsonHeaders, ...outcome.headers } : jsonHeaders),
    body: { text: JSON.stringify(outcome.body), complete: true },
    limit: Number.MAX_SAFE_INTEGER,
    scrub: (text) => text
  }
  if (outcome._tag === "Success") {
    return Either.match(decodeSuccess(received, decode), { onLeft: Effect.fail, onRight: Effect.succeed })
  }
  return Effect.flatMap(Clock.currentTimeMillis, (now) => Effect.fail(statusFailure(received, now).error))
}

/**
 * Builds the in-memory service and its controls over a fresh model.
 *
 * @since 0.1.0
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

    const synctera: SyncteraService = {
      getWidgetToken: (input) =>
        Effect.suspend(() => {
          const checked = checkWidgetTokenRequest(input)
          if (checked._tag === "Left") return Effect.fail(checked.left)
          const request = checked.right
          const key = request.idempotencyKey ?? crypto.randomUUID()
          record({ operation: "getWidgetToken", input: request, idempotencyKey: key })
          const modelRequest = {
            operation: "getWidgetToken",
            cardId: request.cardId,
            widgetType: request.widgetType,
            idempotencyKey: key
          } as const
          return clientSpan(
            "Synctera.getWidgetToken",
            {
              "synctera.card_id": request.cardId,
              "synctera.widget_type": request.widgetType,
              "synctera.idempotency_key": key,
              "synctera.attempts": 1
            },
            () =>
              Effect.flatMap(
                model.handle(modelRequest, handleOptions()),
                (outcome) => read("getWidgetToken", outcome, decodeWidgetToken, isWidgetToken)
              )
          )
        }),
      getFdxToken: (input) =>
        Effect.suspend(() => {
          const checked = checkFdxTokenRequest(input)
          if (checked._tag === "Left") return Effect.fail(checked.left)
          const request = checked.right
          record({ operation: "getFdxToken", input: request, idempotencyKey: undefined })
          return clientSpan(
            "Synctera.getFdxToken",
            { "synctera.fdx_token_id": request.fdxTokenId, "synctera.attempts": 1 },
            () =>
              Effect.flatMap(
                model.handle({ operation: "getFdxToken", fdxTokenId: request.fdxTokenId }, handleOptions()),
                (outcome) => read("getFdxToken", outcome, decodeFdxToken, isFdxToken)
              )
          )
        })
    }

    const control: SyncteraTestService = {
      seed,
      model,
      addCards: model.addCards,
      addFdxTokens: model.addFdxTokens,
      failNext: model.failNext,
      setLatency: (input) =>
        Effect.sync(() => {
          latency = Duration.decode(input)
        }),
      calls: Effect.sync(() => calls.slice(-maxRecordedCalls))
    }
    return { synctera, control }
  })

/**
 * A fresh in-memory Synctera (and its controls) per build of the layer; the
 * same as `SyncteraTest.layer`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (seed?: Seed): Layer.Layer<Synctera | SyncteraTest> =>
  Layer.effectContext(
    Effect.map(make(seed), ({ control, synctera }) =>
      Context.make(Synctera, synctera).pipe(Context.add(SyncteraTest, control)))
  )
