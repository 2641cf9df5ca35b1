/**
 * The live client the API commands use: `SyncteraLive.layerConfig` (the
 * `SYNCTERA_*` environment variables) over `fetch`.
 *
 * @since 0.1.0
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import type * as ConfigError from "effect/ConfigError"
import * as Layer from "effect/Layer"
import * as SyncteraLive from "../../layers/SyncteraLive.js"
import type { Synctera } from "../../Synctera.js"

/**
 * The live `Synctera` from `SYNCTERA_API_KEY`, `SYNCTERA_ENVIRONMENT`,
 * `SYNCTERA_BASE_URL` (and the other `SYNCTERA_*` settings).
 *
 * @since 0.1.0
 * @category layers
 */
export const SyncteraFromEnv: Layer.Layer<Synctera, ConfigError.ConfigError> = SyncteraLive.layerConfig.pipe(
  Layer.provide(FetchHttpClient.layer)
)
