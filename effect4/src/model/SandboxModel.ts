/**
 * One model of how Synctera answers the operations this package covers,
 * shared by the in-memory layer (`SyncteraTest`) and the sandbox HTTP server,
 * so that both behave alike. It works at the wire level: it takes a request
 * as it came over the wire (the operation it was routed to, raw path and
 * query parameters, the raw body) and gives back a status and a snake_case
 * JSON body (`Outcome`).
 *
 * Answers, checked in this order:
 *
 * | status | code | when |
 * | --- | --- | --- |
 * | 401 | `UNAUTHORIZED` | the request is not authorized (never stored for a key) |
 * | 422 | `IDEMPOTENCY_INVALID_REUSE` | the idempotency key was used for a different request in the last 7 days |
 * | 409 | `IDEMPOTENCY_CONCURRENT_USE` | the key's first request is still running (Synctera also documents 422; the client handles both) |
 * | *stored* | *stored* | same key, same request, within 7 days: the stored answer, status included |
 * | *injected* | *injected* | a failure queued with `failNext`, or a fault passed by the caller |
 * | *the operation's* | | see below |
 *
 * Cards and widget tokens: 400 `BAD_REQUEST` when `card_id` / `fdx_token_id`
 * is not a UUID (`invalid: [name]`), `widget_type` is missing
 * (`missing: ["widget_type"]`) or not one of `ACTIVATE`, `GET_PIN`,
 * `REVEAL`, `SET_PIN` (`invalid: ["widget_type"]`); 404 `RESOURCE_NOT_FOUND`
 * for no such card or FDX token; 403 `FORBIDDEN` for a `forbidden` card; 422
 * `CARD_TERMINATED` / `CARD_SUSPENDED`; else 200 with a widget token (a fresh
 * UUID each time) or the FDX token as stored. Plaid Core Exchange: see
 * `core/model/Pce`; lists page as `core/model/Pages` says.
 *
 * Idempotency (see `Idempotency`) applies to every request with a key, as
 * Synctera documents, except a grant and `authorization_test`: their
 * published OpenAPI lists no `Idempotency-Key` and nothing documents that
 * Synctera deduplicates them, so the model does not (a repeated grant of a
 * decided request is its 409, as a client that retried blindly would meet
 * it). The fingerprint is the operation, its parameters and its body;
 * answers are kept for 7 days measured on Effect's `Clock` (so `TestClock`
 * can move past them); 5xx, 429 and 409 answers are not kept, so a retry
 * with the same key runs again. A queued `failNext` failure is the server's
 * answer to the request that takes it, so it follows the same rule: an
 * injected 503 is not kept, an injected 403 is.
 *
 * The model itself is the Effect-free core's state machine
 * (`core/model/Machine`, its answers in `core/model/Answers`); this module
 * runs it on Effect 4: `Clock` gives it the time, `Effect.sleep` the latency,
 * an interruption while a key is reserved frees the key, and the tokens that
 * cross this API are this line's `FdxToken`, encoded and decoded with its
 * schema.
 *
 * @example
 * ```ts
 * import { SandboxModel, sandboxIds } from "effect-synctera/effect4/testing"
 * import { Effect } from "effect"
 *
 * const outcome = Effect.gen(function*() {
 *   const model = yield* SandboxModel.make()
 *   return yield* model.handle({
 *     operation: "getWidgetToken",
 *     params: { card_id: sandboxIds.cards.terminated },
 *     query: { widget_type: "REVEAL" }
 *   })
 * }) // a Failure: 422, body { code: "CARD_TERMINATED", ... }
 * ```
 *
 * @since 0.3.0
 */
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Schema from "effect/Schema"
import type { ModelRequest } from "../../../src/core/model/Answers.js"
import * as Machine from "../../../src/core/model/Machine.js"
import type { InjectedFailure, Outcome } from "../../../src/core/model/Outcome.js"
import type { ControlResult, PceUris } from "../../../src/core/model/Pce.js"
import type { SeedJson } from "../../../src/core/model/Seed.js"
import { FdxAuthRequest } from "../schemas/FdxAuthRequest.js"
import { FdxToken } from "../schemas/FdxToken.js"
import { defaultSeed, type Seed, type SeedCard } from "./Seed.js"

