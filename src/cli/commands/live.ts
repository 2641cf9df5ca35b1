/**
 * The live client the API commands use: `SyncteraLive.layerConfig` (the
 * `SYNCTERA_*` environment variables) over `fetch`; and their descriptions,
 * from the operations' own.
 *
 * @since 0.1.0
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import type * as ConfigError from "effect/ConfigError"
import * as Layer from "effect/Layer"
import type { OperationSpec } from "../../internal/operations.js"
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

/**
 * What a command's help reads from an operation's description.
 *
 * @since 0.2.0
 * @category descriptions
 */
export type OperationRoute = Pick<OperationSpec<never, never, unknown, unknown>, "method" | "path" | "sandboxOnly">

/**
 * What a command's help says of the operation it calls: its method and path,
 * and whether only the sandbox has it.
 *
 * @since 0.2.0
 * @category descriptions
 */
export const describeOperation = (operation: OperationRoute): string =>
  `${operation.method} ${operation.path}${operation.sandboxOnly ? ", sandbox only" : ""}`

/**
 * The help of a command that calls `operation`: `summary`, the operation, and
 * the environment variables it reads.
 *
 * @since 0.2.0
 * @category descriptions
 */
export const liveDescription = (
  summary: string,
  operation: OperationRoute,
  more = ""
): string =>
  `${summary} (${describeOperation(operation)}).${more === "" ? "" : ` ${more}`} ` +
  "Reads SYNCTERA_API_KEY, SYNCTERA_ENVIRONMENT (sandbox|production) and SYNCTERA_BASE_URL."
