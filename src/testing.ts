/**
 * `effect-synctera/testing`: an in-memory Synctera for tests, and the model
 * and seed it shares with the sandbox server.
 *
 * @example
 * ```ts
 * import { Synctera } from "effect-synctera"
 * import { SyncteraTest, sandboxIds } from "effect-synctera/testing"
 * import { Effect } from "effect"
 *
 * const token = Synctera.getWidgetToken({ cardId: sandboxIds.cards.active, widgetType: "SET_PIN" }).pipe(
 *   Effect.provide(SyncteraTest.layer())
 * )
 * ```
 *
 * @since 0.1.0
 */

export { type Call, SyncteraTest, type SyncteraTestService } from "./layers/SyncteraTest.js"
export * as Idempotency from "./model/Idempotency.js"
export * from "./model/Outcome.js"
export * as SandboxModel from "./model/SandboxModel.js"
export * from "./model/Seed.js"
