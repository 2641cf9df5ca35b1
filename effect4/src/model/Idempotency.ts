/**
 * Synctera's idempotency rules as pure functions over an immutable store.
 *
 * - A key is first *reserved* while its request runs, then holds the answer
 *   for 7 days (when the answer is cacheable, see `isCacheable`).
 * - Same key, same request (method, path, parameters) within 7 days: the
 *   stored answer, status included.
 * - Same key, different request: 422 `IDEMPOTENCY_INVALID_REUSE`, whether the
 *   first request is done or still running.
 * - Same key, same request, first one still running: 409
 *   `IDEMPOTENCY_CONCURRENT_USE`.
 *
 * The rules are the Effect-free core's (`core/model/Idempotency`), which the
 * model itself runs on a native `Map`; this module applies them to a
 * `HashMap`.
 *
 * @example
 * ```ts
 * import { Idempotency } from "effect-synctera/effect4/testing"
 * import { HashMap } from "effect"
 *
 * const [decision, store] = Idempotency.begin(HashMap.empty(), "key-1", "GET /cards/…", Date.now(), 1)
 * // decision: { _tag: "Run", ticket: 1 }; the key is reserved in `store`
 * ```
 *
 * @since 0.3.0
 */
import * as HashMap from "effect/HashMap"
import * as Option from "effect/Option"
import * as Core from "../../../src/core/model/Idempotency.js"
import type { Outcome } from "../../../src/core/model/Outcome.js"

export {
  /**
   * The answer to a key whose first request is still running.
   *
   * @since 0.3.0
   * @category idempotency
   */
  concurrentUse,
  /**
   * What to do with a request that carries a key: answer at once (a replay
   * or a refusal), or run it under the given ticket.
   *
   * @since 0.3.0
   * @category idempotency
   */
  type Decision,
  /**
   * A key's state.
   *
   * @since 0.3.0
   * @category idempotency
   */
  type Entry,
  /**
   * The answer to a key reused for a different request.
   *
   * @since 0.3.0
   * @category idempotency
   */
  invalidReuse,
  /**
   * The most keys kept at once. Past it, expired answers are dropped first,
   * then the oldest ones; a key whose request is running is never dropped.
   *
   * @since 0.3.0
   * @category idempotency
   */
  maxEntries,
  /**
   * How long an answer is kept: 7 days, in milliseconds.
   *
   * @since 0.3.0
   * @category idempotency
   */
  retentionMillis
} from "../../../src/core/model/Idempotency.js"

/**
 * All keys, by key.
 *
 * @since 0.3.0
 * @category idempotency
 */
export type Store = HashMap.HashMap<string, Core.Entry>

/**
 * Decides what a request with a key gets, and reserves the key when it runs.
 *
 * @since 0.3.0
 * @category idempotency
 */
export const begin = (
  store: Store,
  key: string,
  fingerprint: string,
  now: number,
  ticket: number
): readonly [Core.Decision, Store] => {
  const answer = Core.answerFor(Option.getOrUndefined(HashMap.get(store, key)), key, fingerprint, now)
  if (answer !== undefined) return [answer, store]
  return [{ _tag: "Run", ticket }, HashMap.set(store, key, { _tag: "Running", fingerprint, ticket })]
}

/**
 * Ends a run: stores a cacheable answer, or frees the key (an answer that is
 * not cacheable, or no answer at all when the run was interrupted). Does
 * nothing if the key no longer holds this run's ticket.
 *
 * @since 0.3.0
 * @category idempotency
 */
export const finish = (
  store: Store,
  key: string,
  ticket: number,
  outcome: Outcome | undefined,
  now: number
): Store => {
  const entry = Option.getOrUndefined(HashMap.get(store, key))
  if (!Core.isRunOf(entry, ticket)) return store
  const done = Core.settled(entry, outcome, now)
  if (done === undefined) return HashMap.remove(store, key)
  const stored = HashMap.set(store, key, done)
  const evicted = Core.evictions(stored, HashMap.size(stored), now)
  return evicted.length === 0 ? stored : HashMap.removeMany(stored, evicted)
}
