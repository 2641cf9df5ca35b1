/**
 * Open sockets and servers of this process, for leak checks.
 */
import { Effect } from "effect"

const kinds = new Set(["TCPSocketWrap", "TCPServerWrap"])

/** TCP sockets and servers currently open in this process. */
export const openSockets = (): number => process.getActiveResourcesInfo().filter((kind) => kinds.has(kind)).length

/**
 * Waits (real time, up to `withinMillis`) for the open sockets to come back
 * to `baseline`, and returns how many are still open above it.
 */
export const socketsAbove = (baseline: number, withinMillis = 2_000): Effect.Effect<number> =>
  Effect.promise(async () => {
    const until = Date.now() + withinMillis
    while (openSockets() > baseline && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    return Math.max(0, openSockets() - baseline)
  })
