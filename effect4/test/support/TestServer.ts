/**
 * A real HTTP server on 127.0.0.1 for the live layer's tests: each test
 * scripts its answers and reads back the requests the server saw.
 */
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import * as http from "node:http"
import type { AddressInfo } from "node:net"

/** A request as the server saw it. */
export interface SeenRequest {
  readonly method: string
  readonly path: string
  readonly query: URLSearchParams
  readonly headers: http.IncomingHttpHeaders
  /** The body's text (empty for a GET). */
  readonly body: string
}

/** Answers one request; `index` counts requests from 0. */
export type Handler = (request: SeenRequest, response: http.ServerResponse, index: number) => void

/** A running test server. */
export interface TestServer {
  /** The base URL to give the client, `/v1` included. */
  readonly baseUrl: string
  /** The origin alone, for redirects. */
  readonly origin: string
  /** Every request seen so far. */
  readonly requests: ReadonlyArray<SeenRequest>
  /** Replaces the handler. */
  readonly handle: (handler: Handler) => void
}

/** Sends a JSON body with a status. */
export const json = (
  response: http.ServerResponse,
  status: number,
  body: unknown,
  headers: http.OutgoingHttpHeaders = {}
): void => {
  const text = JSON.stringify(body)
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers
  })
  response.end(text)
}

interface Running {
  readonly server: http.Server
  readonly state: { handler: Handler; readonly requests: Array<SeenRequest> }
}

const portOf = (server: http.Server): number => {
  const address: AddressInfo | string | null = server.address()
  if (address === null || typeof address === "string") throw new Error("the test server has no TCP port")
  return address.port
}

/** Starts a server on a free port of 127.0.0.1, closed with the scope. */
export const TestServer = (initial: Handler): Effect.Effect<TestServer, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.callback<Running>((resume) => {
      const state: Running["state"] = { handler: initial, requests: [] }
      const server = http.createServer((req, res) => {
        const url = new URL(req.url ?? "/", "http://127.0.0.1")
        const chunks: Array<Buffer> = []
        req.on("data", (chunk: Buffer) => chunks.push(chunk))
        // Answered once the whole request has arrived, body included.
        req.on("end", () => {
          const seen: SeenRequest = {
            method: req.method ?? "",
            path: url.pathname,
            query: url.searchParams,
            headers: req.headers,
            body: Buffer.concat(chunks).toString("utf8")
          }
          state.requests.push(seen)
          state.handler(seen, res, state.requests.length - 1)
        })
      })
      server.keepAliveTimeout = 30_000
      server.listen(0, "127.0.0.1", () => resume(Effect.succeed({ server, state })))
    }),
    ({ server }) =>
      Effect.callback<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  ).pipe(
    Effect.map(({ server, state }): TestServer => {
      const origin = `http://127.0.0.1:${portOf(server)}`
      return {
        baseUrl: `${origin}/v1`,
        origin,
        get requests() {
          return state.requests
        },
        handle: (handler: Handler) => {
          state.handler = handler
        }
      }
    })
  )
