/**
 * Bodies of valid JSON nested very deep (which `JSON.parse` reads without
 * trouble), as data for both lines: each must end as a typed error with a
 * bounded `body` and a bounded message, never as a defect, on every
 * operation, every transport, in success and in error answers (formatting
 * the refused value into the error's description must not recurse into
 * it); and a caller's deep or wide input must be quoted in a few levels.
 * The checks ({@link everyOperationChecks}, {@link deepestChecks}) run on a
 * line's {@link DeepLab}: its `TestServer`, and one of its transports
 * making a call, behind promises, which gives the call's outcome as plain
 * JSON (`{ ok }`, `{ error }` when the failure is one typed error,
 * `{ defect }` otherwise). Each line's `deep-nesting.test.ts` supplies a lab
 * for each of its transports.
 */
import type { ServerResponse } from "node:http"
import type { Json, Line } from "./behaviour.js"
import { is, type LiveCall, type LiveOptions, type Pattern } from "./liveEngine.js"
import { matching } from "./portsMatch.js"
import { cardId, fdxTokenId } from "./portsWire.js"

/** The operations, each called once with valid input (`listFdxAuthRequests` through its stream). */
const deepOperations: ReadonlyArray<readonly [string, LiveCall]> = [
  ["getWidgetToken", { call: "getWidgetToken", input: { cardId, widgetType: "REVEAL" } }],
  ["getFdxToken", { call: "getFdxToken", input: { fdxTokenId } }],
  ["listFdxTokens", { call: "listFdxTokens" }],
  ["listFdxAuthRequests", { stream: "streamFdxAuthRequests" }],
  ["grantFdxAuthRequest", { call: "grantFdxAuthRequest", input: { authRequestId: fdxTokenId, status: "DENIED" } }],
  ["getAuthorizationTest", { call: "getAuthorizationTest" }]
]

const deepArray = (depth: number) => "[".repeat(depth) + "]".repeat(depth)
const deepObject = (depth: number) => "{\"a\":".repeat(depth) + "1" + "}".repeat(depth)

/** The shapes of a deep body, each as a function of its depth. */
const deepShapes: ReadonlyArray<readonly [string, (depth: number) => string]> = [
  ["an array", deepArray],
  ["an object", deepObject],
  // A deep value where the schema expects a string: the refused value is the deep part itself.
  ["a field", (depth) => `{"tenant":${deepObject(depth)},"id":${deepArray(depth)}}`],
  // A deep value inside a list where each item is checked.
  [
    "a list item",
    (depth) =>
      `{"fdx_tokens":[${deepObject(depth)}],"fdx_auth_requests":[${deepArray(depth)}],` +
      `"redirect_uri":${deepArray(depth)}}`
  ]
]

/** The statuses a body comes with, and the error each must give. */
const deepStatuses = [[200, "InvalidResponse"], [400, "BadRequest"], [500, "Internal"]] as const

/** Room for 10^6 levels (a deep object is 6 bytes a level); one attempt, so that each case is one request. */
export const deepOptions = {
  maxBodyBytes: 16 * 1024 * 1024,
  retry: false,
  timeout: "20 seconds",
  deadline: "30 seconds"
} as const satisfies LiveOptions

/** Levels in the bodies every operation gets, and in those only `getFdxToken` gets, on two transports. */
const depths = { everyOperation: 200_000, deepest: 1_000_000 } as const

/** A bounded message: what a log line can take. */
const boundedMessage = is.ofLength(is.below(5000))

/**
 * What a call must give for `body` with `status`: the typed error of the
 * status, bounded, its raw body kept (cut to 2 KiB, and a note of what was
 * cut); a decoding error quotes the refused value a few levels deep, not
 * walked to its end. `getAuthorizationTest`'s only field is optional and
 * unknown fields are ignored, so every object is a valid one, without a redirect
 * URL.
 */
const deepExpected = (operation: string, status: number, tag: string, body: string): Pattern => {
  if (operation === "getAuthorizationTest" && status === 200 && body.startsWith("{")) return { ok: is.exactly({}) }
  return {
    error: {
      _tag: tag,
      operation,
      body: is.all(is.startingWith(body.slice(0, 2048)), is.ofLength(is.below(2100))),
      message: boundedMessage,
      ...(status === 200
        ? {
          reason: "Decode",
          description: is.all(
            is.not(is.containing("[[[[[")),
            is.not(is.containing("{\"a\":{\"a\":{\"a\":{\"a\"")),
            is.not(is.containing("inspection threw"))
          )
        }
        : {})
    }
  }
}

/** What `getFdxToken` must give for the deepest bodies: InvalidResponse on a 2xx, BadRequest on a 400, bounded. */
const deepestExpected: ReadonlyArray<readonly [200 | 400, Pattern]> = [
  [200, {
    error: { _tag: "InvalidResponse", reason: "Decode", body: is.ofLength(is.below(2100)), message: boundedMessage }
  }],
  [400, { error: { _tag: "BadRequest", message: boundedMessage } }]
]

