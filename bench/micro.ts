/**
 * The two figures measured without HTTP: decoding one FDX token, and calls
 * per second on the in-memory layer. Used by `run.ts` in its own process
 * (after the contenders) and by `alone.ts` in a fresh one.
 */
import { Effect, ManagedRuntime, Predicate, Schema } from "effect"
import { readFileSync } from "node:fs"
import type * as Library from "../src/index.js"
import type * as LibraryTesting from "../src/testing.js"

// The built package (`npm run bench` builds it first), which is what users
// run; the types are the sources'. (Run from the sources, every closure also
// pays for tsx's `__name` wrapper: ≈ 10–30% more CPU on the in-memory layer.)
const dist = new URL("../dist/", import.meta.url)
export const library: typeof Library = await import(new URL("index.js", dist).href)
export const testing: typeof LibraryTesting = await import(new URL("testing.js", dist).href)

export const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

/** µs per decode of one FDX token (the body the bench server sends). */
export const decodeMicros = (quick: boolean): number => {
  // The FDX body the bench server sends.
  const bodies: unknown = JSON.parse(readFileSync(new URL("./bodies.json", import.meta.url), "utf8"))
  const wire = Predicate.isRecord(bodies) ? bodies["fdxToken"] : undefined
  const decode = Schema.decodeUnknownEither(library.FdxToken)
  if (decode(wire)._tag !== "Right") throw new Error("the benchmark's FDX token does not decode")
  const n = quick ? 20_000 : 100_000
  // A long warm-up (the optimizing compiler), then the median of batches. (No
  // forced collection between batches: after one, V8 shrinks the young
  // generation and the next batch runs ≈ 30% slower than the steady state.)
  for (let i = 0; i < n / 2; i++) decode(wire)
  const batches: Array<number> = []
  for (let batch = 0; batch < 7; batch++) {
    const start = performance.now()
    for (let i = 0; i < n / 5; i++) decode(wire)
    batches.push(((performance.now() - start) * 1000) / (n / 5))
  }
  return median(batches)
}

/** Sequential FDX-token calls per second on `SyncteraTest.layer()`. */
export const inMemoryCallsPerSecond = async (quick: boolean): Promise<number> => {
  const runtime = ManagedRuntime.make(testing.SyncteraTest.layer())
  const n = quick ? 20_000 : 100_000
  const call = library.Synctera.getFdxToken({ fdxTokenId: testing.sandboxIds.fdxTokens.enabledAccess })
  const loop = (count: number) =>
    runtime.runPromise(Effect.gen(function*() {
      for (let i = 0; i < count; i++) yield* call
    }))
  await loop(n / 2) // warm-up, then the median of batches (as for the decode)
  const rates: Array<number> = []
  for (let batch = 0; batch < 7; batch++) {
    const start = performance.now()
    await loop(n / 5)
    rates.push(n / 5 / ((performance.now() - start) / 1000))
  }
  await runtime.dispose()
  return median(rates)
}
