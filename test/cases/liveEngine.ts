/**
 * The format and the engine of the live-HTTP tables (`liveHttp.ts`,
 * `pceLiveHttp.ts`), without Effect: what a scripted server on 127.0.0.1
 * answers, which calls a case makes of the live layer, and what it must
 * observe (the calls' outcomes as plain JSON, the requests the server saw).
 * Each line's driver (`test/live.test.ts`, `effect4/test/live.test.ts`)
 * starts its own `TestServer` with the handler of {@link scriptOf}, makes the
 * calls on its own `SyncteraLive`, and compares what it saw with the case
 * through {@link verdict}: everything but the calls themselves is here, once
 * for both lines.
 *
 * A driver writes a call's outcome with `toPlain` (`engine.ts`), its own
 * values as: a `DateTime.Utc` `{ utc: iso }`, a `Duration` `{ millis }`; an
 * error as its fields with `_tag`, `message`, and `isTransient` (what the
 * line's `isTransient` says of it).
 */
import type { IncomingHttpHeaders, ServerResponse } from "node:http"
import { createServer } from "node:net"
import type { Options } from "../../src/core/options.js"
import type { CallName, Json, JsonObject, Line, StreamName } from "./behaviour.js"

// --- the live layer ---

/** A duration as both lines' options take it, so that a table's options go to either `SyncteraLive` as they are. */
export type DurationText = `${number} ${"millis" | "seconds" | "minutes"}`

/** The live layer's options but the key (each line makes its own `Redacted`), durations as text. */
export type LiveOptions = Omit<Options<never, DurationText>, "apiKey">

/** The HTTP clients of both lines that `SyncteraLive.layer` is run over, by the names the drivers map. */
export const stockTransports = ["undici", "node:http", "fetch"] as const

/** Every real transport: the stock clients under `SyncteraLive.layer`, and `SyncteraLive.layerNode`'s own. */
export const everyTransport = [...stockTransports, "layerNode"] as const

/** One of {@link stockTransports}: what a driver needs an `HttpClient` layer for. */
export type StockTransport = (typeof stockTransports)[number]

/** One of {@link everyTransport}: where a case runs. */
export type Transport = (typeof everyTransport)[number]

// --- what the server answers ---

/** A body written with `JSON.stringify`: JSON, where an absent field may also be `undefined` (as the wire types have it). */
export type WireJson =
  | null
  | boolean
  | number
  | string
  | undefined
  | ReadonlyArray<WireJson>
  | { readonly [key: string]: WireJson }

/** One answer of the scripted server; see {@link reply} for what each does. */
export type Reply =
  | {
    readonly kind: "json"
    readonly status: number
    readonly body: WireJson
    readonly headers?: Readonly<Record<string, string>>
  }
  | { readonly kind: "text"; readonly status: number; readonly contentType: string; readonly text: string }
  | { readonly kind: "redirect"; readonly status: number; readonly to: string }
  | { readonly kind: "partial"; readonly status: number; readonly text: string; readonly then: "stall" | "breakOff" }
  | { readonly kind: "flood"; readonly bytes: number }
  | { readonly kind: "pages"; readonly tokens: ReadonlyArray<WireJson> }
  | { readonly kind: "hangUp" }
  | { readonly kind: "silence" }

/** The answers a case's server can give, by what they do, so that a table reads as the server's script. */
export const reply = {
  /** `status` with a JSON body, its `content-length`, and `headers`. */
  json: (status: number, body: WireJson, headers: Readonly<Record<string, string>> = {}): Reply => ({
    kind: "json",
    status,
    body,
    headers
  }),
  /** `status` with `text` under `contentType`, no declared length. */
  text: (status: number, contentType: string, text: string): Reply => ({ kind: "text", status, contentType, text }),
  /** `status` with a `location` on this server at `to` (a path). */
  redirect: (status: number, to: string): Reply => ({ kind: "redirect", status, to }),
  /** A 200 JSON head and the start of a body, then nothing more (the connection stays open). */
  stall: (text: string): Reply => ({ kind: "partial", status: 200, text, then: "stall" }),
  /** `status`, a JSON head and the start of a body, then the connection destroyed 10 ms later. */
  breakOff: (status: number, text: string): Reply => ({ kind: "partial", status, text, then: "breakOff" }),
  /** A 200 JSON head and no length, then up to `bytes` of body, as fast as the client reads it. */
  flood: (bytes: number): Reply => ({ kind: "flood", bytes }),
  /**
   * A list of FDX tokens in pages: `limit` of them (100 by default) from the
   * offset in `page_token`, and the next offset as `next_page_token` until
   * the last page.
   */
  pages: (tokens: ReadonlyArray<WireJson>): Reply => ({ kind: "pages", tokens }),
  /** The connection destroyed, with no answer. */
  hangUp: { kind: "hangUp" } satisfies Reply,
  /** No answer at all. */
  silence: { kind: "silence" } satisfies Reply
}

