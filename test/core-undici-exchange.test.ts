/**
 * The core's exchange over undici, without Effect: one `dispatchOnce` against
 * a local server, with plain callbacks. It ends once, with the answer (its
 * body bounded), a timeout or a transport failure; cancelling it aborts the
 * request and nothing more is heard of it.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { once } from "node:events"
import * as http from "node:http"
import { setTimeout as sleep } from "node:timers/promises"
import { Agent } from "undici"
import { dispatchOnce, type Outcome, type Request, target } from "../src/core/undiciExchange.js"

/** What the server saw of each request: its URL and headers, and whether the client went away. */
const seen: Array<{ url: string; headers: http.IncomingHttpHeaders; closed: Promise<void> }> = []

const server = http.createServer((request, response) => {
  const closed = once(response, "close").then(() => undefined)
  seen.push({ url: request.url ?? "", headers: request.headers, closed })
  const url = new URL(request.url ?? "/", "http://localhost")
  switch (url.pathname) {
    case "/v1/echo":
      response.setHeader("set-cookie", ["a=1", "b=2"])
      response.setHeader("content-type", "application/json")
      response.end(JSON.stringify({ url: request.url }))
      return
    case "/v1/big":
      response.end("x".repeat(100))
      return
    case "/v1/never":
      return // no answer
    case "/v1/broken":
      response.writeHead(200, { "content-length": "100" })
      response.write("partial")
      setTimeout(() => response.destroy(), 20)
      return
  }
})

const portOf = (listening: http.Server): number => {
  const address = listening.address()
  if (address === null || typeof address === "string") throw new Error("not listening on a port")
  return address.port
}

const agent = new Agent({ keepAliveTimeout: 10 })
const dispatchers = { pooled: agent, unpooled: agent }
let base = ""

beforeAll(async () => {
  server.listen(0, "127.0.0.1")
  await once(server, "listening")
  base = `http://127.0.0.1:${portOf(server)}/v1/`
})

afterAll(async () => {
  await agent.close()
  server.closeAllConnections()
  server.close()
})

const request = (path: string, extra: Partial<Request> = {}): Request => ({
  method: "GET",
  path,
  query: undefined,
  headers: { "x-test": "yes" },
  body: undefined,
  ownConnection: false,
  ...extra
})

/** One attempt, and every outcome it reports (there must be one only). */
const attempt = async (
  path: string,
  options: { extra?: Partial<Request>; limitMillis?: number; maxBodyBytes?: number; baseUrl?: string } = {}
): Promise<Outcome> => {
  const outcomes: Array<Outcome> = []
  const ended = new Promise<void>((resolve) => {
    dispatchOnce(
      dispatchers,
      target({
        baseUrl: options.baseUrl ?? base,
        maxBodyBytes: options.maxBodyBytes ?? 1000
      }),
      request(path, options.extra),
      options.limitMillis ?? 5_000,
      (outcome) => {
        outcomes.push(outcome)
        resolve()
      }
    )
  })
  await ended
  await sleep(30) // nothing more may come
  const [outcome, ...more] = outcomes
  if (outcome === undefined) throw new Error("no outcome")
  expect(more).toEqual([])
  return outcome
}

describe("the core's undici exchange", () => {
  it("answers with the status, the headers as a record (lists joined) and the body", async () => {
    const outcome = await attempt("/echo", { extra: { query: { q: "a b&c", "é": "1" } } })
    expect(outcome).toMatchObject({
      _tag: "Answer",
      status: 200,
      headers: { "set-cookie": "a=1, b=2", "content-type": "application/json" },
      body: { text: JSON.stringify({ url: "/v1/echo?q=a%20b%26c&%C3%A9=1" }), complete: true }
    })
    expect(seen.at(-1)?.headers["x-test"]).toBe("yes")
  })

  it("reads the body up to the limit, then stops the transfer", async () => {
    expect(await attempt("/big", { maxBodyBytes: 10 })).toMatchObject({
      _tag: "Answer",
      body: { text: "x".repeat(10), complete: false }
    })
    expect(await attempt("/big", { maxBodyBytes: 100 })).toMatchObject({
      body: { text: "x".repeat(100), complete: true }
    })
  })

  it("times out once, and aborts the request", async () => {
    expect(await attempt("/never", { limitMillis: 50 })).toEqual({ _tag: "TimedOut" })
    await seen.at(-1)?.closed
  })

  it("once cancelled, reports nothing and aborts the request", async () => {
    const outcomes: Array<Outcome> = []
    const before = seen.length
    const cancel = dispatchOnce(
      dispatchers,
      target({ baseUrl: base, maxBodyBytes: 1000 }),
      request("/never"),
      100,
      (outcome) => outcomes.push(outcome)
    )
    while (seen.length === before) await sleep(5)
    cancel()
    await seen.at(-1)?.closed
    await sleep(150) // past the time limit: the timer is gone too
    expect(outcomes).toEqual([])
  })

  it("describes a body that broke off after the answer began, connected", async () => {
    const outcome = await attempt("/broken")
    expect(outcome).toMatchObject({ _tag: "Transport", connected: true })
    expect(outcome._tag === "Transport" && outcome.description).toMatch(/^response body broke off: /)
  })

  it("describes a failure before any answer, with whether a connection was made", async () => {
    const closed = http.createServer()
    closed.listen(0, "127.0.0.1")
    await once(closed, "listening")
    const port = portOf(closed)
    closed.close()
    await once(closed, "close")
    const outcome = await attempt("/echo", { baseUrl: `http://127.0.0.1:${port}/v1` })
    expect(outcome).toMatchObject({ _tag: "Transport", connected: false })
    expect(outcome._tag === "Transport" && outcome.description).toMatch(/^Transport: /)
  })

  it("fails a request undici refuses as a transport failure, not a throw", async () => {
    const outcome = await attempt("/echo", { extra: { headers: { "bad header": "x" } } })
    expect(outcome).toMatchObject({ _tag: "Transport", connected: true })
    expect(outcome._tag === "Transport" && outcome.description).toMatch(/^Transport: /)
  })
})
