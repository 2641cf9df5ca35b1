/**
 * `SyncteraLive.layerNode` (and `layerNodeConfig`) over real HTTP, as data
 * for both lines, in the format of the live tables (`liveEngine.ts`): what
 * a server on 127.0.0.1 answers, the calls, and what the client must have
 * sent and given. The live tables run on the stock transports; these cases
 * hold the lean undici transport of `layerNode` to the same behaviour.
 * {@link runNodeCase} runs a case on a line's {@link NodeLab} (its
 * `TestServer` and its layers, behind promises) and compares what it saw
 * through `verdict`; each line's `layer-node.test.ts` supplies the lab.
 *
 * Two cases are not only calls and answers but the line's fibers and
 * scopes (a call interrupted, a layer released): their servers and what
 * must be seen are here too; only the interrupting and releasing is a
 * line's own (`NodeLab.interrupt`, and the release of each call's layer).
 */
import type { ServerResponse } from "node:http"
import type { Json, Line } from "./behaviour.js"
import type { Env } from "./configCases.js"
import {
  closedPort,
  is,
  type LiveCase,
  type LiveRun,
  type Outcome,
  type Pattern,
  reply,
  scriptOf,
  type SeenRequest,
  verdict,
  type WriteJson
} from "./liveEngine.js"
import { cardId, fdxTokenBody, fdxTokenId, widgetTokenBody } from "./portsWire.js"

/** A case as a driver runs it, with the table's key and options applied. */
export interface NodeRun extends LiveRun {
  /** The base URL's path on the server; `/v1` when left out. */
  readonly basePath?: string
  /**
   * The layer is `layerNodeConfig`, reading this environment (and
   * `SYNCTERA_BASE_URL`, the server's), not `layerNode` with the table's key
   * and options.
   */
  readonly env?: Env
  /** Each call interrupted once the server has it, or the layer's release watched (see {@link runNodeCase}). */
  readonly scenario?: "interrupt" | "release"
}

/** A case, as written: a live case with where the base URL points, the environment, the scenario. */
type NodeCase = Omit<LiveCase, "transports"> & Pick<NodeRun, "basePath" | "env" | "scenario">

const widget = (input: { readonly [key: string]: Json } = {}) =>
  ({ call: "getWidgetToken", input: { cardId, widgetType: "REVEAL", ...input } }) as const
const fdx = { call: "getFdxToken", input: { fdxTokenId } } as const

const widgetPath = `/v1/cards/${cardId}/widget_token`
const fdxPath = `/v1/fdx_tokens/${fdxTokenId}`
const widgetToken = { tenant: widgetTokenBody.tenant, widgetToken: widgetTokenBody.widget_token }
const ok = (value: Json) => ({ ok: value })
const failed = (error: { readonly [key: string]: Json }) => ({ error })

