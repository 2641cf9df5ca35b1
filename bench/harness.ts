/**
 * The bench, written once for both Effect lines: the contenders, rounds,
 * medians, the stream walks, the heap readings, the targets, the comparison
 * with the previous run and the results file. No Effect here: a line hands
 * in what only it can make (`Line`: its layers as contenders, its stream, its
 * machinery toggles, its decoders) and `runBench` does the rest, so that the
 * Effect 3 line (`bench/run.ts`, Node 20 through tsx) and the Effect 4 line
 * (`effect4/bench/run.mjs`, Node 22, which runs this file by stripping its
 * types) are measured by the same code against the same targets.
 *
 *   A  undici.request + JSON.parse (the floor)
 *   B  global fetch + res.json()
 *   C  SyncteraLive.layerNode (recommended)
 *   D  SyncteraLive.layer on NodeHttpClient.layerUndici
 *   E  SyncteraLive.layer on FetchHttpClient.layer
 *   F  SyncteraTest.layer (in memory)
 *
 * Talks only to 127.0.0.1 (bench/server.mjs, in its own process); bounded
 * call counts. See bench/README.md for what each figure means.
 */
import { execFileSync, fork } from "node:child_process"
import { mkdirSync, readFileSync, writeFileSync } from "node:fs"
import * as os from "node:os"
import { PAGE, TOKENS } from "./fdxPages.mjs"
import { decodeMicros, inMemoryCallsPerSecond, median, type Micro, type PageDecode, pageDecode } from "./micro.ts"

/** The two endpoints the contenders call. */
export type Endpoint = "fdx" | "widget"
const endpoints: ReadonlyArray<Endpoint> = ["fdx", "widget"]

/** The ids the bench server answers for. */
export const benchIds = {
  cardId: "7d943c51-e4ff-4e57-9558-08cab6b963c7",
  fdxTokenId: "3c90c3cc-0d44-4b50-8888-8dd25736052a"
} as const

/** The API key every contender sends. */
export const benchApiKey = "bench-key"

/** A figure of the results file that got worse by more than this is flagged. */
const REGRESSION = 0.2
/** A's CPU per FDX call on the machine of the issue's figures (µs). */
const referenceCpu = 50

/** How much the bench does: a full run, or a `--quick` smoke run. */
export interface Settings {
  readonly quick: boolean
  readonly rounds: number
  /** Sequential calls per contender, endpoint and round (also the length of a machinery loop). */
  readonly sequential: number
  readonly concurrent: number
  readonly inFlight: number
  readonly streamRounds: number
  readonly streamWalks: number
  /** Walks between the two heap readings of the stream's heap check. */
  readonly heapWalks: number
}

const settingsOf = (quick: boolean): Settings => ({
  quick,
  rounds: quick ? 1 : 3,
  sequential: quick ? 500 : 2_000,
  concurrent: quick ? 2_000 : 6_000,
  inFlight: 64,
  streamRounds: quick ? 1 : 5,
  streamWalks: quick ? 3 : 7,
  heapWalks: quick ? 5 : 20
})

/** What one contender can do, for one endpoint. */
export interface Contender {
  readonly id: string
  readonly name: string
  /** Runs n calls one after the other; returns each latency in µs. */
  readonly sequential: (endpoint: Endpoint, n: number) => Promise<Array<number>>
  /** Runs n calls with `inFlight` at a time. */
  readonly concurrent: (endpoint: Endpoint, n: number, inFlight: number) => Promise<void>
}

/** A contender made of a promise-returning call (A and B). */
const promiseContender = (id: string, name: string, call: (endpoint: Endpoint) => Promise<unknown>): Contender => ({
  id,
  name,
  sequential: async (endpoint, n) => {
    const latencies: Array<number> = []
    for (let i = 0; i < n; i++) {
      const start = performance.now()
      await call(endpoint)
      latencies.push((performance.now() - start) * 1000)
    }
    return latencies
  },
  concurrent: async (endpoint, n, inFlight) => {
    let started = 0
    await Promise.all(Array.from({ length: inFlight }, async () => {
      while (started < n) {
        started++
        await call(endpoint)
      }
    }))
  }
})

