/**
 * The sandbox model on its own (`SandboxModel.make()` of either line), at
 * the wire level, as plain data: its scripts in the format of
 * `testingLayerScript.ts` (answers, idempotency on the test clock, injected
 * failures, the Plaid controls), and what either line's seed and store of
 * idempotency keys must be. Each line's `testing-layer.test.ts` runs the
 * scripts through its own driver; the seed's and the store's checks run
 * where each line tests its model's Effect API (`test/model.test.ts`, and
 * `effect4/test/testing-layer.test.ts`).
 *
 * No Effect here: the scripts read only the Effect-free core.
 */
import type { ModelRequest } from "../../src/core/model/Answers.js"
import * as Idempotency from "../../src/core/model/Idempotency.js"
import type { Outcome } from "../../src/core/model/Outcome.js"
import { defaultSeedJson, sandboxIds } from "../../src/core/model/Seed.js"
import type { FdxTokenJson } from "../../src/core/model/wire.js"
import { cardWidgetTypes } from "../../src/core/rules.js"
import type { Card, Injection, Json } from "./behaviour.js"
import { toPlain } from "./engine.js"
import type { Script, ScriptGroup, ScriptStep } from "./testingLayerScript.js"

/**
 * The model's controls, which the in-memory layer's are too (`testingLayer.ts`
 * adds its own): a token to add is in its wire form, which the line decodes
 * with its own `FdxToken`; `exchange`, `refreshFdxToken` and `revokeFdxToken`
 * answer the tokens, as the line decodes them, or fail with its
 * `ControlRefused`; the others answer `null`.
 */
export type ModelControl =
  | { readonly control: "failNext"; readonly n: number; readonly failure: Injection }
  | { readonly control: "addCards"; readonly cards: ReadonlyArray<Card> }
  | { readonly control: "addFdxTokens"; readonly tokens: ReadonlyArray<FdxTokenJson> }
  | { readonly control: "exchange"; readonly code: string }
  | { readonly control: "refreshFdxToken" | "revokeFdxToken"; readonly id: string }

/** The model's controls as a line gives them, each effect of the line's own type `F` (what its driver runs). */
export interface ModelControls<F> {
  readonly failNext: (n: number, failure: Injection) => F
  readonly addCards: (cards: ReadonlyArray<Card>) => F
  readonly addFdxTokens: (tokens: ReadonlyArray<FdxTokenJson>) => F
  readonly exchange: (code: string) => F
  readonly refreshFdxToken: (id: string) => F
  readonly revokeFdxToken: (id: string) => F
}

/** The effect of a control on `controls`. */
export const controlEffect = <F>(controls: ModelControls<F>, action: ModelControl): F => {
  switch (action.control) {
    case "failNext":
      return controls.failNext(action.n, action.failure)
    case "addCards":
      return controls.addCards(action.cards)
    case "addFdxTokens":
      return controls.addFdxTokens(action.tokens)
    case "exchange":
      return controls.exchange(action.code)
    case "refreshFdxToken":
    case "revokeFdxToken":
      return controls[action.control](action.id)
  }
}

/**
 * What a script does to the model: a request, or a control. `handle`
 * answers the request (after `latencyMillis` on the clock, or with `fault`
 * when no queued failure comes first) as its outcome in plain JSON —
 * `_tag`, `status`, `body`, `headers` — and `decoded`: the body as the
 * line's own schema reads it (see {@link bodySchemaOf}).
 */
export type ModelAction =
  | { readonly handle: ModelRequest; readonly latencyMillis?: number; readonly fault?: Injection }
  | ModelControl

/** The model as the scripts reach it: the line's model as it is, but for `handle` (which also gives `decoded`). */
export interface ModelSubject<F> extends ModelControls<F> {
  readonly handle: (
    request: ModelRequest,
    options: { readonly latency: number | undefined; readonly fault: Injection | undefined }
  ) => F
}

/** The effect of `action` on `subject`. */
export const modelEffect = <F>(subject: ModelSubject<F>, action: ModelAction): F =>
  "handle" in action
    ? subject.handle(action.handle, { latency: action.latencyMillis, fault: action.fault })
    : controlEffect(subject, action)

