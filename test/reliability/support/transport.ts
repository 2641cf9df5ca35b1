/**
 * An in-process `HttpClient` for the reliability suite: it answers from a
 * script, with the faults a socket can have (refused, a slow head, a body
 * that stalls or breaks off), on Effect's `Clock`, so that `TestClock` drives
 * every wait. It is also the fast transport of the property tests.
 */
import { HttpClient, HttpClientError, HttpClientResponse } from "@effect/platform"
import type { HttpClientRequest } from "@effect/platform"
import { Clock, Effect, Layer } from "effect"

/** One scripted answer. */
export type Step =
  /** The connection is refused. */
  | { readonly _tag: "Refuse" }
  /** The server never answers. */
  | { readonly _tag: "Hang" }
  /** An answer, after `delayMillis` (of the `Clock`) before its head. */
  | {
    readonly _tag: "Respond"
    readonly status: number
    readonly headers?: Record<string, string>
    readonly body?: string | Uint8Array
    readonly delayMillis?: number
    /** The body sends what it has, then never ends. */
    readonly stall?: boolean
    /** The body sends what it has, then breaks off with an error. */
    readonly breakOff?: boolean
  }

export const respond = (
  status: number,
  body?: unknown,
  headers: Record<string, string> = {},
  more: { readonly delayMillis?: number; readonly stall?: boolean; readonly breakOff?: boolean } = {}
): Step => ({
  _tag: "Respond",
  status,
  headers: { "content-type": "application/json", ...headers },
  ...(body === undefined
    ? {}
    : { body: typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body) }),
  ...more
})

export const refuse: Step = { _tag: "Refuse" }
export const hang: Step = { _tag: "Hang" }

/** A request the transport received, with the clock's time. */
export interface Received {
  readonly at: number
  readonly request: HttpClientRequest.HttpClientRequest
  readonly url: URL
}

const nullBodyStatus = new Set([101, 204, 205, 304])

const bodyOf = (
  step: Extract<Step, { _tag: "Respond" }>
): ReadableStream<Uint8Array> | string | Uint8Array<ArrayBuffer> | null => {
  if (nullBodyStatus.has(step.status)) return null
  const body = step.body ?? ""
  if (!step.stall && !step.breakOff) return typeof body === "string" ? body : new Uint8Array(body)
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : new Uint8Array(body)
  return new ReadableStream<Uint8Array>({
    start(controller) {
      if (bytes.length > 0) controller.enqueue(bytes)
      if (step.breakOff) controller.error(new Error("other side closed (ECONNRESET)"))
      // A stall: neither closed nor errored, ever.
    }
  })
}

/** Answers the n-th request with `script(n, request)`. */
export const ScriptedTransport = (script: (index: number, url: URL) => Step) => {
  const received: Array<Received> = []
  const client = HttpClient.make((request, url) =>
    Effect.flatMap(Clock.currentTimeMillis, (at) => {
      received.push({ at, request, url })
      const step = script(received.length - 1, url)
      switch (step._tag) {
        case "Refuse":
          return Effect.fail(
            new HttpClientError.RequestError({
              request,
              reason: "Transport",
              cause: Object.assign(new Error(`connect ECONNREFUSED ${url.host}`), { code: "ECONNREFUSED" })
            })
          )
        case "Hang":
          return Effect.never
        case "Respond": {
          const answer = Effect.sync(() =>
            HttpClientResponse.fromWeb(
              request,
              new Response(bodyOf(step), { status: step.status, headers: step.headers ?? {} })
            )
          )
          return step.delayMillis === undefined ? answer : Effect.zipRight(Effect.sleep(step.delayMillis), answer)
        }
      }
    })
  )
  return { received, client, layer: Layer.succeed(HttpClient.HttpClient, client) }
}
