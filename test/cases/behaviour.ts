/**
 * THE behaviour table: what Synctera does, as plain data, shared by both
 * Effect lines. Each case is a list of steps (calls of the service's
 * operations with plain inputs, the model's controls) and, on the steps that
 * are observed, what they must give. Every stand-in of either line (the
 * in-memory layer, the live layer over HTTP to the sandbox) must give
 * exactly these observations; as they are exact, the table is the one
 * source of truth the lines are held to, and nothing has to be written to
 * disk for one line to be compared with the other.
 *
 * No Effect here, and nothing from either line: the table reads only the
 * Effect-free core's seed. `engine.ts` runs a case over a line's `Driver`.
 *
 * The format, in short:
 *
 * - A step is `{ call: operation, input }`, `{ stream: "streamFdxTokens" |
 *   "streamFdxAuthRequests", input, where }` (every item, filtered) or
 *   `{ control: "failNext" | "addCards" | "exchange" | "refreshFdxToken" |
 *   "revokeFdxToken", … }`. An input may take a value from an earlier step:
 *   `{ $ref: "name", path: [...], urlParam? }` (the step named with
 *   `as: "name"`; `urlParam` reads a query parameter of the URL found there;
 *   a reference to nothing leaves its key out).
 * - `select` says what of a success is observed (see `Selector`); the whole
 *   value when left out.
 * - `expect` is the observation: `{ ok: json }`, `{ error: { _tag,
 *   operation, status, code, detail, attempts, message, … } }` (see
 *   `ErrorSummary`) or `{ refused: reason }` for a control. A step without
 *   `expect` is not observed, but if it fails the case fails. Where a line
 *   does not give it yet, `differs` says what that line gives instead, and
 *   why (see `Difference`).
 * - Values are plain JSON: timestamps as ISO strings, durations as
 *   `{ millis }`, absent fields left out. Random parts are masked by key
 *   (`masks`): a widget token becomes `<widgetToken:1>`, numbered by first
 *   appearance within the case, so that "the same token" and "a new token"
 *   are data too; a URL becomes its query's shape (`code&state`).
 */
import { bulkCount, defaultSeedJson, sandboxIds } from "../../src/core/model/Seed.js"
import type { FdxTokenJson } from "../../src/core/model/wire.js"

/** A JSON value. */
export type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [key: string]: Json }

/** A JSON object. */
export type JsonObject = { readonly [key: string]: Json }

/** A value taken from the result of an earlier step (`as: name`), as plain JSON. */
export interface Ref {
  readonly $ref: string
  /** Where in that result (keys and indexes); the whole result when left out. */
  readonly path?: ReadonlyArray<string | number>
  /** The value there is a URL: take this query parameter of it. */
  readonly urlParam?: string
}

/** An input: JSON, with references to earlier results anywhere in it. */
export type Input = Json | Ref | ReadonlyArray<Input> | { readonly [key: string]: Input }

/**
 * What of a success is observed:
 *
 * - a path, `"a.b.0.c"` (`""` is the whole value): `*` maps the rest of the
 *   path over an array (`"fdxTokens.*.id"`), `length` is an array's length,
 *   and a last segment ending in `?` is whether it is there
 *   (`"nextPageToken?"`);
 * - an array of selectors: a tuple (what is absent becomes `null`);
 * - an object of selectors: a record (what is absent is left out);
 * - `{ $each: path, select }`: `select` over each item of the array there.
 */
export type Selector =
  | string
  | ReadonlyArray<Selector>
  | { readonly $each: string; readonly select: Selector }
  | { readonly [key: string]: Selector }

/**
 * The fields of an error that are observed, as plain JSON (`retryAfter` as
 * `{ millis }`); the raw body and the request id are left to the
 * comparison of a line's stand-ins with each other.
 */
export const errorSummaryFields = [
  "_tag",
  "operation",
  "status",
  "code",
  "detail",
  "attempts",
  "maybeApplied",
  "retryAfter",
  "location",
  "reason",
  "description",
  "message"
] as const

/** An error, observed: the {@link errorSummaryFields} it has. */
export type ErrorSummary = { readonly [K in (typeof errorSummaryFields)[number]]?: Json }

/** What an observed step gives. */
export type Observation =
  | { readonly ok: Json }
  | { readonly error: ErrorSummary }
  | { readonly refused: string }

/** The lines of this package: Effect 3 (`src/`) and Effect 4 (`effect4/src/`). */
export type Line = "effect3" | "effect4"

