/**
 * A grant behind a server that drops idle connections, on the Effect 3
 * line: the shared rounds, server and patterns of `cases/grantConnection.ts`,
 * on `layerNode` (every grant succeeds) and on `layer` over each stock
 * transport (a grant may fail, but is never sent twice), as the Effect 4
 * line runs them (`effect4/test/grant-connection.test.ts`). This file holds
 * only what is Effect 3's own: its layers, and its calls on one runtime.
 */
import { FetchHttpClient, type HttpClient } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, ManagedRuntime, Redacted } from "effect"
import { Synctera, SyncteraLive } from "../src/index.js"
import { type GrantClient, grantInput, grantKinds, grantRounds, grantSettings } from "./cases/grantConnection.js"

const settings = (baseUrl: string) => ({
  ...grantSettings.options,
  apiKey: Redacted.make(grantSettings.apiKey),
  baseUrl
})

const over = (transport: Layer.Layer<HttpClient.HttpClient>) => (baseUrl: string) =>
  SyncteraLive.layer(settings(baseUrl)).pipe(Layer.provide(transport))

/** The layers, each with the kind of layer it is held to. */
const layers = [
  ["layerNode", "layerNode", (baseUrl: string) => SyncteraLive.layerNode(settings(baseUrl))],
  ["layer over NodeHttpClient.layerUndici", "layer", over(NodeHttpClient.layerUndici)],
  ["layer over NodeHttpClient.layer", "layer", over(NodeHttpClient.layer)],
  ["layer over FetchHttpClient.layer", "layer", over(FetchHttpClient.layer)]
] as const

/** The client on one runtime of the layer: one pool for every round. */
const clientOf = (layer: Layer.Layer<Synctera>): GrantClient => {
  const runtime = ManagedRuntime.make(layer)
  return {
    read: () => runtime.runPromise(Effect.asVoid(Synctera.listFdxTokens())),
    grant: () =>
      runtime.runPromise(
        Effect.match(Synctera.grantFdxAuthRequest(grantInput), {
          onFailure: (error) => error,
          onSuccess: () => undefined
        })
      ),
    close: () => runtime.dispose()
  }
}

describe("a grant behind a server that drops idle connections", () => {
  for (const [name, kind, makeLayer] of layers) {
    it(`${name}: ${grantKinds[kind].says}`, async () => {
      const { actual, expected } = await grantRounds(kind, (baseUrl) => clientOf(makeLayer(baseUrl)))
      expect(actual).toEqual(expected)
    }, 60_000)
  }
})
