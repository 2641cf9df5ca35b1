/**
 * A lean `HttpClient` over undici's dispatcher, for `SyncteraLive.layerNode`.
 *
 * The stock Node client goes through `undici.request`, a Node `Readable` per
 * body, an `AbortController` and a `FinalizationRegistry` entry per request,
 * and the platform's span machinery. For small JSON answers on a hot path that
 * is most of the client's CPU. This client speaks to `Dispatcher.dispatch`
 * directly: the body arrives as chunks into a buffer, interruption aborts the
 * request through undici's own controller, and nothing is allocated that does
 * not change per request. It keeps the `HttpClient` interface, so middleware
 * (`HttpClient.mapRequest`, `tapRequest`, …) still applies.
 *
 * Scope: requests without a body or with a bytes body (`Uint8Array`/`Raw`
 * string); a stream or form-data body is refused with a `RequestError`.
 *
 * @internal
 */
import * as Cookies from "@effect/platform/Cookies"
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpIncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Effect from "effect/Effect"
import * as Inspectable from "effect/Inspectable"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type { Dispatcher } from "undici"
import { AttemptTimedOut, currentAttemptTimeout } from "./attemptTimeout.js"

const decoder = new TextDecoder()

/** Why a body stopped early: the caller went away, or it passed the buffer cap. */
class Stop extends Error {}

/**
 * A response whose body is buffered as it arrives, up to a cap. Reading it
 * (`text`, `arrayBuffer`, `json`) waits for the end; `stream` hands out the
 * chunks as they come.
 */
class LeanResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [HttpIncomingMessage.TypeId]: HttpIncomingMessage.TypeId = HttpIncomingMessage.TypeId
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId

  readonly chunks: Array<Uint8Array> = []
  size = 0
  done = false
  capped = false
  failure: unknown = undefined
  readonly listeners = new Set<() => void>()

  constructor(
    readonly request: HttpClientRequest.HttpClientRequest,
    readonly status: number,
    readonly headers: Headers.Headers,
    private readonly abort: () => void
  ) {
    super()
  }

  notify(): void {
    for (const listener of this.listeners) listener()
  }

  private error(description: string, cause?: unknown): HttpClientError.ResponseError {
    return new HttpClientError.ResponseError({
      request: this.request,
      response: this,
      reason: "Decode",
      description,
      cause
    })
  }

  /** Waits for the end of the body; interruption aborts the request. */
  private whole<A>(f: (bytes: Uint8Array) => A): Effect.Effect<A, HttpClientError.ResponseError> {
    return Effect.async<A, HttpClientError.ResponseError>((resume) => {
      const settle = () => {
        if (!this.done) return false
        if (this.failure !== undefined) resume(Effect.fail(this.error("the body broke off", this.failure)))
        else if (this.capped) resume(Effect.fail(this.error("the body is larger than the client's buffer")))
        else resume(Effect.sync(() => f(this.bytes())))
        return true
      }
      if (settle()) return
      const listener = () => {
        if (settle()) this.listeners.delete(listener)
      }
      this.listeners.add(listener)
      return Effect.sync(() => {
        this.listeners.delete(listener)
        if (!this.done) this.abort()
      })
    })
  }

  private bytes(): Uint8Array {
    if (this.chunks.length === 1 && this.chunks[0] !== undefined) return this.chunks[0]
    return Buffer.concat(this.chunks, this.size)
  }

  get text(): Effect.Effect<string, HttpClientError.ResponseError> {
    return this.whole((bytes) => decoder.decode(bytes))
  }

  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.ResponseError> {
    return this.whole((bytes) => {
      const copy = new Uint8Array(bytes.byteLength)
      copy.set(bytes)
      return copy.buffer
    })
  }

  get json(): Effect.Effect<unknown, HttpClientError.ResponseError> {
    return Effect.flatMap(this.text, (text) =>
      Effect.try({
        try: () => (text === "" ? null : JSON.parse(text)),
        catch: (cause) => this.error("the body is not JSON", cause)
      }))
  }

  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpClientError.ResponseError> {
    return Effect.map(this.text, (text) => UrlParams.fromInput(new URLSearchParams(text)))
  }

  get formData(): Effect.Effect<FormData, HttpClientError.ResponseError> {
    return Effect.fail(this.error("form-data bodies are not supported by this client"))
  }

  /** The chunks so far and to come; ends early (without error) past the cap. */
  get stream(): Stream.Stream<Uint8Array, HttpClientError.ResponseError> {
    return Stream.async<Uint8Array, HttpClientError.ResponseError>((emit) => {
      let next = 0
      const flush = () => {
        while (next < this.chunks.length) {
          const chunk = this.chunks[next++]
          if (chunk !== undefined) void emit.single(chunk)
        }
        if (!this.done) return
        this.listeners.delete(flush)
        if (this.failure !== undefined) void emit.fail(this.error("the body broke off", this.failure))
        else void emit.end()
      }
      this.listeners.add(flush)
      flush()
      return Effect.sync(() => {
        this.listeners.delete(flush)
        if (!this.done) this.abort()
      })
    })
  }

  get cookies(): Cookies.Cookies {
    const setCookie = this.headers["set-cookie"]
    return setCookie === undefined ? Cookies.empty : Cookies.fromSetCookie(setCookie.split(/,(?=\s*[^;,\s]+=)/))
  }

  get remoteAddress(): Option.Option<string> {
    return Option.none()
  }

  toJSON(): unknown {
    return HttpIncomingMessage.inspect(this, {
      _id: "@effect/platform/HttpClientResponse",
      request: this.request.toJSON(),
      status: this.status
    })
  }
}