/**
 * Where a line does not give the contract's observation today: what it
 * gives instead, and why. Each is a gap to close in that line (the Effect 3
 * line is the reference), kept here so that it is explicit, checked, and
 * cannot grow unnoticed.
 */
export interface Difference {
  readonly effect4?: Observation
  readonly effect3?: Observation
  readonly why: string
}

/** What every observed step may say. */
export interface Observed {
  /** Names the result (plain JSON, unmasked) for later references. */
  readonly as?: string
  /** What of a success is observed; the whole value when left out. */
  readonly select?: Selector
  /** The observation this step must give, on both lines; not observed when left out. */
  readonly expect?: Observation
  /** A known difference of a line from `expect` (see {@link Difference}). */
  readonly differs?: Difference
}

/** The service's operations that answer once. */
export type CallName =
  | "getWidgetToken"
  | "getFdxToken"
  | "listFdxTokens"
  | "listFdxAuthRequests"
  | "grantFdxAuthRequest"
  | "getAuthorizationTest"

/** The service's streams. */
export type StreamName = "streamFdxTokens" | "streamFdxAuthRequests"

/** A call of one operation with a plain input (as a JavaScript caller would pass it). */
export interface CallStep extends Observed {
  readonly call: CallName
  readonly input?: Input
}

/** Every item of a stream (all pages), those matching `where` (field by field). */
export interface StreamStep extends Observed {
  readonly stream: StreamName
  readonly input?: Input
  readonly where?: { readonly [field: string]: Input }
}

/** A failure to inject, as the model takes it. */
export interface Injection {
  readonly status: number
  readonly code?: string
  readonly detail?: string
  readonly retryAfter?: number
}

/** A card of the sandbox, as the model takes it. */
export interface Card {
  readonly id: string
  readonly state: "active" | "forbidden" | "terminated" | "suspended"
}

/** The next `n` requests that run answer `failure`. */
export interface FailNextStep {
  readonly control: "failNext"
  readonly n: number
  readonly failure: Injection
}

/** Adds cards, or changes the state of existing ones. */
export interface AddCardsStep {
  readonly control: "addCards"
  readonly cards: ReadonlyArray<Card>
}

/** Plaid's part: exchanges a granted request's code; the tokens issued, or `refused`. */
export interface ExchangeStep extends Observed {
  readonly control: "exchange"
  readonly code: Input
}

/** Uses a refresh token, or revokes a token: the tokens changed or issued, or `refused`. */
export interface TokenControlStep extends Observed {
  readonly control: "refreshFdxToken" | "revokeFdxToken"
  readonly id: Input
}

/** One step of a case. */
export type Step = CallStep | StreamStep | FailNextStep | AddCardsStep | ExchangeStep | TokenControlStep

/** One behaviour: its steps, each observed step with what it must give. */
export interface Case {
  readonly name: string
  readonly steps: ReadonlyArray<Step>
}

/**
 * How the random parts of a success are masked, by key: `uuid` numbers a
 * UUID (anything else is left as it is, so a malformed token shows),
 * `secret` numbers any string, `url` keeps the shape of the query (the
 * names of its parameters, and the value of `error`).
 */
export const masks: Readonly<Record<string, "uuid" | "secret" | "url">> = {
  widgetToken: "uuid",
  code: "secret",
  redirectUri: "url",
  redirectUrl: "url"
}

// --- helpers for writing the cases ---

const { cards, fdxAuthRequests: requests, fdxTokens: tokens } = sandboxIds

/** A failure after one attempt: the stand-ins never retry (the live layer runs with `retry: false`). */
const failed = (summary: ErrorSummary): Observation => ({ error: { attempts: 1, ...summary } })

/** A refused input: no request was sent. */
const refusedInput = (operation: CallName, description: string): Observation => ({
  error: {
    _tag: "InvalidInput",
    operation,
    description,
    message: `Synctera ${operation} refused its input: ${description}`
  }
})

/** A widget token of the seed's tenant, the `n`th distinct one of its case. */
const widgetToken = (n: number): Observation => ({
  ok: { tenant: sandboxIds.tenant, widgetToken: `<widgetToken:${n}>` }
})

const widget = (cardId: string, widgetType: string, idempotencyKey?: string): Input => ({
  cardId,
  widgetType,
  ...(idempotencyKey === undefined ? {} : { idempotencyKey })
})

