/**
 * The live client on every real transport a user can pick: `SyncteraLive.layer`
 * over Effect 4's Node clients (undici, node:http) and fetch, and
 * `SyncteraLive.layerNode`'s own lean undici transport.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { FetchHttpClient, type HttpClient } from "effect/http"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import type { Synctera } from "../../src/index.js"
import * as SyncteraLive from "../../src/layers/SyncteraLive.js"

/** The API key the transports are built with. */
export const transportKey = "sk_transport_5e1d7c3b9a"

/** Builds the live layer on `baseUrl`. */
export type MakeLayer = (baseUrl: string, options?: Partial<SyncteraLive.Options>) => Layer.Layer<Synctera>

/** Options for real sockets: small timeouts and backoffs, so a test takes milliseconds. */
export const fastOptions = {
  timeout: "250 millis",
  deadline: "3 seconds",
  retry: { times: 2, base: "2 millis", cap: "10 millis" }
} as const satisfies Partial<SyncteraLive.Options>

const settings = (baseUrl: string, options: Partial<SyncteraLive.Options>): SyncteraLive.Options => ({
  apiKey: Redacted.make(transportKey),
  baseUrl,
  ...fastOptions,
  ...options
})

/** `SyncteraLive.layer` over an `HttpClient` layer. */
export const over = (transport: Layer.Layer<HttpClient.HttpClient>): MakeLayer => (baseUrl, options = {}) =>
  SyncteraLive.layer(settings(baseUrl, options)).pipe(Layer.provide(transport))

/** `SyncteraLive.layerNode`. */
export const node: MakeLayer = (baseUrl, options = {}) => SyncteraLive.layerNode(settings(baseUrl, options))

/** Every real transport: Effect 4's Node clients and fetch under `layer`, and `layerNode`. */
export const transports: ReadonlyArray<readonly [string, MakeLayer]> = [
  ["layer over NodeHttpClient.layerUndici", over(NodeHttpClient.layerUndici)],
  ["layer over NodeHttpClient.layerNodeHttp", over(NodeHttpClient.layerNodeHttp)],
  ["layer over FetchHttpClient.layer", over(FetchHttpClient.layer)],
  ["layerNode", node]
]