const overHttp: ReadonlyArray<NodeCase> = [
  {
    name: "decodes both endpoints and sends the documented headers",
    routes: [{ when: { path: fdxPath }, replies: [reply.json(200, fdxTokenBody)] }],
    replies: [reply.json(200, widgetTokenBody)],
    calls: [widget({ widgetType: "GET_PIN", idempotencyKey: "k-1" }), fdx],
    expect: {
      outcomes: [ok(is.exactly(widgetToken)), ok({ id: fdxTokenId, tokenType: "ACCESS" })],
      requests: [{
        method: "GET",
        path: widgetPath,
        query: [["widget_type", "GET_PIN"]],
        headers: {
          authorization: "Bearer node-key-123",
          "idempotency-key": "k-1",
          accept: "application/json",
          "user-agent": "effect-synctera/0.1.0",
          traceparent: is.absent,
          b3: is.absent
        }
      }, { method: "GET", path: fdxPath }]
    }
  },
  {
    name: "keeps the base URL's path, without a trailing slash",
    basePath: "/api/v1/",
    replies: [reply.json(200, fdxTokenBody)],
    calls: [fdx],
    expect: { requests: [{ path: `/api/v1/fdx_tokens/${fdxTokenId}` }] }
  },
  {
    name: "retries with one idempotency key, then succeeds",
    replies: [reply.hangUp, reply.json(503, {}), reply.json(200, widgetTokenBody)],
    calls: [widget()],
    expect: { outcomes: [ok(widgetToken)], requests: [{ key: "<key:1>" }, { key: "<key:1>" }, { key: "<key:1>" }] }
  },
  {
    name: "typed errors by status, with the body's fields",
    replies: [reply.json(422, { code: "CARD_TERMINATED", detail: "terminated" }, { "x-request-id": "r-9" })],
    calls: [fdx],
    expect: {
      outcomes: [failed({
        _tag: "Unprocessable",
        code: "CARD_TERMINATED",
        detail: "terminated",
        requestId: "r-9",
        attempts: 1,
        message:
          "Synctera getFdxToken failed with 422 Unprocessable Entity CARD_TERMINATED: terminated [request id r-9] after 1 attempt"
      })]
    }
  },
  {
    name: "a redirect is not followed",
    routes: [{ when: { path: "/elsewhere" }, replies: [reply.json(200, fdxTokenBody)] }],
    replies: [reply.redirect(301, "/elsewhere")],
    calls: [fdx],
    expect: {
      outcomes: [failed({ _tag: "UnexpectedStatus", status: 301, location: is.atServer("/elsewhere") })],
      requests: [{ path: fdxPath }]
    }
  },
  {
    name: "an oversized body without a declared length stops at the limit",
    options: { maxBodyBytes: 128 * 1024 },
    replies: [reply.flood(40 * 1024 * 1024)],
    calls: [widget()],
    expect: {
      outcomes: [failed({
        _tag: "InvalidResponse",
        reason: "TooLarge",
        description: "the body is larger than the limit of 131072 bytes"
      })],
      // The client hung up long before the server could send its 40 MiB.
      flooded: is.below(30 * 1024 * 1024)
    }
  },
  {
    name: "an oversized body with a declared length stops at the limit too",
    options: { maxBodyBytes: 128 * 1024 },
    replies: [reply.json(200, { ...fdxTokenBody, padding: "x".repeat(4 * 1024 * 1024) })],
    calls: [fdx],
    expect: { outcomes: [failed({ _tag: "InvalidResponse", reason: "TooLarge" })] }
  },
  {
    name: "a stalled body times out and is retried",
    options: { timeout: "150 millis" },
    replies: [reply.stall("{\"tenant\""), reply.json(200, widgetTokenBody)],
    calls: [widget()],
    expect: { outcomes: [ok({ tenant: widgetTokenBody.tenant })], requests: is.ofLength(2) }
  },
  {
    name: "a refused connection is a NetworkError",
    nothingListens: true,
    options: { retry: false },
    calls: [fdx],
    expect: {
      outcomes: [failed({
        _tag: "NetworkError",
        attempts: 1,
        description: is.matching("ECONNREFUSED|connect"),
        message: is.containing("Synctera getFdxToken failed: network error: Transport: ")
      })]
    }
  },
  {
    name: "a body that breaks off is a NetworkError",
    options: { retry: false },
    replies: [reply.breakOff(200, "{\"id\":")],
    calls: [fdx],
    expect: { outcomes: [failed({ _tag: "NetworkError", description: is.matching("^response body broke off: ") })] }
  },
  {
    name: "the deadline bounds a server that never answers",
    // Retries as fast as possible, so that the last attempt is the one the deadline cuts short.
    options: { timeout: "100 millis", deadline: "300 millis", retry: { times: 10, base: "1 millis", cap: "1 millis" } },
    replies: [reply.silence],
    calls: [fdx],
    expect: {
      outcomes: [failed({
        _tag: "Timeout",
        limit: "deadline",
        after: { millis: 300 },
        attempts: is.atLeast(2),
        message: is.matching("^Synctera getFdxToken failed: deadline passed after 300ms \\(after \\d+ attempts\\)$")
      })]
    }
  }
]

const configured: ReadonlyArray<NodeCase> = [
  {
    name: "layerNodeConfig reads the same settings as layerConfig and talks HTTP on its own transport",
    env: { SYNCTERA_API_KEY: "the-node-key", SYNCTERA_ENVIRONMENT: "production", SYNCTERA_MAX_RETRIES: "0" },
    replies: [reply.json(503, { code: "UNAVAILABLE" })],
    calls: [widget({ widgetType: "SET_PIN" })],
    expect: {
      // One attempt (SYNCTERA_MAX_RETRIES=0), to the base URL (over the environment), with the key.
      outcomes: [failed({ _tag: "Internal", attempts: 1 })],
      requests: [{ path: widgetPath, headers: { authorization: "Bearer the-node-key" } }]
    }
  },
  {
    name: "layerNodeConfig with only a key and a base URL decodes a token",
    env: { SYNCTERA_API_KEY: "k" },
    replies: [reply.json(200, widgetTokenBody)],
    calls: [widget({ widgetType: "SET_PIN" })],
    expect: { outcomes: [ok(widgetToken)], requests: [{ headers: { authorization: "Bearer k" } }] }
  },
  {
    name: "layerNodeConfig's timeout comes from SYNCTERA_TIMEOUT",
    env: { SYNCTERA_API_KEY: "k", SYNCTERA_TIMEOUT: "50 millis", SYNCTERA_MAX_RETRIES: "0" },
    replies: [reply.silence],
    calls: [widget({ widgetType: "SET_PIN" })],
    expect: { outcomes: [failed({ _tag: "Timeout", limit: "attempt", after: { millis: 50 } })] }
  }
]

const fibersAndScopes: ReadonlyArray<NodeCase> = [
  {
    // Two calls on one build of the layer (so that only the interruption, not the layer's release, can close a
    // connection), with no retry: the server says nothing to the first, and starts a body it never ends for the
    // second. Each is interrupted once the server has it; its response's connection must then close.
    name: "interrupting a call aborts its request, before the answer and during the body",
    scenario: "interrupt",
    options: { retry: false },
    replies: [reply.silence, reply.stall("{\"tenant\"")],
    calls: [fdx, fdx],
    expect: { requests: is.ofLength(2) }
  },
  {
    // The pooled keep-alive connection must close when the layer is released, not when the server times it out
    // (it keeps connections for 30 s).
    name: "the layer's release closes its connections",
    scenario: "release",
    replies: [reply.json(200, fdxTokenBody)],
    calls: [fdx],
    expect: { outcomes: [ok({ id: fdxTokenId })] }
  }
]

