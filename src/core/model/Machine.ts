/**
 * The sandbox model as a state machine, without Effect: the state a seed
 * starts it with, the answer to each request, the reservation of idempotency
 * keys, and the controls tests use. Every method is synchronous and takes the
 * current time (`now`, in milliseconds) from its caller, who owns the clock
 * and any waiting; JavaScript being single-threaded, each call is one atomic
 * step on the state.
 *
 * A request goes through up to four steps:
 *
 * 1. {@link admit}, pure: 401 `UNAUTHORIZED` for a request that is not
 *    authorized; else it runs, with its key reserved when it has one the
 *    model honours.
 * 2. {@link Machine.begin}, for a key to reserve: 422
 *    `IDEMPOTENCY_INVALID_REUSE`, 409 `IDEMPOTENCY_CONCURRENT_USE` or the
 *    stored answer (see `Idempotency`); else the key is reserved under a
 *    ticket.
 * 3. {@link Machine.answer}: a failure queued with `failNext`, else the fault
 *    the caller passes, else the operation's own answer (see `Answers`).
 * 4. {@link Machine.finish}, for a reserved key: the answer is kept for it (or
 *    the key freed), also when the run was interrupted and has no answer.
 *
 * Keys are honoured for the `repeatable` operations only: an `applyOnce` one
 * (a grant, `authorization_test`) changes something and nothing documents
 * that Synctera deduplicates it, so the model does not either.
 *
 * @since 0.3.0
 */
import { type OperationName, routes } from "../operations.js"
import * as Answers from "./Answers.js"
import * as Idempotency from "./Idempotency.js"
import { type Failure, injected, type InjectedFailure, type Outcome } from "./Outcome.js"
import * as Pce from "./Pce.js"
import type { SeedCardJson, SeedJson } from "./Seed.js"
import type { FdxTokenJson } from "./wire.js"

/**
 * How a request enters the model ({@link admit}): answered at once (401), or
 * run, with `key` reserved for it when it has one the model honours.
 *
 * @since 0.3.0
 * @category machine
 */
export type Admission =
  | { readonly _tag: "Answer"; readonly outcome: Outcome }
  | { readonly _tag: "Run"; readonly key: string | undefined }

/**
 * The model: its answers, and the controls tests use to shape them.
 *
 * @since 0.3.0
 * @category machine
 */
export interface Machine {
  /** The tenant put into widget tokens, FDX tokens and auth requests. */
  readonly tenant: string
  /**
   * Reserves `key` for a request that runs, under a fresh ticket; or answers
   * at once (a refusal for the key, or its stored answer, `replayed`).
   */
  readonly begin: (key: string, request: Answers.ModelRequest, now: number) => Idempotency.Decision
  /** The answer of a request that runs: a queued failure, else `fault`, else the operation's. */
  readonly answer: (request: Answers.ModelRequest, fault: InjectedFailure | undefined, now: number) => Outcome
  /** Ends the run that holds `key` under `ticket`: its answer, or `undefined` when the run was interrupted. */
  readonly finish: (key: string, ticket: number, outcome: Outcome | undefined, now: number) => void
  /** Adds cards, or changes the state of existing ones. */
  readonly addCards: (cards: Iterable<SeedCardJson>) => void
  /** Adds FDX tokens at the end of the list, or replaces existing ones with the same id in place. */
  readonly addFdxTokens: (tokens: Iterable<FdxTokenJson>) => void
  /**
   * Makes the next `n` requests that run answer `injection`; `true`, or why
   * it refused (`n` is not a whole number).
   */
  readonly failNext: (n: number, injection: InjectedFailure) => true | string
  /** Sets where `authorization_test` sends the browser, and where a grant's `redirect_uri` points. */
  readonly setUris: (uris: Partial<Pce.PceUris>) => void
  /** Where the flow's browser steps go now. */
  readonly uris: () => Pce.PceUris
  /** Plays Plaid: exchanges the code of a granted request; the `ACCESS` and `REFRESH` tokens issued. */
  readonly exchange: (code: string, now: number) => Pce.ControlResult
  /** Uses a refresh token: it, `USED`, and the two new tokens, which carry `parent_token_id`. */
  readonly refreshFdxToken: (id: string, now: number) => Pce.ControlResult
  /** Revokes a token: it, as it is now. */
  readonly revokeFdxToken: (id: string, now: number) => Pce.ControlResult
}