/** Which requests a route takes: its path, and query parameters (`null` for one that must be absent). */
export interface RouteWhen {
  readonly path?: string
  readonly query?: Readonly<Record<string, string | null>>
}

/** Replies for the requests a route takes, one per request in turn, the last one for ever. */
export interface Route {
  readonly when: RouteWhen
  readonly replies: ReadonlyArray<Reply>
}

// --- what the client does ---

/**
 * A call of the service by name, with plain input passed as a JavaScript
 * caller would (the line's own checks decide what it makes of it), or a
 * stream, `take`n if said, run `runs` times (the same stream value each
 * time). `throwingOnRead` makes the input an object whose property of that
 * name throws when read, which no JSON can be.
 */
export type LiveCall =
  | { readonly call: CallName; readonly input?: Json; readonly throwingOnRead?: string }
  | { readonly stream: StreamName; readonly input?: Json; readonly take?: number; readonly runs?: number }

/** The input a driver passes for `call`. */
export const inputOf = (call: LiveCall): unknown => {
  if ("call" in call && call.throwingOnRead !== undefined) {
    const name = call.throwingOnRead
    return Object.defineProperty({}, name, {
      enumerable: true,
      get: () => {
        throw new Error(`reading ${name} throws`)
      }
    })
  }
  return call.input
}

/** What a call gave, as plain JSON: a success, or an error (with what a stream emitted before it). */
export type Outcome =
  | { readonly ok: Json }
  | { readonly error: JsonObject; readonly emitted?: ReadonlyArray<Json> }

// --- what a case must observe ---

/**
 * What an observation must be, as plain data: JSON, where an object holds
 * the keys it lists (and may have others), an array is exact, and an object
 * of one `$` key is a matcher (see {@link is}).
 */
export type Pattern =
  | null
  | boolean
  | number
  | string
  | ReadonlyArray<Pattern>
  | { readonly [key: string]: Pattern }

/** The matchers of a {@link Pattern}, so that a case says what it checks by name. */
export const is = {
  /** The field is not there. */
  absent: { $absent: true },
  /** A string that contains `text`. */
  containing: (text: string): Pattern => ({ $contains: text }),
  /** A string that starts with `text`. */
  startingWith: (text: string): Pattern => ({ $startsWith: text }),
  /** A string matched by the regular expression `source`. */
  matching: (source: string): Pattern => ({ $matches: source }),
  /** A number below `bound`. */
  below: (bound: number): Pattern => ({ $below: bound }),
  /** A number of `bound` or more. */
  atLeast: (bound: number): Pattern => ({ $atLeast: bound }),
  /** A string or an array whose length is `length`. */
  ofLength: (length: Pattern): Pattern => ({ $length: length }),
  /** An array whose every item is `item`. */
  each: (item: Pattern): Pattern => ({ $each: item }),
  /** A string of JSON whose value is `value`. */
  jsonOf: (value: Pattern): Pattern => ({ $json: value }),
  /** Anything but `pattern`. */
  not: (pattern: Pattern): Pattern => ({ $not: pattern }),
  /** All of `patterns`. */
  all: (...patterns: ReadonlyArray<Pattern>): Pattern => ({ $all: patterns }),
  /** Exactly `value`, no other keys. */
  exactly: (value: Json): Pattern => ({ $exactly: value }),
  /** The URL of `path` on the case's server. */
  atServer: (path: string): Pattern => ({ $atServer: path })
} as const