/** A seeded FDX token as the client decodes it: camelCase, timestamps as ISO strings. */
const decodedToken = (token: FdxTokenJson): Json => ({
  id: token.id,
  tenant: token.tenant,
  status: token.status,
  tokenType: token.token_type,
  tokenHash: token.token_hash,
  creationTime: token.creation_time,
  lastUpdatedTime: token.last_updated_time,
  tokenExpiryTime: token.token_expiry_time,
  ...(typeof token.customer_id === "string" ? { customerId: token.customer_id } : {}),
  ...(typeof token.business_id === "string" ? { businessId: token.business_id } : {}),
  ...(typeof token.parent_token_id === "string" ? { parentTokenId: token.parent_token_id } : {})
})

const namedTokenIds: ReadonlyArray<string> = Object.values(tokens)

const seededTokenIds = defaultSeedJson.fdx_tokens.map((token) => token.id)

/** An auth request as listed: its state, and the shape of where it redirects. */
const listed = (id: Input): StreamStep => ({
  stream: "streamFdxAuthRequests",
  where: { id },
  select: {
    status: "0.status",
    customerId: "0.customerId",
    businessId: "0.businessId",
    code: "0.code",
    redirectUri: "0.redirectUri"
  }
})

const grant = (
  authRequestId: Input,
  status: "GRANTED" | "DENIED" | "ERROR",
  owner: { readonly customerId?: string; readonly businessId?: string } = {}
): CallStep => ({ call: "grantFdxAuthRequest", input: { authRequestId, status, ...owner } })

/**
 * Why some refused inputs read differently on the Effect 4 line: the words
 * that are not the package's own rules come from each Effect's schema
 * formatter, and Effect 4's differs from Effect 3's. Effect 3 lists each
 * member of a union that failed (a literal union: each literal with the
 * value; an optional field: also `Expected undefined, actual …`); Effect 4
 * names the expected union once, without the value, and does not add the
 * `undefined` member.
 */
const effectWording =
  "the schema formatter's own words: Effect 3 lists every failed member of a union (an optional field's `undefined` too), Effect 4 names the expected union once"

/** A terminated card's answer. */
const terminated: Observation = failed({
  _tag: "Unprocessable",
  operation: "getWidgetToken",
  status: 422,
  code: "CARD_TERMINATED",
  detail: `card ${cards.terminated} is terminated: widget tokens cannot be issued for it`,
  message:
    `Synctera getWidgetToken failed with 422 Unprocessable Entity CARD_TERMINATED: card ${cards.terminated} is terminated: widget tokens cannot be issued for it after 1 attempt`
})

/** The injected 403 `NOPE`. */
const nope: Observation = failed({
  _tag: "Forbidden",
  operation: "getWidgetToken",
  status: 403,
  code: "NOPE",
  detail: "this API key may not do this (injected)",
  message:
    "Synctera getWidgetToken failed with 403 Forbidden NOPE: this API key may not do this (injected) after 1 attempt"
})

/** A grant's answer: where the browser goes, by the shape of its query. */
const redirect = (shape: string): Observation => ({ ok: { redirectUri: shape } })

/** A grant of a request decided before. */
const alreadyDecided = (id: string, status: string): Observation =>
  failed({
    _tag: "Conflict",
    operation: "grantFdxAuthRequest",
    status: 409,
    code: "RESOURCE_ALREADY_EXISTS",
    detail: `auth request ${id} was already decided (${status})`,
    message:
      `Synctera grantFdxAuthRequest failed with 409 Conflict RESOURCE_ALREADY_EXISTS: auth request ${id} was already decided (${status}) after 1 attempt`
  })

/** The auth request `authorization_test` made: the `auth_request_id` of where it sends the browser. */
const testRequest: Ref = { $ref: "test", path: ["redirectUrl"], urlParam: "auth_request_id" }

// --- the cases ---

const activeCard = cards.active

