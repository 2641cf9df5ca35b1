/**
 * The live client on a new sandbox server (both in one layer), with fast
 * retries so that an outage test does not wait for the default backoff: what
 * the example apps' tests run against. Imported by name, as a user would.
 */
import { FetchHttpClient } from "@effect/platform"
import { Effect, Layer } from "effect"
import { SyncteraLive } from "effect-synctera"
import { Sandbox } from "effect-synctera/sandbox"

export const SyncteraOnSandbox = Layer.unwrapEffect(
  Effect.map(
    Sandbox,
    (sandbox) =>
      SyncteraLive.layer({ apiKey: sandbox.apiKey, baseUrl: sandbox.url, retry: { times: 1, base: "10 millis" } })
  )
).pipe(Layer.provide(FetchHttpClient.layer), Layer.provideMerge(Sandbox.layer()))
