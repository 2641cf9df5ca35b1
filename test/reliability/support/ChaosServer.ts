/**
 * A chaos server on 127.0.0.1 for the soak: the widget-token endpoint with
 * Synctera's idempotency rules (an answer is stored per `Idempotency-Key` and
 * replayed, except 5xx and 429 answers), transient faults injected at a given
 * rate from a seeded generator, and counters of what it did: requests,
 * distinct keys, and tokens issued per key (a duplicate side effect is a
 * second token for one key).
 */
import { Effect } from "effect"
import type * as Scope from "effect/Scope"
import * as http from "node:http"
import type { AddressInfo, Socket } from "node:net"

/** The transient faults, each with its share of all requests. */
export interface ChaosFaults {
  /** Connection destroyed before anything is processed. */
  readonly drop: number
  readonly s500: number
  readonly s502: number
  readonly s503: number
  readonly s504: number
  /** 429 with `retry-after-ms: 1`. */
  readonly s429: number
  /** Processed (token issued and stored), head and part of the body sent, then the connection is reset. */
  readonly resetAfterHead: number
  /** Processed, head and part of the body sent, then nothing until the server closes. */
  readonly stall: number
}

export const totalRate = (faults: ChaosFaults): number => Object.values(faults).reduce((a, b) => a + b, 0)

/** A seeded generator (mulberry32), so a soak is repeatable. */
const random = (seed: number) => {
  let a = seed >>> 0
  return (): number => {
    a = (a + 0x6D2B79F5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface ChaosStats {
  requests: number
  unauthorized: number
  /** Requests per injected fault kind (and `ok` for the rest). */
  readonly byKind: Record<string, number>
}

export interface ChaosServer {
  readonly baseUrl: string
  readonly stats: ChaosStats
  /** Keys seen, with the tokens issued for each (more than one is a duplicate side effect). */
  readonly issued: ReadonlyMap<string, ReadonlyArray<string>>
  /** The key each token was issued for. */
  readonly keyOfToken: ReadonlyMap<string, string>
  /** Connections open right now. */
  readonly openConnections: () => number
}

const widgetPath = /^\/v1\/cards\/([0-9a-f-]{36})\/widget_token$/

/** Starts a chaos server on a free port of 127.0.0.1; it closes (every connection included) with the scope. */
export const ChaosServer = (options: {
  readonly apiKey: string
  readonly faults: ChaosFaults
  readonly seed: number
}): Effect.Effect<ChaosServer, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.async<{ server: http.Server; service: ChaosServer }>((resume) => {
      const roll = random(options.seed)
      const expected = `Bearer ${options.apiKey}`
      const stats: ChaosStats = { requests: 0, unauthorized: 0, byKind: {} }
      const issued = new Map<string, Array<string>>()
      const stored = new Map<string, string>()
      const keyOfToken = new Map<string, string>()
      const sockets = new Set<Socket>()
      const f = options.faults
      const thresholds: ReadonlyArray<readonly [string, number]> = (() => {
        let acc = 0
        return (Object.entries(f) as Array<[string, number]>).map(([kind, rate]) => [kind, acc += rate] as const)
      })()
      const kindOf = (r: number): string => thresholds.find(([, upTo]) => r < upTo)?.[0] ?? "ok"

      /** The stored answer for a key, processing the request the first time. */
      const processOnce = (key: string): string => {
        const existing = stored.get(key)
        if (existing !== undefined) return existing
        const token = crypto.randomUUID()
        const body = JSON.stringify({ tenant: "chaos_tenant", widget_token: token })
        stored.set(key, body)
        keyOfToken.set(token, key)
        issued.set(key, [...(issued.get(key) ?? []), token])
        return body
      }
      const send = (res: http.ServerResponse, status: number, body: string, headers: http.OutgoingHttpHeaders = {}) => {
        res.writeHead(status, {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          ...headers
        })
        res.end(body)
      }

      const server = http.createServer((req, res) => {
        stats.requests++
        if (req.headers.authorization !== expected) {
          stats.unauthorized++
          return send(res, 401, JSON.stringify({ code: "UNAUTHORIZED", status: 401 }))
        }
        const match = widgetPath.exec((req.url ?? "").split("?")[0] ?? "")
        const key = req.headers["idempotency-key"]
        if (match === null || typeof key !== "string") {
          return send(res, 400, JSON.stringify({ code: "BAD_REQUEST", status: 400 }))
        }
        const kind = kindOf(roll())
        stats.byKind[kind] = (stats.byKind[kind] ?? 0) + 1
        switch (kind) {
          case "drop":
            return req.socket.destroy()
          case "s500":
          case "s502":
          case "s503":
          case "s504": {
            const status = Number(kind.slice(1))
            return send(res, status, JSON.stringify({ code: "INTERNAL_SERVER_ERROR", status }))
          }
          case "s429":
            return send(res, 429, JSON.stringify({ code: "TOO_MANY_REQUESTS", status: 429 }), { "retry-after-ms": "1" })
          case "resetAfterHead":
          case "stall": {
            const body = processOnce(key)
            res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) })
            res.write(body.slice(0, 12), () => {
              if (kind === "resetAfterHead") req.socket.destroy()
            })
            return
          }
          default:
            return send(res, 200, processOnce(key))
        }
      })
      server.on("connection", (socket) => {
        sockets.add(socket)
        socket.on("close", () => sockets.delete(socket))
      })
      server.keepAliveTimeout = 30_000
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo
        resume(Effect.succeed({
          server,
          service: {
            baseUrl: `http://127.0.0.1:${port}/v1`,
            stats,
            issued,
            keyOfToken,
            openConnections: () => sockets.size
          }
        }))
      })
    }),
    ({ server }) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  ).pipe(Effect.map(({ service }) => service))