/**
 * What a case must observe, each part a {@link Pattern}: `outcomes`, one per
 * call (one per run of a stream run more than once); `requests`, what the
 * server saw, in order (see {@link observe}); `flooded`, the bytes a
 * `flood` reply wrote; `gaps`, the milliseconds between one request's
 * arrival and the next's.
 */
export type Expected = {
  readonly outcomes?: ReadonlyArray<Pattern>
  readonly requests?: Pattern
  readonly flooded?: Pattern
  readonly gaps?: Pattern
}

/**
 * Where a line gives something other than a case's `expect` (its own
 * libraries' wording, say): what it must give instead, and why, so that the
 * difference is explicit and checked.
 */
export interface LineDifference {
  readonly effect3?: Expected
  readonly effect4?: Expected
  readonly why: string
}

/** A case: the server's script, the live layer's options, the calls, and what they must give. */
export interface LiveCase {
  readonly name: string
  /** Answers for the requests no route takes, one per request in turn, the last one for ever. */
  readonly replies?: ReadonlyArray<Reply>
  /** Routes, tried in order before `replies`. */
  readonly routes?: ReadonlyArray<Route>
  /** No server: the client is pointed at a port where nothing listens. */
  readonly nothingListens?: boolean
  /** Over the table's options (one level deep: a case's `retry` replaces the table's). */
  readonly options?: LiveOptions
  /** Where it runs, each its own test named after the transport when there are several; the table's otherwise. */
  readonly transports?: ReadonlyArray<Transport>
  /** Each call is made under a span of the caller's, `caller`. */
  readonly underCallerSpan?: boolean
  /** The app's own `RequestInit` for `fetch` (`FetchHttpClient.RequestInit`). */
  readonly fetchRequestInit?: { readonly redirect: "follow" | "error" | "manual" }
  readonly calls: ReadonlyArray<LiveCall>
  readonly expect: Expected
  readonly differs?: LineDifference
}

/** A table: the key and options its cases start from, where they run by default, and its cases in groups. */
export interface LiveTable {
  readonly apiKey: string
  readonly options: LiveOptions
  readonly transports: ReadonlyArray<Transport>
  readonly groups: ReadonlyArray<{ readonly group: string; readonly cases: ReadonlyArray<LiveCase> }>
}

/** A case on one transport, with the table's key and options applied: what a driver runs as one test. */
export interface LiveRun extends Omit<LiveCase, "options" | "transports"> {
  readonly transport: Transport
  readonly apiKey: string
  readonly options: LiveOptions
}

/** A group of a table, as the runs a driver makes one test each. */
export interface LiveGroup {
  readonly group: string
  readonly runs: ReadonlyArray<LiveRun>
}

/** The runs of a table: each case once per transport it runs on. */
export const runsOf = (table: LiveTable): ReadonlyArray<LiveGroup> =>
  table.groups.map(({ cases, group }) => ({
    group,
    runs: cases.flatMap(({ options, transports = table.transports, ...rest }) =>
      transports.map((transport): LiveRun => ({
        ...rest,
        name: transports.length === 1 ? rest.name : `${rest.name} (${transport})`,
        transport,
        apiKey: table.apiKey,
        options: { ...table.options, ...options }
      }))
    )
  }))

// --- the server's side ---

/** A request as both lines' `TestServer`s see it. */
export interface SeenRequest {
  readonly method: string
  readonly path: string
  readonly query: URLSearchParams
  readonly headers: IncomingHttpHeaders
  readonly body: string
}

/** What the script counted while it answered. */
export interface ServerStats {
  /** Bytes written by `flood` replies. */
  readonly flooded: number
  /** When each request arrived (`Date.now()`). */
  readonly arrivals: ReadonlyArray<number>
}

const takes = (when: RouteWhen, request: Pick<SeenRequest, "path" | "query">): boolean =>
  (when.path === undefined || when.path === request.path) &&
  Object.entries(when.query ?? {}).every(([name, value]) => request.query.get(name) === value)

/** How a line's `TestServer` writes a JSON answer: `status`, the body, its `content-length`, and `headers`. */
export type WriteJson = (
  response: ServerResponse,
  status: number,
  body: WireJson,
  headers?: Readonly<Record<string, string>>
) => void

