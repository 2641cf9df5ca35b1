/**
 * The sandbox server's options, and their check: the Effect 4 side (seed,
 * `Duration`, `SandboxError`) of the core's sandbox options
 * (`src/core/sandbox/options.ts`), which holds their defaults, rules and
 * messages.
 *
 * @since 0.3.0
 */
import * as Data from "effect/Data"
import type * as Duration from "effect/Duration"
import * as Result from "effect/Result"
import * as core from "../../../src/core/sandbox/options.js"
import { durations } from "../internal/options.js"
import type { Seed } from "../model/Seed.js"

/**
 * Faults the sandbox injects at random into the API routes (never into
 * 401, 404 or 405 answers): drops, 429s, 5xx answers and stalled bodies, at
 * rates from 0 to 1 that together may not pass 1, and a latency added to
 * every API request (a negative one counts as none). See the fields'
 * documentation.
 *
 * @since 0.3.0
 * @category options
 */
export type Faults = core.Faults<Duration.Input>

/**
 * The options of the sandbox server: port, API key, seed, faults, log size.
 *
 * @since 0.3.0
 * @category options
 */
export type SandboxOptions = core.SandboxOptions<Seed, Duration.Input>

/**
 * The sandbox could not start: invalid options, or the port could not be
 * listened on.
 *
 * @since 0.3.0
 * @category errors
 */
export class SandboxError extends Data.TaggedError("SandboxError")<{
  readonly reason: "InvalidOptions" | "Listen"
  readonly message: string
  readonly cause?: unknown
}> {}

/**
 * Checked faults: cumulative thresholds for one roll of the dice.
 *
 * @since 0.3.0
 * @category internal
 */
export type ResolvedFaults = core.ResolvedFaults<Duration.Duration>

/**
 * Checked options.
 *
 * @since 0.3.0
 * @category internal
 */
export type Resolved = core.Resolved<Duration.Duration>

/**
 * Checks and completes the options.
 *
 * @since 0.3.0
 * @category internal
 */
export const resolve = (options: SandboxOptions): Result.Result<Resolved, SandboxError> => {
  const checked = core.resolve(options, durations)
  return checked.ok
    ? Result.succeed(checked.value)
    : Result.fail(new SandboxError({ reason: "InvalidOptions", message: checked.problem }))
}
