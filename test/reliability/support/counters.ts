/**
 * The counters of a reliability run, shared by the test files and the global
 * teardown (no test-runtime imports here).
 */

declare module "vitest" {
  export interface ProvidedContext {
    /** Where the test files write their figure fragments. */
    reliabilityFiguresDir: string
  }
}

/** Counters that add up across files. */
export interface Counters {
  /** Logical client calls made. */
  calls: number
  /** HTTP requests the suite's servers or transports received. */
  requests: number
  /** Calls that ended in a defect (a die or an interruption) instead of a value or a typed error. */
  defects: number
  /** Side effects done twice for one logical call (tokens issued twice for one idempotency key). */
  duplicates: number
  /** Calls that did not end within their deadline. */
  hangs: number
  /** Observed texts (errors, log lines, span attributes, printed output) that held the API key. */
  keyLeaks: number
  /** Sockets, servers or fibers still open after a test closed everything. */
  resourceLeaks: number
  /** Requests sent for an input that should have been refused before sending. */
  invalidInputSent: number
  /** Observed texts searched for the key. */
  textsSearched: number
}

/** One file's fragment. */
export interface Fragment {
  readonly file: string
  readonly counters: Counters
  readonly sections: Record<string, unknown>
}

export const emptyCounters = (): Counters => ({
  calls: 0,
  requests: 0,
  defects: 0,
  duplicates: 0,
  hangs: 0,
  keyLeaks: 0,
  resourceLeaks: 0,
  invalidInputSent: 0,
  textsSearched: 0
})