const page = (tokens: ReadonlyArray<WireJson>, request: Pick<SeenRequest, "query">): WireJson => {
  const limit = Number(request.query.get("limit") ?? "100")
  const offset = Number(request.query.get("page_token") ?? "0")
  const end = Math.min(tokens.length, offset + limit)
  return { fdx_tokens: tokens.slice(offset, end), ...(end < tokens.length ? { next_page_token: String(end) } : {}) }
}

/**
 * The server's side of a run: `handle` answers each request by the run's
 * routes and replies (pass it to the line's `TestServer`, and the server's
 * own `json` as `writeJson`, so that a JSON answer is what its other tests
 * send), and `stats` holds what it counted.
 */
export const scriptOf = (run: LiveRun, writeJson: WriteJson): {
  readonly handle: (request: Pick<SeenRequest, "path" | "query" | "headers">, response: ServerResponse) => void
  readonly stats: ServerStats
} => {
  const stats = { flooded: 0, arrivals: new Array<number>() }
  const served = new Map<ReadonlyArray<Reply>, number>()
  const unscripted = reply.json(500, { code: "UNSCRIPTED" })
  const flood = (response: ServerResponse, bytes: number) => {
    response.writeHead(200, { "content-type": "application/json" })
    const chunk = Buffer.alloc(64 * 1024, "a")
    const pump = (): void => {
      while (stats.flooded < bytes) {
        stats.flooded += chunk.length
        if (!response.write(chunk)) return void response.once("drain", pump)
      }
      response.end()
    }
    response.on("close", () => response.destroy())
    pump()
  }
  const handle = (request: Pick<SeenRequest, "path" | "query" | "headers">, response: ServerResponse): void => {
    stats.arrivals.push(Date.now())
    const replies = run.routes?.find((route) => takes(route.when, request))?.replies ?? run.replies ?? []
    const count = served.get(replies) ?? 0
    served.set(replies, count + 1)
    const next = replies[Math.min(count, replies.length - 1)] ?? unscripted
    switch (next.kind) {
      case "json":
        return writeJson(response, next.status, next.body, next.headers)
      case "text":
        response.writeHead(next.status, { "content-type": next.contentType })
        return void response.end(next.text)
      case "redirect":
        response.writeHead(next.status, { location: `http://${request.headers.host}${next.to}` })
        return void response.end()
      case "partial":
        response.writeHead(next.status, { "content-type": "application/json" })
        response.write(next.text)
        if (next.then === "breakOff") setTimeout(() => response.socket?.destroy(), 10)
        return
      case "flood":
        return flood(response, next.bytes)
      case "pages":
        return writeJson(response, 200, page(next.tokens, request))
      case "hangUp":
        return void response.socket?.destroy()
      case "silence":
        return
    }
  }
  return { handle, stats }
}

/** A port of 127.0.0.1 where nothing listens, for a case whose `nothingListens`: connecting to it is refused. */
export const closedPort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once("error", reject)
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address()
      if (address === null || typeof address === "string") return reject(new Error("the probe has no TCP port"))
      probe.close(() => resolve(address.port))
    })
  })

// --- observing and comparing ---

const generatedKey = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** What a run saw: its calls' outcomes, in order, and its server's requests and counts. */
export interface Seen {
  readonly outcomes: ReadonlyArray<Outcome>
  readonly requests: ReadonlyArray<SeenRequest>
  readonly stats: ServerStats
  /** The server's origin (`http://127.0.0.1:port`). */
  readonly origin: string
}

/**
 * What a run observed, as plain JSON: its outcomes; the requests, each
 * `{ method, path, query: [[name, value]…], params: { name: value }, headers,
 * key, body }` where `key` is the `Idempotency-Key`, a generated one (a
 * lowercase UUID) written `<key:n>`, numbered by first appearance, so that
 * "the same key" and "a fresh key" are data; `flooded` and `gaps` (see
 * {@link Expected}).
 */
const observe = ({ outcomes, requests, stats }: Seen): JsonObject => {
  const keys = new Map<string, string>()
  const masked = (key: string): string => {
    if (!generatedKey.test(key)) return key
    const known = keys.get(key) ?? `<key:${keys.size + 1}>`
    keys.set(key, known)
    return known
  }
  const seen = requests.map((request): Json => {
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value
    }
    const key = headers["idempotency-key"]
    return {
      method: request.method,
      path: request.path,
      query: [...request.query],
      params: Object.fromEntries(request.query),
      headers,
      ...(key === undefined ? {} : { key: masked(key) }),
      body: request.body
    }
  })
  return {
    outcomes,
    requests: seen,
    flooded: stats.flooded,
    gaps: stats.arrivals.slice(1).map((at, index) => at - (stats.arrivals[index] ?? at))
  }
}

