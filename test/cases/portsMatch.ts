/**
 * liveEngine.ts's patterns (`Pattern`, `is`) for any plain observation, not
 * only a live run's: the ports' shared cases (`retryTiming.ts`,
 * `configCases.ts`, `deepNesting.ts`, …) write what they expect with the
 * same matchers, and each line's driver compares `actual` with `expected`
 * (`expect(actual).toEqual(expected)`), so that a mismatch shows where.
 *
 * liveEngine.ts keeps its matching to itself (`verdict` takes a live run);
 * rather than write the matchers again, {@link matching} hands it a run whose
 * one outcome is the observation. Nothing of a run but that outcome is
 * looked at.
 */
import type { Json } from "./behaviour.js"
import { is, type LiveRun, type Pattern, verdict } from "./liveEngine.js"

const isRecord = (value: unknown): value is { readonly [key: string]: unknown } =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** The only outcome of a verdict's `outcomes`, unwrapped from its `{ ok }`. */
const onlyOutcome = (observed: unknown): unknown => {
  if (!isRecord(observed) || !Array.isArray(observed.outcomes)) return observed
  const [first]: ReadonlyArray<unknown> = observed.outcomes
  return isRecord(first) && "ok" in first ? first.ok : first
}

/**
 * `actual` as `pattern` sees it (the pattern itself where they agree,
 * `actual` where they do not, only the keys the pattern lists), and the
 * pattern: equal exactly when `actual` matches. `origin` is what
 * `is.atServer` is relative to.
 */
export const matching = (
  actual: Json,
  pattern: Pattern,
  origin = ""
): { readonly actual: unknown; readonly expected: Pattern } => {
  const run: LiveRun = {
    name: "a plain observation",
    transport: "undici",
    apiKey: "",
    options: {},
    calls: [],
    expect: { outcomes: [{ ok: pattern }] }
  }
  // A run with no `differs`: the line is not looked at.
  const seen = verdict(run, "effect3", {
    outcomes: [{ ok: actual }],
    requests: [],
    stats: { flooded: 0, arrivals: [] },
    origin
  })
  return { actual: onlyOutcome(seen.actual), expected: pattern }
}

/** A number of `bound` or less (liveEngine.ts has `is.below`, strict, and `is.atLeast`). */
export const atMost = (bound: number): Pattern => is.not(is.all(is.atLeast(bound), is.not(is.exactly(bound))))

/** A number from `from` to `to`, both included: a jittered wait, say. */
export const within = (from: number, to: number): Pattern => is.all(is.atLeast(from), atMost(to))
