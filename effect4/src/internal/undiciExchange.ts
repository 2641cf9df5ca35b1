/**
 * The exchange of `SyncteraLive.layerNode`: straight over undici's
 * `Dispatcher.dispatch`, without the `HttpClient` machinery.
 *
 * Effect's Node client wraps each exchange in a Node `Readable`, an
 * `AbortController` and a `FinalizationRegistry` entry, a response object
 * with deferred body readers, URL parsing, and a timeout that forks fibers.
 * Here one attempt is one `Effect.callback` over the core's `dispatchOnce`
 * (`src/core/undiciExchange.ts`: the body is buffered as it arrives, up to
 * the limit; the attempt resumes once, when the body has ended; its time
 * limit is one plain timer); interruption cancels it, which aborts the
 * request through undici's controller.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Headers from "effect/http/Headers"
import * as core from "../../../src/core/undiciExchange.js"
import { type Answer, type AttemptFailure, type Exchange, timedOut } from "./exchange.js"

const toEffect = (outcome: core.Outcome): Effect.Effect<Answer, AttemptFailure> => {
  switch (outcome._tag) {
    case "Answer":
      return Effect.succeed({
        status: outcome.status,
        headers: outcome.headers === undefined ? Headers.empty : Headers.fromRecordUnsafe(outcome.headers),
        body: outcome.body
      })
    case "TimedOut":
      return Effect.fail(timedOut)
    case "Transport":
      return Effect.fail(outcome)
  }
}

/**
 * The exchange over dispatchers (undici `Agent`s), for a base URL already
 * checked by the options (`https:`, or `http:` on loopback; no query).
 * `pooled` carries every request but those that need a connection of their
 * own; `unpooled` carries those, each with `reset` (the connection closes
 * after its answer), so it never holds an idle connection to hand out.
 *
 * @since 0.3.0
 */
export const make = (
  dispatchers: core.Dispatchers,
  options: { readonly baseUrl: string; readonly maxBodyBytes: number }
): Exchange => {
  // Worked out once: per request only the path changes.
  const target = core.target({ baseUrl: options.baseUrl, maxBodyBytes: options.maxBodyBytes })
  return (outgoing, limitMillis) =>
    Effect.callback<Answer, AttemptFailure>((resume) => {
      const cancel = core.dispatchOnce(dispatchers, target, outgoing, limitMillis, (outcome) => {
        resume(toEffect(outcome))
      })
      return Effect.sync(cancel)
    })
}