/** Which of the line's schemas reads an answer's body: a failure's `ErrorBody`, or the operation's success. */
export const bodySchemaOf = (
  operation: ModelRequest["operation"],
  outcome: Outcome
): "ErrorBody" | "WidgetToken" | "FdxToken" | undefined =>
  outcome._tag === "Failure"
    ? "ErrorBody"
    : operation === "getWidgetToken"
    ? "WidgetToken"
    : operation === "getFdxToken"
    ? "FdxToken"
    : undefined

type ModelStep = ScriptStep<ModelAction>

/** A request to the model, with what the caller passes with it. */
type Handle = Extract<ModelAction, { readonly handle: ModelRequest }>

// --- helpers for writing the scripts ---

const active = sandboxIds.cards.active

const widget = (cardId: string, widgetType: string | undefined, idempotencyKey?: string): Handle => ({
  handle: {
    operation: "getWidgetToken",
    params: { card_id: cardId },
    query: { widget_type: widgetType },
    idempotencyKey
  }
})

const fdx = (fdxTokenId: string, idempotencyKey?: string): Handle => ({
  handle: { operation: "getFdxToken", params: { fdx_token_id: fdxTokenId }, idempotencyKey }
})

/** The active card's REVEAL widget, with `idempotencyKey`. */
const reveal = (idempotencyKey?: string): Handle => widget(active, "REVEAL", idempotencyKey)

/** An answer by its status and code (`null` for a success, which has none). */
const answers = (status: number, code: string | null) => ({
  select: ["status", "body.code"],
  expect: { ok: [status, code] }
})

/** A success, by its status. */
const succeeds = answers(200, null)

/** A widget token as the line reads it, the `n`th distinct one of its script. */
const token = (n: number) => ({
  select: { widgetToken: "decoded.widgetToken" },
  expect: { ok: { widgetToken: `<widgetToken:${n}>` } }
})

const reuse = answers(422, "IDEMPOTENCY_INVALID_REUSE")

/** A refusal of the model's, in the documented error shape: the body, and what the line's `ErrorBody` reads of it. */
const refusal = (
  status: number,
  code: string,
  detail: string,
  field: { readonly missing?: string; readonly invalid?: string } = {}
) => ({
  select: { status: "status", body: "body", read: ["decoded.code", "decoded.status"] },
  expect: {
    ok: {
      status,
      body: {
        code,
        detail,
        status,
        ...(field.missing === undefined ? {} : { missing: [field.missing] }),
        ...(field.invalid === undefined ? {} : { invalid: [field.invalid] })
      },
      read: [code, status]
    }
  }
})

/** An outcome in full, as the wire has it. */
const whole = { select: { _tag: "_tag", status: "status", body: "body", headers: "headers" } }

const terminated = sandboxIds.cards.terminated

const terminatedAnswer: Json = {
  _tag: "Failure",
  status: 422,
  body: {
    code: "CARD_TERMINATED",
    detail: `card ${terminated} is terminated: widget tokens cannot be issued for it`,
    status: 422
  }
}

const added = "11111111-2222-4333-8444-555555555555"

const [baseToken] = defaultSeedJson.fdx_tokens
if (baseToken === undefined) throw new Error("the default seed has no FDX token")

const day = 24 * 60 * 60 * 1000

