/**
 * One table of behaviours, run against both the in-memory layer and the live
 * layer talking HTTP to the sandbox server on 127.0.0.1. Each case checks the
 * expected outcome on both, and that both give exactly the same result
 * (error messages, raw bodies and all), so the fake cannot drift from the
 * real client.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Context, Duration, Effect, Either, Layer, Schema } from "effect"
import { CardWidgetType, Synctera, type SyncteraError, SyncteraLive } from "../src/index.js"
import { Sandbox } from "../src/sandbox.js"
import { defaultSeed, type InjectedFailure, sandboxIds, type SeedCard, SyncteraTest } from "../src/testing.js"

/** What a case may do to the Synctera under test, besides calling it. */
class Control extends Context.Tag("test/Control")<Control, {
  readonly failNext: (n: number, failure: InjectedFailure) => Effect.Effect<void>
  readonly addCards: (cards: Iterable<SeedCard>) => Effect.Effect<void>
}>() {}

const inMemory: Layer.Layer<Synctera | Control> = Layer.effect(
  Control,
  Effect.map(SyncteraTest, (control) => ({ failNext: control.failNext, addCards: control.addCards }))
).pipe(Layer.provideMerge(SyncteraTest.layer()))

const overHttp: Layer.Layer<Synctera | Control, unknown> = Layer.unwrapEffect(
  Effect.map(Sandbox, (sandbox) =>
    Layer.merge(
      SyncteraLive.layer({ apiKey: sandbox.apiKey, baseUrl: sandbox.url, retry: false, timeout: "5 seconds" }).pipe(
        Layer.provide(NodeHttpClient.layerUndici)
      ),
      Layer.succeed(Control, { failNext: sandbox.failNext, addCards: sandbox.model.addCards })
    ))
).pipe(Layer.provide(Sandbox.layer()))

/** A result, with the parts that are random by design (widget tokens) replaced. */
type Observation = object

const uuid = Schema.is(Schema.UUID)

const errorFields = (error: SyncteraError) => ({ ...error, _tag: error._tag, message: error.message })

const observe = <A>(
  effect: Effect.Effect<A, SyncteraError, Synctera | Control>,
  summarize: (value: A) => unknown
): Effect.Effect<Observation, never, Synctera | Control> =>
  Effect.map(
    Effect.either(effect),
    Either.match({ onLeft: (error) => ({ error: errorFields(error) }), onRight: (value) => ({ ok: summarize(value) }) })
  )

const widget = (cardId: string, widgetType: CardWidgetType, idempotencyKey?: string) =>
  observe(
    Synctera.getWidgetToken({ cardId, widgetType, ...(idempotencyKey === undefined ? {} : { idempotencyKey }) }),
    (token) => ({ tenant: token.tenant, widgetToken: uuid(token.widgetToken) ? "<uuid>" : token.widgetToken })
  )

const fdx = (fdxTokenId: string) => observe(Synctera.getFdxToken({ fdxTokenId }), (token) => token)

const failNext = (n: number, failure: InjectedFailure) =>
  Effect.flatMap(Control, (control) => control.failNext(n, failure))

// The type system refuses these; a JavaScript caller or a cast may not.
const untypedWidget = (
  input: { readonly cardId: string; readonly widgetType: string; readonly idempotencyKey?: string }
) =>
  observe(Synctera.getWidgetToken(input as Parameters<typeof Synctera.getWidgetToken>[0]), () => "unexpected success")

const okToken = { ok: { tenant: sandboxIds.tenant, widgetToken: "<uuid>" } }
const failed = (fields: Record<string, unknown>) => ({ error: { attempts: 1, ...fields } })

interface Case {
  readonly name: string
  readonly run: Effect.Effect<Observation, never, Synctera | Control>
  readonly expected: object
}

