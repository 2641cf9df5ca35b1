/**
 * One attempt's HTTP exchange, as the client pipeline sees it: a request goes
 * out, and either a whole (bounded) answer comes back or the attempt failed
 * in transport or ran out of time. Two implementations: over any
 * `@effect/platform` `HttpClient` (here), and straight over undici's
 * dispatcher (`undiciExchange.ts`, for `SyncteraLive.layerNode`).
 *
 * @internal
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import type * as Headers from "@effect/platform/Headers"
import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { causeText, connected } from "../core/describe.js"
import { type BoundedBody, readBounded } from "./body.js"

/** A request to send: the path below the base URL, its query, headers and JSON body. */
export interface Outgoing {
  readonly method: "GET" | "POST"
  /** Starts with `/`; its segments are already safe (validated ids). */
  readonly path: string
  readonly query: Readonly<Record<string, string>> | undefined
  readonly headers: Headers.Headers
  /** The JSON text of a POST's body. */
  readonly body: string | undefined
  /**
   * Whether it must go on a connection of its own, never a pooled one: a
   * pooled connection the server has dropped while idle fails the request
   * with a reset, which for a request that must not be repeated blindly would
   * be a failure for nothing (see `RetryClass`).
   */
  readonly ownConnection: boolean
}

/** A whole answer: status, headers and the body read up to the limit. */
export interface Answer {
  readonly status: number
  readonly headers: Headers.Headers
  readonly body: BoundedBody
}

/**
 * Why an attempt has no answer. `connected: false` means no connection was
 * made (refused, unreachable, DNS): the request cannot have reached the server.
 */
export type AttemptFailure =
  | { readonly _tag: "TimedOut" }
  | { readonly _tag: "Transport"; readonly description: string; readonly connected: boolean }

/** The attempt ran out of its time limit. */
export const timedOut: AttemptFailure = { _tag: "TimedOut" }

/** Sends one request with a time limit (milliseconds, body included). */
export type Exchange = (outgoing: Outgoing, limitMillis: number) => Effect.Effect<Answer, AttemptFailure>

const transportDescription = (error: HttpClientError.HttpClientError): string =>
  error._tag === "RequestError"
    ? `${error.reason}: ${causeText(error.cause) || error.description || "request failed"}`
    : `response body broke off: ${causeText(error.cause) || error.description || "read failed"}`

/**
 * The exchange over a user's `HttpClient`. The platform's client records
 * every header in its span and keeps the request (Authorization included) in
 * its exit value, and propagates our trace ids to a third party: both are
 * turned off. With the fetch transport a redirect must come back to us rather
 * than be followed, so the key never goes to another origin.
 */
export const overHttpClient = (
  httpClient: HttpClient.HttpClient,
  options: {
    readonly baseUrl: string
    readonly maxBodyBytes: number
    /** The fetch options in context when the layer was built. */
    readonly fetchInit: Option.Option<globalThis.RequestInit>
  }
): Exchange => {
  const client = httpClient.pipe(
    HttpClient.withTracerPropagation(false),
    HttpClient.withTracerDisabledWhen(() => true)
  )
  const noRedirects: globalThis.RequestInit = {
    ...Option.getOrElse(options.fetchInit, () => ({})),
    redirect: "manual"
  }
  return (outgoing, limitMillis) => {
    // (A user's HttpClient pools as it will: `ownConnection` is `layerNode`'s.)
    const request = HttpClientRequest.make(outgoing.method)(`${options.baseUrl}${outgoing.path}`, {
      headers: outgoing.headers,
      ...(outgoing.query === undefined ? {} : { urlParams: outgoing.query }),
      ...(outgoing.body === undefined ? {} : { body: HttpBody.text(outgoing.body, "application/json") })
    })
    return client.execute(request).pipe(
      Effect.flatMap((response) =>
        Effect.map(
          readBounded(response, options.maxBodyBytes),
          (body): Answer => ({ status: response.status, headers: response.headers, body })
        )
      ),
      Effect.mapError((error): AttemptFailure => ({
        _tag: "Transport",
        description: transportDescription(error),
        connected: error._tag === "ResponseError" || connected(error.cause)
      })),
      Effect.timeoutFail({ duration: limitMillis, onTimeout: () => timedOut }),
      Effect.provideService(FetchHttpClient.RequestInit, noRedirects)
    )
  }
}
