/**
 * The figures measured without HTTP: decoding one FDX token, calls per
 * second on the in-memory layer, and decoding a page of 100 tokens against
 * 100 single decodes. Used by `run.ts` in its own process (after the
 * contenders) and by `alone.ts` in a fresh one.
 */
import { Effect, ManagedRuntime, Predicate, Schema } from "effect"
import { readFileSync } from "node:fs"
import type * as Library from "../src/index.js"
import type * as LibraryTesting from "../src/testing.js"
import { fdxTokenPages, PAGE } from "./fdxPages.mjs"

// The built package (`npm run bench` builds it first), which is what users
// run; the types are the sources'. (Run from the sources, every closure also
// pays for tsx's `__name` wrapper: ≈ 10–30% more CPU on the in-memory layer.)
const dist = new URL("../dist/src/", import.meta.url)
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

/**
 * A page of 100 tokens (`FdxTokenPage`) against 100 single `FdxToken` decodes
 * of the same items: µs for each, and the ratio page / singles (the median of
 * the batches' ratios; each batch times both, in alternating order, so that
 * drift hits them alike). The input is the server's first page body, parsed
 * (`JSON.parse`) once, as the client decodes it.
 */
export const pageDecode = (quick: boolean): { pageMicros: number; singlesMicros: number; ratio: number } => {
  const bodies: unknown = JSON.parse(readFileSync(new URL("./bodies.json", import.meta.url), "utf8"))
  const first = fdxTokenPages(Predicate.isRecord(bodies) ? bodies["fdxToken"] : undefined)[0]
  const page: unknown = JSON.parse(JSON.stringify(first))
  const items: ReadonlyArray<unknown> = Predicate.isRecord(page) && Array.isArray(page["fdx_tokens"])
    ? page["fdx_tokens"]
    : []
  const decodePage = Schema.decodeUnknownSync(library.FdxTokenPage)
  const decodeToken = Schema.decodeUnknownSync(library.FdxToken)
  const decoded = decodePage(page)
  if (items.length !== PAGE || decoded.fdxTokens.length !== PAGE || decoded.nextPageToken !== String(PAGE)) {
    throw new Error("the benchmark's FDX token page does not decode to 100 tokens")
  }
  const singles = () => {
    for (let i = 0; i < items.length; i++) decodeToken(items[i])
  }
  // As for the single decode: a long warm-up (both), then the median of batches.
  const n = quick ? 200 : 1_000 // pages (of 100 tokens) per batch ×5
  for (let i = 0; i < n / 2; i++) {
    decodePage(page)
    singles()
  }
  const timed = (run: () => unknown): number => {
    const start = performance.now()
    for (let i = 0; i < n / 5; i++) run()
    return ((performance.now() - start) * 1000) / (n / 5)
  }
  const pages: Array<number> = []
  const single: Array<number> = []
  const ratios: Array<number> = []
  for (let batch = 0; batch < 7; batch++) {
    let p: number
    let s: number
    if (batch % 2 === 0) {
      p = timed(() => decodePage(page))
      s = timed(singles)
    } else {
      s = timed(singles)
      p = timed(() => decodePage(page))
    }
    pages.push(p)
    single.push(s)
    ratios.push(p / s)
  }
  return { pageMicros: median(pages), singlesMicros: median(single), ratio: median(ratios) }
}
