/**
 * A grant behind a server that drops idle connections, on the Effect 4
 * line: the shared rounds, server and patterns of
 * `test/cases/grantConnection.ts` at the root, on `layerNode` (every grant
 * succeeds) and on `layer` over each of this line's stock transports (a
 * grant may fail, but is never sent twice), as the Effect 3 line runs them
 * (`test/grant-connection.test.ts`). This file holds only what is Effect 4's
 * own: its layers, and its calls on one runtime.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, ManagedRuntime, Redacted } from "effect"
import { FetchHttpClient, type HttpClient } from "effect/http"
import {
  type GrantClient,
  grantInput,
  grantKinds,
  grantRounds,
  grantSettings
} from "../../test/cases/grantConnection.js"
import { Synctera } from "../src/index.js"
import * as SyncteraLive from "../src/layers/SyncteraLive.js"

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
  ["layer over NodeHttpClient.layerNodeHttp", "layer", over(NodeHttpClient.layerNodeHttp)],
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