/** The part of undici's `request` the floor uses (each line passes its own undici). */
export type Request = (
  url: string,
  options: { readonly headers: Record<string, string> }
) => Promise<{ readonly body: { readonly text: () => Promise<string> } }>

/** Where the line's contenders talk to: the bench server. */
export interface Server {
  /** `http://127.0.0.1:<port>/v1` */
  readonly baseUrl: string
  readonly apiKey: string
}

/** What the line's `layerNode` runtime (C) does besides the contenders' calls. */
export interface LayerNodeExtras {
  /** `streamFdxTokens({ limit: PAGE })`, folded to the count of tokens with an id; `onToken` sees the count so far. */
  readonly walk: (onToken?: (count: number) => void) => Promise<number>
  /** The same stream, `Stream.runDrain`. */
  readonly drain: () => Promise<void>
  /** The distinct ids the stream yields. */
  readonly distinctIds: () => Promise<number>
  /** The first n tokens, collected (`Stream.take` + `runCollect`): what keeping them costs. */
  readonly keep: (n: number) => Promise<ReadonlyArray<unknown>>
  /**
   * `settings.sequential` sequential `getFdxToken` calls, for the costs of
   * machinery that is armed but does not fire: on C with tracing on or off;
   * on C with a tracer that records every span; and on a `layerNode` with
   * `retry: false, retryBudget: false`.
   */
  readonly loops: {
    readonly armed: (tracing: boolean) => Promise<void>
    readonly recording: () => Promise<void>
    readonly bare: () => Promise<void>
  }
  /** How many spans the recording tracer saw (it must see some). */
  readonly recordedSpans: () => number
}

/** The line's contenders C–F, with C's extras, made for one server. */
export interface LineRun {
  /** C first (`layerNode`), then D, E and F. */
  readonly contenders: ReadonlyArray<Contender>
  readonly layerNode: LayerNodeExtras
  readonly dispose: () => Promise<void>
}

/** What a line gives the bench. */
export interface Line {
  /** Printed in the title, e.g. `effect-synctera/effect4`. */
  readonly title: string
  /** Where the results go (and the previous run is read from). */
  readonly results: URL
  /** The line's undici `request`, for the floor (A). */
  readonly request: Request
  /** The line's decoders and in-memory loop, measured in this process after the contenders. */
  readonly micro: Micro
  /** Node's arguments that run the line's alone script (`aloneMain`) in a fresh process. */
  readonly aloneArgs: ReadonlyArray<string>
  readonly make: (server: Server, settings: Settings) => Promise<LineRun>
}

const write = (line: string) => process.stdout.write(`${line}\n`)

const percentile = (values: ReadonlyArray<number>, p: number): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN
}

interface Sample {
  readonly p50: number
  readonly p99: number
  readonly throughput: number
  readonly cpuPerCall: number
}

/** One walk through the list: tokens per second (wall) and CPU µs per token. */
interface StreamSample {
  readonly tokensPerSecond: number
  readonly cpuPerToken: number
}

/** What a parsed JSON value holds at `path`, if anything. */
const valueAt = (value: unknown, ...path: ReadonlyArray<string>): unknown => {
  let at = value
  for (const key of path) at = typeof at === "object" && at !== null ? Reflect.get(at, key) : undefined
  return at
}

/** A parsed JSON value's number at `path`, if there is one. */
const numberAt = (value: unknown, ...path: ReadonlyArray<string>): number | undefined => {
  const at = valueAt(value, ...path)
  return typeof at === "number" && Number.isFinite(at) ? at : undefined
}