/** The model's own refusals: a name, the request, and the answer. */
const refusals: ReadonlyArray<readonly [string, Handle, ReturnType<typeof refusal>]> = [
  [
    "card id not a UUID",
    widget("nope", "REVEAL"),
    refusal(400, "BAD_REQUEST", "card_id must be a UUID", {
      invalid: "card_id"
    })
  ],
  [
    "widget_type missing",
    widget(active, undefined),
    refusal(400, "BAD_REQUEST", "widget_type is required", {
      missing: "widget_type"
    })
  ],
  [
    "widget_type unknown",
    widget(active, "PIN"),
    refusal(400, "BAD_REQUEST", `widget_type must be one of ${cardWidgetTypes.join(", ")}`, { invalid: "widget_type" })
  ],
  [
    "unknown card",
    widget(sandboxIds.cards.unknown, "REVEAL"),
    refusal(404, "RESOURCE_NOT_FOUND", `card ${sandboxIds.cards.unknown} not found`)
  ],
  [
    "forbidden card",
    widget(sandboxIds.cards.forbidden, "REVEAL"),
    refusal(403, "FORBIDDEN", `this API key may not use card ${sandboxIds.cards.forbidden}`)
  ],
  [
    "terminated card",
    widget(terminated, "GET_PIN"),
    refusal(422, "CARD_TERMINATED", `card ${terminated} is terminated: widget tokens cannot be issued for it`)
  ],
  [
    "suspended card",
    widget(sandboxIds.cards.suspended, "ACTIVATE"),
    refusal(
      422,
      "CARD_SUSPENDED",
      `card ${sandboxIds.cards.suspended} is suspended: widget tokens cannot be issued for it`
    )
  ],
  [
    "FDX id not a UUID",
    fdx("x"),
    refusal(400, "BAD_REQUEST", "fdx_token_id must be a UUID", { invalid: "fdx_token_id" })
  ],
  [
    "unknown FDX token",
    fdx(sandboxIds.fdxTokens.unknown),
    refusal(404, "RESOURCE_NOT_FOUND", `FDX token ${sandboxIds.fdxTokens.unknown} not found`)
  ],
  [
    "not authorized",
    { handle: { ...reveal().handle, authorized: false } },
    refusal(401, "UNAUTHORIZED", "missing or invalid API key")
  ]
]

/** A failure injected into the next request, then a retry with the same key that runs, and is kept. */
const notKept = (status: number): Script<ModelAction> => ({
  name: `a ${status} answer is not kept: a retry with the same key runs again`,
  steps: [
    { do: { control: "failNext", n: 1, failure: { status } } },
    { do: reveal("k"), select: "status", expect: { ok: status } },
    { do: reveal("k"), ...token(1) },
    { do: reveal("k"), ...token(1) }
  ]
})

// --- the scripts ---

