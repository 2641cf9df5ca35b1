/**
 * One attempt's HTTP exchange, as the client pipeline sees it: a request goes
 * out, and either a whole (bounded) answer comes back or the attempt failed
 * in transport or ran out of time. Two implementations: over any Effect 4
 * `HttpClient` (here), and straight over undici's dispatcher
 * (`undiciExchange.ts`, for `SyncteraLive.layerNode`).
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import { constTrue } from "effect/Function"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import type * as Headers from "effect/http/Headers"
import * as HttpBody from "effect/http/HttpBody"
import * as HttpClient from "effect/http/HttpClient"
import type * as HttpClientError from "effect/http/HttpClientError"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as Option from "effect/Option"
import { causeText, connected } from "../../../src/core/describe.js"
import { type BoundedBody, readBounded } from "./body.js"

/**
 * A request to send: the path below the base URL, its query, headers and JSON body.
 *
 * @since 0.3.0
 */
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

/**
 * A whole answer: status, headers and the body read up to the limit.
 *
 * @since 0.3.0
 */
export interface Answer {
  readonly status: number
  readonly headers: Headers.Headers
  readonly body: BoundedBody
}

/**
 * Why an attempt has no answer. `connected: false` means no connection was
 * made (refused, unreachable, DNS): the request cannot have reached the server.
 *
 * @since 0.3.0
 */
export type AttemptFailure =
  | { readonly _tag: "TimedOut" }
  | { readonly _tag: "Transport"; readonly description: string; readonly connected: boolean }

/**
 * The attempt ran out of its time limit.
 *
 * @since 0.3.0
 */
export const timedOut: AttemptFailure = { _tag: "TimedOut" }

/**
 * Sends one request with a time limit (milliseconds, body included).
 *
 * @since 0.3.0
 */
export type Exchange = (outgoing: Outgoing, limitMillis: number) => Effect.Effect<Answer, AttemptFailure>

/** The request-side reasons as Effect 3's `RequestError` named them, so that descriptions read the same. */
const requestReasons: Readonly<Record<HttpClientError.RequestError["_tag"], string>> = {
  TransportError: "Transport",
  EncodeError: "Encode",
  InvalidUrlError: "InvalidUrl"
}

const isRequestError = (reason: HttpClientError.HttpClientErrorReason): reason is HttpClientError.RequestError =>
  reason._tag in requestReasons

const transportDescription = (reason: HttpClientError.HttpClientErrorReason): string =>
  isRequestError(reason)
    ? `${requestReasons[reason._tag]}: ${causeText(reason.cause) || reason.description || "request failed"}`
    : `response body broke off: ${causeText(reason.cause) || reason.description || "read failed"}`

/**
 * The exchange over a user's `HttpClient`. Effect's client records a span
 * for every request (with its URL and, when asked, its headers), and
 * propagates our trace ids (`traceparent`, `b3`) to a third party: both are
 * turned off, for this client's requests only. With the fetch transport a
 * redirect must come back to us rather than be followed, so the key never
 * goes to another origin.
 *
 * @since 0.3.0
 */
export const overHttpClient = (
  client: HttpClient.HttpClient,
  options: {
    readonly baseUrl: string
    readonly maxBodyBytes: number
    /** The fetch options in context when the layer was built. */
    readonly fetchInit: Option.Option<globalThis.RequestInit>
  }
): Exchange => {
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
        description: transportDescription(error.reason),
        connected: !isRequestError(error.reason) || connected(error.reason.cause)
      })),
      Effect.timeoutOrElse({ duration: limitMillis, orElse: () => Effect.fail(timedOut) }),
      Effect.provideService(HttpClient.TracerDisabledWhen, constTrue),
      Effect.provideService(HttpClient.TracerPropagationEnabled, false),
      Effect.provideService(FetchHttpClient.RequestInit, noRedirects)
    )
  }
}
