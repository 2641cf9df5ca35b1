/**
 * The in-memory layer's scripts (`SyncteraTest.layer(seed)` of either line),
 * as plain data in the format of `testingLayerScript.ts`: what the layer does
 * that the behaviour table (`behaviour.ts`, run on the live layer too) cannot
 * say — its calls log, its latency and the test clock, the seed it is built
 * with, its controls beyond the table's. Each line's `testing-layer.test.ts`
 * runs every script on a fresh layer, through its own driver; what the table
 * already checks on both stand-ins is not checked again here.
 *
 * No Effect here: the scripts read only the Effect-free core.
 */
import type { PceUris } from "../../src/core/model/Pce.js"
import { defaultSeedJson, sandboxIds, type SeedJson } from "../../src/core/model/Seed.js"
import type { cardWidgetTypes } from "../../src/core/rules.js"
import { controlEffect, type ModelControl, type ModelControls } from "./testingLayerModel.js"
import type { Script, ScriptGroup, ScriptStep } from "./testingLayerScript.js"

/** The input of a widget token call, as a caller writes it. */
interface WidgetTokenInput {
  readonly cardId: string
  readonly widgetType: (typeof cardWidgetTypes)[number]
  readonly idempotencyKey?: string
}

/**
 * What a script does to the in-memory layer: a call, whose input is typed as
 * a caller writes it (no refused input here: the table has those); one of
 * the model's controls (see `ModelControl`); or one of the layer's own,
 * which answer as plain JSON: `calls`, the calls log; `seed`, the seed the
 * layer was built with; `uris`, the model's; `setLatency` and `setUris`
 * `null`. Every failure, a call's or a control's, is an error, as plain
 * JSON with its `_tag`, `name` and `message`.
 */
export type LayerAction =
  | { readonly call: "getWidgetToken"; readonly input: WidgetTokenInput }
  | { readonly call: "getFdxToken"; readonly input: { readonly fdxTokenId: string } }
  | { readonly call: "getAuthorizationTest" }
  | ModelControl
  | { readonly control: "setLatency"; readonly millis: number }
  | { readonly control: "setUris"; readonly uris: Partial<PceUris> }
  | { readonly control: "uris" | "calls" | "seed" }

/**
 * The in-memory layer as the scripts reach it: the line's service and
 * controls, each effect of the line's own type `F` (what its driver runs),
 * so that which action is which call is said here once. A line gives its
 * service and controls as they are, but for what only it can make: the
 * tokens to add, decoded with its `FdxToken`; the model's `uris`; the
 * `seed`, as an effect.
 */
export interface LayerSubject<F> extends ModelControls<F> {
  readonly getWidgetToken: (input: WidgetTokenInput) => F
  readonly getFdxToken: (input: { readonly fdxTokenId: string }) => F
  readonly getAuthorizationTest: () => F
  /** A latency in milliseconds, as both lines' durations take a number. */
  readonly setLatency: (millis: number) => F
  readonly setUris: (uris: Partial<PceUris>) => F
  readonly uris: F
  readonly calls: F
  readonly seed: F
}

/** The effect of `action` on `subject`. */
export const layerEffect = <F>(subject: LayerSubject<F>, action: LayerAction): F => {
  if ("call" in action) {
    switch (action.call) {
      case "getWidgetToken":
        return subject.getWidgetToken(action.input)
      case "getFdxToken":
        return subject.getFdxToken(action.input)
      case "getAuthorizationTest":
        return subject.getAuthorizationTest()
    }
  }
  switch (action.control) {
    case "setLatency":
      return subject.setLatency(action.millis)
    case "setUris":
      return subject.setUris(action.uris)
    case "uris":
    case "calls":
    case "seed":
      return subject[action.control]
    default:
      return controlEffect(subject, action)
  }
}

/** A script on a layer built with `seed` (the default seed when left out). */
export interface LayerScript extends Script<LayerAction> {
  readonly seed?: SeedJson
}

// --- helpers for writing the scripts ---

const active = sandboxIds.cards.active

const reveal = (idempotencyKey?: string): LayerAction => ({
  call: "getWidgetToken",
  input: { cardId: active, widgetType: "REVEAL", ...(idempotencyKey === undefined ? {} : { idempotencyKey }) }
})

const fdxToken = (fdxTokenId: string): LayerAction => ({ call: "getFdxToken", input: { fdxTokenId } })

const calls: LayerAction = { control: "calls" }

/** A widget token, the `n`th distinct one of its script. */
const token = (n: number) => ({
  select: { widgetToken: "widgetToken" },
  expect: { ok: { widgetToken: `<widgetToken:${n}>` } }
})

/** An error, by its tag, status and code. */
const failedWith = (tag: string, status: number, code: string) => ({
  select: ["_tag", "status", "code"],
  expect: { error: [tag, status, code] }
})

