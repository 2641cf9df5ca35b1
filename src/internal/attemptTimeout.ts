/**
 * The per-attempt time limit, for a transport that enforces it itself.
 *
 * `Effect.timeoutFail` races the attempt against a sleeping fiber: two fibers
 * forked per attempt, which on the hot path costs more than the HTTP exchange
 * it guards. The lean undici transport instead reads the limit from this
 * FiberRef and arms one plain timer that aborts the request, failing it with
 * {@link AttemptTimedOut} as the cause. (The stock transports keep
 * `Effect.timeoutFail`, which also obeys `TestClock`.)
 *
 * @internal
 */
import * as FiberRef from "effect/FiberRef"
import { globalValue } from "effect/GlobalValue"

/** Milliseconds the current attempt may take, body included; `undefined`: no limit. */
export const currentAttemptTimeout: FiberRef.FiberRef<number | undefined> = globalValue(
  "effect-synctera/currentAttemptTimeout",
  () => FiberRef.unsafeMake<number | undefined>(undefined)
)

/** The cause a transport gives when an attempt ran out of time. */
export class AttemptTimedOut extends Error {
  constructor() {
    super("the attempt ran out of time")
  }
}
