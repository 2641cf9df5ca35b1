/**
 * Bodies of valid JSON nested very deep (which `JSON.parse` reads without
 * trouble) end as typed errors with a bounded `body`, never as a defect: on
 * every operation, every transport, in success and in error answers. (Before
 * the fix, formatting the refused value for the error's message overflowed
 * the stack.)
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Stream } from "effect"
import type * as http from "node:http"
import { Synctera, type SyncteraError } from "../src/index.js"
import { transports } from "./reliability/support/layers.js"
import { cardId, fdxTokenId } from "./support/fixtures.js"
import { TestServer } from "./support/TestServer.js"

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

const shapes = [
  ["an array", deepArray],
  ["an object", deepObject],
  ["a field", deepInField]
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
        it.scopedLive(`${transportName}, ${operation}, ${status}: every shape 200,000 levels deep is a typed error`, () =>
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
              expect(Exit.isFailure(exit) && exit.cause._tag).toBe("Fail")
              if (Exit.isFailure(exit) && exit.cause._tag === "Fail") {
                const error = exit.cause.error
                expect(error._tag).toBe(expectedTag[status])
                expect(error.operation).toBe(operation)
                // The raw body is kept, cut to 2 KiB (and a note of what was cut).
                expect("body" in error && error.body?.startsWith(body.slice(0, 2048))).toBe(true)
                expect(error.message.length).toBeLessThan(5000)
              }
            }
          }))
      }
    }
  }

  it.effect("a caller's deeply nested input is InvalidInput, quoted in a few levels", () =>
    Effect.gen(function*() {
      const deep = JSON.parse(deepArray(200_000))
      const error = yield* Effect.flip(
        Synctera.getFdxToken({ fdxTokenId: deep }).pipe(
          Effect.provide(transports[0]![1]("http://127.0.0.1:9/v1", options))
        )
      )
      expect(error._tag).toBe("InvalidInput")
      expect(error.message).toContain("fdxTokenId: Expected string, actual [[[[…]]]]")
    }))

  for (const [shapeName, shape] of shapes) {
    it.scopedLive(
      `10^6 levels in ${shapeName}: InvalidResponse on a 2xx, BadRequest on a 400 (layerNode)`,
      () =>
        Effect.gen(function*() {
          const makeLayer = transports.find(([name]) => name.startsWith("layerNode"))![1]
          const body = shape(1_000_000)
          const server = yield* TestServer(send(body, 200))
          const layer = makeLayer(server.baseUrl, options)
          const success = yield* Effect.flip(Synctera.getFdxToken({ fdxTokenId }).pipe(Effect.provide(layer)))
          expect(success._tag).toBe("InvalidResponse")
          expect(success._tag === "InvalidResponse" && success.reason).toBe("Decode")
          expect(success._tag === "InvalidResponse" && success.body?.length).toBeLessThan(2100)
          server.handle(send(body, 400))
          const refused = yield* Effect.flip(Synctera.getFdxToken({ fdxTokenId }).pipe(Effect.provide(layer)))
          expect(refused._tag).toBe("BadRequest")
        }),
      60_000
    )
  }
})
