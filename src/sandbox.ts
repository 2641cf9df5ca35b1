/**
 * `effect-synctera/sandbox`: a local Synctera sandbox server (Node only; needs
 * `@effect/platform-node`), with the seed it serves.
 *
 * @example
 * ```ts
 * import { Sandbox } from "effect-synctera/sandbox"
 * import { Effect, Redacted } from "effect"
 *
 * const program = Effect.scoped(
 *   Effect.gen(function*() {
 *     const sandbox = yield* Sandbox
 *     return `${sandbox.url} with key ${Redacted.value(sandbox.apiKey)}`
 *   })
 * ).pipe(Effect.provide(Sandbox.layer()))
 * ```
 *
 * @since 0.1.0
 */

export * from "./model/Outcome.js"
export * from "./model/Seed.js"
export { type Faults, SandboxError, type SandboxOptions } from "./sandbox/options.js"
export type { RequestRecord } from "./sandbox/RequestLog.js"
export { make, Sandbox, type SandboxService } from "./sandbox/Sandbox.js"
