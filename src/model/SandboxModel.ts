/**
 * One model of how Synctera answers the operations this package covers,
 * shared by the in-memory layer (`SyncteraTest`) and the sandbox HTTP server,
 * so that both behave alike. It works at the wire level: it takes a request
 * as it came over the wire (the operation it was routed to, raw path and
 * query parameters, the raw body) and gives back a status and a snake_case
 * JSON body ({@link Outcome}).
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
 * UUID each time) or the FDX token as stored. Plaid Core Exchange: see `Pce`;
 * lists page as `Pages` says.
 *
 * Idempotency (see `Idempotency`) applies to every request with a key, as
 * Synctera documents, except a grant and `authorization_test`: their
 * published OpenAPI lists no `Idempotency-Key` and nothing documents that
 * Synctera deduplicates them, so the model does not (a repeated grant of a
 * decided request is its 409, as a client that retried blindly would meet
 * it). The
 * fingerprint is the operation, its parameters and its body; answers are kept
 * for 7 days measured on Effect's `Clock` (so `TestClock` can move past them);
 * 5xx, 429 and 409 answers are not kept, so a retry with the same key runs
 * again. A queued `failNext` failure is the server's answer to the request
 * that takes it, so it follows the same rule: an injected 503 is not kept, an
 * injected 403 is.
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
import type { Operation } from "../errors/SyncteraError.js"
import { CardWidgetType } from "../schemas/CardWidgetType.js"
import { FdxAuthRequest } from "../schemas/FdxAuthRequest.js"
import { FdxToken } from "../schemas/FdxToken.js"
import * as Idempotency from "./Idempotency.js"
import { type Failure, failure, injected, type InjectedFailure, type Outcome, success } from "./Outcome.js"
import * as Pce from "./Pce.js"
import { type CardState, defaultSeed, type Seed, type SeedCard } from "./Seed.js"

/**
 * A request as the model sees it: the operation it was routed to, and what
 * came over the wire, as raw strings. `authorized` defaults to `true`.
 *
 * @since 0.1.0
 * @category model
 */
export interface ModelRequest {
  readonly operation: Operation
  /** The path's parameters by name (`card_id`, `fdx_token_id`). */
  readonly params?: Readonly<Record<string, string>> | undefined
  /** The query's parameters (the first value of a repeated one). */
  readonly query?: Readonly<Record<string, string | undefined>> | undefined
  /** The body's text, for a POST. */
  readonly body?: string | undefined
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
 * What a Plaid Core Exchange control refused to do, and why.
 *
 * @since 0.2.0
 * @category model
 */
export class ControlRefused extends Schema.TaggedError<ControlRefused>("effect-synctera/ControlRefused")(
  "ControlRefused",
  { reason: Schema.String }
) {
  override get message(): string {
    return this.reason
  }
}

/**
 * The model: its answers, and the controls tests use to shape them.
 *
 * @since 0.1.0
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
  readonly setUris: (uris: Partial<Pce.PceUris>) => Effect.Effect<void>
  /** Where the flow's browser steps go now. */
  readonly uris: Effect.Effect<Pce.PceUris>
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

interface State {
  // Native maps, replaced (not changed) when cards or tokens are added: a
  // lookup per request is then a native string hash, not a JS loop over it.
  readonly cards: ReadonlyMap<string, CardState>
  readonly pce: Pce.PceState
  readonly uris: Pce.PceUris
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
const encodeFdxToken = Schema.encodeSync(FdxToken)
const encodeAuthRequest = Schema.encodeSync(FdxAuthRequest)
const decodeFdxTokens = Schema.decodeSync(Schema.Array(FdxToken))

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

/** What makes two requests "the same" for an idempotency key: operation, parameters and body. */
const fingerprint = (request: ModelRequest): string =>
  `${request.operation} ${JSON.stringify(request.params ?? {})} ${JSON.stringify(request.query ?? {})} ${
    request.body ?? ""
  }`

/**
 * The operations whose idempotency key the model does not honour: those that
 * change something and whose published OpenAPI lists no `Idempotency-Key`
 * (nothing documents that Synctera deduplicates them).
 */
const notDeduplicated: ReadonlySet<Operation> = new Set(["grantFdxAuthRequest", "getAuthorizationTest"])

/** How the model answers one operation: from the state, the request and the time; with the state after. */
type Behaviour = (state: State, request: ModelRequest, now: number) => readonly [Outcome, State]

/** The owners of tokens and auth requests, who are the tenant's customers and businesses. */
const owners = (
  items: Iterable<
    { readonly customer_id?: string | null | undefined; readonly business_id?: string | null | undefined }
  >,
  key: "customer_id" | "business_id"
): Array<string> =>
  Array.from(items).flatMap((item) => {
    const id = item[key]
    return typeof id === "string" ? [id.toLowerCase()] : []
  })

/**
 * Builds a model holding `seed` ({@link defaultSeed} when left out). Each call
 * makes an independent model.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (seed: Seed = defaultSeed, uris: Partial<Pce.PceUris> = {}): Effect.Effect<SandboxModel> =>
  Effect.gen(function*() {
    const tenant = seed.tenant
    const tokens = seed.fdxTokens.map((token) => encodeFdxToken(token))
    const authRequests = seed.fdxAuthRequests.map((request) => encodeAuthRequest(request))
    const state = yield* Ref.make<State>({
      cards: new Map(seed.cards.map((card) => [card.id.toLowerCase(), card.state] as const)),
      pce: {
        fdxTokens: new Map(tokens.map((token) => [token.id.toLowerCase(), token] as const)),
        authRequests: new Map(authRequests.map((request) => [request.id.toLowerCase(), request] as const)),
        customers: new Set([
          ...seed.customers.map((id) => id.toLowerCase()),
          ...owners(tokens, "customer_id"),
          ...owners(authRequests, "customer_id")
        ]),
        businesses: new Set([
          ...seed.businesses.map((id) => id.toLowerCase()),
          ...owners(tokens, "business_id"),
          ...owners(authRequests, "business_id")
        ])
      },
      uris: { ...Pce.defaultUris, ...uris },
      idempotency: HashMap.empty(),
      queued: [],
      tickets: 0
    })

    const param = (request: ModelRequest, name: string): string => request.params?.[name] ?? ""

    const withPce = (s: State, [outcome, pce]: readonly [Outcome, Pce.PceState]): readonly [Outcome, State] => [
      outcome,
      pce === s.pce ? s : { ...s, pce }
    ]

    const behaviours: Readonly<Record<Operation, Behaviour>> = {
      getWidgetToken: (s, request) => {
        const cardId = param(request, "card_id")
        const widgetType = request.query?.["widget_type"]
        if (!isUuid(cardId)) return [badRequest("card_id must be a UUID", { invalid: "card_id" }), s]
        if (widgetType === undefined) return [badRequest("widget_type is required", { missing: "widget_type" }), s]
        if (!isWidgetType(widgetType)) {
          return [
            badRequest(`widget_type must be one of ${CardWidgetType.literals.join(", ")}`, { invalid: "widget_type" }),
            s
          ]
        }
        const card = s.cards.get(cardId.toLowerCase())
        if (card === undefined) return [notFound("card", cardId), s]
        if (card !== "active") return [refusals[card](cardId), s]
        return [success(200, { tenant, widget_token: crypto.randomUUID() }), s]
      },
      getFdxToken: (s, request) => {
        const id = param(request, "fdx_token_id")
        if (!isUuid(id)) return [badRequest("fdx_token_id must be a UUID", { invalid: "fdx_token_id" }), s]
        const token = s.pce.fdxTokens.get(id.toLowerCase())
        return [token === undefined ? notFound("FDX token", id) : success(200, token), s]
      },
      listFdxTokens: (s, request) => [Pce.listFdxTokens(s.pce, request.query ?? {}), s],
      listFdxAuthRequests: (s, request) => [Pce.listFdxAuthRequests(s.pce, request.query ?? {}), s],
      grantFdxAuthRequest: (s, request, now) => withPce(s, Pce.grant(s.pce, request.body, s.uris, now)),
      getAuthorizationTest: (s, _request, now) => withPce(s, Pce.authorizationTest(s.pce, tenant, s.uris, now))
    }

    /**
     * The answer of a request that is processed (not replayed, not refused
     * for its key): a queued failure if any, else the injected fault, else the
     * model's answer; in one step on the state.
     */
    const process = (request: ModelRequest, options: HandleOptions | undefined): Effect.Effect<Outcome> => {
      const answer = Effect.flatMap(
        Clock.currentTimeMillis,
        (now) =>
          Ref.modify(state, (s): readonly [Outcome, State] => {
            const queued = s.queued[0]
            if (queued !== undefined) return [queued, { ...s, queued: s.queued.slice(1) }]
            if (options?.fault !== undefined) return [injected(options.fault), s]
            return behaviours[request.operation](s, request, now)
          })
      )
      const latency = options?.latency === undefined ? Duration.zero : Duration.decode(options.latency)
      return Duration.isZero(latency) ? answer : Effect.zipRight(Effect.sleep(latency), answer)
    }