const apiKey = "node-key-123"
/** Small backoffs, so that a case takes milliseconds. */
const options = { retry: { base: "5 millis", cap: "20 millis" } } as const

/** The runs, in order: `layerNode` over HTTP, then `layerNodeConfig`, then the fibers and scopes. */
export const layerNodeRuns: ReadonlyArray<NodeRun> = [...overHttp, ...configured, ...fibersAndScopes].map((
  { options: own, ...rest }
): NodeRun => ({ ...rest, transport: "layerNode", apiKey, options: { ...options, ...own } }))

// --- running a case ---

/** A request as both lines' `TestServer`s see it, and the handler they take. */
type Handler = (request: SeenRequest, response: ServerResponse, index: number) => void

/** What a line's server is, to a case: where it is and what it got. */
interface Served {
  readonly origin: string
  readonly requests: ReadonlyArray<SeenRequest>
}

/**
 * What a line gives {@link runNodeCase}: its `TestServer` and its layers,
 * behind promises (their calls are each line's Effect API).
 */
export interface NodeLab {
  readonly line: Line
  /** How the line's `TestServer` writes a JSON answer (its `json`). */
  readonly writeJson: WriteJson
  /** `use` of one of the line's `TestServer`s started with `handle`, stopped when `use` ends. */
  readonly withServer: <A>(handle: Handler, use: (server: Served) => Promise<A>) => Promise<A>
  /**
   * The run's calls, one after the other, each on its own build (and
   * release) of the run's layer at `baseUrl`: `layerNode` with the run's key
   * and options, or `layerNodeConfig` from {@link NodeRun.env} and
   * `SYNCTERA_BASE_URL=baseUrl`.
   */
  readonly calls: (run: NodeRun, baseUrl: string) => Promise<ReadonlyArray<Outcome>>
  /** The run's calls on one build of its layer, each one's fiber interrupted once `arrived(index)`, the next made once `closed(index)`. */
  readonly interrupt: (
    run: NodeRun,
    baseUrl: string,
    arrived: (index: number) => Promise<void>,
    closed: (index: number) => Promise<void>
  ) => Promise<void>
}

/** A one-shot signal: a promise, and what resolves it. */
const signalled = () => {
  let resolve = (): void => undefined
  const promise = new Promise<void>((done) => resolve = done)
  return { promise, resolve: () => resolve() }
}

/** Watches a handler's requests and connections: when each arrives, its response closes, its socket closes. */
const watchConnections = (handle: (request: SeenRequest, response: ServerResponse) => void) => {
  const signals = new Map<string, ReturnType<typeof signalled>>()
  const signal = (name: string) => {
    const known = signals.get(name) ?? signalled()
    signals.set(name, known)
    return known
  }
  const handler: Handler = (request, response, index) => {
    response.once("close", () => signal(`response ${index}`).resolve())
    response.socket?.once("close", () => signal(`socket ${index}`).resolve())
    signal(`arrived ${index}`).resolve()
    handle(request, response)
  }
  return {
    handler,
    arrived: (index: number) => signal(`arrived ${index}`).promise,
    responseClosed: (index: number) => signal(`response ${index}`).promise,
    socketClosed: (index: number) => signal(`socket ${index}`).promise
  }
}

/**
 * Runs a case on a line's lab: its server (or a port where nothing
 * listens) and its calls — interrupted, for the interruption; for the
 * release, awaited until the connection closes, which the test's timeout
 * bounds — and gives the two sides of its check, as `verdict` does.
 */
export const runNodeCase = async (
  lab: NodeLab,
  run: NodeRun
): Promise<{ readonly actual: unknown; readonly expected: Pattern }> => {
  const script = scriptOf(run, lab.writeJson)
  const baseUrl = (origin: string) => `${origin}${run.basePath ?? "/v1"}`
  const check = async (served: Served, calls: () => Promise<ReadonlyArray<Outcome>>) => {
    const outcomes = await calls()
    return verdict(run, lab.line, { outcomes, requests: served.requests, stats: script.stats, origin: served.origin })
  }
  if (run.nothingListens === true) {
    const served = { origin: `http://127.0.0.1:${await closedPort()}`, requests: [] }
    return check(served, () => lab.calls(run, baseUrl(served.origin)))
  }
  const watch = watchConnections(script.handle)
  return lab.withServer(watch.handler, (served) =>
    check(served, async () => {
      if (run.scenario === "interrupt") {
        await lab.interrupt(run, baseUrl(served.origin), watch.arrived, watch.responseClosed)
        return []
      }
      const outcomes = await lab.calls(run, baseUrl(served.origin))
      if (run.scenario === "release") await watch.socketClosed(0)
      return outcomes
    }))
}
