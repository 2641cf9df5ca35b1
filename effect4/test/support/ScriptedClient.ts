/**
 * An in-process `HttpClient` whose answers a test scripts, for tests that
 * need no socket (configuration, timing under `TestClock`).
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import { HttpClient, type HttpClientRequest, HttpClientResponse } from "effect/http"
import * as Layer from "effect/Layer"

/** An answer: a status with a body and headers, or an effect to run instead. */
export type Answer =
  | { readonly status: number; readonly body?: unknown; readonly headers?: Record<string, string> }
  | { readonly run: Effect.Effect<never> }

/** A request the scripted client received, with the clock's time. */
export interface Call {
  readonly at: number
  readonly request: HttpClientRequest.HttpClientRequest
  readonly url: URL
}

/** Answers the n-th request with `answers(n)`; records when each came. */
export const ScriptedClient = (answers: (index: number) => Answer) => {
  const calls: Array<Call> = []
  const layer = Layer.succeed(
    HttpClient.HttpClient,
    HttpClient.make((request, url) =>
      Effect.flatMap(Clock.currentTimeMillis, (at) => {
        calls.push({ at, request, url })
        const answer = answers(calls.length - 1)
        if ("run" in answer) return answer.run
        const body = answer.body === undefined ? null : JSON.stringify(answer.body)
        return Effect.succeed(
          HttpClientResponse.fromWeb(
            request,
            new Response(body, {
              status: answer.status,
              headers: { "content-type": "application/json", ...answer.headers }
            })
          )
        )
      })
    )
  )
  return { calls, layer }
}
