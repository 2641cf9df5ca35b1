/**
 * The exchange of `SyncteraLive.layerNode`: straight over undici's
 * `Dispatcher.dispatch`, without the `HttpClient` machinery.
 *
 * Measured here (see bench/README.md), the platform's Node client costs
 * several times the HTTP exchange it wraps: a Node `Readable`, an
 * `AbortController` and a `FinalizationRegistry` entry per request, a
 * response object with deferred body readers, URL parsing per request, and an
 * `Effect.timeoutFail` that forks two fibers per attempt. Here one attempt is
 * one `Effect.async`: the body is buffered as it arrives (up to the limit),
 * the attempt resumes once, when the body has ended; its time limit is one
 * plain timer; interruption aborts the request through undici's controller.
 *
 * @internal
 */
import * as Headers from "@effect/platform/Headers"
import * as Effect from "effect/Effect"
import type { Dispatcher } from "undici"
import type { BoundedBody } from "./body.js"
import { type Answer, type AttemptFailure, connected, type Exchange, timedOut } from "./exchange.js"
import { causeText } from "./response.js"

const decoder = new TextDecoder()

/** Why we stopped a request: the caller went away, the time ran out, or the body passed the limit. */
class Stop extends Error {}

const toHeaders = (headers: Record<string, string | Array<string> | undefined>): Headers.Headers => {
  const record: Record<string, string> = {}
  for (const name in headers) {
    const value = headers[name]
    if (value !== undefined) record[name] = typeof value === "string" ? value : value.join(", ")
  }
  return Headers.unsafeFromRecord(record)
}

const queryString = (query: Readonly<Record<string, string>> | undefined): string => {
  if (query === undefined) return ""
  let text = ""
  for (const name in query) {
    text += `${text === "" ? "?" : "&"}${encodeURIComponent(name)}=${encodeURIComponent(query[name] ?? "")}`
  }
  return text
}

const bodyOf = (chunks: ReadonlyArray<Buffer>, size: number, limit: number): BoundedBody => {
  if (size === 0) return { text: "", complete: true }
  const bytes = chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : Buffer.concat(chunks, size)
  return size <= limit
    ? { text: decoder.decode(bytes), complete: true }
    : { text: decoder.decode(bytes.subarray(0, limit)), complete: false }
}

/** A transport failure, described as the platform's clients describe theirs. */
const failure = (beforeAnswer: boolean, cause: unknown): Effect.Effect<never, AttemptFailure> =>
  Effect.fail({
    _tag: "Transport",
    description: beforeAnswer
      ? `Transport: ${causeText(cause) || "request failed"}`
      : `response body broke off: ${causeText(cause) || "read failed"}`,
    connected: !beforeAnswer || connected(cause)
  })

/**
 * The exchange over dispatchers (undici `Agent`s), for a base URL already
 * checked by the options (`https:`, or `http:` on loopback; no query).
 * `pooled` carries every request but those that need a connection of their
 * own; `unpooled` carries those, each with `reset` (the connection closes
 * after its answer), so it never holds an idle connection to hand out.
 */
export const make = (
  dispatchers: { readonly pooled: Dispatcher; readonly unpooled: Dispatcher },
  options: { readonly baseUrl: string; readonly maxBodyBytes: number }
): Exchange => {
  // Parsed once: per request only the path changes.
  const base = new URL(options.baseUrl)
  const origin = base.origin
  const basePath = base.pathname.replace(/\/+$/, "")
  const limit = options.maxBodyBytes
  return (outgoing, limitMillis) =>
    Effect.async<Answer, AttemptFailure>((resume) => {
      let controller: Dispatcher.DispatchController | undefined
      let settled = false
      let status = 0
      let headers: Headers.Headers | undefined
      const chunks: Array<Buffer> = []
      let size = 0
      const finish = (result: Effect.Effect<Answer, AttemptFailure>) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        resume(result)
      }
      const stop = (reason: string) => {
        if (controller !== undefined && !controller.aborted) controller.abort(new Stop(reason))
      }
      const answer = () =>
        finish(Effect.succeed({ status, headers: headers ?? Headers.empty, body: bodyOf(chunks, size, limit) }))
      // One timer for the whole attempt, body included.
      const timer = setTimeout(() => {
        finish(Effect.fail(timedOut))
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
          headers = toHeaders(responseHeaders)
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
        const path = basePath + outgoing.path + queryString(outgoing.query)
        const dispatcher = outgoing.ownConnection ? dispatchers.unpooled : dispatchers.pooled
        dispatcher.dispatch(
          {
            origin,
            path,
            method: outgoing.method,
            headers: outgoing.headers,
            body: outgoing.body ?? null,
            reset: outgoing.ownConnection
          },
          handler
        )
      } catch (error) {
        finish(failure(true, error))
      }
      return Effect.sync(() => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        stop("the caller went away")
      })
    })
}