/** The operations whose idempotency key the model honours (see the module's doc). */
const deduplicated: ReadonlySet<OperationName> = new Set(
  routes.filter((route) => route.retry === "repeatable").map((route) => route.name)
)

/** What makes two requests "the same" for an idempotency key: operation, parameters and body. */
const fingerprint = (request: Answers.ModelRequest): string =>
  `${request.operation} ${JSON.stringify(request.params ?? {})} ${JSON.stringify(request.query ?? {})} ${
    request.body ?? ""
  }`

/** The owners of tokens and auth requests (lower-case), who are the tenant's customers and businesses. */
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
 * The first step of a request, which needs no state: 401 for one that is not
 * authorized, else a run, with the key to reserve when the model honours it.
 *
 * @since 0.3.0
 * @category machine
 */
export const admit = (request: Answers.ModelRequest): Admission => {
  if (request.authorized === false) return { _tag: "Answer", outcome: Answers.unauthorized() }
  const key = request.idempotencyKey
  return { _tag: "Run", key: key !== undefined && deduplicated.has(request.operation) ? key : undefined }
}

const cardEntry = (card: SeedCardJson) => [card.id.toLowerCase(), card.state ?? "active"] as const

const byId = <A extends { readonly id: string }>(item: A) => [item.id.toLowerCase(), item] as const

/**
 * A machine holding `seed` (valid: checked by the line's `Seed` schema), its
 * flow's browser steps going to `uris` (`Pce.defaultUris` for what is left
 * out). Each call makes an independent machine.
 *
 * @since 0.3.0
 * @category machine
 */
export const make = (seed: SeedJson, uris: Partial<Pce.PceUris> = {}): Machine => {
  const tenant = seed.tenant
  const tokens = seed.fdx_tokens
  const authRequests = seed.fdx_auth_requests ?? []
  // Replaced, not changed, on each step: the answers are pure functions of it.
  let state: Answers.State = {
    tenant,
    cards: new Map(seed.cards.map(cardEntry)),
    pce: {
      fdxTokens: new Map(tokens.map(byId)),
      authRequests: new Map(authRequests.map(byId)),
      customers: new Set([
        ...(seed.customers ?? []).map((id) => id.toLowerCase()),
        ...owners(tokens, "customer_id"),
        ...owners(authRequests, "customer_id")
      ]),
      businesses: new Set([
        ...(seed.businesses ?? []).map((id) => id.toLowerCase()),
        ...owners(tokens, "business_id"),
        ...owners(authRequests, "business_id")
      ])
    },
    uris: { ...Pce.defaultUris, ...uris }
  }
  const keys = Idempotency.makeKeyStore()
  const queued: Array<Failure> = []

  /** Runs a PCE control on the state. */
  const control = (run: (pce: Pce.PceState) => readonly [Pce.ControlResult, Pce.PceState]): Pce.ControlResult => {
    const [result, pce] = run(state.pce)
    state = { ...state, pce }
    return result
  }

  return {
    tenant,
    begin: (key, request, now) => keys.begin(key, fingerprint(request), now),
    answer: (request, fault, now) => {
      const next = queued.shift()
      if (next !== undefined) return next
      if (fault !== undefined) return injected(fault)
      const [outcome, after] = Answers.answer(state, request, now)
      state = after
      return outcome
    },
    finish: keys.finish,
    addCards: (cards) => {
      state = { ...state, cards: new Map([...state.cards, ...Array.from(cards, cardEntry)]) }
    },
    addFdxTokens: (added) => {
      const fdxTokens = new Map([...state.pce.fdxTokens, ...Array.from(added, byId)])
      state = { ...state, pce: { ...state.pce, fdxTokens } }
    },
    failNext: (n, injection) => {
      if (!Number.isInteger(n) || n < 0) return `failNext expects a whole number of calls, got ${n}`
      // Made before any is queued: an injection the wire shape refuses throws and queues nothing.
      const failures = Array.from({ length: n }, () => injected(injection))
      for (const failure of failures) queued.push(failure)
      return true
    },
    setUris: (changed) => {
      state = { ...state, uris: { ...state.uris, ...changed } }
    },
    uris: () => state.uris,
    exchange: (code, now) => control((pce) => Pce.exchange(pce, tenant, code, now)),
    refreshFdxToken: (id, now) => control((pce) => Pce.refresh(pce, tenant, id, now)),
    revokeFdxToken: (id, now) => control((pce) => Pce.revoke(pce, id, now))
  }
}