/** An error, by its tag. */
const failedAs = (tag: string) => ({ select: "_tag", expect: { error: tag } })

const terminatedDetail = `card ${sandboxIds.cards.terminated} is terminated: widget tokens cannot be issued for it`

const customCard = "0a0a0a0a-0000-4000-8000-000000000001"
const addedCard = "0a0a0a0a-0000-4000-8000-000000000002"

/** A seed of one active card and nothing else, under its own tenant. */
const customSeed: SeedJson = {
  tenant: "tenant_x",
  cards: [{ id: customCard, state: "active" }],
  fdx_tokens: [],
  customers: [],
  businesses: [],
  fdx_auth_requests: []
}

const [baseToken] = defaultSeedJson.fdx_tokens
if (baseToken === undefined) throw new Error("the default seed has no FDX token")

const day = 24 * 60 * 60 * 1000

/** `total` calls, each with its own key `k0`, `k1`, … */
const keyedCalls = (total: number): ReadonlyArray<ScriptStep<LayerAction>> =>
  Array.from({ length: total }, (_, i) => ({ do: reveal(`k${i}`) }))

// --- the scripts ---

/**
 * Every script, in groups; `maxRecordedCalls` is how many calls the line's
 * layer keeps (its own constant, which the calls log is checked against).
 */
