/**
 * One attempt of `SyncteraLive.layerNode`'s exchange, straight over undici's
 * `Dispatcher.dispatch`, for both Effect lines: the body is buffered as it
 * arrives (up to the limit), the attempt ends once, when the body has ended;
 * its time limit is one plain timer; cancelling it aborts the request through
 * undici's controller. Each line wraps {@link dispatchOnce} in one
 * `Effect.async` (Effect 3) or `Effect.callback` (Effect 4), and makes its own
 * `Headers` of the answer's.
 *
 * undici is only named as a type here: the lines load it.
 *
 * @since 0.3.0
 */
import type { Dispatcher } from "undici"
import { causeText, connected } from "./describe.js"

/**
 * The dispatchers (undici `Agent`s): `pooled` carries every request but those
 * that need a connection of their own; `unpooled` carries those, each with
 * `reset` (the connection closes after its answer), so it never holds an idle
 * connection to hand out.
 *
 * @since 0.3.0
 * @category exchange
 */
export interface Dispatchers {
  readonly pooled: Dispatcher
  readonly unpooled: Dispatcher
}

/**
 * Where and how requests go, worked out once (per request only the path
 * changes); see {@link target}.
 *
 * @since 0.3.0
 * @category exchange
 */
export interface Target {
  readonly origin: string
  /** The base URL's path, without a trailing slash. */
  readonly basePath: string
  /** The largest body read, in bytes. */
  readonly maxBodyBytes: number
}

/**
 * The {@link Target} of a base URL already checked by the options (`https:`,
 * or `http:` on loopback; no query).
 *
 * @since 0.3.0
 * @category exchange
 */
export const target = (options: { readonly baseUrl: string; readonly maxBodyBytes: number }): Target => {
  const base = new URL(options.baseUrl)
  return {
    origin: base.origin,
    basePath: base.pathname.replace(/\/+$/, ""),
    maxBodyBytes: options.maxBodyBytes
  }
}

/**
 * A request to send: the path below the base URL (starting with `/`), its
 * query, headers and JSON body, and whether it must go on a connection of its
 * own.
 *
 * @since 0.3.0
 * @category exchange
 */
export interface Request {
  readonly method: "GET" | "POST"
  readonly path: string
  readonly query: Readonly<Record<string, string>> | undefined
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | undefined
  readonly ownConnection: boolean
}

/**
 * A body read up to the limit: the text of its first `maxBodyBytes` bytes at
 * most, and whether that was all of it.
 *
 * @since 0.3.0
 * @category exchange
 */
export interface Body {
  readonly text: string
  readonly complete: boolean
}

/**
 * How an attempt ended: a whole answer (its body read up to the limit; no
 * headers when undici gave none), out of time, or a transport failure
 * (`connected: false` when no connection was made), described as Effect's
 * HTTP clients describe theirs.
 *
 * @since 0.3.0
 * @category exchange
 */
export type Outcome =
  | {
    readonly _tag: "Answer"
    readonly status: number
    readonly headers: Record<string, string> | undefined
    readonly body: Body
  }
  | { readonly _tag: "TimedOut" }
  | { readonly _tag: "Transport"; readonly description: string; readonly connected: boolean }

const decoder = new TextDecoder()

/** Why we stopped a request: the caller went away, the time ran out, or the body passed the limit. */
class Stop extends Error {}

const plainHeaders = (headers: Record<string, string | Array<string> | undefined>): Record<string, string> => {
  const record: Record<string, string> = {}
  for (const name in headers) {
    const value = headers[name]
    if (value !== undefined) record[name] = typeof value === "string" ? value : value.join(", ")
  }
  return record
}

/** The query string (`?` and the pairs, each part percent-encoded), or `""` for none. */
const queryString = (query: Readonly<Record<string, string>> | undefined): string => {
  if (query === undefined) return ""
  let text = ""
  for (const name in query) {
    text += `${text === "" ? "?" : "&"}${encodeURIComponent(name)}=${encodeURIComponent(query[name] ?? "")}`
  }
  return text
}

const bodyOf = (chunks: ReadonlyArray<Buffer>, size: number, limit: number): Body => {
  if (size === 0) return { text: "", complete: true }
  const bytes = chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : Buffer.concat(chunks, size)
  return size <= limit
    ? { text: decoder.decode(bytes), complete: true }
    : { text: decoder.decode(bytes.subarray(0, limit)), complete: false }
}

const failure = (beforeAnswer: boolean, cause: unknown): Outcome => ({
  _tag: "Transport",
  description: beforeAnswer
    ? `Transport: ${causeText(cause) || "request failed"}`
    : `response body broke off: ${causeText(cause) || "read failed"}`,
  connected: !beforeAnswer || connected(cause)
})

/**
 * Sends one request to `target` with a time limit (milliseconds, body
 * included), and calls `done` once, with how it ended, unless it is
 * cancelled first. Returns the cancellation: after it, `done` is not called
 * and the request is aborted.
 *
 * @since 0.3.0
 * @category exchange
 */
export const dispatchOnce = (
  dispatchers: Dispatchers,
  target: Target,
  request: Request,
  limitMillis: number,
  done: (outcome: Outcome) => void
): () => void => {
  const limit = target.maxBodyBytes
  let controller: Dispatcher.DispatchController | undefined
  let settled = false
  let status = 0
  let headers: Record<string, string> | undefined
  const chunks: Array<Buffer> = []
  let size = 0
  const finish = (outcome: Outcome) => {
    if (settled) return
    settled = true
    clearTimeout(timer)
    done(outcome)
  }
  const stop = (reason: string) => {
    if (controller !== undefined && !controller.aborted) controller.abort(new Stop(reason))
  }
  const answer = () => finish({ _tag: "Answer", status, headers, body: bodyOf(chunks, size, limit) })
  // One timer for the whole attempt, body included.
  const timer = setTimeout(() => {
    finish({ _tag: "TimedOut" })
    stop("the attempt ran out of time")
  }, limitMillis)
  const handler: Dispatcher.DispatchHandler = {
    onRequestStart(c) {
      controller = c
      if (settled) c.abort(new Stop("the attempt is over"))
    },
    onResponseStart(_, statusCode, responseHeaders) {
      if (statusCode < 200) return // 1xx: the final answer follows
      status = statusCode
      headers = plainHeaders(responseHeaders)
    },
    onResponseData(c, chunk) {
      if (settled) return
      chunks.push(chunk)
      size += chunk.length
      if (size > limit) {
        // Past the limit: keep what came, stop the transfer, answer now.
        answer()
        c.abort(new Stop("the body is larger than the limit"))
      }
    },
    onResponseEnd() {
      answer()
    },
    onResponseError(_, error) {
      if (settled) return
      finish(failure(headers === undefined, error))
    }
  }
  try {
    const dispatcher = request.ownConnection ? dispatchers.unpooled : dispatchers.pooled
    dispatcher.dispatch(
      {
        origin: target.origin,
        path: target.basePath + request.path + queryString(request.query),
        method: request.method,
        headers: request.headers,
        body: request.body ?? null,
        reset: request.ownConnection
      },
      handler
    )
  } catch (error) {
    finish(failure(true, error))
  }
  return () => {
    if (settled) return
    settled = true
    clearTimeout(timer)
    stop("the caller went away")
  }
}
