/**
 * Synctera's idempotency rules, key by key, and a store of keys that keeps
 * them:
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
 * The rules read and give single entries ({@link answerFor},
 * {@link settled}, {@link evictions}), so that any map can hold the keys:
 * {@link makeKeyStore} keeps them in a native `Map`.
 *
 * @since 0.3.0
 */
import { type Failure, failure, isCacheable, type Outcome } from "./Outcome.js"

/**
 * How long an answer is kept: 7 days, in milliseconds.
 *
 * @since 0.3.0
 * @category idempotency
 */
export const retentionMillis = 7 * 24 * 60 * 60 * 1000

/**
 * The most keys kept at once. Past it, expired answers are dropped first,
 * then the oldest ones; a key whose request is running is never dropped.
 *
 * @since 0.3.0
 * @category idempotency
 */
export const maxEntries = 100_000

/**
 * A key whose request is running, under its ticket.
 *
 * @since 0.3.0
 * @category idempotency
 */
export interface Running {
  readonly _tag: "Running"
  readonly fingerprint: string
  readonly ticket: number
}

/**
 * A key that holds its request's answer, since `storedAt` (ms).
 *
 * @since 0.3.0
 * @category idempotency
 */
export interface Done {
  readonly _tag: "Done"
  readonly fingerprint: string
  readonly outcome: Outcome
  readonly storedAt: number
}

/**
 * A key's state.
 *
 * @since 0.3.0
 * @category idempotency
 */
export type Entry = Running | Done

/**
 * An answer given at once for a key: a replay, or a refusal.
 *
 * @since 0.3.0
 * @category idempotency
 */
export interface Answer {
  readonly _tag: "Answer"
  readonly outcome: Outcome
  readonly replayed: boolean
}

/**
 * What to do with a request that carries a key: answer at once (a replay or
 * a refusal), or run it under the given ticket.
 *
 * @since 0.3.0
 * @category idempotency
 */
export type Decision = Answer | { readonly _tag: "Run"; readonly ticket: number }

/**
 * The answer to a key reused for a different request.
 *
 * @since 0.3.0
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
 * @since 0.3.0
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
 * What a request gets from the entry its key holds: a refusal or the stored
 * answer, or `undefined` when it runs (the key holds nothing, or nothing
 * live), in which case the key is to be reserved for it.
 *
 * @since 0.3.0
 * @category idempotency
 */
export const answerFor = (
  entry: Entry | undefined,
  key: string,
  fingerprint: string,
  now: number
): Answer | undefined => {
  if (entry === undefined || !isLive(entry, now)) return undefined
  if (entry.fingerprint !== fingerprint) return { _tag: "Answer", outcome: invalidReuse(key), replayed: false }
  if (entry._tag === "Running") return { _tag: "Answer", outcome: concurrentUse(key), replayed: false }
  return { _tag: "Answer", outcome: entry.outcome, replayed: true }
}

/**
 * Whether `entry` is the reservation of the run that holds `ticket` (a run
 * ends only its own reservation).
 *
 * @since 0.3.0
 * @category idempotency
 */
export const isRunOf = (entry: Entry | undefined, ticket: number): entry is Running =>
  entry !== undefined && entry._tag === "Running" && entry.ticket === ticket

/**
 * What a reserved key holds once its run ended: the answer, when it is
 * cacheable; `undefined` (the key is freed) for an answer that is not, or for
 * no answer at all (the run was interrupted).
 *
 * @since 0.3.0
 * @category idempotency
 */
export const settled = (entry: Running, outcome: Outcome | undefined, now: number): Done | undefined =>
  outcome === undefined || !isCacheable(outcome)
    ? undefined
    : { _tag: "Done", fingerprint: entry.fingerprint, outcome, storedAt: now }

/**
 * The keys to drop from a store of `size` entries: none up to
 * {@link maxEntries}; past it, every expired answer, and then, if more than
 * 90% of the limit is still live, the oldest answers down to 90%.
 *
 * @since 0.3.0
 * @category idempotency
 */
export const evictions = (
  entries: Iterable<readonly [string, Entry]>,
  size: number,
  now: number
): ReadonlyArray<string> => {
  if (size <= maxEntries) return []
  const expired: Array<string> = []
  const done: Array<readonly [string, number]> = []
  let live = 0
  for (const [key, entry] of entries) {
    if (!isLive(entry, now)) {
      expired.push(key)
    } else {
      live++
      if (entry._tag === "Done") done.push([key, entry.storedAt])
    }
  }
  if (live <= maxEntries * 0.9) return expired
  done.sort((a, b) => a[1] - b[1])
  const excess = live - Math.floor(maxEntries * 0.9)
  return [...expired, ...done.slice(0, excess).map(([key]) => key)]
}

/**
 * The keys of one model, in a native `Map`, changed in place.
 *
 * @since 0.3.0
 * @category idempotency
 */
export interface KeyStore {
  /** Decides what a request with `key` gets, and reserves the key (under a fresh ticket) when it runs. */
  readonly begin: (key: string, fingerprint: string, now: number) => Decision
  /**
   * Ends a run: keeps a cacheable answer, or frees the key (an answer that is
   * not cacheable, or `undefined` when the run was interrupted). Does nothing
   * if the key no longer holds this run's ticket.
   */
  readonly finish: (key: string, ticket: number, outcome: Outcome | undefined, now: number) => void
}

/**
 * An empty {@link KeyStore}.
 *
 * @since 0.3.0
 * @category idempotency
 */
export const makeKeyStore = (): KeyStore => {
  const entries = new Map<string, Entry>()
  let tickets = 0
  return {
    begin: (key, fingerprint, now) => {
      const answer = answerFor(entries.get(key), key, fingerprint, now)
      if (answer !== undefined) return answer
      const ticket = ++tickets
      entries.set(key, { _tag: "Running", fingerprint, ticket })
      return { _tag: "Run", ticket }
    },
    finish: (key, ticket, outcome, now) => {
      const entry = entries.get(key)
      if (!isRunOf(entry, ticket)) return
      const done = settled(entry, outcome, now)
      if (done === undefined) {
        entries.delete(key)
        return
      }
      entries.set(key, done)
      for (const evicted of evictions(entries, entries.size, now)) entries.delete(evicted)
    }
  }
}