export {
  /**
   * A request as the model sees it: the operation it was routed to, and what
   * came over the wire, as raw strings. `authorized` defaults to `true`.
   *
   * @since 0.3.0
   * @category model
   */
  type ModelRequest,
  /**
   * The answer to a request without a valid API key.
   *
   * @since 0.3.0
   * @category answers
   */
  unauthorized
} from "../../../src/core/model/Answers.js"

/**
 * Per-request extras from the caller (the sandbox's fault injection).
 *
 * @since 0.3.0
 * @category model
 */
export interface HandleOptions {
  /** Time spent "processing", while the idempotency key is reserved. */
  readonly latency?: Duration.Input | undefined
  /** A failure to answer instead of the model's own answer (after `failNext` failures). */
  readonly fault?: InjectedFailure | undefined
}

/**
 * What a Plaid Core Exchange control refused to do, and why.
 *
 * @example
 * ```ts
 * import { SandboxModel } from "effect-synctera/effect4/testing"
 * import { Effect } from "effect"
 *
 * const refused = Effect.gen(function*() {
 *   const model = yield* SandboxModel.make()
 *   return yield* Effect.flip(model.exchange("no-such-code"))
 * }) // a ControlRefused; its message is the reason
 * ```
 *
 * @since 0.3.0
 * @category model
 */
export class ControlRefused extends Schema.TaggedError<ControlRefused>("effect-synctera/ControlRefused")(
  "ControlRefused",
  { reason: Schema.String }
) {
  /** The tag, as Effect 3's errors name themselves (the identifier is namespaced). */
  override get name(): string {
    return "ControlRefused"
  }

  override get message(): string {
    return this.reason
  }
}

/**
 * The model: its answers, and the controls tests use to shape them.
 *
 * @since 0.3.0
 * @category model
 */
export interface SandboxModel {
  /** The tenant put into widget tokens, FDX tokens and auth requests. */
  readonly tenant: string
  /** Answers one request. Never fails. */
  readonly handle: (request: ModelRequest, options?: HandleOptions) => Effect.Effect<Outcome>
  /** Adds cards, or changes the state of existing ones. */
  readonly addCards: (cards: Iterable<SeedCard>) => Effect.Effect<void>
  /** Adds FDX tokens at the end of the list, or replaces existing ones with the same id in place. */
  readonly addFdxTokens: (tokens: Iterable<FdxToken>) => Effect.Effect<void>
  /** Makes the next `n` requests that are processed (not replayed) answer `injection`. */
  readonly failNext: (n: number, injection: InjectedFailure) => Effect.Effect<void>
  /** Sets where `authorization_test` sends the browser, and where a grant's `redirect_uri` points. */
  readonly setUris: (uris: Partial<PceUris>) => Effect.Effect<void>
  /** Where the flow's browser steps go now. */
  readonly uris: Effect.Effect<PceUris>
  /**
   * Plays Plaid: exchanges the authorization code of a granted request (it
   * becomes `USED`) and gives the `ACCESS` and `REFRESH` tokens issued.
   */
  readonly exchange: (code: string) => Effect.Effect<ReadonlyArray<FdxToken>, ControlRefused>
  /** Uses a refresh token (it becomes `USED`); gives it and the two new tokens, which carry `parent_token_id`. */
  readonly refreshFdxToken: (id: string) => Effect.Effect<ReadonlyArray<FdxToken>, ControlRefused>
  /** Revokes a token; gives it as it is now. */
  readonly revokeFdxToken: (id: string) => Effect.Effect<FdxToken, ControlRefused>
}

const encodeFdxToken = Schema.encodeSync(FdxToken)
const encodeAuthRequest = Schema.encodeSync(FdxAuthRequest)
const decodeFdxTokens = Schema.decodeSync(Schema.Array(FdxToken))

/**
 * A seed in the wire form the core takes, part by part: the tokens and auth
 * requests with their schemas; the cards, customers and businesses as they
 * are (not checked again, as the model never did).
 */
