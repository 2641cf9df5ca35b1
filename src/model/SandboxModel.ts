/**
 * One model of how Synctera answers the two endpoints this package covers,
 * shared by the in-memory layer (`SyncteraTest`) and the sandbox HTTP server,
 * so that both behave alike. It works at the wire level: it takes the raw
 * strings of a request and gives back a status and a snake_case JSON body
 * ({@link Outcome}).
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
 * | 400 | `BAD_REQUEST` | `card_id` / `fdx_token_id` not a UUID (`invalid: [name]`), `widget_type` missing (`missing: ["widget_type"]`) or not one of `ACTIVATE`, `GET_PIN`, `REVEAL`, `SET_PIN` (`invalid: ["widget_type"]`) |
 * | 404 | `RESOURCE_NOT_FOUND` | no such card, or no such FDX token |
 * | 403 | `FORBIDDEN` | the card is `forbidden` |
 * | 422 | `CARD_TERMINATED` | the card is `terminated` |
 * | 422 | `CARD_SUSPENDED` | the card is `suspended` |
 * | 200 | | a widget token (a fresh UUID each time), or the FDX token as seeded |
 *
 * Idempotency (see `Idempotency`): the request's fingerprint is its method,
 * path and parameters; answers are kept for 7 days measured on Effect's
 * `Clock` (so `TestClock` can move past them); 5xx, 429 and 409 answers are
 * not kept, so a retry with the same key runs again. A queued `failNext`
 * failure is the server's answer to the request that takes it, so it follows
 * the same rule: an injected 503 is not kept, an injected 403 is.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as HashMap from "effect/HashMap"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import { CardWidgetType } from "../schemas/CardWidgetType.js"
import { FdxToken } from "../schemas/FdxToken.js"
import { WidgetToken } from "../schemas/WidgetToken.js"
import * as Idempotency from "./Idempotency.js"
import { type Failure, failure, injected, type InjectedFailure, type Outcome, type Success } from "./Outcome.js"
import { type CardState, defaultSeed, type Seed, type SeedCard } from "./Seed.js"

/**
 * A request as the model sees it: raw strings, as they came over the wire.
 * `authorized` defaults to `true`.
 *
 * @since 0.1.0
 * @category model
 */
export type ModelRequest =
  | {
    readonly operation: "getWidgetToken"
    readonly cardId: string
    /** `undefined` when the query has no `widget_type`. */
    readonly widgetType: string | undefined
    readonly idempotencyKey?: string | undefined
    readonly authorized?: boolean | undefined
  }
  | {
    readonly operation: "getFdxToken"
    readonly fdxTokenId: string
    readonly idempotencyKey?: string | undefined
    readonly authorized?: boolean | undefined
  }

/**
 * Per-request extras from the caller (the sandbox's fault injection).
 *
 * @since 0.1.0
 * @category model
 */
export interface HandleOptions {
  /** Time spent "processing", while the idempotency key is reserved. */
  readonly latency?: Duration.DurationInput | undefined
  /** A failure to answer instead of the model's own answer (after `failNext` failures). */
  readonly fault?: InjectedFailure | undefined
}

/**
 * The model: its answers, and the controls tests use to shape them.
 *
 * @since 0.1.0
 * @category model
 */
export interface SandboxModel {
  /** The tenant put into widget tokens. */
  readonly tenant: string
  /** Answers one request. Never fails. */
  readonly handle: (request: ModelRequest, options?: HandleOptions) => Effect.Effect<Outcome>
  /** Adds cards, or changes the state of existing ones. */
  readonly addCards: (cards: Iterable<SeedCard>) => Effect.Effect<void>
  /** Adds FDX tokens, or replaces existing ones with the same id. */
  readonly addFdxTokens: (tokens: Iterable<FdxToken>) => Effect.Effect<void>
  /** Makes the next `n` requests that are processed (not replayed) answer `injection`. */
  readonly failNext: (n: number, injection: InjectedFailure) => Effect.Effect<void>
}