/**
 * How a line's `InvalidInput` message words a refused input: what the
 * schema expected and what it calls the value it got. Each line's Schema
 * words it its own way: Effect 3's ParseResult names the type ("Expected
 * string, actual …"), Effect 4's issues name the schema by its identifier
 * ("Expected FdxTokenId, got …").
 */
export const refusalWords: Readonly<Record<Line, { readonly expected: string; readonly got: string }>> = {
  effect3: { expected: "string", got: "actual" },
  effect4: { expected: "FdxTokenId", got: "got" }
}

/** A caller's input the type system would refuse, deep or wide, and what `getFdxToken` must refuse it with, in a line's words. */
interface CallerInput {
  readonly name: string
  /** The input (made when the case runs: it is large). */
  readonly input: () => { readonly fdxTokenId: unknown }
  readonly expect: (words: (typeof refusalWords)[Line]) => Pattern
}

export const callerInputs: ReadonlyArray<CallerInput> = [
  {
    name: "a caller's deeply nested input is InvalidInput, quoted in a few levels",
    input: () => ({ fdxTokenId: JSON.parse(deepArray(200_000)) }),
    expect: ({ expected, got }) => ({
      error: {
        _tag: "InvalidInput",
        message: `Synctera getFdxToken refused its input: fdxTokenId: Expected ${expected}, ${got} [[[[…]]]]`
      }
    })
  },
  {
    name: "a wide input is quoted in a few entries",
    input: () => ({ fdxTokenId: Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`k${i}`, i])) }),
    expect: ({ expected, got }) => ({
      error: {
        _tag: "InvalidInput",
        message: is.all(
          is.containing(`fdxTokenId: Expected ${expected}, ${got} {"k0":0,"k1":1,`),
          is.containing("49990 more keys"),
          is.ofLength(is.below(1200))
        )
      }
    })
  }
]

/** A base URL where nothing is sent: the inputs are refused before any request. */
export const nowhere = "http://127.0.0.1:9/v1"

/** A handler for a line's `TestServer`: `body` with `status`, as JSON with its declared length. */
const sendBody = (body: string, status: number) => (_: unknown, response: ServerResponse): void => {
  response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) })
  response.end(body)
}

// --- the checks ---

/** A line's server, to the checks: its base URL, and a new handler for the requests to come. */
interface DeepServer {
  readonly baseUrl: string
  readonly handle: (handler: ReturnType<typeof sendBody>) => void
}

/** What a line gives the checks: its `TestServer`, and one of its transports, behind promises. */
export interface DeepLab {
  /** `use` of one of the line's `TestServer`s started with `handle`, stopped when `use` ends. */
  readonly withServer: <A>(handle: ReturnType<typeof sendBody>, use: (server: DeepServer) => Promise<A>) => Promise<A>
  /** `call` on a build of the transport's layer at `baseUrl` with {@link deepOptions}, as plain JSON (see above). */
  readonly outcome: (call: LiveCall, baseUrl: string) => Promise<Json>
}

/** A check, one test on each transport it runs on: the two sides of each of its comparisons. */
export interface DeepCheck {
  readonly name: string
  readonly run: (lab: DeepLab) => Promise<ReadonlyArray<{ readonly actual: unknown; readonly expected: Pattern }>>
}

/** Every operation, with each status, gets a body of each shape 200,000 levels deep. */
export const everyOperationChecks: ReadonlyArray<DeepCheck> = deepOperations.flatMap(([operation, call]) =>
  deepStatuses.map(([status, tag]): DeepCheck => ({
    name: `${operation}, ${status}: every shape ${depths.everyOperation} levels deep is a typed error`,
    run: (lab) =>
      lab.withServer(sendBody("", 200), async (server) => {
        const verdicts = []
        for (const [, shape] of deepShapes) {
          const body = shape(depths.everyOperation)
          server.handle(sendBody(body, status))
          verdicts.push(matching(await lab.outcome(call, server.baseUrl), deepExpected(operation, status, tag, body)))
        }
        return verdicts
      })
  }))
)

/** `getFdxToken` gets a body of each shape 10^6 levels deep, with a 2xx and with a 400. */
export const deepestChecks: ReadonlyArray<DeepCheck> = deepShapes.map(([shapeName, shape]): DeepCheck => ({
  name: `10^6 levels in ${shapeName}: InvalidResponse on a 2xx, BadRequest on a 400`,
  run: (lab) => {
    const body = shape(depths.deepest)
    return lab.withServer(sendBody(body, 200), async (server) => {
      const verdicts = []
      for (const [status, pattern] of deepestExpected) {
        server.handle(sendBody(body, status))
        verdicts.push(
          matching(await lab.outcome({ call: "getFdxToken", input: { fdxTokenId } }, server.baseUrl), pattern)
        )
      }
      return verdicts
    })
  }
}))