/** Card widget tokens and FDX tokens. */
const cardCases: ReadonlyArray<Case> = [
  ...["ACTIVATE", "GET_PIN", "REVEAL", "SET_PIN"].map((type): Case => ({
    name: `a ${type} widget token for an active card`,
    steps: [{ call: "getWidgetToken", input: widget(activeCard, type), expect: widgetToken(1) }]
  })),
  ...defaultSeedJson.fdx_tokens.filter((token) => namedTokenIds.includes(token.id)).map((token): Case => ({
    name: `FDX token ${token.status} ${token.token_type} (${token.id})`,
    steps: [{ call: "getFdxToken", input: { fdxTokenId: token.id }, expect: { ok: decodedToken(token) } }]
  })),
  {
    name: "forbidden card",
    steps: [{
      call: "getWidgetToken",
      input: widget(cards.forbidden, "REVEAL"),
      expect: failed({
        _tag: "Forbidden",
        operation: "getWidgetToken",
        status: 403,
        code: "FORBIDDEN",
        detail: `this API key may not use card ${cards.forbidden}`,
        message:
          `Synctera getWidgetToken failed with 403 Forbidden FORBIDDEN: this API key may not use card ${cards.forbidden} after 1 attempt`
      })
    }]
  },
  {
    name: "terminated card",
    steps: [{
      call: "getWidgetToken",
      input: widget(cards.terminated, "GET_PIN"),
      expect: terminated
    }]
  },
  {
    name: "suspended card",
    steps: [{
      call: "getWidgetToken",
      input: widget(cards.suspended, "SET_PIN"),
      expect: failed({
        _tag: "Unprocessable",
        operation: "getWidgetToken",
        status: 422,
        code: "CARD_SUSPENDED",
        detail: `card ${cards.suspended} is suspended: widget tokens cannot be issued for it`,
        message:
          `Synctera getWidgetToken failed with 422 Unprocessable Entity CARD_SUSPENDED: card ${cards.suspended} is suspended: widget tokens cannot be issued for it after 1 attempt`
      })
    }]
  },
  {
    name: "unknown card",
    steps: [{
      call: "getWidgetToken",
      input: widget(cards.unknown, "REVEAL"),
      expect: failed({
        _tag: "NotFound",
        operation: "getWidgetToken",
        status: 404,
        code: "RESOURCE_NOT_FOUND",
        detail: `card ${cards.unknown} not found`,
        message:
          `Synctera getWidgetToken failed with 404 Not Found RESOURCE_NOT_FOUND: card ${cards.unknown} not found after 1 attempt`
      })
    }]
  },
  {
    name: "unknown FDX token",
    steps: [{
      call: "getFdxToken",
      input: { fdxTokenId: tokens.unknown },
      expect: failed({
        _tag: "NotFound",
        operation: "getFdxToken",
        status: 404,
        code: "RESOURCE_NOT_FOUND",
        detail: `FDX token ${tokens.unknown} not found`,
        message:
          `Synctera getFdxToken failed with 404 Not Found RESOURCE_NOT_FOUND: FDX token ${tokens.unknown} not found after 1 attempt`
      })
    }]
  },
  {
    name: "a card id in upper case is the same card",
    steps: [{ call: "getWidgetToken", input: widget(activeCard.toUpperCase(), "REVEAL"), expect: widgetToken(1) }]
  },
  {
    name: "card id that is not a UUID",
    steps: [{
      call: "getWidgetToken",
      input: widget("../../admin", "REVEAL"),
      expect: refusedInput("getWidgetToken", "cardId: a card id must be a UUID")
    }]
  },
  {
    name: "unknown widget type",
    steps: [{
      call: "getWidgetToken",
      input: widget(activeCard, "SHOW_EVERYTHING"),
      expect: refusedInput(
        "getWidgetToken",
        "widgetType: Expected \"ACTIVATE\", actual \"SHOW_EVERYTHING\"; widgetType: Expected \"GET_PIN\", actual \"SHOW_EVERYTHING\"; widgetType: Expected \"REVEAL\", actual \"SHOW_EVERYTHING\"; widgetType: Expected \"SET_PIN\", actual \"SHOW_EVERYTHING\""
      ),
      differs: {
        effect4: refusedInput(
          "getWidgetToken",
          "widgetType: Expected \"ACTIVATE\" | \"GET_PIN\" | \"REVEAL\" | \"SET_PIN\""
        ),
        why: effectWording
      }
    }]
  },
  {
    name: "idempotency key with a header injection",
    steps: [{
      call: "getWidgetToken",
      input: widget(activeCard, "REVEAL", "a\r\nX-Injected: 1"),
      expect: refusedInput(
        "getWidgetToken",
        "idempotencyKey: an idempotency key must be visible ASCII characters only; idempotencyKey: Expected undefined, actual \"a\\r\\nX-Injected: 1\""
      ),
      differs: {
        effect4: refusedInput(
          "getWidgetToken",
          "idempotencyKey: an idempotency key must be visible ASCII characters only"
        ),
        why: effectWording
      }
    }]
  },
  {
    name: "FDX token id that is not a UUID",
    steps: [{
      call: "getFdxToken",
      input: { fdxTokenId: "f0000000" },
      expect: refusedInput("getFdxToken", "fdxTokenId: an FDX token id must be a UUID")
    }]
  },
  {
    name: "a card added at run time",
    steps: [
      { control: "addCards", cards: [{ id: "0b0b0b0b-0000-4000-8000-000000000001", state: "active" }] },
      {
        call: "getWidgetToken",
        input: widget("0b0b0b0b-0000-4000-8000-000000000001", "GET_PIN"),
        expect: widgetToken(1)
      }
    ]
  }
]