    const handle = (request: ModelRequest, options?: HandleOptions): Effect.Effect<Outcome> => {
      if (request.authorized === false) {
        return Effect.succeed(unauthorized())
      }
      const key = request.idempotencyKey
      if (key === undefined || notDeduplicated.has(request.operation)) {
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

    const addFdxTokens = (added: Iterable<FdxToken>) =>
      Effect.flatMap(
        Effect.sync(() => Array.from(added, (token) => encodeFdxToken(token))),
        (encoded) =>
          Ref.update(state, (s) => ({
            ...s,
            pce: {
              ...s.pce,
              fdxTokens: new Map([
                ...s.pce.fdxTokens,
                ...encoded.map((token) => [token.id.toLowerCase(), token] as const)
              ])
            }
          }))
      )

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

    /** Runs a PCE control on the state; its tokens decoded, or why it refused. */
    const control = (
      run: (pce: Pce.PceState, now: number) => readonly [Pce.ControlResult, Pce.PceState]
    ): Effect.Effect<ReadonlyArray<FdxToken>, ControlRefused> =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Effect.flatMap(
          Ref.modify(state, (s): readonly [Pce.ControlResult, State] => {
            const [result, pce] = run(s.pce, now)
            return [result, { ...s, pce }]
          }),
          (result) =>
            result._tag === "Refused"
              ? Effect.fail(new ControlRefused({ reason: result.reason }))
              : Effect.sync(() => decodeFdxTokens(result.tokens))
        ))

    return {
      tenant,
      handle,
      addCards,
      addFdxTokens,
      failNext,
      setUris: (changed) => Ref.update(state, (s) => ({ ...s, uris: { ...s.uris, ...changed } })),
      uris: Effect.map(Ref.get(state), (s) => s.uris),
      exchange: (code) => control((pce, now) => Pce.exchange(pce, tenant, code, now)),
      refreshFdxToken: (id) => control((pce, now) => Pce.refresh(pce, tenant, id, now)),
      revokeFdxToken: (id) =>
        Effect.flatMap(control((pce, now) => Pce.revoke(pce, id, now)), (tokens) =>
          tokens[0] === undefined
            ? Effect.fail(new ControlRefused({ reason: "nothing was revoked" }))
            : Effect.succeed(tokens[0]))
    }
  })