const wireSeed = (seed: Seed): SeedJson => ({
  tenant: seed.tenant,
  cards: seed.cards,
  fdx_tokens: seed.fdxTokens.map((token) => encodeFdxToken(token)),
  customers: seed.customers,
  businesses: seed.businesses,
  fdx_auth_requests: seed.fdxAuthRequests.map((request) => encodeAuthRequest(request))
})

/**
 * Builds a model holding `seed` ({@link defaultSeed} when left out). Each call
 * makes an independent model.
 *
 * @example
 * ```ts
 * import { SandboxModel } from "effect-synctera/effect4/testing"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const model = yield* SandboxModel.make()
 *   yield* model.failNext(1, { status: 503 })
 *   return model.tenant // "sandbox_tenant"
 * })
 * ```
 *
 * @since 0.3.0
 * @category constructors
 */
export const make = (seed: Seed = defaultSeed, uris: Partial<PceUris> = {}): Effect.Effect<SandboxModel> =>
  Effect.sync(() => {
    const machine = Machine.make(wireSeed(seed), uris)

    /** The answer of a request that runs, after its latency, at the time it is made. */
    const process = (request: ModelRequest, options: HandleOptions | undefined): Effect.Effect<Outcome> => {
      const answer = Effect.map(Clock.currentTimeMillis, (now) => machine.answer(request, options?.fault, now))
      const latency = options?.latency === undefined ? Duration.zero : Duration.fromInputUnsafe(options.latency)
      return Duration.isZero(latency) ? answer : Effect.andThen(Effect.sleep(latency), answer)
    }

    const handle = (request: ModelRequest, options?: HandleOptions): Effect.Effect<Outcome> => {
      const admission = Machine.admit(request)
      if (admission._tag === "Answer") return Effect.succeed(admission.outcome)
      const key = admission.key
      if (key === undefined) return process(request, options)
      // The key is reserved, and its release registered, with interruption
      // masked, so that a reserved key is always freed or given its answer;
      // only the run itself can be interrupted.
      return Effect.uninterruptibleMask((restore) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) => {
          const decision = machine.begin(key, request, now)
          if (decision._tag === "Answer") return Effect.succeed(decision.outcome)
          return Effect.onExit(restore(process(request, options)), (exit) =>
            Effect.map(
              Clock.currentTimeMillis,
              (end) => machine.finish(key, decision.ticket, Exit.isSuccess(exit) ? exit.value : undefined, end)
            ))
        })
      )
    }

    /** Runs a PCE control at the current time; its tokens decoded, or why it refused. */
    const control = (
      run: (now: number) => ControlResult
    ): Effect.Effect<ReadonlyArray<FdxToken>, ControlRefused> =>
      Effect.flatMap(Clock.currentTimeMillis, (now) => {
        const result = run(now)
        return result._tag === "Refused"
          ? Effect.fail(new ControlRefused({ reason: result.reason }))
          : Effect.sync(() => decodeFdxTokens(result.tokens))
      })

    return {
      tenant: machine.tenant,
      handle,
      addCards: (cards) => Effect.sync(() => machine.addCards(cards)),
      addFdxTokens: (tokens) =>
        Effect.sync(() => machine.addFdxTokens(Array.from(tokens, (token) => encodeFdxToken(token)))),
      failNext: (n, injection) =>
        Effect.suspend(() => {
          const done = machine.failNext(n, injection)
          return done === true ? Effect.void : Effect.die(new Cause.IllegalArgumentError(done))
        }),
      setUris: (changed) => Effect.sync(() => machine.setUris(changed)),
      uris: Effect.sync(() => machine.uris()),
      exchange: (code) => control((now) => machine.exchange(code, now)),
      refreshFdxToken: (id) => control((now) => machine.refreshFdxToken(id, now)),
      revokeFdxToken: (id) =>
        Effect.flatMap(control((now) => machine.revokeFdxToken(id, now)), (tokens) =>
          tokens[0] === undefined
            ? Effect.fail(new ControlRefused({ reason: "nothing was revoked" }))
            : Effect.succeed(tokens[0]))
    }
  })