/** Every script of the model, in groups. */
export const modelScripts: ReadonlyArray<ScriptGroup<Script<ModelAction>>> = [
  {
    group: "answers",
    scripts: [
      {
        name: "a widget token is a fresh UUID for the seeded tenant, encoded as the wire shape",
        steps: [
          {
            do: reveal(),
            select: { status: "status", body: "body", tenant: "decoded.tenant" },
            expect: {
              ok: {
                status: 200,
                body: { tenant: sandboxIds.tenant, widget_token: "<widget_token:1>" },
                tenant: sandboxIds.tenant
              }
            }
          },
          {
            do: reveal(),
            select: { widget_token: "body.widget_token" },
            expect: { ok: { widget_token: "<widget_token:2>" } }
          }
        ]
      },
      {
        // The table reads the named tokens through the client; this reads every token, bulk ones too, on the wire.
        name: "an FDX token is answered exactly as seeded",
        steps: defaultSeedJson.fdx_tokens.map((seeded): ModelStep => ({
          do: fdx(seeded.id),
          select: "body",
          expect: { ok: toPlain(seeded, () => undefined) }
        }))
      },
      {
        name: "ids are matched whatever their case",
        steps: [{ do: widget(active.toUpperCase(), "SET_PIN"), ...succeeds }]
      },
      ...refusals.map(([name, action, observed]): Script<ModelAction> => ({
        name: `${name}: ${observed.expect.ok.status} ${observed.expect.ok.body.code}, in the documented error shape`,
        steps: [{ do: action, ...observed }]
      })),
      {
        name: "cards and FDX tokens can be added or changed",
        steps: [
          { do: widget(added, "REVEAL"), ...answers(404, "RESOURCE_NOT_FOUND") },
          { do: { control: "addCards", cards: [{ id: added, state: "active" }] } },
          { do: widget(added, "REVEAL"), ...succeeds },
          { do: { control: "addCards", cards: [{ id: added, state: "terminated" }] } },
          { do: widget(added, "REVEAL"), ...answers(422, "CARD_TERMINATED") },
          { do: { control: "addFdxTokens", tokens: [{ ...baseToken, id: added, status: "REVOKED" }] } },
          { do: fdx(added), select: "decoded.status", expect: { ok: "REVOKED" } }
        ]
      }
    ]
  },
  {
    group: "idempotency",
    scripts: [
      {
        name: "same key, same request: the stored answer, status included",
        steps: [
          { do: reveal("k"), ...token(1) },
          { do: reveal("k"), ...token(1) },
          { do: widget(terminated, "REVEAL", "t"), ...whole, expect: { ok: terminatedAnswer } },
          { do: widget(terminated, "REVEAL", "t"), ...whole, expect: { ok: terminatedAnswer } },
          // A change of state does not change a stored answer.
          { do: { control: "addCards", cards: [{ id: terminated, state: "active" }] } },
          { do: widget(terminated, "REVEAL", "t"), ...answers(422, "CARD_TERMINATED") },
          { do: widget(terminated, "REVEAL", "fresh"), ...succeeds }
        ]
      },
      {
        name: "same key, different request (path or parameters): 422 IDEMPOTENCY_INVALID_REUSE",
        steps: [
          { do: reveal("k"), ...token(1) },
          { do: widget(active, "SET_PIN", "k"), ...reuse },
          { do: widget(active, undefined, "k"), ...reuse },
          { do: fdx(active, "k"), ...reuse },
          // The refusal is not stored in place of the first answer.
          { do: reveal("k"), ...token(1) }
        ]
      },
      {
        name: "answers are kept for 7 days on the Clock, then the key is free again",
        steps: [
          { do: reveal("week"), ...token(1) },
          { adjustClock: Idempotency.retentionMillis - 1 },
          { do: reveal("week"), ...token(1) },
          { do: widget(active, "GET_PIN", "week"), ...reuse },
          { adjustClock: 1 },
          { do: reveal("week"), ...token(2) },
          // After expiry the key may even carry another request.
          { adjustClock: 8 * day },
          { do: widget(active, "GET_PIN", "week"), ...succeeds }
        ]
      },
      ...[500, 503, 429, 409].map(notKept),
      {
        name: "other injected 4xx answers are kept like real ones",
        steps: [
          { do: { control: "failNext", n: 1, failure: { status: 403, code: "NOPE" } } },
          { do: reveal("k"), ...answers(403, "NOPE") },
          { do: reveal("k"), ...answers(403, "NOPE") },
          { do: reveal("other"), ...succeeds }
        ]
      },
      {
        name: "same key while the first request runs: 409 IDEMPOTENCY_CONCURRENT_USE, then the first answer",
        steps: [
          { start: { ...reveal("k"), latencyMillis: 1000 }, as: "first" },
          { adjustClock: 10 },
          { do: reveal("k"), ...answers(409, "IDEMPOTENCY_CONCURRENT_USE") },
          // A different request with the running key is a reuse, not a concurrent use.
          { do: widget(active, "GET_PIN", "k"), ...reuse },
          { adjustClock: 1000 },
          { join: "first", ...token(1) },
          { do: reveal("k"), ...token(1) }
        ]
      },
      {
        name: "an interrupted request frees its key",
        steps: [
          { start: { ...reveal("k"), latencyMillis: 1000 }, as: "first" },
          { adjustClock: 10 },
          { interrupt: "first" },
          { do: reveal("k"), ...succeeds }
        ]
      },
      {
        name: "a replay does not use up a queued failure",
        steps: [
          { do: reveal("k"), ...token(1) },
          { do: { control: "failNext", n: 1, failure: { status: 500 } } },
          { do: reveal("k"), ...token(1) },
          { do: reveal(), ...answers(500, "INTERNAL_SERVER_ERROR") },
          { do: reveal(), ...succeeds }
        ]
      }
    ]
  },
  {
    group: "injected failures",
    scripts: [
      {
        name: "failNext answers the next n requests with the status's usual code, or the given one",
        steps: [
          { do: { control: "failNext", n: 2, failure: { status: 503 } } },
          { do: { control: "failNext", n: 1, failure: { status: 429, retryAfter: 7 } } },
          { do: { control: "failNext", n: 1, failure: { status: 500, code: "BOOM", detail: "it broke" } } },
          { do: reveal(), ...answers(503, "SERVICE_UNAVAILABLE") },
          { do: fdx("not even a uuid"), ...answers(503, "SERVICE_UNAVAILABLE") },
          {
            do: reveal(),
            select: { body: "body", headers: "headers" },
            expect: {
              ok: {
                body: {
                  code: "TOO_MANY_REQUESTS",
                  detail: "rate limit exceeded, slow down (injected)",
                  status: 429,
                  retry_after: 7
                },
                headers: { "retry-after": "7" }
              }
            }
          },
          {
            do: reveal(),
            select: { status: "status", body: "body" },
            expect: { ok: { status: 500, body: { code: "BOOM", detail: "it broke", status: 500 } } }
          },
          { do: reveal(), ...succeeds }
        ]
      },
      {
        name: "a fault passed with the request comes after queued failures",
        steps: [
          { do: { control: "failNext", n: 1, failure: { status: 502 } } },
          { do: { ...reveal(), fault: { status: 504 } }, ...answers(502, "BAD_GATEWAY") },
          { do: { ...reveal(), fault: { status: 504 } }, ...answers(504, "GATEWAY_TIMEOUT") }
        ]
      }
    ]
  },
  {
    group: "the Plaid controls",
    scripts: [{
      name: "refuse with a ControlRefused that says why",
      steps: [
        {
          do: { control: "revokeFdxToken", id: sandboxIds.fdxTokens.unknown },
          select: ["_tag", "name", "message", "reason"],
          expect: {
            error: [
              "ControlRefused",
              "ControlRefused",
              `no FDX token ${sandboxIds.fdxTokens.unknown}`,
              `no FDX token ${sandboxIds.fdxTokens.unknown}`
            ]
          }
        },
        {
          do: { control: "refreshFdxToken", id: sandboxIds.fdxTokens.enabledRefresh },
          select: { $each: "", select: "status" },
          expect: { ok: ["USED", "ENABLED", "ENABLED"] }
        }
      ]
    }, {
      name: "read the time from the Clock",
      steps: [
        { setClock: "2030-06-01T00:00:00.000Z" },
        {
          do: { control: "refreshFdxToken", id: sandboxIds.fdxTokens.enabledRefresh },
          select: "0.lastUpdatedTime",
          expect: { ok: "2030-06-01T00:00:00.000Z" }
        }
      ]
    }]
  }
]

