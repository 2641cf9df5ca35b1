/**
 * A grant must not fail for nothing. Behind a server that keeps connections
 * alive without saying for how long (no `Keep-Alive` header) and drops idle
 * ones, as load balancers do, a request sent on a pooled connection at the
 * moment the server drops it fails with a reset before it reaches the
 * server. A read recovers by retrying; a grant cannot (it would be "maybe
 * applied"), so `layerNode` gives it a connection of its own. Over a real
 * socket, with the drop timed to the idle boundary. (`layer` pools as the
 * app's `HttpClient` does: there a grant may fail, but it is never sent twice.)
 */
import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import { FetchHttpClient, type HttpClient } from "effect/http"
import * as net from "node:net"
import { Synctera, type SyncteraError } from "../src/index.js"
import * as SyncteraLive from "../src/layers/SyncteraLive.js"

/** How long the server keeps an idle connection. */
const idleMillis = 40

interface LoadBalancer {
  readonly baseUrl: string
  /** The idempotency keys of the grants that reached the server. */
  readonly grants: ReadonlyArray<string>
  readonly close: () => Promise<void>
}

/**
 * A minimal HTTP/1.1 server: keep-alive without a `Keep-Alive` header, each
 * connection destroyed once it has been idle for `idleMillis`.
 */
const loadBalancer = (): Promise<LoadBalancer> =>
  new Promise((resolve) => {
    const grants: Array<string> = []
    const sockets = new Set<net.Socket>()
    const server = net.createServer((socket) => {
      sockets.add(socket)
      socket.on("close", () => sockets.delete(socket))
      socket.on("error", () => undefined)
      let idle = setTimeout(() => socket.destroy(), idleMillis)
      let buffer = ""
      socket.on("data", (data) => {
        clearTimeout(idle)
        buffer += data.toString("latin1")
        for (;;) {
          const end = buffer.indexOf("\r\n\r\n")
          if (end < 0) return
          const head = buffer.slice(0, end)
          const length = Number(/content-length: *(\d+)/i.exec(head)?.[1] ?? "0")
          if (buffer.length < end + 4 + length) return
          buffer = buffer.slice(end + 4 + length)
          const isGrant = head.startsWith("POST /v1/fdx_auth_requests/authorize")
          if (isGrant) grants.push(/idempotency-key: *(\S+)/i.exec(head)?.[1] ?? "")
          const body = JSON.stringify(isGrant ? { redirect_uri: "https://plaid.example/cb" } : { fdx_tokens: [] })
          socket.write(
            `HTTP/1.1 ${isGrant ? "201 Created" : "200 OK"}\r\ncontent-type: application/json\r\n` +
              `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
          )
          idle = setTimeout(() => socket.destroy(), idleMillis)
        }
      })
    })
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      resolve({
        baseUrl: `http://127.0.0.1:${port}/v1`,
        grants,
        close: () =>
          new Promise((done) => {
            for (const socket of sockets) socket.destroy()
            server.close(() => done())
          })
      })
    })
  })

const round = 60

const settings = (baseUrl: string): SyncteraLive.Options => ({
  apiKey: Redacted.make("test-key-1234"),
  baseUrl,
  retry: { times: 2, base: "1 millis", cap: "5 millis" }
})

/** `round` times: a read (which leaves a pooled connection), a wait to the idle boundary, a grant. */
const rounds = (failures: Array<SyncteraError>) =>
  Effect.gen(function*() {
    for (let i = 0; i < round; i++) {
      yield* Synctera.listFdxTokens()
      yield* Effect.sleep(idleMillis - 2 + (i % 5))
      yield* Synctera.grantFdxAuthRequest({
        authRequestId: "046b6c7f-0b8a-43b9-b35d-6489e6daee91",
        status: "GRANTED",
        customerId: "a0000000-0000-4000-8000-00000000c001"
      }).pipe(Effect.catch((error) => Effect.sync(() => failures.push(error))))
    }
  })

describe("a grant behind a server that drops idle connections", () => {
  it.live(
    `layerNode: ${round} grants, each sent at the idle boundary after a read, all succeed and each arrives once`,
    () =>
      Effect.acquireUseRelease(
        Effect.promise(loadBalancer),
        (server) =>
          Effect.gen(function*() {
            const failures: Array<SyncteraError> = []
            yield* rounds(failures).pipe(Effect.provide(SyncteraLive.layerNode(settings(server.baseUrl))))
            expect(failures.map((error) => error.message)).toEqual([])
            expect(server.grants).toHaveLength(round)
            expect(new Set(server.grants).size).toBe(round)
          }),
        (server) => Effect.promise(server.close)
      ),
    60_000
  )

  const stock: ReadonlyArray<readonly [string, Layer.Layer<HttpClient.HttpClient>]> = [
    ["NodeHttpClient.layerUndici", NodeHttpClient.layerUndici],
    ["NodeHttpClient.layerNodeHttp", NodeHttpClient.layerNodeHttp],
    ["FetchHttpClient.layer", FetchHttpClient.layer]
  ]
  for (const [name, transport] of stock) {
    it.live(
      `layer over ${name}: a grant that fails there is maybe applied, and no grant arrives twice`,
      () =>
        Effect.acquireUseRelease(
          Effect.promise(loadBalancer),
          (server) =>
            Effect.gen(function*() {
              const failures: Array<SyncteraError> = []
              yield* rounds(failures).pipe(
                Effect.provide(SyncteraLive.layer(settings(server.baseUrl)).pipe(Layer.provide(transport)))
              )
              for (const error of failures) {
                expect(error._tag).toBe("NetworkError")
                expect(error._tag === "NetworkError" && error.maybeApplied).toBe(true)
              }
              expect(server.grants.length).toBeLessThanOrEqual(round)
              expect(new Set(server.grants).size).toBe(server.grants.length)
              expect(server.grants.length + failures.length).toBeGreaterThanOrEqual(round)
            }),
          (server) => Effect.promise(server.close)
        ),
      60_000
    )
  }
})