/** An FDX token as the model answers it: its wire shape, and that shape decoded. */
interface StoredFdxToken {
  readonly body: FdxToken.Json
  readonly value: FdxToken
}

interface State {
  // Native maps, replaced (not changed) when cards or tokens are added: a
  // lookup per request is then a native string hash, not a JS loop over it.
  readonly cards: ReadonlyMap<string, CardState>
  readonly fdxTokens: ReadonlyMap<string, StoredFdxToken>
  readonly idempotency: Idempotency.Store
  readonly queued: ReadonlyArray<Failure>
  readonly tickets: number
}

/**
 * The answer to a request without a valid API key.
 *
 * @since 0.1.0
 * @category answers
 */
export const unauthorized = (): Failure => failure(401, "UNAUTHORIZED", "missing or invalid API key")

const isUuid = Schema.is(Schema.UUID)
const isWidgetType = Schema.is(CardWidgetType)
const encodeWidgetToken = Schema.encodeSync(WidgetToken)
const encodeFdxToken = Schema.encode(FdxToken)
const decodeFdxToken = Schema.decode(FdxToken)

const badRequest = (detail: string, field: { readonly missing?: string; readonly invalid?: string }): Failure =>
  failure(400, "BAD_REQUEST", detail, {
    ...(field.missing === undefined ? {} : { missing: [field.missing] }),
    ...(field.invalid === undefined ? {} : { invalid: [field.invalid] })
  })

const notFound = (what: string, id: string): Failure => failure(404, "RESOURCE_NOT_FOUND", `${what} ${id} not found`)

const refusals: Readonly<Record<Exclude<CardState, "active">, (cardId: string) => Failure>> = {
  forbidden: (cardId) => failure(403, "FORBIDDEN", `this API key may not use card ${cardId}`),
  terminated: (cardId) =>
    failure(422, "CARD_TERMINATED", `card ${cardId} is terminated: widget tokens cannot be issued for it`),
  suspended: (cardId) =>
    failure(422, "CARD_SUSPENDED", `card ${cardId} is suspended: widget tokens cannot be issued for it`)
}

const success = (answer: { readonly body: Success["body"]; readonly value: Success["value"] }): Success => ({
  _tag: "Success",
  status: 200,
  body: answer.body,
  value: answer.value
})

/** Method, path and parameters: what makes two requests "the same". */
const fingerprint = (request: ModelRequest): string =>
  request.operation === "getWidgetToken"
    ? `GET /cards/${request.cardId}/widget_token ${JSON.stringify(request.widgetType ?? null)}`
    : `GET /fdx_tokens/${request.fdxTokenId}`

// Stored with the value a client decodes from the wire shape, not the one
// given: the in-memory layer then answers exactly what the sandbox server's
// clients decode.
const encodeTokens = (tokens: Iterable<FdxToken>) =>
  Effect.forEach(
    tokens,
    (token) =>
      Effect.flatMap(encodeFdxToken(token), (body) =>
        Effect.map(
          decodeFdxToken(body),
          (value): readonly [string, StoredFdxToken] => [token.id.toLowerCase(), { body, value }]
        ))
  )
    .pipe(Effect.orDie)