// --- the store of idempotency keys ---

/** A line's pure store of idempotency keys (its `Idempotency` over its own map), as {@link storeFacts} drives it. */
export interface KeyStoreOf<S> {
  readonly empty: S
  readonly size: (store: S) => number
  readonly begin: (
    store: S,
    key: string,
    fingerprint: string,
    now: number,
    ticket: number
  ) => readonly [Idempotency.Decision, S]
  readonly finish: (store: S, key: string, ticket: number, outcome: Outcome | undefined, now: number) => S
}

/**
 * Fills a line's store past `maxEntries` (a running key and a finished one
 * first, then a new answer a millisecond apart each) and says what it kept:
 * compare with {@link expectedStoreFacts}.
 */
export const storeFacts = <S>(store: KeyStoreOf<S>): Json => {
  const answer: Outcome = { _tag: "Success", status: 200, body: { tenant: "t", widget_token: "w" } }
  let kept = store.begin(store.begin(store.empty, "running", "f", 0, 1)[1], "x", "f", 0, 2)[1]
  kept = store.finish(kept, "x", 2, answer, 0)
  for (let i = 0; i < Idempotency.maxEntries + 5; i++) {
    const [, reserved] = store.begin(kept, `k${i}`, "f", i + 1, i + 10)
    kept = store.finish(reserved, `k${i}`, i + 10, answer, i + 1)
  }
  const newest = store.begin(kept, `k${Idempotency.maxEntries + 4}`, "f", 0, 99)[0]
  return {
    withinMaxEntries: store.size(kept) <= Idempotency.maxEntries,
    running: store.begin(kept, "running", "f", 0, 99)[0]._tag,
    oldest: store.begin(kept, "x", "f", 0, 99)[0]._tag,
    newestReplayed: newest._tag === "Answer" && newest.replayed
  }
}

