/**
 * A grant must not fail for nothing, as data and a server for both lines.
 * Behind a server that keeps connections alive without saying for how long
 * (no `Keep-Alive` header) and drops idle ones, as load balancers do, a
 * request sent on a pooled connection at the moment the server drops it
 * fails with a reset before it reaches the server. A read recovers by
 * retrying; a grant cannot (it would be "maybe applied"), so `layerNode`
 * gives it a connection of its own. `layer` pools as the app's `HttpClient`
 * does: there a grant may fail, but it is never sent twice.
 *
 * {@link grantRounds} starts {@link loadBalancer} and makes {@link round}
 * rounds on a line's client (a read, which leaves a pooled connection, a
 * wait to the idle boundary, a grant), and gives what it saw as the kind of
 * layer's pattern sees it. Each line's `grant-connection.test.ts` gives it
 * its client on each of its layers, as promises ({@link GrantClient}): one
 * build of the layer, one pool, for every round. Over a real socket, with
 * the drop timed to the idle boundary.
 */
import * as net from "node:net"
import { setTimeout as sleep } from "node:timers/promises"
import type { Json } from "./behaviour.js"
import { is, type LiveOptions, type Pattern } from "./liveEngine.js"
import { atMost, matching } from "./portsMatch.js"

/** How long the server keeps an idle connection. */
const idleMillis = 40

/** How many rounds a test makes. */
const round = 60

/** The wait before the `i`-th round's grant: at the idle boundary, give or take a couple of milliseconds. */
const pauseBefore = (i: number): number => idleMillis - 2 + (i % 5)

/** The key, and small backoffs for the reads' retries. */
export const grantSettings = {
  apiKey: "test-key-1234",
  options: { retry: { times: 2, base: "1 millis", cap: "5 millis" } }
} as const satisfies { readonly apiKey: string; readonly options: LiveOptions }

/** The grant each round makes. */
export const grantInput = {
  authRequestId: "046b6c7f-0b8a-43b9-b35d-6489e6daee91",
  status: "GRANTED",
  customerId: "a0000000-0000-4000-8000-00000000c001"
} as const

/** The server: its base URL, the idempotency keys of the grants that reached it, and how to close it. */
interface LoadBalancer {
  readonly baseUrl: string
  readonly grants: ReadonlyArray<string>
  readonly close: () => Promise<void>
}

/**
 * A minimal HTTP/1.1 server: keep-alive without a `Keep-Alive` header, each
 * connection destroyed once it has been idle for `idleMillis`; a grant gets
 * a redirect URL, anything else an empty list of FDX tokens.
 */
const loadBalancer = (): Promise<LoadBalancer> =>
  new Promise((resolve, reject) => {
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
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      if (address === null || typeof address === "string") return reject(new Error("the server has no TCP port"))
      resolve({
        baseUrl: `http://127.0.0.1:${address.port}/v1`,
        grants,
        close: () =>
          new Promise((done) => {
            for (const socket of sockets) socket.destroy()
            server.close(() => done())
          })
      })
    })
  })

/** A grant that failed, as a line's error has it. */
export interface FailedGrant {
  readonly _tag: string
  readonly message: string
  readonly maybeApplied?: boolean | undefined
}

/** What the rounds gave, as plain JSON: the failed grants, and the grants that reached the server. */
const observeGrants = (failures: ReadonlyArray<FailedGrant>, server: LoadBalancer): Json => ({
  failures: failures.map(({ _tag, maybeApplied, message }) => ({ _tag, message, maybeApplied: maybeApplied ?? null })),
  grants: server.grants.length,
  sentTwice: server.grants.length - new Set(server.grants).size,
  grantsAndFailures: server.grants.length + failures.length
})

/** What each kind of layer must give: what a test says of it, and the pattern of {@link observeGrants}. */
export const grantKinds: Readonly<Record<"layerNode" | "layer", { readonly says: string; readonly pattern: Pattern }>> =
  {
    layerNode: {
      says: `${round} grants, each sent at the idle boundary after a read, all succeed and each arrives once`,
      pattern: { failures: [], grants: round, sentTwice: 0 }
    },
    layer: {
      says: "a grant that fails there is maybe applied, and no grant arrives twice (nor goes unsaid)",
      pattern: {
        failures: is.each({ _tag: "NetworkError", maybeApplied: true }),
        grants: atMost(round),
        sentTwice: 0,
        grantsAndFailures: is.atLeast(round)
      }
    }
  }

/** A line's client on the server, as promises, on one build of its layer (one pool) for every round. */
export interface GrantClient {
  readonly read: () => Promise<void>
  /** The grant: its error if it failed (observed, not thrown). */
  readonly grant: () => Promise<FailedGrant | undefined>
  /** Releases the layer. */
  readonly close: () => Promise<void>
}

/**
 * Makes the rounds on the client `open` gives for the server's base URL,
 * and gives what they saw as `kind`'s pattern sees it, and the pattern; a
 * driver expects them equal.
 */
export const grantRounds = async (
  kind: keyof typeof grantKinds,
  open: (baseUrl: string) => GrantClient
): Promise<{ readonly actual: unknown; readonly expected: Pattern }> => {
  const server = await loadBalancer()
  try {
    const client = open(server.baseUrl)
    const failures: Array<FailedGrant> = []
    try {
      for (let i = 0; i < round; i++) {
        await client.read()
        await sleep(pauseBefore(i))
        const failure = await client.grant()
        if (failure !== undefined) failures.push(failure)
      }
    } finally {
      await client.close()
    }
    return matching(observeGrants(failures, server), grantKinds[kind].pattern)
  } finally {
    await server.close()
  }
}
