/**
 * The Plaid Core Exchange operations of the live layer, on the Effect 4
 * line. Over real HTTP they are cases of the shared table
 * `test/cases/pceLiveHttp.ts`, run with the live layer's other tables by
 * `live.test.ts` (its one driver of this line). Here, what needs an
 * in-process transport (this line's `ScriptedClient`) instead of a socket:
 * `getAuthorizationTest`'s refusal off the sandbox, and the sandbox as the
 * default base URL, which no local server can stand for.
 */
import { expect, it } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import { sandboxOnly } from "../../test/cases/pceLiveHttp.js"
import { Synctera } from "../src/index.js"
import * as SyncteraLive from "../src/layers/SyncteraLive.js"
import { ScriptedClient } from "./support/ScriptedClient.js"

it.effect(sandboxOnly.name, () =>
  Effect.gen(function*() {
    const scripted = ScriptedClient(() => sandboxOnly.answer)
    const on = (options: Partial<SyncteraLive.Options>) =>
      SyncteraLive.layer({ apiKey: Redacted.make("k"), ...options }).pipe(Layer.provide(scripted.layer))
    const authorizationTest = (options: Partial<SyncteraLive.Options>) =>
      Synctera.getAuthorizationTest().pipe(Effect.provide(on(options)))
    const error = yield* Effect.flip(authorizationTest({ environment: "production" }))
    expect(error._tag).toBe("InvalidInput")
    expect(error.message).toBe(sandboxOnly.refusal)
    expect(scripted.calls).toHaveLength(0)
    // The sandbox, and a base URL of the caller's, are allowed.
    yield* authorizationTest({})
    expect(scripted.calls.map((call) => call.url.href)).toEqual([sandboxOnly.sandboxUrl])
    yield* authorizationTest({ environment: "production", baseUrl: sandboxOnly.ownBaseUrl })
    expect(scripted.calls.map((call) => call.url.href)).toEqual([
      sandboxOnly.sandboxUrl,
      `${sandboxOnly.ownBaseUrl}/fdx_auth_requests/authorization_test`
    ])
  }))
