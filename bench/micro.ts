/**
 * The figures measured without HTTP, for either Effect line: decoding one
 * FDX token, calls per second on the in-memory layer, and decoding a page of
 * 100 tokens against 100 single decodes. No Effect here: a line hands in its
 * own decoders and its own call loop (`Micro`), so that both lines are
 * measured by the same code. Used by the harness in its own process (after
 * the contenders) and by `aloneMain` in a fresh one.
 */
import { readFileSync } from "node:fs"
import { fdxTokenPages, PAGE } from "./fdxPages.mjs"

/** What a line gives the figures measured without HTTP. */
export interface Micro {
  /** The line's `Schema.decodeUnknownSync(FdxToken)`. */
  readonly decodeToken: (wire: unknown) => unknown
  /** The line's `Schema.decodeUnknownSync(FdxTokenPage)`. */
  readonly decodePage: (
    wire: unknown
  ) => { readonly fdxTokens: ReadonlyArray<{ readonly id: string }>; readonly nextPageToken?: string | undefined }
  /**
   * A fresh runtime of the line's `SyncteraTest.layer()`: `loop(n)` makes n
   * sequential `getFdxToken` calls of a seeded token in one fiber.
   */
  readonly inMemory: () => {
    readonly loop: (count: number) => Promise<void>
    readonly dispose: () => Promise<void>
  }
}

/** The median (the upper one of an even count). */
export const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

/** The value at `key` of a parsed JSON object, if it is one. */
const field = (value: unknown, key: string): unknown =>
  typeof value === "object" && value !== null ? Reflect.get(value, key) : undefined

/** The bench server's bodies (`bodies.json`): the FDX token, as the wire has it. */
const bodies = (): { readonly fdxToken: unknown } => ({
  fdxToken: field(JSON.parse(readFileSync(new URL("./bodies.json", import.meta.url), "utf8")), "fdxToken")
})

/** µs per decode of one FDX token (the body the bench server sends). */
export const decodeMicros = (micro: Micro, quick: boolean): number => {
  const wire = bodies().fdxToken
  micro.decodeToken(wire) // throws if the bench's token does not decode
  const n = quick ? 20_000 : 100_000
  // A long warm-up (the optimizing compiler), then the median of batches. (No
  // forced collection between batches: after one, V8 shrinks the young
  // generation and the next batch runs ≈ 30% slower than the steady state.)
  for (let i = 0; i < n / 2; i++) micro.decodeToken(wire)
  const batches: Array<number> = []
  for (let batch = 0; batch < 7; batch++) {
    const start = performance.now()
    for (let i = 0; i < n / 5; i++) micro.decodeToken(wire)
    batches.push(((performance.now() - start) * 1000) / (n / 5))
  }
  return median(batches)
}

/** Sequential FDX-token calls per second on the line's in-memory layer. */
export const inMemoryCallsPerSecond = async (micro: Micro, quick: boolean): Promise<number> => {
  const { dispose, loop } = micro.inMemory()
  const n = quick ? 20_000 : 100_000
  await loop(n / 2) // warm-up, then the median of batches (as for the decode)
  const rates: Array<number> = []
  for (let batch = 0; batch < 7; batch++) {
    const start = performance.now()
    await loop(n / 5)
    rates.push(n / 5 / ((performance.now() - start) / 1000))
  }
  await dispose()
  return median(rates)
}

/** A page decode against 100 single decodes: µs of each, and their ratio. */
export interface PageDecode {
  readonly pageMicros: number
  readonly singlesMicros: number
  readonly ratio: number
}

/**
 * A page of 100 tokens (`FdxTokenPage`) against 100 single `FdxToken` decodes
 * of the same items: µs for each, and the ratio page / singles (the median of
 * the batches' ratios; each batch times both, in alternating order, so that
 * drift hits them alike). The input is the server's first page body, parsed
 * (`JSON.parse`) once, as the client decodes it.
 */
export const pageDecode = (micro: Micro, quick: boolean): PageDecode => {
  const page: unknown = JSON.parse(JSON.stringify(fdxTokenPages(bodies().fdxToken)[0]))
  const list = field(page, "fdx_tokens")
  const items: ReadonlyArray<unknown> = Array.isArray(list) ? list : []
  const decoded = micro.decodePage(page)
  if (items.length !== PAGE || decoded.fdxTokens.length !== PAGE || decoded.nextPageToken !== String(PAGE)) {
    throw new Error("the benchmark's FDX token page does not decode to 100 tokens")
  }
  const singles = () => {
    for (let i = 0; i < items.length; i++) micro.decodeToken(items[i])
  }
  // As for the single decode: a long warm-up (both), then the median of batches.
  const n = quick ? 200 : 1_000 // pages (of 100 tokens) per batch ×5
  for (let i = 0; i < n / 2; i++) {
    micro.decodePage(page)
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
      p = timed(() => micro.decodePage(page))
      s = timed(singles)
    } else {
      s = timed(singles)
      p = timed(() => micro.decodePage(page))
    }
    pages.push(p)
    single.push(s)
    ratios.push(p / s)
  }
  return { pageMicros: median(pages), singlesMicros: median(single), ratio: median(ratios) }
}

/**
 * The body of a line's "alone" script, run by the harness as a child
 * process: the decode and in-memory figures in a fresh process, before any
 * other code has run through Effect's runtime and Schema (which makes V8's
 * call sites there polymorphic and slower). Prints one JSON line. With
 * `--page`, only the page decode against single decodes, in a process of its
 * own (so that it neither follows nor precedes the other two).
 */
export const aloneMain = async (micro: Micro, argv: ReadonlyArray<string>): Promise<void> => {
  const quick = argv.includes("--quick")
  if (argv.includes("--page")) {
    process.stdout.write(`${JSON.stringify(pageDecode(micro, quick))}\n`)
  } else {
    const decode = decodeMicros(micro, quick)
    const inMemory = await inMemoryCallsPerSecond(micro, quick)
    process.stdout.write(`${JSON.stringify({ decode, inMemory })}\n`)
  }
}
