/**
 * Raw HTTP against a running sandbox (fetch to 127.0.0.1), for the sandbox's
 * own tests: what came back, and the small readers of JSON answers.
 */
import { expect } from "@effect/vitest"
import { Effect, Predicate, Redacted } from "effect"
import type { SandboxService } from "../../src/sandbox.js"

/** A whole answer, its body read. */
export interface Answer {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  readonly json: unknown
}

/** One request with fetch (5 s at most); a transport error is a defect. */
export const request = (url: string, init: RequestInit = {}): Effect.Effect<Answer> =>
  Effect.promise(async () => {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(5_000) })
    const text = await response.text()
    let json: unknown = undefined
    try {
      json = JSON.parse(text)
    } catch {
      json = undefined
    }
    return { status: response.status, headers: response.headers, text, json }
  })

/** The sandbox's key, as a header. */
export const bearer = (sandbox: SandboxService): Record<string, string> => ({
  authorization: `Bearer ${Redacted.value(sandbox.apiKey)}`
})

/** The widget token path of a card, below `/v1`. */
export const widgetPath = (cardId: string, query = "?widget_type=REVEAL"): string =>
  `/cards/${cardId}/widget_token${query}`

/** A request below the sandbox's `/v1`, with its key by default. */
export const get = (
  sandbox: SandboxService,
  path: string,
  headers: Record<string, string> = bearer(sandbox),
  method = "GET"
): Effect.Effect<Answer> => request(`${sandbox.url}${path}`, { method, headers })

/** A JSON POST below the sandbox's `/v1`, with its key by default. */
export const post = (
  sandbox: SandboxService,
  path: string,
  body: unknown,
  headers: Record<string, string> = bearer(sandbox)
): Effect.Effect<Answer> =>
  request(`${sandbox.url}${path}`, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify(body)
  })

/** Matches a Synctera error body with this code and status. */
export const errorBody = (code: string, status: number): unknown =>
  expect.objectContaining({ code, status, detail: expect.any(String) })

/** A string field of a JSON answer (the test fails if it is not one). */
export const stringField = (json: unknown, key: string): string => {
  const value = Predicate.isObject(json) ? json[key] : undefined
  if (typeof value !== "string") throw new Error(`no string ${key} in ${JSON.stringify(json)}`)
  return value
}

/** The items of a JSON answer's list field. */
export const listField = (json: unknown, key: string): ReadonlyArray<Record<PropertyKey, unknown>> => {
  const value = Predicate.isObject(json) ? json[key] : undefined
  return Array.isArray(value) ? value.filter(Predicate.isObject) : []
}