/** Idempotency keys: replays, refusals, what is not kept. */
const idempotencyCases: ReadonlyArray<Case> = [
  {
    name: "same key, same request: the same token",
    steps: [
      { call: "getWidgetToken", input: widget(activeCard, "REVEAL", "k1"), expect: widgetToken(1) },
      { call: "getWidgetToken", input: widget(activeCard, "REVEAL", "k1"), expect: widgetToken(1) },
      { call: "getWidgetToken", input: widget(activeCard, "REVEAL"), expect: widgetToken(2) }
    ]
  },
  {
    name: "same key, different request: IDEMPOTENCY_INVALID_REUSE",
    steps: [
      { call: "getWidgetToken", input: widget(activeCard, "REVEAL", "k2"), expect: widgetToken(1) },
      {
        call: "getWidgetToken",
        input: widget(cards.suspended, "REVEAL", "k2"),
        expect: failed({
          _tag: "Unprocessable",
          operation: "getWidgetToken",
          status: 422,
          code: "IDEMPOTENCY_INVALID_REUSE",
          detail: "idempotency key \"k2\" was already used for a different request",
          message:
            "Synctera getWidgetToken failed with 422 Unprocessable Entity IDEMPOTENCY_INVALID_REUSE: idempotency key \"k2\" was already used for a different request after 1 attempt"
        })
      }
    ]
  },
  {
    name: "a stored 4xx is replayed even after the card changes",
    steps: [
      { call: "getWidgetToken", input: widget(cards.terminated, "REVEAL", "k3"), expect: terminated },
      { control: "addCards", cards: [{ id: cards.terminated, state: "active" }] },
      { call: "getWidgetToken", input: widget(cards.terminated, "REVEAL", "k3"), expect: terminated },
      { call: "getWidgetToken", input: widget(cards.terminated, "REVEAL", "k4"), expect: widgetToken(1) }
    ]
  },
  {
    name: "an injected 403 is kept like a real one",
    steps: [
      { control: "failNext", n: 1, failure: { status: 403, code: "NOPE" } },
      { call: "getWidgetToken", input: widget(activeCard, "REVEAL", "k6"), expect: nope },
      { call: "getWidgetToken", input: widget(activeCard, "REVEAL", "k6"), expect: nope },
      { call: "getWidgetToken", input: widget(activeCard, "REVEAL", "k7"), expect: widgetToken(1) }
    ]
  },
  {
    name: "a 5xx is not stored: the same key runs again",
    steps: [
      { control: "failNext", n: 1, failure: { status: 500 } },
      {
        call: "getWidgetToken",
        input: widget(activeCard, "ACTIVATE", "k5"),
        expect: failed({
          _tag: "Internal",
          operation: "getWidgetToken",
          status: 500,
          code: "INTERNAL_SERVER_ERROR",
          detail: "an internal error occurred (injected)",
          message:
            "Synctera getWidgetToken failed with 500 Server Error INTERNAL_SERVER_ERROR: an internal error occurred (injected) after 1 attempt"
        })
      },
      { call: "getWidgetToken", input: widget(activeCard, "ACTIVATE", "k5"), expect: widgetToken(1) },
      { call: "getWidgetToken", input: widget(activeCard, "ACTIVATE", "k5"), expect: widgetToken(1) }
    ]
  }
]

