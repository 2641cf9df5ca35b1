/**
 * Synctera's idempotency rules as pure functions over an immutable store.
 *
 * - A key is first *reserved* while its request runs, then holds the answer
 *   for 7 days (when the answer is cacheable, see {@link isCacheable}).
 * - Same key, same request (method, path, parameters) within 7 days: the
 *   stored answer, status included.
 * - Same key, different request: 422 `IDEMPOTENCY_INVALID_REUSE`, whether the
 *   first request is done or still running.
 * - Same key, same request, first one still running: 409
 *   `IDEMPOTENCY_CONCURRENT_USE`.
 *
 * @since 0.1.0
 */
import * as HashMap from "effect/HashMap"
import * as Option from "effect/Option"
import { type Failure, failure, isCacheable, type Outcome } from "./Outcome.js"

/**
 * How long an answer is kept: 7 days, in milliseconds.
 *
 * @since 0.1.0
 * @category idempotency
 */
export const retentionMillis = 7 * 24 * 60 * 60 * 1000

/**
 * The most keys kept at once. Past it, expired answers are dropped first,
 * then the oldest ones; a key whose request is running is never dropped.
 *
 * @since 0.1.0
 * @category idempotency
 */
export const maxEntries = 100_000

/**
 * A key's state.
 *
 * @since 0.1.0
 * @category idempotency
 */
export type Entry =
  | { readonly _tag: "Running"; readonly fingerprint: string; readonly ticket: number }
  | { readonly _tag: "Done"; readonly fingerprint: string; readonly outcome: Outcome; readonly storedAt: number }

/**
 * All keys, by key.
 *
 * @since 0.1.0
 * @category idempotency
 */
export type Store = HashMap.HashMap<string, Entry>

/**
 * What to do with a request that carries a key: answer at once (a replay or
 * a refusal), or run it under the given ticket.
 *
 * @since 0.1.0
 * @category idempotency
 */
export type Decision =
  | { readonly _tag: "Answer"; readonly outcome: Outcome; readonly replayed: boolean }
  | { readonly _tag: "Run"; readonly ticket: number }

/**
 * The answer to a key reused for a different request.
 *
 * @since 0.1.0
 * @category idempotency
 */
export const invalidReuse = (key: string): Failure =>
  failure(
    422,
    "IDEMPOTENCY_INVALID_REUSE",
    `idempotency key ${JSON.stringify(key.slice(0, 64))} was already used for a different request`
  )

/**
 * The answer to a key whose first request is still running.
 *
 * @since 0.1.0
 * @category idempotency
 */
export const concurrentUse = (key: string): Failure =>
  failure(
    409,
    "IDEMPOTENCY_CONCURRENT_USE",
    `a request with idempotency key ${JSON.stringify(key.slice(0, 64))} is still in progress`
  )

const isLive = (entry: Entry, now: number): boolean =>
  entry._tag === "Running" || now - entry.storedAt < retentionMillis

/**
 * Decides what a request with a key gets, and reserves the key when it runs.
 *
 * @since 0.1.0
 * @category idempotency
 */
export const begin = (
  store: Store,
  key: string,
  fingerprint: string,
  now: number,
  ticket: number
): readonly [Decision, Store] => {
  const found = HashMap.get(store, key)
  if (Option.isSome(found) && isLive(found.value, now)) {
    const entry = found.value
    if (entry.fingerprint !== fingerprint) {
      return [{ _tag: "Answer", outcome: invalidReuse(key), replayed: false }, store]
    }
    if (entry._tag === "Running") return [{ _tag: "Answer", outcome: concurrentUse(key), replayed: false }, store]
    return [{ _tag: "Answer", outcome: entry.outcome, replayed: true }, store]
  }
  return [{ _tag: "Run", ticket }, HashMap.set(store, key, { _tag: "Running", fingerprint, ticket })]
}

const prune = (store: Store, now: number): Store => {
  if (HashMap.size(store) <= maxEntries) return store
  const live = HashMap.filter(store, (entry) => isLive(entry, now))
  if (HashMap.size(live) <= maxEntries * 0.9) return live
  const done = Array.from(live).flatMap(([key, entry]) => entry._tag === "Done" ? [[key, entry.storedAt] as const] : [])
  done.sort((a, b) => a[1] - b[1])
  const excess = HashMap.size(live) - Math.floor(maxEntries * 0.9)
  return HashMap.removeMany(live, done.slice(0, excess).map(([key]) => key))
}

/**
 * Ends a run: stores a cacheable answer, or frees the key (an answer that is
 * not cacheable, or no answer at all when the run was interrupted). Does
 * nothing if the key no longer holds this run's ticket.
 *
 * @since 0.1.0
 * @category idempotency
 */
export const finish = (
  store: Store,
  key: string,
  ticket: number,
  outcome: Outcome | undefined,
  now: number
): Store => {
  const found = HashMap.get(store, key)
  if (Option.isNone(found) || found.value._tag !== "Running" || found.value.ticket !== ticket) return store
  if (outcome === undefined || !isCacheable(outcome)) return HashMap.remove(store, key)
  return prune(
    HashMap.set(store, key, { _tag: "Done", fingerprint: found.value.fingerprint, outcome, storedAt: now }),
    now
  )
}
