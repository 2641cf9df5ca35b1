/**
 * One table of behaviours, run against both the in-memory layer and the live
 * layer talking HTTP to the sandbox server on 127.0.0.1. Each case checks the
 * expected outcome on both, and that both give exactly the same result
 * (error messages, raw bodies and all), so the fake cannot drift from the
 * real client.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Context, Duration, Effect, Either, Layer, Schema, Stream } from "effect"
import { CardWidgetType, Synctera, type SyncteraError, SyncteraLive } from "../src/index.js"
import { Sandbox } from "../src/sandbox.js"
import type { SandboxModel } from "../src/testing.js"
import {
  bulkCount,
  defaultSeed,
  type InjectedFailure,
  sandboxIds,
  type SeedCard,
  SyncteraTest
} from "../src/testing.js"

/** What a case may do to the Synctera under test, besides calling it. */
class Control extends Context.Tag("test/Control")<Control, {
  readonly failNext: (n: number, failure: InjectedFailure) => Effect.Effect<void>
  readonly addCards: (cards: Iterable<SeedCard>) => Effect.Effect<void>
  /** Plaid's part: exchanges a granted request's code. */
  readonly exchange: SandboxModel.SandboxModel["exchange"]
  readonly refreshFdxToken: SandboxModel.SandboxModel["refreshFdxToken"]
  readonly revokeFdxToken: SandboxModel.SandboxModel["revokeFdxToken"]
}>() {}

const controlOf = (model: SandboxModel.SandboxModel): Control["Type"] => ({
  failNext: model.failNext,
  addCards: model.addCards,
  exchange: model.exchange,
  refreshFdxToken: model.refreshFdxToken,
  revokeFdxToken: model.revokeFdxToken
})

const inMemory: Layer.Layer<Synctera | Control> = Layer.effect(
  Control,
  Effect.map(SyncteraTest, (control) => controlOf(control.model))
).pipe(Layer.provideMerge(SyncteraTest.layer()))