/** Failures injected with `failNext`. */
const injectionCases: ReadonlyArray<Case> = [
  {
    name: "an injected 503, then the next call succeeds",
    steps: [
      { control: "failNext", n: 1, failure: { status: 503 } },
      {
        call: "getWidgetToken",
        input: widget(activeCard, "REVEAL"),
        expect: failed({
          _tag: "Internal",
          operation: "getWidgetToken",
          status: 503,
          code: "SERVICE_UNAVAILABLE",
          detail: "the service is temporarily unavailable (injected)",
          message:
            "Synctera getWidgetToken failed with 503 Server Error SERVICE_UNAVAILABLE: the service is temporarily unavailable (injected) after 1 attempt"
        })
      },
      { call: "getWidgetToken", input: widget(activeCard, "REVEAL"), expect: widgetToken(1) }
    ]
  },
  {
    name: "an injected 429 carries the wait it asks for",
    steps: [
      { control: "failNext", n: 1, failure: { status: 429, retryAfter: 2 } },
      {
        call: "getFdxToken",
        input: { fdxTokenId: tokens.enabledAccess },
        expect: failed({
          _tag: "RateLimited",
          operation: "getFdxToken",
          status: 429,
          code: "TOO_MANY_REQUESTS",
          detail: "rate limit exceeded, slow down (injected)",
          retryAfter: { millis: 2000 },
          message:
            "Synctera getFdxToken failed with 429 Too Many Requests TOO_MANY_REQUESTS: rate limit exceeded, slow down (injected) after 1 attempt (retry after 2s)"
        })
      }
    ]
  },
  {
    name: "an injected failure with its own code and detail",
    steps: [
      { control: "failNext", n: 1, failure: { status: 502, code: "UPSTREAM", detail: "the card processor is down" } },
      {
        call: "getWidgetToken",
        input: widget(activeCard, "REVEAL"),
        expect: failed({
          _tag: "Internal",
          operation: "getWidgetToken",
          status: 502,
          code: "UPSTREAM",
          detail: "the card processor is down",
          message:
            "Synctera getWidgetToken failed with 502 Server Error UPSTREAM: the card processor is down after 1 attempt"
        })
      }
    ]
  },
  {
    name: "an injected 401 and an unexpected 418",
    steps: [
      { control: "failNext", n: 1, failure: { status: 401 } },
      { control: "failNext", n: 1, failure: { status: 418 } },
      {
        call: "getFdxToken",
        input: { fdxTokenId: tokens.enabledAccess },
        expect: failed({
          _tag: "Unauthorized",
          operation: "getFdxToken",
          status: 401,
          code: "UNAUTHORIZED",
          detail: "missing or invalid API key (injected)",
          message:
            "Synctera getFdxToken failed with 401 Unauthorized UNAUTHORIZED: missing or invalid API key (injected) after 1 attempt"
        })
      },
      {
        call: "getFdxToken",
        input: { fdxTokenId: tokens.enabledAccess },
        expect: failed({
          _tag: "UnexpectedStatus",
          operation: "getFdxToken",
          status: 418,
          code: "INJECTED_FAILURE",
          detail: "injected failure (injected)",
          message:
            "Synctera getFdxToken failed with 418 Unexpected Status INJECTED_FAILURE: injected failure (injected) after 1 attempt"
        })
      }
    ]
  }
]

/** Lists and streams of FDX tokens and auth requests. */
const listCases: ReadonlyArray<Case> = [
  {
    name: "the first page of FDX tokens: 100, and a next page token",
    steps: [{
      call: "listFdxTokens",
      select: { count: "fdxTokens.length", first: "fdxTokens.0.id", more: "nextPageToken?" },
      expect: { ok: { count: 100, first: tokens.enabledAccess, more: true } }
    }]
  },
  {
    name: "pages of 3 follow each other",
    steps: [
      {
        call: "listFdxTokens",
        input: { limit: 3 },
        as: "first",
        select: "fdxTokens.*.id",
        expect: { ok: seededTokenIds.slice(0, 3) }
      },
      {
        call: "listFdxTokens",
        input: { limit: 3, pageToken: { $ref: "first", path: ["nextPageToken"] } },
        select: "fdxTokens.*.id",
        expect: { ok: seededTokenIds.slice(3, 6) }
      }
    ]
  },
  {
    name: "every FDX token and auth request, streamed across pages",
    steps: [
      {
        stream: "streamFdxTokens",
        select: { count: "length", ids: "*.id" },
        expect: { ok: { count: 8 + bulkCount, ids: seededTokenIds } }
      },
      { stream: "streamFdxAuthRequests", input: { limit: 50 }, select: "length", expect: { ok: 5 + bulkCount } }
    ]
  },
  {
    name: "a page token the server never gave",
    steps: [{
      call: "listFdxAuthRequests",
      input: { pageToken: "made-up" },
      expect: failed({
        _tag: "BadRequest",
        operation: "listFdxAuthRequests",
        status: 400,
        code: "BAD_REQUEST",
        detail: "page_token is not valid",
        message:
          "Synctera listFdxAuthRequests failed with 400 Bad Request BAD_REQUEST: page_token is not valid after 1 attempt"
      })
    }]
  },
  {
    name: "a page limit out of range is refused before sending",
    steps: [{
      call: "listFdxTokens",
      input: { limit: 500 },
      expect: refusedInput(
        "listFdxTokens",
        "limit: a page limit must be an integer from 1 to 100; limit: Expected undefined, actual 500"
      ),
      differs: {
        effect4: refusedInput("listFdxTokens", "limit: a page limit must be an integer from 1 to 100"),
        why: effectWording
      }
    }]
  }
]