/**
 * Builds a model holding `seed` ({@link defaultSeed} when left out). Each call
 * makes an independent model.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (seed: Seed = defaultSeed): Effect.Effect<SandboxModel> =>
  Effect.gen(function*() {
    const tenant = seed.tenant
    const fdxTokens = yield* encodeTokens(seed.fdxTokens)
    const state = yield* Ref.make<State>({
      cards: new Map(seed.cards.map((card) => [card.id.toLowerCase(), card.state] as const)),
      fdxTokens: new Map(fdxTokens),
      idempotency: HashMap.empty(),
      queued: [],
      tickets: 0
    })

    /** The model's own answer, from the state as it is. */
    const widgetToken = (s: State, cardId: string, widgetType: string | undefined): Outcome => {
      if (!isUuid(cardId)) return badRequest("card_id must be a UUID", { invalid: "card_id" })
      if (widgetType === undefined) return badRequest("widget_type is required", { missing: "widget_type" })
      if (!isWidgetType(widgetType)) {
        return badRequest(`widget_type must be one of ${CardWidgetType.literals.join(", ")}`, {
          invalid: "widget_type"
        })
      }
      const card = s.cards.get(cardId.toLowerCase())
      if (card === undefined) return notFound("card", cardId)
      if (card !== "active") return refusals[card](cardId)
      const value: WidgetToken = { tenant, widgetToken: crypto.randomUUID() }
      return success({ body: encodeWidgetToken(value), value })
    }

    const fdxToken = (s: State, id: string): Outcome => {
      if (!isUuid(id)) return badRequest("fdx_token_id must be a UUID", { invalid: "fdx_token_id" })
      const stored = s.fdxTokens.get(id.toLowerCase())
      return stored === undefined ? notFound("FDX token", id) : success(stored)
    }

    /**
     * The answer of a request that is processed (not replayed, not refused
     * for its key): a queued failure if any, else the injected fault, else the
     * model's answer; in one step on the state.
     */
    const process = (request: ModelRequest, options: HandleOptions | undefined): Effect.Effect<Outcome> => {
      const answer = Ref.modify(state, (s): readonly [Outcome, State] => {
        const queued = s.queued[0]
        if (queued !== undefined) return [queued, { ...s, queued: s.queued.slice(1) }]
        if (options?.fault !== undefined) return [injected(options.fault), s]
        return [
          request.operation === "getWidgetToken"
            ? widgetToken(s, request.cardId, request.widgetType)
            : fdxToken(s, request.fdxTokenId),
          s
        ]
      })
      const latency = options?.latency === undefined ? Duration.zero : Duration.decode(options.latency)
      return Duration.isZero(latency) ? answer : Effect.zipRight(Effect.sleep(latency), answer)
    }

    const handle = (request: ModelRequest, options?: HandleOptions): Effect.Effect<Outcome> => {
      if (request.authorized === false) {
        return Effect.succeed(unauthorized())
      }
      const key = request.idempotencyKey
      if (key === undefined) {
        return process(request, options)
      }
      const print = fingerprint(request)
      return Effect.uninterruptibleMask((restore) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) =>
          Effect.flatMap(
            Ref.modify(state, (s): readonly [Idempotency.Decision, State] => {
              const [decision, idempotency] = Idempotency.begin(s.idempotency, key, print, now, s.tickets + 1)
              return [decision, decision._tag === "Run" ? { ...s, idempotency, tickets: s.tickets + 1 } : s]
            }),
            (decision) => {
              if (decision._tag === "Answer") {
                return Effect.succeed(decision.outcome)
              }
              return restore(process(request, options)).pipe(
                Effect.onExit((exit) =>
                  Effect.flatMap(Clock.currentTimeMillis, (end) =>
                    Ref.update(state, (s) => ({
                      ...s,
                      idempotency: Idempotency.finish(
                        s.idempotency,
                        key,
                        decision.ticket,
                        Exit.isSuccess(exit) ? exit.value : undefined,
                        end
                      )
                    })))
                )
              )
            }
          ))
      )
    }

    const addCards = (cards: Iterable<SeedCard>) =>
      Ref.update(state, (s) => ({
        ...s,
        cards: new Map([...s.cards, ...Array.from(cards, (card) => [card.id.toLowerCase(), card.state] as const)])
      }))

    const addFdxTokens = (tokens: Iterable<FdxToken>) =>
      Effect.flatMap(encodeTokens(tokens), (encoded) =>
        Ref.update(state, (s) => ({
          ...s,
          fdxTokens: new Map([...s.fdxTokens, ...encoded])
        })))

    const failNext = (n: number, injection: InjectedFailure) =>
      Number.isInteger(n) && n >= 0
        ? Ref.update(state, (s) => ({
          ...s,
          queued: [
            ...s.queued,
            ...Array.from({ length: n }, () => injected(injection))
          ]
        }))
        : Effect.dieMessage(`failNext expects a whole number of calls, got ${n}`)

    return { tenant, handle, addCards, addFdxTokens, failNext }
  })