/** The store keeps at most `maxEntries` keys, dropping the oldest answers first and never a running key. */
export const expectedStoreFacts: Json = {
  withinMaxEntries: true,
  running: "Answer",
  oldest: "Run",
  newestReplayed: true
}

// --- the seed ---

/** What {@link seedFacts} reads of a line's decoded seed. */
export interface SeedShape {
  readonly cards: ReadonlyArray<{ readonly id: string; readonly state: string }>
  readonly fdxTokens: ReadonlyArray<{
    readonly status: string
    readonly tokenType: string
    readonly customerId?: string | undefined
    readonly businessId?: string | undefined
  }>
}

/** The token kinds (`status tokenType`) the default seed has one of at least. */
const requiredKinds = ["ENABLED ACCESS", "ENABLED REFRESH", "REVOKED ACCESS", "REVOKED REFRESH", "USED REFRESH"]

/** What a line's default seed must be, as plain JSON: compare with {@link defaultSeedFacts}. */
export const seedFacts = (seed: SeedShape): Json => {
  const kinds = new Set(seed.fdxTokens.map((token) => `${token.status} ${token.tokenType}`))
  return {
    cardStates: [...new Set(seed.cards.map((card) => card.state))].sort(),
    missingKinds: requiredKinds.filter((kind) => !kinds.has(kind)),
    // Exactly one owner, as Synctera documents.
    tokensWithoutOneOwner:
      seed.fdxTokens.filter((token) => (token.customerId === undefined) === (token.businessId === undefined)).length,
    someOwnedByABusiness: seed.fdxTokens.some((token) => token.businessId !== undefined),
    unknownCardSeeded: seed.cards.some((card) => card.id === sandboxIds.cards.unknown)
  }
}

/** A card in each state, FDX tokens of every status and type, each of one owner, some of them a business's. */
export const defaultSeedFacts: Json = {
  cardStates: ["active", "forbidden", "suspended", "terminated"],
  missingKinds: [],
  tokensWithoutOneOwner: 0,
  someOwnedByABusiness: true,
  unknownCardSeeded: false
}

/** A seed in its JSON form, and what a line's `Seed` decodes it to (as plain JSON), or that it refuses it. */
export type SeedDecoding =
  | { readonly name: string; readonly json: Json; readonly decoded: Json }
  | { readonly name: string; readonly json: Json; readonly refused: true }

const looseId = "c0000000-0000-0000-0000-000000000001"

const seedOfCard = (id: string): Json => ({
  tenant: "t",
  cards: [{ id, state: "active" }],
  fdxTokens: [],
  customers: [],
  businesses: [],
  fdxAuthRequests: []
})

/** How both lines' `Seed` reads a seed file. */
export const seedDecodings: ReadonlyArray<SeedDecoding> = [
  {
    name: "fills in the defaults of the JSON form: a card's state, no customers, businesses or auth requests",
    json: { tenant: "t", cards: [{ id: "0a0a0a0a-0000-4000-8000-000000000001" }], fdx_tokens: [] },
    decoded: seedOfCard("0a0a0a0a-0000-4000-8000-000000000001")
  },
  {
    name: "refuses a card id that is not a UUID",
    json: { tenant: "t", cards: [{ id: "x" }], fdx_tokens: [] },
    refused: true
  },
  {
    name: "takes any 8-4-4-4-12 hex id (no RFC version or variant required)",
    json: { tenant: "t", cards: [{ id: looseId }], fdx_tokens: [] },
    decoded: seedOfCard(looseId)
  }
]