/** The figures compared between runs: each a ratio to A or a scaled figure, and which way is better. */
const comparedFigures = (
  results: unknown
): Array<{ figure: string; value: number | undefined; better: "higher" | "lower" }> => [
  ...endpoints.flatMap((endpoint) =>
    ["B", "C", "D", "E", "F"].flatMap((id) => [
      {
        figure: `${endpoint} ${id} throughput × A`,
        value: numberAt(results, "endpoints", endpoint, id, "ratios", "throughput"),
        better: "higher" as const
      },
      {
        figure: `${endpoint} ${id} CPU × A`,
        value: numberAt(results, "endpoints", endpoint, id, "ratios", "cpu"),
        better: "lower" as const
      },
      {
        figure: `${endpoint} ${id} p50 × A`,
        value: numberAt(results, "endpoints", endpoint, id, "ratios", "p50"),
        better: "lower" as const
      }
    ])
  ),
  {
    figure: "decode µs alone, at the reference speed",
    value: numberAt(results, "atReferenceSpeed", "decodeMicros"),
    better: "lower"
  },
  {
    figure: "in-memory calls/s alone, at the reference speed",
    value: numberAt(results, "atReferenceSpeed", "inMemoryCallsPerSecond"),
    better: "higher"
  },
  { figure: "stream tokens/s × A", value: numberAt(results, "stream", "ratios", "tokensPerSecond"), better: "higher" },
  {
    figure: "stream tokens/s × A+",
    value: numberAt(results, "stream", "ratios", "tokensPerSecondToDecoding"),
    better: "higher"
  },
  { figure: "stream CPU per token × A", value: numberAt(results, "stream", "ratios", "cpu"), better: "lower" },
  { figure: "page decode × 100 single decodes", value: numberAt(results, "pageDecode", "ratio"), better: "lower" }
]

/**
 * Runs the whole bench for `line` (`--quick` in `argv`: a smoke run, compared
 * but not written) and writes its results file.
 */
