/**
 * The `Synctera` service key and its hand-written static accessors (Effect 4
 * generates none): each calls the service in context, with the caller's
 * request, and gives back what the service gave, success or failure. Also
 * the request schemas, checked before anything is sent.
 */
import { describe, expect, it } from "@effect/vitest"
import { Cause, Context, Effect, Exit, Layer, Option, Schema, SchemaIssue, Stream } from "effect"
import { pageLimitMessage } from "../../src/core/rules.js"
import {
  FdxAuthRequest,
  FdxToken,
  GetFdxTokenRequest,
  GetWidgetTokenRequest,
  GrantFdxAuthRequestRequest,
  ListRequest,
  NotFound,
  PageLimit,
  Synctera,
  type SyncteraService
} from "../src/index.js"
import { authRequestId, cardId, customerId, fdxTokenBody, fdxTokenId } from "./support/fixtures.js"

const token = Schema.decodeUnknownSync(FdxToken)(fdxTokenBody)
const request = Schema.decodeUnknownSync(FdxAuthRequest)({ id: authRequestId, status: "PENDING" })

/** A stand-in that answers every operation and records what it was called with. */
const makeStub = () => {
  const calls: Array<readonly [string, unknown]> = []
  const record = (name: string, input: unknown) => Effect.sync(() => calls.push([name, input]))
  const service: SyncteraService = {
    getWidgetToken: (input) => record("getWidgetToken", input).pipe(Effect.as({ tenant: "t", widgetToken: "w" })),
    getFdxToken: (input) =>
      input.fdxTokenId === fdxTokenId
        ? record("getFdxToken", input).pipe(Effect.as(token))
        : Effect.fail(new NotFound({ operation: "getFdxToken", status: 404, attempts: 1 })),
    listFdxTokens: (input) =>
      record("listFdxTokens", input).pipe(Effect.as({ fdxTokens: [token], nextPageToken: "next" })),
    streamFdxTokens: (input) =>
      Stream.fromEffect(record("streamFdxTokens", input)).pipe(Stream.flatMap(() => Stream.make(token, token))),
    listFdxAuthRequests: (input) =>
      record("listFdxAuthRequests", input).pipe(Effect.as({ fdxAuthRequests: [request] })),
    streamFdxAuthRequests: (input) =>
      Stream.fromEffect(record("streamFdxAuthRequests", input)).pipe(Stream.flatMap(() => Stream.make(request))),
    grantFdxAuthRequest: (input) =>
      record("grantFdxAuthRequest", input).pipe(Effect.as({ redirectUri: "https://plaid.example/cb" })),
    getAuthorizationTest: () =>
      record("getAuthorizationTest", undefined).pipe(Effect.as({ redirectUrl: "https://fintech.example/auth" }))
  }
  return { calls, layer: Layer.succeed(Synctera, Synctera.of(service)) }
}

describe("Synctera", () => {
  it("is keyed effect-synctera/Synctera", () => {
    expect(Synctera.key).toBe("effect-synctera/Synctera")
  })

  it.effect("its accessors call the service in context with the caller's request", () => {
    const stub = makeStub()
    return Effect.gen(function*() {
      const widget = yield* Synctera.getWidgetToken({ cardId, widgetType: "REVEAL", idempotencyKey: "k-1" })
      const fdxToken = yield* Synctera.getFdxToken({ fdxTokenId })
      const tokens = yield* Synctera.listFdxTokens({ limit: 50 })
      const firstPage = yield* Synctera.listFdxTokens()
      const streamed = yield* Stream.runCollect(Synctera.streamFdxTokens({ limit: 10 }))
      const requests = yield* Synctera.listFdxAuthRequests({ pageToken: "p" })
      const streamedRequests = yield* Stream.runCollect(Synctera.streamFdxAuthRequests())
      const grant = yield* Synctera.grantFdxAuthRequest({ authRequestId, status: "GRANTED", customerId })
      const test = yield* Synctera.getAuthorizationTest()

      expect(widget).toEqual({ tenant: "t", widgetToken: "w" })
      expect(fdxToken).toBe(token)
      expect(tokens).toEqual({ fdxTokens: [token], nextPageToken: "next" })
      expect(firstPage.fdxTokens).toHaveLength(1)
      expect(streamed).toEqual([token, token])
      expect(requests).toEqual({ fdxAuthRequests: [request] })
      expect(streamedRequests).toEqual([request])
      expect(grant).toEqual({ redirectUri: "https://plaid.example/cb" })
      expect(test).toEqual({ redirectUrl: "https://fintech.example/auth" })
      expect(stub.calls).toEqual([
        ["getWidgetToken", { cardId, widgetType: "REVEAL", idempotencyKey: "k-1" }],
        ["getFdxToken", { fdxTokenId }],
        ["listFdxTokens", { limit: 50 }],
        ["listFdxTokens", undefined],
        ["streamFdxTokens", { limit: 10 }],
        ["listFdxAuthRequests", { pageToken: "p" }],
        ["streamFdxAuthRequests", undefined],
        ["grantFdxAuthRequest", { authRequestId, status: "GRANTED", customerId }],
        ["getAuthorizationTest", undefined]
      ])
    }).pipe(Effect.provide(stub.layer))
  })

  it.effect("its accessors fail as the service fails, with the same error", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(Synctera.getFdxToken({ fdxTokenId: "9a7e41c2-63f0-4a39-b6b5-7d1e2c3f4a55" }))
      const error = Exit.isFailure(exit) ? Cause.findErrorOption(exit.cause) : Option.none()
      expect(Option.map(error, (e) => e._tag)).toEqual(Option.some("NotFound"))
      const recovered = yield* Synctera.getFdxToken({ fdxTokenId: "9a7e41c2-63f0-4a39-b6b5-7d1e2c3f4a55" }).pipe(
        Effect.catchTag("NotFound", (e) => Effect.succeed(e.status))
      )
      expect(recovered).toBe(404)
    }).pipe(Effect.provide(makeStub().layer)))

  it.effect("a stream accessor asks the service only when the stream runs", () => {
    const stub = makeStub()
    return Effect.gen(function*() {
      const stream = Synctera.streamFdxTokens()
      expect(stub.calls).toEqual([])
      const first = yield* Stream.runHead(stream)
      expect(Option.isSome(first)).toBe(true)
      expect(stub.calls).toEqual([["streamFdxTokens", undefined]])
    }).pipe(Effect.provide(stub.layer))
  })

  it.effect("the service can be read from context like any Effect 4 service", () =>
    Effect.gen(function*() {
      const synctera = yield* Synctera
      const widget = yield* synctera.getWidgetToken({ cardId, widgetType: "SET_PIN" })
      expect(widget.widgetToken).toBe("w")
      const context = yield* Effect.context<Synctera>()
      expect(Context.getOption(context, Synctera).pipe(Option.isSome)).toBe(true)
    }).pipe(Effect.provide(makeStub().layer)))

  it("its accessors require the service (a type error without it)", () => {
    const program = Synctera.getAuthorizationTest()
    // @ts-expect-error: Synctera is not provided
    const run = () => Effect.runSync(program)
    expect(run).toThrow()
  })
})

