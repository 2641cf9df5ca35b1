/**
 * Bodies of valid JSON nested very deep (which `JSON.parse` reads without
 * trouble) end as typed errors with a bounded `body` and a bounded message,
 * never as a defect: on every operation, every transport, in success and in
 * error answers. (Formatting the refused value into the error's description
 * must not recurse into it.)
 */
import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Exit, Stream } from "effect"
import type * as http from "node:http"
import { Synctera, type SyncteraError } from "../src/index.js"
import { cardId, fdxTokenId } from "./support/liveFixtures.js"
import { TestServer } from "./support/TestServer.js"
import { node, transports } from "./support/transports.js"
import { callUntyped } from "./support/untyped.js"

/** The operations, each called once with valid input. */
const operations: ReadonlyArray<readonly [string, Effect.Effect<unknown, SyncteraError, Synctera>]> = [
  ["getWidgetToken", Synctera.getWidgetToken({ cardId, widgetType: "REVEAL" })],
  ["getFdxToken", Synctera.getFdxToken({ fdxTokenId })],
  ["listFdxTokens", Synctera.listFdxTokens()],
  ["listFdxAuthRequests", Stream.runDrain(Synctera.streamFdxAuthRequests())],
  ["grantFdxAuthRequest", Synctera.grantFdxAuthRequest({ authRequestId: fdxTokenId, status: "DENIED" })],
  ["getAuthorizationTest", Synctera.getAuthorizationTest()]
]

const deepArray = (depth: number) => "[".repeat(depth) + "]".repeat(depth)
const deepObject = (depth: number) => "{\"a\":".repeat(depth) + "1" + "}".repeat(depth)
/** A deep value where the schema expects a string: the refused value is the deep part itself. */
const deepInField = (depth: number) => `{"tenant":${deepObject(depth)},"id":${deepArray(depth)}}`
/** A deep value inside a list where each item is checked. */
const deepInList = (depth: number) =>
  `{"fdx_tokens":[${deepObject(depth)}],"fdx_auth_requests":[${deepArray(depth)}],"redirect_uri":${deepArray(depth)}}`

const shapes = [
  ["an array", deepArray],
  ["an object", deepObject],
  ["a field", deepInField],
  ["a list item", deepInList]
] as const

const send = (body: string, status: number) => (_: unknown, response: http.ServerResponse) => {
  response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) })
  response.end(body)
}

/** Room for 10^6 levels (a deep object is 6 bytes a level); one attempt, so that each case is one request. */
const options = { maxBodyBytes: 16 * 1024 * 1024, retry: false, timeout: "20 seconds", deadline: "30 seconds" } as const

const expectedTag = { 200: "InvalidResponse", 400: "BadRequest", 500: "Internal" } as const

describe("deeply nested bodies", () => {
  for (const [transportName, makeLayer] of transports) {
    for (const [operation, call] of operations) {
      for (const status of [200, 400, 500] as const) {
        it.live(
          `${transportName}, ${operation}, ${status}: every shape 200,000 levels deep is a typed error`,
          () =>
            Effect.gen(function*() {
              const server = yield* TestServer(send("", 200))
              for (const [shapeName, shape] of shapes) {
                const body = shape(200_000)
                server.handle(send(body, status))
                const exit = yield* Effect.exit(call.pipe(Effect.provide(makeLayer(server.baseUrl, options))))
                // AuthorizationTest's only field is optional and unknown fields are ignored:
                // any object (`{"a": …}`, `{"tenant": …}`) is a valid one, without a redirect URL.
                if (operation === "getAuthorizationTest" && status === 200 && shapeName !== "an array") {
                  expect(exit).toEqual(Exit.succeed({}))
                  continue
                }
                expect(Exit.isFailure(exit)).toBe(true)
                if (Exit.isFailure(exit)) {
                  expect(exit.cause.reasons.every(Cause.isFailReason)).toBe(true)
                  const error = Cause.findErrorOption(exit.cause)
                  expect(error._tag).toBe("Some")
                  if (error._tag === "Some") {
                    expect(error.value._tag).toBe(expectedTag[status])
                    expect(error.value.operation).toBe(operation)
                    // The raw body is kept, cut to 2 KiB (and a note of what was cut).
                    expect("body" in error.value && error.value.body?.startsWith(body.slice(0, 2048))).toBe(true)
                    expect("body" in error.value && error.value.body?.length).toBeLessThan(2100)
                    expect(error.value.message.length).toBeLessThan(5000)
                    if (error.value._tag === "InvalidResponse") {
                      expect(error.value.reason).toBe("Decode")
                      // The refused value is quoted a few levels deep, not walked to its end.
                      expect(error.value.description).not.toContain("[[[[[")
                      expect(error.value.description).not.toContain("{\"a\":{\"a\":{\"a\":{\"a\"")
                      expect(error.value.description).not.toContain("inspection threw")
                    }
                  }
                }
              }
            }),
          60_000
        )
      }
    }
  }

  it.effect("a caller's deeply nested input is InvalidInput, quoted in a few levels", () =>
    Effect.gen(function*() {
      const deep: unknown = JSON.parse(deepArray(200_000))
      const error = yield* Effect.flip(
        callUntyped("getFdxToken", { fdxTokenId: deep }).pipe(Effect.provide(node("http://127.0.0.1:9/v1", options)))
      )
      expect(error._tag).toBe("InvalidInput")
      // (What it expects is the schema's to say: its identifier, or the type.)
      expect(error.message).toMatch(
        /^Synctera getFdxToken refused its input: fdxTokenId: Expected \w+, got \[\[\[\[…\]\]\]\]$/
      )
    }))

  it.effect("a wide input is quoted in a few entries", () =>
    Effect.gen(function*() {
      const wide = Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`k${i}`, i]))
      const error = yield* Effect.flip(
        callUntyped("getFdxToken", { fdxTokenId: wide }).pipe(Effect.provide(node("http://127.0.0.1:9/v1", options)))
      )
      expect(error._tag).toBe("InvalidInput")
      expect(error.message).toMatch(/fdxTokenId: Expected \w+, got \{"k0":0,"k1":1,/)
      expect(error.message).toContain("49990 more keys")
      expect(error.message.length).toBeLessThan(1200)
    }))

  for (const [transportName, makeLayer] of [transports[0]!, ["layerNode", node] as const]) {
    for (const [shapeName, shape] of shapes) {
      it.live(
        `10^6 levels in ${shapeName}: InvalidResponse on a 2xx, BadRequest on a 400 (${transportName})`,
        () =>
          Effect.gen(function*() {
            const body = shape(1_000_000)
            const server = yield* TestServer(send(body, 200))
            const layer = makeLayer(server.baseUrl, options)
            const success = yield* Effect.flip(Synctera.getFdxToken({ fdxTokenId }).pipe(Effect.provide(layer)))
            expect(success._tag).toBe("InvalidResponse")
            expect(success._tag === "InvalidResponse" && success.reason).toBe("Decode")
            expect(success._tag === "InvalidResponse" && success.body?.length).toBeLessThan(2100)
            expect(success.message.length).toBeLessThan(5000)
            server.handle(send(body, 400))
            const refused = yield* Effect.flip(Synctera.getFdxToken({ fdxTokenId }).pipe(Effect.provide(layer)))
            expect(refused._tag).toBe("BadRequest")
            expect(refused.message.length).toBeLessThan(5000)
          }),
        60_000
      )
    }
  }
})
