/**
 * A grant must not fail for nothing. Behind a server that keeps connections
 * alive without saying for how long (no `Keep-Alive` header) and drops idle
 * ones, as load balancers do, a request sent on a pooled connection at the
 * moment the server drops it fails with a reset before it reaches the
 * server. A read recovers by retrying; a grant cannot (it would be "maybe
 * applied"), so `layerNode` gives it a connection of its own. Over a real
 * socket, with the drop timed to the idle boundary.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import * as net from "node:net"
import { Synctera, SyncteraLive } from "../src/index.js"

/** How long the server keeps an idle connection. */
const idleMillis = 40

interface LoadBalancer {
  readonly baseUrl: string
  /** Grants that reached the server. */
  readonly grants: () => number
  readonly close: () => Promise<void>
}

/**
 * A minimal HTTP/1.1 server: keep-alive without a `Keep-Alive` header, each
 * connection destroyed once it has been idle for `idleMillis`.
 */
const loadBalancer = (): Promise<LoadBalancer> =>
  new Promise((resolve) => {
    let grants = 0
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
          if (isGrant) grants++
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
      const { port } = server.address() as net.AddressInfo
      resolve({
        baseUrl: `http://127.0.0.1:${port}/v1`,
        grants: () => grants,
        close: () =>
          new Promise((done) => {
            for (const socket of sockets) socket.destroy()
            server.close(() => done())
          })
      })
    })
  })

const round = 60

describe("a grant behind a server that drops idle connections", () => {
  it.live(
    `${round} grants, each sent at the idle boundary after a read, all succeed and each arrives once`,
    () =>
      Effect.acquireUseRelease(
        Effect.promise(loadBalancer),
        (server) =>
          Effect.gen(function*() {
            const layer = SyncteraLive.layerNode({
              apiKey: Redacted.make("test-key-1234"),
              baseUrl: server.baseUrl,
              retry: { times: 2, base: "1 millis", cap: "5 millis" }
            })
            const failures: Array<string> = []
            yield* Effect.gen(function*() {
              for (let i = 0; i < round; i++) {
                // A read leaves a pooled connection; the grant goes when the server drops it.
                yield* Synctera.listFdxTokens()
                yield* Effect.sleep(idleMillis - 2 + (i % 5))
                yield* Synctera.grantFdxAuthRequest({
                  authRequestId: "046b6c7f-0b8a-43b9-b35d-6489e6daee91",
                  status: "GRANTED",
                  customerId: "a0000000-0000-4000-8000-00000000c001"
                }).pipe(Effect.catchAll((error) => Effect.sync(() => failures.push(error.message))))
              }
            }).pipe(Effect.provide(layer))
            expect(failures).toEqual([])
            expect(server.grants()).toBe(round)
          }),
        (server) => Effect.promise(server.close)
      ),
    60_000
  )
})
