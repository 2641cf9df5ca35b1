/**
 * Raw HTTP to a running sandbox (fetch and `node:http` to 127.0.0.1), for
 * the sandbox cases of both Effect lines (`sandboxServerCases.ts`,
 * `sandboxFaultCases.ts`): a request as data, the answer read whole or in
 * part, and readers of JSON answers. The wire does not depend on Effect, so
 * neither does this module: it imports only the other shared cases and
 * `node:` builtins.
 */
import * as Http from "node:http"
import type { Json } from "./behaviour.js"

/** What raw HTTP needs of a running sandbox: where it listens, and its key in clear (a line reveals its `Redacted` key). */
export interface SandboxAddress {
  /** The API's base URL, `http://127.0.0.1:<port>/v1`. */
  readonly url: string
  readonly port: number
  readonly apiKey: string
}

/**
 * One request to a sandbox, as data. By default a GET below the API's base
 * URL (`…/v1`) with the sandbox's key; a POST when it has a body.
 */
export interface SandboxRequest {
  readonly method?: string
  /** Below the API's base URL (`/cards/…`), or below the server's root (`/plaid/…`) with {@link fromRoot}. */
  readonly path: string
  /** The path is below the server's root, not below `/v1`. */
  readonly fromRoot?: boolean
  /** Sends `Authorization: Bearer <the sandbox's key>`; `false` sends no key (set one in `headers`). */
  readonly key?: boolean
  readonly headers?: Readonly<Record<string, string>>
  /** A body sent as `application/json`, from JSON. */
  readonly json?: Json
  /** A body sent as `application/json`, as it is (say, text that is not JSON). */
  readonly body?: string
}

/** An answer read whole. A request that got no answer has status 0, and the transport error in `text`. */
export interface SandboxAnswer {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  /** The body as JSON; `undefined` when it is not JSON. */
  readonly json: Json | undefined
}

const parseJson = (text: string): Json | undefined => {
  try {
    // `JSON.parse` gives JSON, or throws.
    const json: Json = JSON.parse(text)
    return json
  } catch {
    return undefined
  }
}

type JsonRecord = { readonly [key: string]: Json }

/** Whether a JSON value is an object (not an array, not `null`). */
export const isJsonRecord = (value: Json | undefined): value is JsonRecord =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** A string field of a JSON answer; the case fails (it throws) if it is not one. */
export const stringField = (json: Json | undefined, key: string): string => {
  const value = isJsonRecord(json) ? json[key] : undefined
  if (typeof value !== "string") throw new Error(`no string ${key} in ${JSON.stringify(json)}`)
  return value
}

/** The object items of a JSON answer's list field (none when it is not a list). */
export const listField = (json: Json | undefined, key: string): ReadonlyArray<JsonRecord> => {
  const value = isJsonRecord(json) ? json[key] : undefined
  return Array.isArray(value) ? value.filter(isJsonRecord) : []
}

/** Where the server's root is (the sandbox's pages and controls are below it, outside `/v1`). */
export const originOf = (sandbox: SandboxAddress): string => `http://127.0.0.1:${sandbox.port}`

/** The widget token path of a card, below `/v1`. */
export const widgetPath = (cardId: string, query = "?widget_type=REVEAL"): string =>
  `/cards/${cardId}/widget_token${query}`

/** The sandbox's key, as a header. */
const keyHeaders = (sandbox: SandboxAddress): Record<string, string> => ({
  authorization: `Bearer ${sandbox.apiKey}`
})

const bodyOf = (request: SandboxRequest): string | undefined =>
  request.json === undefined ? request.body : JSON.stringify(request.json)

const methodOf = (request: SandboxRequest): string => request.method ?? (bodyOf(request) === undefined ? "GET" : "POST")

/** `METHOD path` of a request, to name it in what a case saw (the path from the server's root). */
export const requestLabel = (request: SandboxRequest): string =>
  `${methodOf(request)} ${request.fromRoot === true ? "" : "/v1"}${request.path}`

const urlOf = (sandbox: SandboxAddress, request: SandboxRequest): string =>
  `${request.fromRoot === true ? originOf(sandbox) : sandbox.url}${request.path}`

const initOf = (sandbox: SandboxAddress, request: SandboxRequest): RequestInit => {
  const body = bodyOf(request)
  return {
    method: methodOf(request),
    headers: {
      ...(request.key === false ? {} : keyHeaders(sandbox)),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...request.headers
    },
    ...(body === undefined ? {} : { body })
  }
}

