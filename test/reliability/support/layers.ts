/**
 * The live client as the reliability suite builds it: the canary key, small
 * timeouts, and a choice of real transports.
 */
import { FetchHttpClient, type HttpClient } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { Layer, Redacted } from "effect"
import { type Synctera, SyncteraLive } from "../../../src/index.js"
import { canary } from "./canary.js"

/** Builds the live layer with the canary key on `baseUrl`. */
export type MakeLayer = (baseUrl: string, options?: Partial<SyncteraLive.Options>) => Layer.Layer<Synctera>

/** Options for real sockets: small timeouts and backoffs, so a test takes milliseconds. */
export const fastOptions = {
  timeout: "250 millis",
  deadline: "3 seconds",
  retry: { times: 2, base: "2 millis", cap: "10 millis" }
} as const satisfies Partial<SyncteraLive.Options>

const settings = (baseUrl: string, options: Partial<SyncteraLive.Options>): SyncteraLive.Options => ({
  apiKey: Redacted.make(canary),
  baseUrl,
  ...fastOptions,
  ...options
})

/** `SyncteraLive.layer` over an `HttpClient` layer. */
const over = (transport: Layer.Layer<HttpClient.HttpClient>): MakeLayer => (baseUrl, options = {}) =>
  SyncteraLive.layer(settings(baseUrl, options)).pipe(Layer.provide(transport))

/** Every real transport a user can pick: the three platform clients, and `layerNode`'s own. */
export const transports: ReadonlyArray<readonly [string, MakeLayer]> = [
  ["undici", over(NodeHttpClient.layerUndici)],
  ["node:http", over(NodeHttpClient.layer)],
  ["fetch", over(FetchHttpClient.layer)],
  ["layerNode (lean undici)", (baseUrl, options = {}) => SyncteraLive.layerNode(settings(baseUrl, options))]
]
