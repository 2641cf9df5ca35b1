/**
 * `effect-synctera/effect4/testing`: an in-memory Synctera for tests, and the
 * model and seed it shares with the sandbox server, for Effect 4. The same
 * names and behaviour as the Effect 3 line's `effect-synctera/testing`.
 *
 * @example
 * ```ts
 * import { Synctera } from "effect-synctera/effect4"
 * import { SyncteraTest, sandboxIds } from "effect-synctera/effect4/testing"
 * import { Effect } from "effect"
 *
 * const token = Synctera.getWidgetToken({ cardId: sandboxIds.cards.active, widgetType: "SET_PIN" }).pipe(
 *   Effect.provide(SyncteraTest.layer())
 * )
 * ```
 *
 * @since 0.3.0
 */

export {
  /**
   * A call that reached the in-memory Synctera, with the idempotency key it
   * used.
   *
   * @since 0.3.0
   * @category models
   */
  type Call,
  /**
   * How many calls `SyncteraTest`'s `calls` keeps (the most recent).
   *
   * @since 0.3.0
   * @category constants
   */
  maxRecordedCalls,
  /**
   * The in-memory layer (`SyncteraTest.layer(seed?)`) and the tag of its
   * control service: add cards and FDX tokens, inject failures and latency,
   * read the calls made.
   *
   * @example
   * ```ts
   * import { Synctera } from "effect-synctera/effect4"
   * import { SyncteraTest, sandboxIds } from "effect-synctera/effect4/testing"
   * import { Effect } from "effect"
   *
   * // The first call meets an outage; the in-memory layer never retries.
   * const program = Effect.gen(function*() {
   *   const control = yield* SyncteraTest
   *   yield* control.failNext(1, { status: 503 })
   *   const outage = yield* Effect.flip(Synctera.getWidgetToken({ cardId: sandboxIds.cards.active, widgetType: "REVEAL" }))
   *   const token = yield* Synctera.getWidgetToken({ cardId: sandboxIds.cards.active, widgetType: "REVEAL" })
   *   return { outage: outage._tag, tenant: token.tenant }
   * }).pipe(Effect.provide(SyncteraTest.layer()))
   *
   * Effect.runPromise(program).then(({ outage, tenant }) => {
   *   if (outage !== "Internal" || tenant !== "sandbox_tenant") throw new Error("unexpected")
   * })
   * ```
   *
   * @since 0.3.0
   * @category layers
   */
  SyncteraTest,
  /**
   * The controls of the in-memory Synctera.
   *
   * @since 0.3.0
   * @category models
   */
  type SyncteraTestService
} from "./layers/SyncteraTest.js"

/**
 * Synctera's idempotency rules, as the model applies them.
 *
 * @since 0.3.0
 */
export * as Idempotency from "./model/Idempotency.js"

/**
 * The answers of the model: wire outcomes and injected failures.
 *
 * @since 0.3.0
 */
export * from "./model/Outcome.js"

/**
 * The model of Synctera's behaviour that the in-memory layer and the sandbox
 * server share.
 *
 * @since 0.3.0
 */
export * as SandboxModel from "./model/SandboxModel.js"

/**
 * The seed: the tenant, cards and FDX tokens the model starts with
 * (`defaultSeed`, `sandboxIds`).
 *
 * @since 0.3.0
 */
export * from "./model/Seed.js"
