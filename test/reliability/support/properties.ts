/**
 * Helpers of the property tests: an in-process transport that counts what it
 * is sent, the live service over it, and an oracle of the documented typed
 * outcome.
 */
import { HttpClient, HttpClientResponse } from "@effect/platform"
import type { HttpClientRequest } from "@effect/platform"
import { Cause, Effect, Exit, Layer, Option, Redacted } from "effect"
import { isSyncteraError, type SyncteraError, SyncteraLive } from "../../../src/index.js"
import type { SyncteraService } from "../../../src/Synctera.js"
import { canary } from "./canary.js"

/** The number of runs of each property. */
export const numRuns = Number(process.env["RELIABILITY_RUNS"] ?? 10_000)

/** What the server answers: status, headers, body. */
export interface Answer {
  readonly status: number
  readonly headers?: Record<string, string>
  readonly body?: string | Uint8Array
}

const nullBodyStatus = new Set([204, 205, 304])

/** An in-process transport answering `answer()`, and what it was sent. */
export const countingTransport = () => {
  const state = {
    sent: [] as Array<{ readonly request: HttpClientRequest.HttpClientRequest; readonly url: URL }>,
    answer: { status: 200 } as Answer
  }
  const client = HttpClient.make((request, url) =>
    Effect.sync(() => {
      state.sent.push({ request, url })
      const { body, headers, status } = state.answer
      return HttpClientResponse.fromWeb(
        request,
        new Response(
          nullBodyStatus.has(status) || body === undefined
            ? null
            : typeof body === "string"
            ? body
            : new Uint8Array(body),
          { status, headers: headers ?? {} }
        )
      )
    })
  )
  return { state, layer: Layer.succeed(HttpClient.HttpClient, client) }
}

/** The live service over a layer providing `HttpClient`, built once. */
export const serviceOver = (
  layer: Layer.Layer<HttpClient.HttpClient>,
  options: Partial<SyncteraLive.Options> = {}
): SyncteraService =>
  Effect.runSync(
    SyncteraLive.make({
      apiKey: Redacted.make(canary),
      baseUrl: "http://127.0.0.1:9/v1",
      retry: { times: 2, base: "0 millis", cap: "0 millis" },
      retryBudget: false,
      ...options
    }).pipe(Effect.provide(layer))
  )

/** The outcome of a call, classified: a value, a typed error, or a defect. */
export type Outcome<A> =
  | { readonly _tag: "Value"; readonly value: A }
  | { readonly _tag: "Error"; readonly error: SyncteraError }
  | { readonly _tag: "Defect"; readonly cause: string }

export const classify = <A>(exit: Exit.Exit<A, SyncteraError>): Outcome<A> => {
  if (Exit.isSuccess(exit)) return { _tag: "Value", value: exit.value }
  const failure = Cause.failureOption(exit.cause)
  if (Cause.isFailType(exit.cause) && Option.isSome(failure) && isSyncteraError(failure.value)) {
    return { _tag: "Error", error: failure.value }
  }
  return { _tag: "Defect", cause: Cause.pretty(exit.cause) }
}

/**
 * Statuses that are retried (README, "What is retried"); a 409 only as
 * `IDEMPOTENCY_CONCURRENT_USE`, which is retried whatever its status.
 */
export const retriedStatuses = new Set([408, 429, 500, 502, 503, 504])

/** The error tag of a non-2xx status (README, "Errors"). */
export const tagOfStatus = (status: number): SyncteraError["_tag"] => {
  switch (status) {
    case 400:
      return "BadRequest"
    case 401:
      return "Unauthorized"
    case 403:
      return "Forbidden"
    case 404:
      return "NotFound"
    case 409:
      return "Conflict"
    case 422:
      return "Unprocessable"
    case 429:
      return "RateLimited"
  }
  return status >= 500 && status <= 599 ? "Internal" : "UnexpectedStatus"
}

/** A canonical UUID, as the README promises ids are checked. */
export const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/** An idempotency key: 1 to 255 visible ASCII characters. */
export const keyPattern = /^[\x21-\x7E]{1,255}$/
export const widgetTypes = ["ACTIVATE", "GET_PIN", "REVEAL", "SET_PIN"] as const