const cases: ReadonlyArray<Case> = [
  ...CardWidgetType.literals.map((type): Case => ({
    name: `a ${type} widget token for an active card`,
    run: widget(sandboxIds.cards.active, type),
    expected: okToken
  })),
  ...defaultSeed.fdxTokens.map((token): Case => ({
    name: `FDX token ${token.status} ${token.tokenType} (${token.id})`,
    run: fdx(token.id),
    expected: { ok: token }
  })),
  {
    name: "forbidden card",
    run: widget(sandboxIds.cards.forbidden, "REVEAL"),
    expected: failed({ _tag: "Forbidden", status: 403, code: "FORBIDDEN", operation: "getWidgetToken" })
  },
  {
    name: "terminated card",
    run: widget(sandboxIds.cards.terminated, "GET_PIN"),
    expected: failed({ _tag: "Unprocessable", status: 422, code: "CARD_TERMINATED" })
  },
  {
    name: "suspended card",
    run: widget(sandboxIds.cards.suspended, "SET_PIN"),
    expected: failed({ _tag: "Unprocessable", status: 422, code: "CARD_SUSPENDED" })
  },
  {
    name: "unknown card",
    run: widget(sandboxIds.cards.unknown, "REVEAL"),
    expected: failed({ _tag: "NotFound", status: 404, code: "RESOURCE_NOT_FOUND" })
  },
  {
    name: "unknown FDX token",
    run: fdx(sandboxIds.fdxTokens.unknown),
    expected: failed({ _tag: "NotFound", status: 404, code: "RESOURCE_NOT_FOUND", operation: "getFdxToken" })
  },
  {
    name: "card id that is not a UUID",
    run: widget("../../admin", "REVEAL"),
    expected: { error: { _tag: "InvalidInput", description: "cardId: a card id must be a UUID" } }
  },
  {
    name: "unknown widget type",
    run: untypedWidget({ cardId: sandboxIds.cards.active, widgetType: "SHOW_EVERYTHING" }),
    expected: { error: { _tag: "InvalidInput", operation: "getWidgetToken" } }
  },
  {
    name: "idempotency key with a header injection",
    run: widget(sandboxIds.cards.active, "REVEAL", "a\r\nX-Injected: 1"),
    expected: { error: { _tag: "InvalidInput" } }
  },
  {
    name: "FDX token id that is not a UUID",
    run: fdx("f0000000"),
    expected: { error: { _tag: "InvalidInput", description: "fdxTokenId: an FDX token id must be a UUID" } }
  },
  {
    name: "same key, same request: the same token",
    run: Effect.gen(function*() {
      const first = yield* Synctera.getWidgetToken({
        cardId: sandboxIds.cards.active,
        widgetType: "REVEAL",
        idempotencyKey: "k1"
      })
      const again = yield* Synctera.getWidgetToken({
        cardId: sandboxIds.cards.active,
        widgetType: "REVEAL",
        idempotencyKey: "k1"
      })
      return first.widgetToken === again.widgetToken
    }).pipe((effect) => observe(effect, (same) => same)),
    expected: { ok: true }
  },
  {
    name: "same key, different request: IDEMPOTENCY_INVALID_REUSE",
    run: Effect.zipRight(
      widget(sandboxIds.cards.active, "REVEAL", "k2"),
      widget(sandboxIds.cards.suspended, "REVEAL", "k2")
    ),
    expected: failed({ _tag: "Unprocessable", status: 422, code: "IDEMPOTENCY_INVALID_REUSE" })
  },
  {
    name: "a stored 4xx is replayed even after the card changes",
    run: Effect.gen(function*() {
      yield* widget(sandboxIds.cards.terminated, "REVEAL", "k3")
      yield* Effect.flatMap(
        Control,
        (control) => control.addCards([{ id: sandboxIds.cards.terminated, state: "active" }])
      )
      const replayed = yield* widget(sandboxIds.cards.terminated, "REVEAL", "k3")
      const fresh = yield* widget(sandboxIds.cards.terminated, "REVEAL", "k4")
      return { replayed, fresh }
    }),
    expected: { replayed: failed({ code: "CARD_TERMINATED" }), fresh: okToken }
  },
  {
    name: "an injected 503, then the next call succeeds",
    run: Effect.gen(function*() {
      yield* failNext(1, { status: 503 })
      return [yield* widget(sandboxIds.cards.active, "REVEAL"), yield* widget(sandboxIds.cards.active, "REVEAL")]
    }),
    expected: [failed({ _tag: "Internal", status: 503, code: "SERVICE_UNAVAILABLE" }), okToken]
  },
  {
    name: "a 5xx is not stored: the same key runs again",
    run: Effect.gen(function*() {
      yield* failNext(1, { status: 500 })
      const first = yield* widget(sandboxIds.cards.active, "ACTIVATE", "k5")
      const second = yield* widget(sandboxIds.cards.active, "ACTIVATE", "k5")
      return [first, second]
    }),
    expected: [failed({ _tag: "Internal", status: 500, code: "INTERNAL_SERVER_ERROR" }), okToken]
  },
  {
    name: "an injected 429 carries the wait it asks for",
    run: Effect.zipRight(failNext(1, { status: 429, retryAfter: 2 }), fdx(sandboxIds.fdxTokens.enabledAccess)),
    expected: failed({ _tag: "RateLimited", status: 429, code: "TOO_MANY_REQUESTS", retryAfter: Duration.seconds(2) })
  },
  {
    name: "an injected failure with its own code and detail",
    run: Effect.zipRight(
      failNext(1, { status: 502, code: "UPSTREAM", detail: "the card processor is down" }),
      widget(sandboxIds.cards.active, "REVEAL")
    ),
    expected: failed({ _tag: "Internal", status: 502, code: "UPSTREAM", detail: "the card processor is down" })
  },
  {
    name: "an injected 401 and an unexpected 418",
    run: Effect.gen(function*() {
      yield* failNext(1, { status: 401 })
      yield* failNext(1, { status: 418 })
      return [yield* fdx(sandboxIds.fdxTokens.enabledAccess), yield* fdx(sandboxIds.fdxTokens.enabledAccess)]
    }),
    expected: [
      failed({ _tag: "Unauthorized", code: "UNAUTHORIZED" }),
      failed({ _tag: "UnexpectedStatus", status: 418 })
    ]
  },
  {
    name: "a card added at run time",
    run: Effect.zipRight(
      Effect.flatMap(
        Control,
        (control) => control.addCards([{ id: "0b0b0b0b-0000-4000-8000-000000000001", state: "active" }])
      ),
      widget("0b0b0b0b-0000-4000-8000-000000000001", "GET_PIN")
    ),
    expected: okToken
  }
]

describe("in-memory and over HTTP: the same behaviour", () => {
  for (const { expected, name, run } of cases) {
    it.live(name, () =>
      Effect.gen(function*() {
        const memory = yield* Effect.provide(run, inMemory)
        const http = yield* Effect.provide(run, overHttp)
        expect(memory).toMatchObject(expected)
        // Not just alike: identical, down to messages and raw bodies.
        expect(http).toEqual(memory)
      }))
  }
})