const overHttp: Layer.Layer<Synctera | Control, unknown> = Layer.unwrapEffect(
  Effect.map(Sandbox, (sandbox) =>
    Layer.merge(
      SyncteraLive.layer({ apiKey: sandbox.apiKey, baseUrl: sandbox.url, retry: false, timeout: "5 seconds" }).pipe(
        Layer.provide(NodeHttpClient.layerUndici)
      ),
      Layer.succeed(Control, controlOf(sandbox.model))
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
  ...defaultSeed.fdxTokens.filter((token) => Object.values<string>(sandboxIds.fdxTokens).includes(token.id)).map((
    token
  ): Case => ({
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

// --- Plaid Core Exchange ---

const { fdxAuthRequests: requests } = sandboxIds

/** A URL with the values of its query replaced, so that random codes and hosts compare equal. */
const shapeOf = (url: string | undefined) => {
  if (url === undefined) return undefined
  const parsed = new URL(url)
  return [...parsed.searchParams.keys()].map((name) =>
    name === "error" ? `error=${parsed.searchParams.get(name)}` : name
  ).join("&")
}

const grant = (
  authRequestId: string,
  status: "GRANTED" | "DENIED" | "ERROR",
  owner: { readonly customerId?: string; readonly businessId?: string } = {}
) =>
  observe(
    Synctera.grantFdxAuthRequest({ authRequestId, status, ...owner }),
    (answer) => ({ redirect: shapeOf(answer.redirectUri) })
  )

/** An auth request as listed (by streaming every page), with its random parts masked. */
const listedRequest = (id: string) =>
  observe(
    Synctera.streamFdxAuthRequests().pipe(
      Stream.filter((request) => request.id === id),
      Stream.runHead,
      Effect.map((found) =>
        found._tag === "None" ? undefined : {
          status: found.value.status,
          customerId: found.value.customerId,
          businessId: found.value.businessId,
          code: found.value.code === undefined ? undefined : "<code>",
          redirect: shapeOf(found.value.redirectUri)
        }
      )
    ),
    (summary) => summary
  )

const tokensOf = (customerId: string) =>
  Synctera.streamFdxTokens().pipe(Stream.filter((token) => token.customerId === customerId), Stream.runCollect)

const pceCases: ReadonlyArray<Case> = [
  {
    name: "the first page of FDX tokens: 100, and a next page token",
    run: observe(Synctera.listFdxTokens(), (page) => ({
      count: page.fdxTokens.length,
      first: page.fdxTokens[0]?.id,
      more: page.nextPageToken !== undefined
    })),
    expected: { ok: { count: 100, first: sandboxIds.fdxTokens.enabledAccess, more: true } }
  },
  {
    name: "pages of 3 follow each other",
    run: Effect.gen(function*() {
      const first = yield* Synctera.listFdxTokens({ limit: 3 })
      const second = yield* Synctera.listFdxTokens({
        limit: 3,
        ...(first.nextPageToken ? { pageToken: first.nextPageToken } : {})
      })
      return [...first.fdxTokens, ...second.fdxTokens].map((token) => token.id)
    }).pipe((effect) => observe(effect, (ids) => ids)),
    expected: { ok: defaultSeed.fdxTokens.slice(0, 6).map((token) => token.id) }
  },
  {
    name: "every FDX token and auth request, streamed across pages",
    run: Effect.gen(function*() {
      const tokens = yield* Stream.runCollect(Synctera.streamFdxTokens())
      const authRequests = yield* Stream.runCollect(Synctera.streamFdxAuthRequests({ limit: 50 }))
      return [Chunk.size(tokens), Chunk.size(authRequests), Chunk.toReadonlyArray(tokens).map((t) => t.id)]
    }).pipe((effect) => observe(effect, (summary) => summary)),
    expected: { ok: [8 + bulkCount, 5 + bulkCount, defaultSeed.fdxTokens.map((token) => token.id)] }
  },
  {
    name: "a page token the server never gave",
    run: observe(Synctera.listFdxAuthRequests({ pageToken: "made-up" }), () => "unexpected success"),
    expected: failed({ _tag: "BadRequest", status: 400, operation: "listFdxAuthRequests" })
  },
  {
    name: "a grant for a customer: a redirect with a code, the request GRANTED for that customer",
    run: Effect.all([
      grant(requests.pending, "GRANTED", { customerId: sandboxIds.newCustomer }),
      listedRequest(requests.pending)
    ]),
    expected: [
      { ok: { redirect: "code&state" } },
      { ok: { status: "GRANTED", customerId: sandboxIds.newCustomer, code: "<code>", redirect: "code&state" } }
    ]
  },
  {
    name: "a denial: a redirect with access_denied, the request DENIED",
    run: Effect.all([grant(requests.pending, "DENIED"), listedRequest(requests.pending)]),
    expected: [{ ok: { redirect: "error=access_denied&state" } }, { ok: { status: "DENIED", code: undefined } }]
  },
  {
    name: "an ERROR: a redirect with server_error, the request DENIED",
    run: Effect.all([grant(requests.pending, "ERROR"), listedRequest(requests.pending)]),
    expected: [{ ok: { redirect: "error=server_error&state" } }, { ok: { status: "DENIED" } }]
  },
  {
    name: "a second grant of the same request: 409, not applied again",
    run: Effect.all([
      grant(requests.pending, "GRANTED", { businessId: sandboxIds.business }),
      grant(requests.pending, "GRANTED", { customerId: sandboxIds.customer }),
      listedRequest(requests.pending)
    ]),
    expected: [
      { ok: { redirect: "code&state" } },
      failed({ _tag: "Conflict", status: 409, code: "RESOURCE_ALREADY_EXISTS", operation: "grantFdxAuthRequest" }),
      { ok: { status: "GRANTED", businessId: sandboxIds.business } }
    ]
  },
  {
    name: "granting a request already decided, used, expired or unknown",
    run: Effect.all([
      grant(requests.granted, "DENIED"),
      grant(requests.used, "DENIED"),
      grant(requests.expired, "GRANTED", { customerId: sandboxIds.customer }),
      grant(requests.unknown, "DENIED")
    ]),
    expected: [
      failed({ _tag: "Conflict", status: 409 }),
      failed({ _tag: "Conflict", status: 409 }),
      failed({ _tag: "BadRequest", status: 400, code: "BAD_REQUEST" }),
      failed({ _tag: "NotFound", status: 404, code: "RESOURCE_NOT_FOUND" })
    ]
  },
  {
    name: "a grant for a customer or business the tenant does not have",
    run: Effect.all([
      grant(requests.pending, "GRANTED", { customerId: sandboxIds.unknownCustomer }),
      grant(requests.pending, "GRANTED", { businessId: sandboxIds.unknownBusiness }),
      listedRequest(requests.pending)
    ]),
    expected: [
      failed({ _tag: "BadRequest", status: 400 }),
      failed({ _tag: "BadRequest", status: 400 }),
      { ok: { status: "PENDING" } }
    ]
  },
  {
    name: "an injected 500 on a grant: maybe applied, one attempt",
    run: Effect.zipRight(failNext(1, { status: 500 }), grant(requests.pending, "DENIED")),
    expected: failed({ _tag: "Internal", status: 500, maybeApplied: true })
  },
  {
    name: "the whole flow: authorization_test, a grant, Plaid's exchange, the new tokens",
    run: Effect.gen(function*() {
      const test = yield* Synctera.getAuthorizationTest()
      const id = new URL(test.redirectUrl ?? "").searchParams.get("auth_request_id") ?? ""
      const pending = yield* listedRequest(id)
      const granted = yield* Synctera.grantFdxAuthRequest({
        authRequestId: id,
        status: "GRANTED",
        customerId: sandboxIds.newCustomer
      })
      const code = new URL(granted.redirectUri).searchParams.get("code") ?? ""
      const issued = yield* Effect.flatMap(Control, (control) => Effect.orDie(control.exchange(code)))
      const used = yield* listedRequest(id)
      const tokens = yield* tokensOf(sandboxIds.newCustomer)
      const again = yield* Effect.flatMap(Control, (control) => Effect.either(control.exchange(code)))
      return {
        start: shapeOf(test.redirectUrl),
        pending,
        used,
        issued: issued.map((token) => [token.tokenType, token.status]),
        listed: Chunk.toReadonlyArray(tokens).map((token) => token.tokenType),
        again: again._tag
      }
    }).pipe((effect) => observe(effect, (summary) => summary)),
    expected: {
      ok: {
        start: "auth_request_id",
        pending: { ok: { status: "PENDING" } },
        used: { ok: { status: "USED", customerId: sandboxIds.newCustomer } },
        issued: [["ACCESS", "ENABLED"], ["REFRESH", "ENABLED"]],
        listed: ["ACCESS", "REFRESH"],
        again: "Left"
      }
    }
  },
  {
    name: "refreshing and revoking tokens reaches every status",
    run: Effect.gen(function*() {
      const control = yield* Control
      const refreshed = yield* Effect.orDie(control.refreshFdxToken(sandboxIds.fdxTokens.enabledRefresh))
      const revoked = yield* Effect.orDie(control.revokeFdxToken(sandboxIds.fdxTokens.enabledAccess))
      const usedTwice = yield* Effect.either(control.refreshFdxToken(sandboxIds.fdxTokens.enabledRefresh))
      const read = yield* Synctera.getFdxToken({ fdxTokenId: sandboxIds.fdxTokens.enabledRefresh })
      return {
        refreshed: refreshed.map((token) => [token.tokenType, token.status, token.parentTokenId ?? null]),
        revoked: revoked.status,
        usedTwice: usedTwice._tag,
        read: read.status
      }
    }).pipe((effect) => observe(effect, (summary) => summary)),
    expected: {
      ok: {
        refreshed: [
          ["REFRESH", "USED", null],
          ["ACCESS", "ENABLED", sandboxIds.fdxTokens.enabledRefresh],
          ["REFRESH", "ENABLED", sandboxIds.fdxTokens.enabledRefresh]
        ],
        revoked: "REVOKED",
        usedTwice: "Left",
        read: "USED"
      }
    }
  }
]

describe("in-memory and over HTTP: the same behaviour", () => {
  for (const { expected, name, run } of [...cases, ...pceCases]) {
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