const isObject = (value: unknown): value is { readonly [key: string]: unknown } =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** Deep equality, an absent field equal to an `undefined` one (as Vitest's `toEqual`). */
const same = (a: unknown, b: unknown): boolean => {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length &&
      a.every((item: unknown, index) => same(item, b[index]))
  }
  if (isObject(a) && isObject(b)) {
    return [...new Set([...Object.keys(a), ...Object.keys(b)])].every((key) => same(a[key], b[key]))
  }
  return a === b
}

const matcherOf = (pattern: Pattern): readonly [string, Pattern] | undefined => {
  if (!isObject(pattern)) return undefined
  const entries = Object.entries(pattern)
  const [first] = entries
  return entries.length === 1 && first !== undefined && first[0].startsWith("$") ? first : undefined
}

const parsed = (text: string): { readonly json: unknown } | undefined => {
  try {
    return { json: JSON.parse(text) }
  } catch {
    return undefined
  }
}

const satisfies = (actual: unknown, [name, argument]: readonly [string, Pattern], origin: string): boolean => {
  const matches = (value: unknown, pattern: Pattern) => same(conform(value, pattern, origin), pattern)
  const text = typeof actual === "string" ? actual : undefined
  const number = typeof actual === "number" ? actual : undefined
  switch (name) {
    case "$absent":
      return actual === undefined
    case "$contains":
      return text !== undefined && typeof argument === "string" && text.includes(argument)
    case "$startsWith":
      return text !== undefined && typeof argument === "string" && text.startsWith(argument)
    case "$matches":
      return text !== undefined && typeof argument === "string" && new RegExp(argument).test(text)
    case "$below":
      return number !== undefined && typeof argument === "number" && number < argument
    case "$atLeast":
      return number !== undefined && typeof argument === "number" && number >= argument
    case "$length": {
      const length = text !== undefined ? text.length : Array.isArray(actual) ? actual.length : undefined
      return length !== undefined && matches(length, argument)
    }
    case "$each":
      return Array.isArray(actual) && actual.every((item: unknown) => matches(item, argument))
    case "$json": {
      const value = text === undefined ? undefined : parsed(text)
      return value !== undefined && matches(value.json, argument)
    }
    case "$not":
      return !matches(actual, argument)
    case "$all":
      return Array.isArray(argument) && argument.every((pattern: Pattern) => matches(actual, pattern))
    case "$exactly":
      return same(actual, argument)
    case "$atServer":
      return typeof argument === "string" && actual === `${origin}${argument}`
  }
  throw new Error(`no matcher is called ${name}`)
}

/**
 * `actual` as `pattern` sees it: the pattern itself where they agree,
 * `actual` where they do not, and only the keys the pattern lists; so that
 * `expect(conform(actual, pattern)).toEqual(pattern)` passes exactly when
 * `actual` matches, and its diff shows where not.
 */
const conform = (actual: unknown, pattern: Pattern, origin: string): unknown => {
  const matcher = matcherOf(pattern)
  if (matcher !== undefined) return satisfies(actual, matcher, origin) ? pattern : actual
  if (Array.isArray(pattern)) {
    return Array.isArray(actual) && actual.length === pattern.length
      ? pattern.map((item: Pattern, index) => conform(actual[index], item, origin))
      : actual
  }
  if (isObject(pattern)) {
    if (!isObject(actual)) return actual
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(pattern)) out[key] = conform(actual[key], item, origin)
    return out
  }
  return actual
}

/**
 * The two sides of a run's check on `line`: what it saw, observed (see
 * {@link observe}) as the case's pattern for that line sees it, and the
 * pattern; a driver expects them equal.
 */
export const verdict = (
  run: LiveRun,
  line: Line,
  seen: Seen
): { readonly actual: unknown; readonly expected: Pattern } => {
  const expected = run.differs?.[line] ?? run.expect
  return { actual: conform(observe(seen), expected, seen.origin), expected }
}
