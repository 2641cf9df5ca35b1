/**
 * How the model answers each operation, from what it holds: a pure function
 * of the state, the request as it came over the wire, and the time, giving
 * the answer and the state after. Authorization, idempotency keys and
 * injected failures come before it (see `Machine`).
 *
 * Cards and widget tokens: 400 `BAD_REQUEST` when `card_id` / `fdx_token_id`
 * is not a UUID (`invalid: [name]`), `widget_type` is missing
 * (`missing: ["widget_type"]`) or not a card widget type
 * (`invalid: ["widget_type"]`); 404 `RESOURCE_NOT_FOUND` for no such card or
 * FDX token; 403 `FORBIDDEN` for a `forbidden` card; 422 `CARD_TERMINATED` /
 * `CARD_SUSPENDED`; else 200 with a widget token (a fresh UUID each time) or
 * the FDX token as stored (the same object each time). Plaid Core Exchange:
 * see `Pce`.
 *
 * @since 0.3.0
 */
import type { OperationName } from "../operations.js"
import { cardWidgetTypes, isUuid } from "../rules.js"
import { type Failure, failure, type Outcome, success } from "./Outcome.js"
import * as Pce from "./Pce.js"
import type { CardState } from "./Seed.js"
import type { WidgetTokenJson } from "./wire.js"

/**
 * A request as the model sees it: the operation it was routed to, and what
 * came over the wire, as raw strings. `authorized` defaults to `true`.
 *
 * @since 0.3.0
 * @category answers
 */
export interface ModelRequest {
  readonly operation: OperationName
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
 * What the answers read and change. The cards are by lower-case id.
 *
 * @since 0.3.0
 * @category answers
 */
export interface State {
  /** The tenant put into widget tokens, FDX tokens and auth requests. */
  readonly tenant: string
  readonly cards: ReadonlyMap<string, CardState>
  readonly pce: Pce.PceState
  readonly uris: Pce.PceUris
}

/**
 * The answer to a request without a valid API key.
 *
 * @since 0.3.0
 * @category answers
 */
export const unauthorized = (): Failure => failure(401, "UNAUTHORIZED", "missing or invalid API key")

const widgetTypes: ReadonlySet<string> = new Set(cardWidgetTypes)

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

const param = (request: ModelRequest, name: string): string => request.params?.[name] ?? ""

/** How the model answers one operation. */
type Behaviour = (state: State, request: ModelRequest, now: number) => readonly [Outcome, State]

/** A PCE answer with the state it leaves (the same state when nothing changed). */
const withPce = (state: State, [outcome, pce]: readonly [Outcome, Pce.PceState]): readonly [Outcome, State] => [
  outcome,
  pce === state.pce ? state : { ...state, pce }
]

const behaviours: Readonly<Record<OperationName, Behaviour>> = {
  getWidgetToken: (s, request) => {
    const cardId = param(request, "card_id")
    const widgetType = request.query?.["widget_type"]
    if (!isUuid(cardId)) return [badRequest("card_id must be a UUID", { invalid: "card_id" }), s]
    if (widgetType === undefined) return [badRequest("widget_type is required", { missing: "widget_type" }), s]
    if (!widgetTypes.has(widgetType)) {
      return [badRequest(`widget_type must be one of ${cardWidgetTypes.join(", ")}`, { invalid: "widget_type" }), s]
    }
    const card = s.cards.get(cardId.toLowerCase())
    if (card === undefined) return [notFound("card", cardId), s]
    if (card !== "active") return [refusals[card](cardId), s]
    return [success(200, { tenant: s.tenant, widget_token: crypto.randomUUID() } satisfies WidgetTokenJson), s]
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
  getAuthorizationTest: (s, _request, now) => withPce(s, Pce.authorizationTest(s.pce, s.tenant, s.uris, now))
}

/**
 * The operation's own answer to a request, and the state after it.
 *
 * @since 0.3.0
 * @category answers
 */
export const answer = (state: State, request: ModelRequest, now: number): readonly [Outcome, State] =>
  behaviours[request.operation](state, request, now)