const formatIssue = SchemaIssue.makeFormatterStandardSchemaV1()
const messageOf = (exit: Exit.Exit<unknown, Schema.SchemaError>): string =>
  Exit.isSuccess(exit) ? "decoded" : Option.match(Cause.findErrorOption(exit.cause), {
    onNone: () => "no error",
    onSome: (error) =>
      formatIssue(error.issue).issues
        .map(({ message, path }) => path === undefined || path.length === 0 ? message : `${path.join(".")}: ${message}`)
        .join("; ")
  })

describe("request schemas", () => {
  it("GetWidgetTokenRequest checks the card id, the widget and the idempotency key", () => {
    const check = Schema.decodeUnknownExit(GetWidgetTokenRequest, { errors: "all" })
    expect(messageOf(check({ cardId, widgetType: "REVEAL" }))).toBe("decoded")
    expect(messageOf(check({ cardId: "x", widgetType: "NOPE", idempotencyKey: "a b" }))).toBe(
      "cardId: a card id must be a UUID; widgetType: Expected \"ACTIVATE\" | \"GET_PIN\" | \"REVEAL\" | \"SET_PIN\"; idempotencyKey: an idempotency key must be visible ASCII characters only"
    )
  })

  it("GetFdxTokenRequest checks the token id", () => {
    expect(messageOf(Schema.decodeUnknownExit(GetFdxTokenRequest)({ fdxTokenId: "../x" }))).toBe(
      "fdxTokenId: an FDX token id must be a UUID"
    )
  })

  it("PageLimit and ListRequest take 1 to 100", () => {
    for (const limit of [1, 50, 100]) expect(Schema.is(PageLimit)(limit)).toBe(true)
    for (const limit of [0, 101, 1.5, -1, "5", Number.NaN]) expect(Schema.is(PageLimit)(limit)).toBe(false)
    expect(messageOf(Schema.decodeUnknownExit(PageLimit)(0))).toBe(pageLimitMessage)
    expect(messageOf(Schema.decodeUnknownExit(PageLimit)(101))).toBe(pageLimitMessage)
    expect(messageOf(Schema.decodeUnknownExit(ListRequest)({ limit: 500, pageToken: "p" }))).toBe(
      `limit: ${pageLimitMessage}`
    )
    expect(messageOf(Schema.decodeUnknownExit(ListRequest)({}))).toBe("decoded")
  })

  it("GrantFdxAuthRequestRequest checks the ids, the status and the owner rule", () => {
    const check = Schema.decodeUnknownExit(GrantFdxAuthRequestRequest)
    expect(messageOf(check({ authRequestId, status: "GRANTED", customerId }))).toBe("decoded")
    expect(messageOf(check({ authRequestId, status: "DENIED" }))).toBe("decoded")
    expect(messageOf(check({ authRequestId, status: "GRANTED" }))).toBe(
      "a GRANTED request needs the customerId or businessId it is granted for"
    )
    expect(messageOf(check({ authRequestId, status: "DENIED", customerId, businessId: customerId }))).toBe(
      "give a customerId or a businessId, not both"
    )
    expect(messageOf(check({ authRequestId: "x", status: "GRANTED", customerId }))).toBe(
      "authRequestId: an FDX authorization request id must be a UUID"
    )
    expect(messageOf(check({ authRequestId, status: "MAYBE", customerId }))).toBe(
      "status: a grant status must be GRANTED, DENIED or ERROR"
    )
    expect(messageOf(check({ authRequestId, status: "DENIED", idempotencyKey: "" }))).toBe(
      "idempotencyKey: Expected a value with a length of at least 1"
    )
  })
})