/** Plaid Core Exchange: grants, the whole flow, Plaid's and the sandbox's controls. */
const pceCases: ReadonlyArray<Case> = [
  {
    name: "a grant for a customer: a redirect with a code, the request GRANTED for that customer",
    steps: [
      { ...grant(requests.pending, "GRANTED", { customerId: sandboxIds.newCustomer }), expect: redirect("code&state") },
      {
        ...listed(requests.pending),
        expect: {
          ok: { status: "GRANTED", customerId: sandboxIds.newCustomer, code: "<code:1>", redirectUri: "code&state" }
        }
      }
    ]
  },
  {
    name: "a denial: a redirect with access_denied, the request DENIED",
    steps: [
      { ...grant(requests.pending, "DENIED"), expect: redirect("error=access_denied&state") },
      { ...listed(requests.pending), expect: { ok: { status: "DENIED", redirectUri: "error=access_denied&state" } } }
    ]
  },
  {
    name: "an ERROR: a redirect with server_error, the request DENIED",
    steps: [
      { ...grant(requests.pending, "ERROR"), expect: redirect("error=server_error&state") },
      { ...listed(requests.pending), expect: { ok: { status: "DENIED", redirectUri: "error=server_error&state" } } }
    ]
  },
  {
    name: "a second grant of the same request: 409, not applied again",
    steps: [
      { ...grant(requests.pending, "GRANTED", { businessId: sandboxIds.business }), expect: redirect("code&state") },
      {
        ...grant(requests.pending, "GRANTED", { customerId: sandboxIds.customer }),
        expect: failed({
          _tag: "Conflict",
          operation: "grantFdxAuthRequest",
          status: 409,
          code: "RESOURCE_ALREADY_EXISTS",
          detail: `auth request ${requests.pending} was already decided (GRANTED)`,
          message:
            `Synctera grantFdxAuthRequest failed with 409 Conflict RESOURCE_ALREADY_EXISTS: auth request ${requests.pending} was already decided (GRANTED) after 1 attempt`
        })
      },
      {
        ...listed(requests.pending),
        expect: {
          ok: { status: "GRANTED", businessId: sandboxIds.business, code: "<code:1>", redirectUri: "code&state" }
        }
      }
    ]
  },
  {
    name: "granting a request already decided, used, expired or unknown",
    steps: [
      { ...grant(requests.granted, "DENIED"), expect: alreadyDecided(requests.granted, "GRANTED") },
      { ...grant(requests.used, "DENIED"), expect: alreadyDecided(requests.used, "USED") },
      {
        ...grant(requests.expired, "GRANTED", { customerId: sandboxIds.customer }),
        expect: failed({
          _tag: "BadRequest",
          operation: "grantFdxAuthRequest",
          status: 400,
          code: "BAD_REQUEST",
          detail: `auth request ${requests.expired} expired at 2026-01-15T09:40:00.000Z`,
          message:
            `Synctera grantFdxAuthRequest failed with 400 Bad Request BAD_REQUEST: auth request ${requests.expired} expired at 2026-01-15T09:40:00.000Z after 1 attempt`
        })
      },
      {
        ...grant(requests.unknown, "DENIED"),
        expect: failed({
          _tag: "NotFound",
          operation: "grantFdxAuthRequest",
          status: 404,
          code: "RESOURCE_NOT_FOUND",
          detail: `auth request ${requests.unknown} not found`,
          message:
            `Synctera grantFdxAuthRequest failed with 404 Not Found RESOURCE_NOT_FOUND: auth request ${requests.unknown} not found after 1 attempt`
        })
      }
    ]
  },
  {
    name: "a grant for a customer or business the tenant does not have",
    steps: [
      {
        ...grant(requests.pending, "GRANTED", { customerId: sandboxIds.unknownCustomer }),
        expect: failed({
          _tag: "BadRequest",
          operation: "grantFdxAuthRequest",
          status: 400,
          code: "BAD_REQUEST",
          detail: `customer ${sandboxIds.unknownCustomer} does not exist in this tenant`,
          message:
            `Synctera grantFdxAuthRequest failed with 400 Bad Request BAD_REQUEST: customer ${sandboxIds.unknownCustomer} does not exist in this tenant after 1 attempt`
        })
      },
      {
        ...grant(requests.pending, "GRANTED", { businessId: sandboxIds.unknownBusiness }),
        expect: failed({
          _tag: "BadRequest",
          operation: "grantFdxAuthRequest",
          status: 400,
          code: "BAD_REQUEST",
          detail: `business ${sandboxIds.unknownBusiness} does not exist in this tenant`,
          message:
            `Synctera grantFdxAuthRequest failed with 400 Bad Request BAD_REQUEST: business ${sandboxIds.unknownBusiness} does not exist in this tenant after 1 attempt`
        })
      },
      { ...listed(requests.pending), expect: { ok: { status: "PENDING" } } }
    ]
  },
  {
    name: "a grant with neither a customer nor a business is refused before sending",
    steps: [{
      ...grant(requests.pending, "GRANTED"),
      expect: refusedInput(
        "grantFdxAuthRequest",
        "a GRANTED request needs the customerId or businessId it is granted for"
      )
    }]
  },
  {
    name: "an injected 500 on a grant: maybe applied, one attempt",
    steps: [
      { control: "failNext", n: 1, failure: { status: 500 } },
      {
        ...grant(requests.pending, "DENIED"),
        expect: failed({
          _tag: "Internal",
          operation: "grantFdxAuthRequest",
          status: 500,
          code: "INTERNAL_SERVER_ERROR",
          detail: "an internal error occurred (injected)",
          maybeApplied: true,
          message:
            "Synctera grantFdxAuthRequest failed with 500 Server Error INTERNAL_SERVER_ERROR: an internal error occurred (injected) after 1 attempt; the request may or may not have been applied: check before repeating it"
        })
      }
    ]
  },
  {
    name: "the whole flow: authorization_test, a grant, Plaid's exchange, the new tokens",
    steps: [
      { call: "getAuthorizationTest", as: "test", expect: { ok: { redirectUrl: "auth_request_id" } } },
      { ...listed(testRequest), expect: { ok: { status: "PENDING" } } },
      {
        ...grant(testRequest, "GRANTED", { customerId: sandboxIds.newCustomer }),
        as: "granted",
        expect: redirect("code&state")
      },
      {
        control: "exchange",
        code: { $ref: "granted", path: ["redirectUri"], urlParam: "code" },
        select: { $each: "", select: ["tokenType", "status"] },
        expect: { ok: [["ACCESS", "ENABLED"], ["REFRESH", "ENABLED"]] }
      },
      {
        ...listed(testRequest),
        expect: {
          ok: { status: "USED", customerId: sandboxIds.newCustomer, code: "<code:1>", redirectUri: "code&state" }
        }
      },
      {
        stream: "streamFdxTokens",
        where: { customerId: sandboxIds.newCustomer },
        select: "*.tokenType",
        expect: { ok: ["ACCESS", "REFRESH"] }
      },
      {
        control: "exchange",
        code: { $ref: "granted", path: ["redirectUri"], urlParam: "code" },
        expect: { refused: "no granted auth request has this code" }
      }
    ]
  },
  {
    name: "refreshing and revoking tokens reaches every status",
    steps: [
      {
        control: "refreshFdxToken",
        id: tokens.enabledRefresh,
        select: { $each: "", select: ["tokenType", "status", "parentTokenId"] },
        expect: {
          ok: [
            ["REFRESH", "USED", null],
            ["ACCESS", "ENABLED", tokens.enabledRefresh],
            ["REFRESH", "ENABLED", tokens.enabledRefresh]
          ]
        }
      },
      { control: "revokeFdxToken", id: tokens.enabledAccess, select: "status", expect: { ok: "REVOKED" } },
      { control: "refreshFdxToken", id: tokens.enabledRefresh, expect: { refused: "the token is USED" } },
      { call: "getFdxToken", input: { fdxTokenId: tokens.enabledRefresh }, select: "status", expect: { ok: "USED" } }
    ]
  }
]

/** Every case, for both lines and every stand-in. */
export const cases: ReadonlyArray<Case> = [
  ...cardCases,
  ...idempotencyCases,
  ...injectionCases,
  ...listCases,
  ...pceCases
]