export const runBench = async (line: Line, argv: ReadonlyArray<string>): Promise<void> => {
  const settings = settingsOf(argv.includes("--quick"))
  const { concurrent: CONCURRENT, inFlight: IN_FLIGHT, quick, rounds: ROUNDS, sequential: SEQUENTIAL } = settings
  const server = fork(new URL("./server.mjs", import.meta.url).pathname)
  const port = await new Promise<number>((resolve) => server.once("message", (port) => resolve(Number(port))))
  const baseUrl = `http://127.0.0.1:${port}/v1`
  const urls: Record<Endpoint, string> = {
    fdx: `${baseUrl}/fdx_tokens/${benchIds.fdxTokenId}`,
    widget: `${baseUrl}/cards/${benchIds.cardId}/widget_token?widget_type=REVEAL`
  }
  const headers = { authorization: `Bearer ${benchApiKey}`, accept: "application/json" }
  const run = await line.make({ baseUrl, apiKey: benchApiKey }, settings)
  const node = run.layerNode
  const contenders: ReadonlyArray<Contender> = [
    promiseContender("A", "undici.request + JSON.parse", async (endpoint) => {
      const response = await line.request(urls[endpoint], { headers })
      return JSON.parse(await response.body.text())
    }),
    promiseContender("B", "global fetch + res.json()", async (endpoint) => {
      const response = await fetch(urls[endpoint], { headers })
      return response.json()
    }),
    ...run.contenders
  ]
  const c = run.contenders[0]
  if (c === undefined || c.id !== "C") throw new Error("a line's first contender is C, its layerNode")

  write(
    `${line.title} benchmark: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), Node ${process.version}`
  )
  write(
    `${ROUNDS} interleaved rounds; ${SEQUENTIAL} sequential calls and ${CONCURRENT} calls at ${IN_FLIGHT} in flight per contender, endpoint and round\n`
  )

  /** One round of one contender on one endpoint. */
  const measure = async (contender: Contender, endpoint: Endpoint): Promise<Sample> => {
    await contender.sequential(endpoint, Math.ceil(SEQUENTIAL / 4)) // warm-up
    const latencies = await contender.sequential(endpoint, SEQUENTIAL)
    const cpuStart = process.cpuUsage()
    const wallStart = performance.now()
    await contender.concurrent(endpoint, CONCURRENT, IN_FLIGHT)
    const seconds = (performance.now() - wallStart) / 1000
    const cpu = process.cpuUsage(cpuStart)
    return {
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      throughput: CONCURRENT / seconds,
      cpuPerCall: (cpu.user + cpu.system) / CONCURRENT
    }
  }

  // The list, page after page. A+ is A that also decodes each page with the
  // line's `FdxTokenPage`, as any client that hands out validated tokens with
  // `DateTime.Utc` timestamps must: the floor for what the stream itself adds.
  const listUrl = `${baseUrl}/fdx_tokens?limit=${PAGE}`
  const rawWalk = (decode: boolean) => async (): Promise<number> => {
    let count = 0
    let pageToken: string | undefined
    do {
      const url = pageToken === undefined ? listUrl : `${listUrl}&page_token=${encodeURIComponent(pageToken)}`
      const response = await line.request(url, { headers })
      const page = JSON.parse(await response.body.text()) as {
        readonly fdx_tokens: ReadonlyArray<{ readonly id?: unknown }>
        readonly next_page_token?: string
      }
      const items: ReadonlyArray<{ readonly id?: unknown }> = decode
        ? line.micro.decodePage(page).fdxTokens
        : page.fdx_tokens
      for (const token of items) if (typeof token.id === "string") count++
      pageToken = page.next_page_token
    } while (pageToken !== undefined)
    return count
  }
  const streamContenders = [
    { id: "A", name: "undici.request + JSON.parse, page after page", walk: rawWalk(false) },
    { id: "A+", name: "the same, each page decoded with FdxTokenPage", walk: rawWalk(true) },
    { id: "C", name: "streamFdxTokens on layerNode, Stream.runFold over each token", walk: () => node.walk() },
    { id: "C'", name: "the same, Stream.runDrain", walk: () => node.drain().then(() => TOKENS) }
  ] as const
  // The stream yields each of the 10,000 distinct tokens, once.
  const distinct = await node.distinctIds()
  if (distinct !== TOKENS) throw new Error(`streamFdxTokens saw ${distinct} distinct tokens, not ${TOKENS}`)

  const samples = new Map<string, Array<Sample>>()
  for (let round = 1; round <= ROUNDS; round++) {
    for (const endpoint of endpoints) {
      for (const contender of contenders) {
        const sample = await measure(contender, endpoint)
        const key = `${endpoint}:${contender.id}`
        samples.set(key, [...(samples.get(key) ?? []), sample])
      }
    }
    write(`round ${round}/${ROUNDS} done`)
  }

  const summary = (endpoint: Endpoint, id: string): Sample => {
    const rounds = samples.get(`${endpoint}:${id}`) ?? []
    return {
      p50: median(rounds.map((s) => s.p50)),
      p99: median(rounds.map((s) => s.p99)),
      throughput: median(rounds.map((s) => s.throughput)),
      cpuPerCall: median(rounds.map((s) => s.cpuPerCall))
    }
  }

  const table: Record<string, Record<string, Sample & { ratios: { throughput: number; cpu: number; p50: number } }>> =
    {}
  for (const endpoint of endpoints) {
    const floor = summary(endpoint, "A")
    write(
      `\n${
        endpoint === "fdx" ? "GET /fdx_tokens/{id}" : "GET /cards/{id}/widget_token"
      } (ratios to A, median of rounds)`
    )
    write("| contender | calls/s @64 | × A | CPU µs/call | × A | p50 µs | × A | p99 µs |")
    write("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    const rows: Record<string, Sample & { ratios: { throughput: number; cpu: number; p50: number } }> = {}
    for (const contender of contenders) {
      const s = summary(endpoint, contender.id)
      const ratios = {
        throughput: s.throughput / floor.throughput,
        cpu: s.cpuPerCall / floor.cpuPerCall,
        p50: s.p50 / floor.p50
      }
      rows[contender.id] = { ...s, ratios }
      write(
        `| ${contender.id} ${contender.name} | ${s.throughput.toFixed(0)} | ${ratios.throughput.toFixed(2)} | ${
          s.cpuPerCall.toFixed(0)
        } | ${ratios.cpu.toFixed(2)} | ${s.p50.toFixed(0)} | ${ratios.p50.toFixed(2)} | ${s.p99.toFixed(0)} |`
      )
    }
    table[endpoint] = rows
  }

  // The stream, in rounds of its own after the contenders' (which stay as they
  // were): the stream contenders alternate walk by walk, the order rotating
  // each walk.
  const walkSample = async (walk: () => Promise<number>): Promise<StreamSample> => {
    const cpuStart = process.cpuUsage()
    const wallStart = performance.now()
    const tokens = await walk()
    const seconds = (performance.now() - wallStart) / 1000
    const cpu = process.cpuUsage(cpuStart)
    if (tokens !== TOKENS) throw new Error(`a walk through the list saw ${tokens} tokens, not ${TOKENS}`)
    return { tokensPerSecond: tokens / seconds, cpuPerToken: (cpu.user + cpu.system) / tokens }
  }
  const streamSamples: Record<string, Array<StreamSample>> = {}
  for (let round = 0; round < settings.streamRounds; round++) {
    for (const contender of streamContenders) await contender.walk() // warm-up
    const rounds: Record<string, Array<StreamSample>> = {}
    for (let walk = 0; walk < settings.streamWalks; walk++) {
      const first = (walk + round) % streamContenders.length
      const order = [...streamContenders.slice(first), ...streamContenders.slice(0, first)]
      for (const contender of order) {
        const sample = await walkSample(contender.walk)
        rounds[contender.id] = [...(rounds[contender.id] ?? []), sample]
      }
    }
    for (const { id } of streamContenders) {
      const walks = rounds[id] ?? []
      streamSamples[id] = [...(streamSamples[id] ?? []), {
        tokensPerSecond: median(walks.map((s) => s.tokensPerSecond)),
        cpuPerToken: median(walks.map((s) => s.cpuPerToken))
      }]
    }
  }
  const streamSummary = (id: string): StreamSample => ({
    tokensPerSecond: median((streamSamples[id] ?? []).map((s) => s.tokensPerSecond)),
    cpuPerToken: median((streamSamples[id] ?? []).map((s) => s.cpuPerToken))
  })
  const streamFloor = streamSummary("A")
  const decodingFloor = streamSummary("A+")
  const streamLib = streamSummary("C")
  const stream = {
    A: streamFloor,
    "A+": decodingFloor,
    C: streamLib,
    "C'": streamSummary("C'"),
    ratios: {
      tokensPerSecond: streamLib.tokensPerSecond / streamFloor.tokensPerSecond,
      cpu: streamLib.cpuPerToken / streamFloor.cpuPerToken,
      tokensPerSecondToDecoding: streamLib.tokensPerSecond / decodingFloor.tokensPerSecond
    }
  }
  write(
    `\nGET /fdx_tokens, ${TOKENS} tokens in pages of ${PAGE}, one page at a time (median of ${settings.streamRounds} rounds of ${settings.streamWalks} walks, ratios to A)`
  )
  write("| contender | tokens/s | × A | × A+ | CPU µs/token | × A |")
  write("| --- | ---: | ---: | ---: | ---: | ---: |")
  for (const contender of streamContenders) {
    const s = streamSummary(contender.id)
    write(
      `| ${contender.id} ${contender.name} | ${s.tokensPerSecond.toFixed(0)} | ${
        (s.tokensPerSecond / streamFloor.tokensPerSecond).toFixed(2)
      } | ${(s.tokensPerSecond / decodingFloor.tokensPerSecond).toFixed(2)} | ${s.cpuPerToken.toFixed(2)} | ${
        (s.cpuPerToken / streamFloor.cpuPerToken).toFixed(2)
      } |`
    )
  }

  // The cost of machinery that is armed but does not fire, on layerNode: CPU
  // per call of sequential calls, pairs alternated over more rounds than the
  // table (these are small differences).
  const cpuPerCall = async (loop: () => Promise<unknown>): Promise<number> => {
    await loop()
    const start = process.cpuUsage()
    await loop()
    await loop()
    const cpu = process.cpuUsage(start)
    return (cpu.user + cpu.system) / (2 * SEQUENTIAL)
  }
  const onOff = {
    retry: { on: [] as Array<number>, off: [] as Array<number> },
    tracing: { on: [] as Array<number>, off: [] as Array<number> }
  }
  const inUse: Array<number> = []
  for (let round = 0; round < ROUNDS * 3; round++) {
    const pairs = [
      async () => onOff.retry.on.push(await cpuPerCall(() => node.loops.armed(true))),
      async () => onOff.retry.off.push(await cpuPerCall(node.loops.bare)),
      async () => onOff.tracing.on.push(await cpuPerCall(() => node.loops.armed(true))),
      async () => onOff.tracing.off.push(await cpuPerCall(() => node.loops.armed(false))),
      async () => inUse.push(await cpuPerCall(node.loops.recording))
    ]
    for (const pair of round % 2 === 0 ? pairs : pairs.reverse()) await pair()
  }
  const retryCost = median(onOff.retry.on) / median(onOff.retry.off) - 1
  const tracingCost = median(onOff.tracing.on) / median(onOff.tracing.off) - 1
  const tracingInUse = median(inUse) / median(onOff.tracing.off) - 1
  if (node.recordedSpans() === 0) throw new Error("the recording tracer saw no span")

  // "Alone": in fresh processes, one after the other (the targets), the median
  // of each figure; and here, after the contenders (`[info]`).
  const alone = <Figures>(args: ReadonlyArray<string>): Array<Figures> =>
    Array.from({ length: quick ? 1 : 3 }, (): Figures =>
      JSON.parse(
        execFileSync(process.execPath, [...line.aloneArgs, ...args, ...(quick ? ["--quick"] : [])], {
          encoding: "utf8"
        })
      ))
  const aloneRuns = alone<{ decode: number; inMemory: number }>([])
  const decode = median(aloneRuns.map((figures) => figures.decode))
  const inMemory = median(aloneRuns.map((figures) => figures.inMemory))
  const pageRuns = alone<PageDecode>(["--page"])
  const page: PageDecode = {
    pageMicros: median(pageRuns.map((figures) => figures.pageMicros)),
    singlesMicros: median(pageRuns.map((figures) => figures.singlesMicros)),
    ratio: median(pageRuns.map((figures) => figures.ratio))
  }
  const decodeAfterLoad = decodeMicros(line.micro, quick)
  const inMemoryAfterLoad = await inMemoryCallsPerSecond(line.micro, quick)
  const pageAfterLoad = pageDecode(line.micro, quick)

  // Heap and RSS after 10,000 and after 200,000 calls on C, after forced collections.
  const settle = () => {
    globalThis.gc?.()
    globalThis.gc?.()
    return process.memoryUsage()
  }
  const total = quick ? 50_000 : 200_000
  await c.concurrent("fdx", 10_000, IN_FLIGHT)
  const early = settle()
  for (let done = 10_000; done < total; done += 10_000) await c.concurrent("fdx", 10_000, IN_FLIGHT)
  const late = settle()
  const mem = {
    heapAfter10k: early.heapUsed,
    heapAfter200k: late.heapUsed,
    rssAfter10k: early.rss,
    rssAfter200k: late.rss
  }
  const heapGrowth = mem.heapAfter200k / mem.heapAfter10k - 1
  const rssGrowth = mem.rssAfter200k / mem.rssAfter10k - 1

  // The stream's heap, after a forced collection: before and after more walks
  // through the list, and within one walk (at its 1,000th and 9,900th token: a
  // walk that kept its tokens would grow by what they take).
  const settledHeap = () => settle().heapUsed
  await node.walk()
  const heapBeforeWalks = settledHeap()
  for (let walk = 0; walk < settings.heapWalks; walk++) await node.walk()
  const heapAfterWalks = settledHeap()
  const withinWalk: Array<number> = []
  await node.walk((count) => {
    if (count === 1_000 || count === 9_900) withinWalk.push(settledHeap())
  })
  // What the 8,900 tokens between the two readings take when kept, for scale:
  // the heap before collecting them and while they are held (in a function of
  // its own, so that nothing of it stays live in this frame).
  const keptBytesPerToken = await (async () => {
    const before = settledHeap()
    const kept = await node.keep(8_900)
    const holding = settledHeap()
    if (kept.length !== 8_900) throw new Error("Stream.take kept fewer tokens than asked")
    return (holding - before) / kept.length
  })()
  const streamMem = {
    walks: settings.heapWalks,
    heapBeforeWalks,
    heapAfterWalks,
    heapAtToken1000: withinWalk[0] ?? Number.NaN,
    heapAtToken9900: withinWalk[1] ?? Number.NaN,
    keptBytesPerToken
  }
  const streamHeapGrowth = heapAfterWalks / heapBeforeWalks - 1
  const withinWalkBytesPerToken = (streamMem.heapAtToken9900 - streamMem.heapAtToken1000) / 8_900

  // The issue's two absolute targets were set on a machine where A cost ≈ 50 µs
  // of CPU per FDX call; this machine's speed moves by 2× between runs. As for
  // every other target, they are judged against A of the same run: the raw
  // figure scaled by 50 / (A's CPU per call here). Both are printed.
  const floorCpu = table["fdx"]?.["A"]?.cpuPerCall ?? referenceCpu
  const speed = referenceCpu / floorCpu
  const scaled = `×${referenceCpu}/${floorCpu.toFixed(0)}, A's CPU per call`
  const cRow = table["fdx"]?.["C"]
  const targets = [
    {
      target: "layerNode throughput ≥ 0.5× A (fdx, 64 in flight)",
      value: cRow?.ratios.throughput ?? 0,
      met: (cRow?.ratios.throughput ?? 0) >= 0.5
    },
    {
      target: "layerNode CPU per call ≤ 2.5× A (fdx)",
      value: cRow?.ratios.cpu ?? Infinity,
      met: (cRow?.ratios.cpu ?? Infinity) <= 2.5
    },
    {
      target: "layerNode sequential p50 ≤ 1.4× A (fdx)",
      value: cRow?.ratios.p50 ?? Infinity,
      met: (cRow?.ratios.p50 ?? Infinity) <= 1.4
    },
    {
      target: `FDX token decode ≤ 5 µs at the reference speed (alone: ${decode.toFixed(2)} µs raw, ${scaled})`,
      value: decode * speed,
      met: decode * speed <= 5
    },
    {
      target: `in-memory layer ≥ 200,000 calls/s at the reference speed (alone: ${inMemory.toFixed(0)} raw, ${scaled})`,
      value: inMemory / speed,
      met: inMemory / speed >= 200_000
    },
    { target: "unused retry machinery ≤ 10% CPU", value: retryCost, met: retryCost <= 0.1 },
    { target: "unused tracing ≤ 10% CPU", value: tracingCost, met: tracingCost <= 0.1 },
    // A leak shows as growth; memory given back after the warm-up is not one.
    { target: "heap growth from 10k to 200k calls ≤ 10%", value: heapGrowth, met: heapGrowth <= 0.1 },
    { target: "RSS growth from 10k to 200k calls ≤ 10%", value: rssGrowth, met: rssGrowth <= 0.1 },
    {
      target:
        `streamFdxTokens on layerNode ≥ 0.7× A+'s tokens/s, A+ being A that decodes with FdxTokenPage (${TOKENS} tokens, pages of ${PAGE}; × A: ${
          stream.ratios.tokensPerSecond.toFixed(2)
        }, see bench/README.md)`,
      value: stream.ratios.tokensPerSecondToDecoding,
      met: stream.ratios.tokensPerSecondToDecoding >= 0.7
    },
    {
      target: `stream heap after GC, after 1 and after ${1 + settings.heapWalks} walks through the list: growth ≤ 10%`,
      value: streamHeapGrowth,
      met: streamHeapGrowth <= 0.1
    },
    {
      target:
        `stream heap after GC within a walk, token 1,000 → 9,900: ≤ 10% of keeping them (B per token; a kept token: ${
          keptBytesPerToken.toFixed(0)
        } B)`,
      value: withinWalkBytesPerToken,
      met: withinWalkBytesPerToken <= 0.1 * keptBytesPerToken
    },
    {
      target: `FdxTokenPage decode of ${PAGE} tokens ≤ 1.2× ${PAGE} single FdxToken decodes (alone: ${
        page.pageMicros.toFixed(0)
      } µs vs ${page.singlesMicros.toFixed(0)} µs)`,
      value: page.ratio,
      met: page.ratio <= 1.2
    }
  ]
  write("\nTargets")
  for (const t of targets) {
    write(
      `- [${t.met ? "met" : "MISSED"}] ${t.target}: ${
        Number.isFinite(t.value) ? t.value.toFixed(t.value > 100 ? 0 : 3) : "n/a"
      }`
    )
  }
  write(
    `- [info] the same after the contenders ran: decode ${decodeAfterLoad.toFixed(2)} µs, in-memory ${
      inMemoryAfterLoad.toFixed(0)
    } calls/s`
  )
  write(
    `- [info] raw, against the absolute figures: decode ${decode.toFixed(2)} µs ${
      decode <= 5 ? "≤" : ">"
    } 5 µs, in-memory ${inMemory.toFixed(0)} calls/s ${inMemory >= 200_000 ? "≥" : "<"} 200,000`
  )
  write(`- [info] tracing in use (a tracer that records every span): ${tracingInUse.toFixed(3)} CPU`)
  write(
    `- [info] page decode after the contenders ran: ${pageAfterLoad.ratio.toFixed(3)}× (${
      pageAfterLoad.pageMicros.toFixed(0)
    } µs vs ${pageAfterLoad.singlesMicros.toFixed(0)} µs)`
  )
  if (globalThis.gc === undefined) write("(memory figures without --expose-gc are noisy)")

  const results = {
    date: new Date().toISOString(),
    line: line.title,
    machine: {
      cores: os.cpus().length,
      cpu: os.cpus()[0]?.model,
      node: process.version,
      platform: `${os.platform()} ${os.arch()}`
    },
    settings,
    contenders: Object.fromEntries(contenders.map((contender) => [contender.id, contender.name])),
    endpoints: table,
    decodeMicros: decode,
    inMemoryCallsPerSecond: inMemory,
    afterLoad: { decodeMicros: decodeAfterLoad, inMemoryCallsPerSecond: inMemoryAfterLoad },
    unusedMachinery: { retry: retryCost, tracing: tracingCost },
    tracingInUse,
    atReferenceSpeed: { referenceCpu, decodeMicros: decode * speed, inMemoryCallsPerSecond: inMemory / speed },
    memory: mem,
    stream: {
      tokens: TOKENS,
      page: PAGE,
      rounds: settings.streamRounds,
      walksPerRound: settings.streamWalks,
      ...stream,
      memory: streamMem
    },
    pageDecode: page,
    pageDecodeAfterLoad: pageAfterLoad,
    targets
  }

  // Against the previous run: flag a figure that got more than 20% worse.
  const previous: unknown = (() => {
    try {
      return JSON.parse(readFileSync(line.results, "utf8"))
    } catch {
      return undefined
    }
  })()
  const before = new Map(comparedFigures(previous).map((f) => [f.figure, f.value]))
  const regressions = comparedFigures(results).flatMap(({ better, figure, value }) => {
    const was = before.get(figure)
    if (value === undefined || was === undefined || was <= 0) return []
    const worse = better === "higher" ? 1 - value / was : value / was - 1
    return worse > REGRESSION ? [{ figure, previous: was, now: value, worse }] : []
  })
  const comparable = comparedFigures(results).filter((f) => f.value !== undefined && before.get(f.figure) !== undefined)
  const file = line.results.pathname.split("/").slice(-3).join("/")
  if (previous === undefined) {
    write(`\nNo previous ${file} to compare with`)
  } else {
    const when = String(valueAt(previous, "date") ?? "?")
    const wasQuick = valueAt(previous, "settings", "quick") === true
    write(`\nAgainst the previous run (${file} of ${when}${wasQuick ? ", a --quick run" : ""})`)
    for (const r of regressions) {
      write(
        `- [regressed] ${r.figure}: ${r.previous.toFixed(3)} → ${r.now.toFixed(3)} (${
          (100 * r.worse).toFixed(0)
        }% worse)`
      )
    }
    write(
      `- ${regressions.length === 0 ? "[ok] none" : `${regressions.length}`} of ${comparable.length} figures ${
        regressions.length === 1 ? "is" : "are"
      } more than ${100 * REGRESSION}% worse${
        regressions.length === 0
          ? ""
          : " (on a busy machine, runs of the same code differ by that much too: rerun first)"
      }`
    )
  }
  if (quick) {
    // A smoke run: compared, but not kept (it would become the next full run's baseline).
    write(`\n--quick: ${file} not overwritten`)
  } else {
    mkdirSync(new URL("./", line.results), { recursive: true })
    writeFileSync(line.results, `${JSON.stringify({ ...results, regressions }, null, 2)}\n`)
    write(`\nwritten to ${file}`)
  }

  await run.dispose()
  server.disconnect()
}