/**
 * Sends a request with fetch (5 s at most) and reads the answer whole. No
 * answer is status 0, so that a dropped connection is seen like any answer.
 */
export const fetchAnswer = async (url: string, init: RequestInit = {}): Promise<SandboxAnswer> => {
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(5_000) })
    const text = await response.text()
    return { status: response.status, headers: response.headers, text, json: parseJson(text) }
  } catch (error) {
    return { status: 0, headers: new Headers(), text: String(error), json: undefined }
  }
}

/** Sends one {@link SandboxRequest} to a sandbox. */
export const send = (sandbox: SandboxAddress, request: SandboxRequest): Promise<SandboxAnswer> =>
  fetchAnswer(urlOf(sandbox, request), initOf(sandbox, request))

/**
 * Runs `f` over `items`, `concurrency` at a time, and gives the results in
 * the order of the items: a line's `Effect.forEach` with `concurrency`,
 * without Effect.
 */
export const inPool = async <A, B>(
  items: ReadonlyArray<A>,
  concurrency: number,
  f: (item: A, index: number) => Promise<B>
): Promise<ReadonlyArray<B>> => {
  const results = new Map<number, B>()
  const queue = [...items.entries()]
  const worker = async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      results.set(next[0], await f(next[1], next[0]))
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker))
  return [...results.entries()].sort(([a], [b]) => a - b).map(([, result]) => result)
}

/** A request whose headers have arrived, its body not read yet. */
export interface OpenAnswer {
  readonly status: number
  /** Reads the rest of the body: `"finished"`, or `"cut off"` when the connection is dropped first. */
  readonly finish: () => Promise<"finished" | "cut off">
}

/** Sends a request and waits for the headers only: the body stays open, never read until `finish`. */
export const sendForHeaders = async (sandbox: SandboxAddress, request: SandboxRequest): Promise<OpenAnswer> => {
  const response = await fetch(urlOf(sandbox, request), initOf(sandbox, request))
  return {
    status: response.status,
    finish: () => response.text().then((): "finished" => "finished", (): "cut off" => "cut off")
  }
}

/** What arrived of a body that stalls: its first chunk, and whether more came within 300 ms. */
export interface StalledAnswer {
  readonly status: number
  readonly contentType: string | null
  /** The body's first chunk. */
  readonly partial: string
  /** `"stalled"` when nothing more came within 300 ms, `"more"` when it did, `"cut off"` when the connection dropped. */
  readonly rest: "stalled" | "more" | "cut off"
}

/** Sends a request whose body is to stall, reads what comes, and aborts it. */
export const readStalled = async (sandbox: SandboxAddress, request: SandboxRequest): Promise<StalledAnswer> => {
  const controller = new AbortController()
  const response = await fetch(urlOf(sandbox, request), { ...initOf(sandbox, request), signal: controller.signal })
  const body = response.body
  if (body === null) throw new Error("no body")
  const reader = body.getReader()
  const first = await reader.read()
  const rest = await Promise.race([
    reader.read().then((): "more" => "more", (): "cut off" => "cut off"),
    new Promise<"stalled">((resolve) => setTimeout(() => resolve("stalled"), 300))
  ])
  controller.abort()
  return {
    status: response.status,
    contentType: response.headers.get("content-type"),
    partial: new TextDecoder().decode(first.value),
    rest
  }
}

/**
 * Sends `total` GETs of `path` (below `/v1`, with the key), `concurrency` at
 * a time, on kept-alive connections (`node:http`, one socket per concurrent
 * request): their statuses, 0 for a request that got no answer.
 */
export const keptAliveStatuses = async (
  sandbox: SandboxAddress,
  path: string,
  total: number,
  concurrency: number
): Promise<ReadonlyArray<number>> => {
  const agent = new Http.Agent({ keepAlive: true, maxSockets: concurrency })
  const one = () =>
    new Promise<number>((resolve) => {
      Http.get(
        {
          host: "127.0.0.1",
          port: sandbox.port,
          path: `${new URL(sandbox.url).pathname}${path}`,
          agent,
          headers: keyHeaders(sandbox)
        },
        (response) => {
          response.resume()
          response.on("end", () => resolve(response.statusCode ?? 0))
        }
      ).on("error", () => resolve(0))
    })
  try {
    return await inPool(Array.from({ length: total }), concurrency, one)
  } finally {
    agent.destroy()
  }
}
