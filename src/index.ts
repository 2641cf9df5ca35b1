/**
 * effect-synctera: the Effect-native client for the Synctera banking API.
 *
 * @since 0.1.0
 */

export * from "./errors/SyncteraError.js"
export * from "./schemas/CardWidgetType.js"
export * from "./schemas/ErrorBody.js"
export * from "./schemas/FdxToken.js"
export * from "./schemas/Ids.js"
export * as OpenEnum from "./schemas/OpenEnum.js"
export * from "./schemas/WidgetToken.js"
export * from "./Synctera.js"
export * as SyncteraLive from "./layers/SyncteraLive.js"