export const layerScripts = (maxRecordedCalls: number): ReadonlyArray<ScriptGroup<LayerScript>> => [{
  group: "SyncteraTest.layer",
  scripts: [
    {
      // The table has a terminated card for GET_PIN, but observes no error's raw body.
      name: "turns error answers into the live client's typed errors, after 1 attempt",
      steps: [{
        do: { call: "getWidgetToken", input: { cardId: sandboxIds.cards.terminated, widgetType: "SET_PIN" } },
        select: {
          _tag: "_tag",
          status: "status",
          code: "code",
          attempts: "attempts",
          operation: "operation",
          body: "body",
          message: "message"
        },
        expect: {
          error: {
            _tag: "Unprocessable",
            status: 422,
            code: "CARD_TERMINATED",
            attempts: 1,
            operation: "getWidgetToken",
            body: JSON.stringify({ code: "CARD_TERMINATED", detail: terminatedDetail, status: 422 }),
            message:
              `Synctera getWidgetToken failed with 422 Unprocessable Entity CARD_TERMINATED: ${terminatedDetail} after 1 attempt`
          }
        }
      }]
    },
    {
      name: "records each call with its idempotency key; a generated key is a fresh UUID",
      steps: [
        { do: reveal("mine") },
        { do: reveal() },
        { do: reveal() },
        { do: fdxToken(sandboxIds.fdxTokens.enabledAccess) },
        {
          do: calls,
          select: {
            $each: "",
            select: {
              operation: "operation",
              idempotencyKey: "idempotencyKey",
              cardId: "input.cardId",
              widgetType: "input.widgetType",
              fdxTokenId: "input.fdxTokenId"
            }
          },
          expect: {
            ok: [
              { operation: "getWidgetToken", idempotencyKey: "mine", cardId: active, widgetType: "REVEAL" },
              {
                operation: "getWidgetToken",
                idempotencyKey: "<idempotencyKey:1>",
                cardId: active,
                widgetType: "REVEAL"
              },
              {
                operation: "getWidgetToken",
                idempotencyKey: "<idempotencyKey:2>",
                cardId: active,
                widgetType: "REVEAL"
              },
              { operation: "getFdxToken", fdxTokenId: sandboxIds.fdxTokens.enabledAccess }
            ]
          }
        }
      ]
    },
    {
      // The table has the refusals themselves; that they never reach the model is the layer's.
      name: "input refused before sending is not a call",
      steps: [
        {
          do: { call: "getWidgetToken", input: { cardId: "../admin", widgetType: "REVEAL" } },
          select: ["_tag", "description"],
          expect: { error: ["InvalidInput", "cardId: a card id must be a UUID"] }
        },
        // The description is each Effect's schema wording (see the table's `effectWording`).
        { do: reveal("has space"), ...failedAs("InvalidInput") },
        { do: calls, expect: { ok: [] } }
      ]
    },
    {
      name: "keeps the most recent calls, oldest first",
      steps: [
        ...keyedCalls(2 * maxRecordedCalls + 5),
        {
          do: calls,
          select: {
            count: "length",
            first: "0.idempotencyKey",
            last: `${maxRecordedCalls - 1}.idempotencyKey`
          },
          expect: {
            ok: { count: maxRecordedCalls, first: `k${maxRecordedCalls + 5}`, last: `k${2 * maxRecordedCalls + 4}` }
          }
        }
      ]
    },
    {
      name: "failNext makes the next calls fail with the given status, then recovers",
      steps: [
        { do: { control: "failNext", n: 2, failure: { status: 503 } } },
        { do: { control: "failNext", n: 1, failure: { status: 429, retryAfter: 3 } } },
        { do: reveal(), ...failedWith("Internal", 503, "SERVICE_UNAVAILABLE") },
        { do: fdxToken(sandboxIds.fdxTokens.enabledAccess), ...failedAs("Internal") },
        {
          do: reveal(),
          select: ["_tag", "retryAfter"],
          expect: { error: ["RateLimited", { millis: 3000 }] }
        },
        { do: reveal(), select: "tenant", expect: { ok: sandboxIds.tenant } },
        { do: calls, select: "length", expect: { ok: 4 } }
      ]
    },
    {
      name: "a key reused after a 5xx runs again; after a success it replays",
      steps: [
        { do: { control: "failNext", n: 1, failure: { status: 500 } } },
        { do: reveal("retry-me"), ...failedAs("Internal") },
        { do: reveal("retry-me"), ...token(1) },
        { do: reveal("retry-me"), ...token(1) },
        {
          do: { call: "getWidgetToken", input: { cardId: active, widgetType: "GET_PIN", idempotencyKey: "retry-me" } },
          select: ["_tag", "code"],
          expect: { error: ["Unprocessable", "IDEMPOTENCY_INVALID_REUSE"] }
        }
      ]
    },
    {
      name: "replays for 7 days on the TestClock, then issues a new token",
      steps: [
        { do: reveal("weekly"), ...token(1) },
        { adjustClock: 7 * day - 1 },
        { do: reveal("weekly"), ...token(1) },
        { adjustClock: 1 },
        { do: reveal("weekly"), ...token(2) }
      ]
    },
    {
      name: "with latency, the same key during the first call is a Conflict (IDEMPOTENCY_CONCURRENT_USE)",
      steps: [
        { do: { control: "setLatency", millis: 2000 } },
        { start: reveal("busy"), as: "first" },
        { adjustClock: 1000 },
        { do: reveal("busy"), ...failedWith("Conflict", 409, "IDEMPOTENCY_CONCURRENT_USE") },
        { adjustClock: 1000 },
        { join: "first", ...token(1) },
        { do: { control: "setLatency", millis: 0 } },
        { do: reveal("busy"), ...token(1) }
      ]
    },
    {
      name: "cards and FDX tokens can be seeded at build time and added later",
      seed: customSeed,
      steps: [
        {
          do: { call: "getWidgetToken", input: { cardId: customCard, widgetType: "ACTIVATE" } },
          select: "tenant",
          expect: { ok: "tenant_x" }
        },
        {
          do: { call: "getWidgetToken", input: { cardId: addedCard, widgetType: "ACTIVATE" } },
          ...failedAs("NotFound")
        },
        { do: { control: "addCards", cards: [{ id: addedCard, state: "suspended" }] } },
        {
          do: { call: "getWidgetToken", input: { cardId: addedCard, widgetType: "ACTIVATE" } },
          select: "code",
          expect: { error: "CARD_SUSPENDED" }
        },
        {
          do: {
            control: "addFdxTokens",
            tokens: [{ ...baseToken, id: addedCard, token_expiry_time: "2030-01-01T00:00:00.000Z" }]
          }
        },
        {
          do: fdxToken(addedCard),
          expect: {
            ok: {
              id: addedCard,
              tenant: baseToken.tenant,
              status: baseToken.status,
              tokenType: baseToken.token_type,
              tokenHash: baseToken.token_hash,
              creationTime: baseToken.creation_time,
              lastUpdatedTime: baseToken.last_updated_time,
              tokenExpiryTime: "2030-01-01T00:00:00.000Z",
              customerId: sandboxIds.customer
            }
          }
        },
        { do: { control: "seed" }, select: "tenant", expect: { ok: "tenant_x" } }
      ]
    },
    {
      // The table revokes and refreshes too, but reads back only a refreshed token, and never sets the URIs.
      name: "the Plaid controls reach the service's answers",
      steps: [
        {
          do: { control: "exchange", code: "no-such-code" },
          select: ["_tag", "message", "reason"],
          expect: {
            error: ["ControlRefused", "no granted auth request has this code", "no granted auth request has this code"]
          }
        },
        {
          do: { control: "revokeFdxToken", id: sandboxIds.fdxTokens.enabledAccess },
          select: "status",
          expect: { ok: "REVOKED" }
        },
        { do: fdxToken(sandboxIds.fdxTokens.enabledAccess), select: "status", expect: { ok: "REVOKED" } },
        { do: { control: "setUris", uris: { authenticationUri: "https://fintech.example/login" } } },
        {
          do: { call: "getAuthorizationTest" },
          select: { redirectUrl: "redirectUrl" },
          expect: { ok: { redirectUrl: "https://fintech.example/login?auth_request_id" } }
        },
        {
          do: { control: "uris" },
          select: "authenticationUri",
          expect: { ok: "https://fintech.example/login" }
        }
      ]
    }
  ]
}]