const toHeaders = (headers: Record<string, string | Array<string> | undefined>): Headers.Headers => {
  const record: Record<string, string> = {}
  for (const name in headers) {
    const value = headers[name]
    if (value !== undefined) record[name] = typeof value === "string" ? value : value.join(", ")
  }
  return Headers.unsafeFromRecord(record)
}

const requestBody = (request: HttpClientRequest.HttpClientRequest): Uint8Array | string | undefined | null => {
  switch (request.body._tag) {
    case "Empty":
      return undefined
    case "Uint8Array":
      return request.body.body
    case "Raw":
      return typeof request.body.body === "string" || request.body.body instanceof Uint8Array ? request.body.body : null
    default:
      return null
  }
}

/** Sends one request; succeeds when the status and headers are in. */
const send = (
  dispatcher: Dispatcher,
  maxBufferBytes: number,
  request: HttpClientRequest.HttpClientRequest
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError> =>
  Effect.withFiberRuntime((fiber) =>
    Effect.async<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>((resume) => {
      const limit = fiber.getFiberRef(currentAttemptTimeout)
      return dispatch(dispatcher, maxBufferBytes, request, limit, resume)
    })
  )

const dispatch = (
  dispatcher: Dispatcher,
  maxBufferBytes: number,
  request: HttpClientRequest.HttpClientRequest,
  limit: number | undefined,
  resume: (effect: Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>) => void
): Effect.Effect<void> | undefined => {
  const url = UrlParams.makeUrl(request.url, request.urlParams, request.hash)
  if (url._tag === "Left") {
    resume(Effect.fail(new HttpClientError.RequestError({ request, reason: "InvalidUrl", cause: url.left })))
    return undefined
  }
  const body = requestBody(request)
  if (body === null) {
    resume(Effect.fail(
      new HttpClientError.RequestError({ request, reason: "Encode", description: "unsupported body type" })
    ))
    return undefined
  }
  let controller: Dispatcher.DispatchController | undefined
  let cancelled = false
  let response: LeanResponse | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  const abort = () => {
    cancelled = true
    if (timer !== undefined) clearTimeout(timer)
    if (controller !== undefined && !controller.aborted) controller.abort(new Stop("aborted by the client"))
  }
  if (limit !== undefined) {
    // One plain timer for the whole attempt, body included.
    timer = setTimeout(() => {
      timer = undefined
      const timedOut = new AttemptTimedOut()
      if (response === undefined) {
        resume(Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", cause: timedOut })))
      } else if (!response.done) {
        response.done = true
        response.failure = timedOut
        response.notify()
      }
      abort()
    }, limit)
  }
  const settled = () => {
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
  }
  const handler: Dispatcher.DispatchHandler = {
    onRequestStart(c) {
      controller = c
      if (cancelled) c.abort(new Stop("aborted by the client"))
    },
    onResponseStart(_, statusCode, headers) {
      if (statusCode < 200) return // 1xx: the final answer follows
      response = new LeanResponse(request, statusCode, toHeaders(headers), abort)
      resume(Effect.succeed(response))
    },
    onResponseData(c, chunk) {
      if (response === undefined || response.done) return
      response.chunks.push(chunk)
      response.size += chunk.length
      if (response.size > maxBufferBytes) {
        // Past the cap: keep what came, stop the transfer, end the body.
        settled()
        response.capped = true
        response.done = true
        c.abort(new Stop("body larger than the buffer cap"))
      }
      response.notify()
    },
    onResponseEnd() {
      settled()
      if (response === undefined || response.done) return
      response.done = true
      response.notify()
    },
    onResponseError(_, error) {
      settled()
      if (response === undefined) {
        if (!cancelled) {
          resume(Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", cause: error })))
        }
        return
      }
      if (response.done) return
      response.done = true
      response.failure = error
      response.notify()
    }
  }
  const { origin, pathname, search } = url.right
  dispatcher.dispatch(
    {
      origin,
      path: pathname + search,
      method: request.method,
      headers: request.headers,
      ...(body === undefined ? {} : { body })
    },
    handler
  )
  return Effect.sync(() => {
    if (response === undefined) abort()
  })
}

/**
 * The lean client over a dispatcher (an undici `Agent`). Bodies larger than
 * `maxBufferBytes` are cut there: reading them whole fails, streaming them
 * ends early.
 */
export const make = (dispatcher: Dispatcher, maxBufferBytes: number): HttpClient.HttpClient =>
  HttpClient.makeWith<never, never, HttpClientError.HttpClientError, never>(
    (requestEffect) => Effect.flatMap(requestEffect, (request) => send(dispatcher, maxBufferBytes, request)),
    Effect.succeed
  )
