// The Effect 4 line's bench, run by `npm run bench` after the Effect 3 one
// (`npm run bench --prefix effect4` alone): its `layerNode` against raw undici
// in the same run, under the Node 22 that Effect 4 needs, with the same
// targets as the Effect 3 line's (bench/README.md), on the same local server
// (bench/server.mjs, in its own process).
//
//   A   undici.request + JSON.parse (the floor)
//   C   SyncteraLive.layerNode of effect-synctera/effect4
//
// Per endpoint and round (interleaved, 3 rounds; medians): p50 of 2,000
// sequential calls, throughput of 6,000 calls at 64 in flight, CPU per call.
// Then the stream over 10,000 tokens in pages of 100 against A and A+ (A that
// decodes each page with the line's FdxTokenPage), heap from 10,000 to
// 200,000 calls, and one FdxToken decode. The line is built with effect4's
// TypeScript into effect4/.bench-dist/, where `effect` is Effect 4.
import { execFileSync, fork } from "node:child_process"
import { mkdirSync, readFileSync, writeFileSync } from "node:fs"
import * as os from "node:os"
import { request } from "undici"

const here = new URL("./", import.meta.url)
const effect4 = new URL("../", here)
const quick = process.argv.includes("--quick")
const ROUNDS = quick ? 1 : 3
const SEQUENTIAL = quick ? 500 : 2_000
const CONCURRENT = quick ? 2_000 : 6_000
const IN_FLIGHT = 64
const STREAM_WALKS = quick ? 3 : 15
const write = (line) => process.stdout.write(`${line}\n`)

execFileSync(process.execPath, [
  new URL("node_modules/typescript/bin/tsc", effect4).pathname,
  "-p",
  "tsconfig.build.json",
  "--outDir",
  ".bench-dist"
], {
  cwd: effect4.pathname,
  stdio: "inherit"
})
const dist = new URL(".bench-dist/effect4/src/", effect4)
const { Effect, ManagedRuntime, Redacted, Schema, Stream } = await import("effect")
const { FdxToken, FdxTokenPage, Synctera, SyncteraLive } = await import(new URL("index.js", dist).href)

const cardId = "7d943c51-e4ff-4e57-9558-08cab6b963c7"
const fdxTokenId = "3c90c3cc-0d44-4b50-8888-8dd25736052a"
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN
const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN
}

const server = fork(new URL("../../bench/server.mjs", here).pathname)
const port = await new Promise((resolve) => server.once("message", (p) => resolve(Number(p))))
const baseUrl = `http://127.0.0.1:${port}/v1`
const urls = {
  fdx: `${baseUrl}/fdx_tokens/${fdxTokenId}`,
  widget: `${baseUrl}/cards/${cardId}/widget_token?widget_type=REVEAL`
}
const headers = { authorization: "Bearer bench-key", accept: "application/json" }

const raw = async (endpoint) => {
  const response = await request(urls[endpoint], { headers })
  return JSON.parse(await response.body.text())
}
const runtime = ManagedRuntime.make(SyncteraLive.layerNode({ apiKey: Redacted.make("bench-key"), baseUrl }))
const calls = {
  fdx: Synctera.getFdxToken({ fdxTokenId }),
  widget: Synctera.getWidgetToken({ cardId, widgetType: "REVEAL" })
}
const contenders = [
  {
    id: "A",
    name: "undici.request + JSON.parse",
    sequential: async (endpoint, n) => {
      const latencies = []
      for (let i = 0; i < n; i++) {
        const start = performance.now()
        await raw(endpoint)
        latencies.push((performance.now() - start) * 1000)
      }
      return latencies
    },
    concurrent: async (endpoint, n, inFlight) => {
      let started = 0
      await Promise.all(Array.from({ length: inFlight }, async () => {
        while (started < n) {
          started++
          await raw(endpoint)
        }
      }))
    }
  },
  {
    id: "C",
    name: "SyncteraLive.layerNode (effect-synctera/effect4)",
    sequential: (endpoint, n) =>
      runtime.runPromise(Effect.gen(function*() {
        const latencies = []
        for (let i = 0; i < n; i++) {
          const start = performance.now()
          yield* calls[endpoint]
          latencies.push((performance.now() - start) * 1000)
        }
        return latencies
      })),
    concurrent: (endpoint, n, inFlight) =>
      runtime.runPromise(
        Effect.forEach(Array.from({ length: n }), () => calls[endpoint], { concurrency: inFlight, discard: true })
      )
  }
]

const measure = async (contender, endpoint) => {
  await contender.sequential(endpoint, Math.ceil(SEQUENTIAL / 4))
  const latencies = await contender.sequential(endpoint, SEQUENTIAL)
  const cpuStart = process.cpuUsage()
  const wallStart = performance.now()
  await contender.concurrent(endpoint, CONCURRENT, IN_FLIGHT)
  const seconds = (performance.now() - wallStart) / 1000
  const cpu = process.cpuUsage(cpuStart)
  return {
    p50: percentile(latencies, 50),
    throughput: CONCURRENT / seconds,
    cpuPerCall: (cpu.user + cpu.system) / CONCURRENT
  }
}

write(`effect-synctera/effect4 benchmark: ${os.cpus().length} cores, Node ${process.version}`)
const samples = new Map()
for (let round = 1; round <= ROUNDS; round++) {
  for (const endpoint of ["fdx", "widget"]) {
    const order = round % 2 === 0 ? [...contenders].reverse() : contenders
    for (const contender of order) {
      const key = `${endpoint}:${contender.id}`
      samples.set(key, [...(samples.get(key) ?? []), await measure(contender, endpoint)])
    }
  }
  write(`round ${round}/${ROUNDS} done`)
}
const summary = (key) => {
  const list = samples.get(key) ?? []
  return {
    p50: median(list.map((s) => s.p50)),
    throughput: median(list.map((s) => s.throughput)),
    cpuPerCall: median(list.map((s) => s.cpuPerCall))
  }
}
const endpoints = {}
for (const endpoint of ["fdx", "widget"]) {
  const a = summary(`${endpoint}:A`)
  const c = summary(`${endpoint}:C`)
  endpoints[endpoint] = {
    A: a,
    C: c,
    ratios: { throughput: c.throughput / a.throughput, cpu: c.cpuPerCall / a.cpuPerCall, p50: c.p50 / a.p50 }
  }
  write(`\n${endpoint === "fdx" ? "GET /fdx_tokens/{id}" : "GET /cards/{id}/widget_token"} (median of rounds)`)
  write("| contender | calls/s @64 | × A | CPU µs/call | × A | p50 µs | × A |")
  write("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
  for (const [id, s] of [["A", a], ["C", c]]) {
    write(
      `| ${id} | ${s.throughput.toFixed(0)} | ${(s.throughput / a.throughput).toFixed(2)} | ${
        s.cpuPerCall.toFixed(0)
      } | ${(s.cpuPerCall / a.cpuPerCall).toFixed(2)} | ${s.p50.toFixed(0)} | ${(s.p50 / a.p50).toFixed(2)} |`
    )
  }
}

// The list, page after page.
const decodePage = Schema.decodeUnknownSync(FdxTokenPage)
const listUrl = `${baseUrl}/fdx_tokens?limit=100`
const rawWalk = (decode) => async () => {
  let count = 0
  let pageToken
  do {
    const url = pageToken === undefined ? listUrl : `${listUrl}&page_token=${encodeURIComponent(pageToken)}`
    const response = await request(url, { headers })
    const page = JSON.parse(await response.body.text())
    const items = decode ? decodePage(page).fdxTokens : page.fdx_tokens
    for (const token of items) if (typeof token.id === "string") count++
    pageToken = page.next_page_token
  } while (pageToken !== undefined)
  return count
}
const tokens = Synctera.streamFdxTokens({ limit: 100 })
const walks = {
  A: rawWalk(false),
  "A+": rawWalk(true),
  C: () =>
    runtime.runPromise(Stream.runFold(tokens, () => 0, (count, token) => token.id.length > 0 ? count + 1 : count))
}
for (const walk of Object.values(walks)) await walk()
const walkTimes = { A: [], "A+": [], C: [] }
for (let i = 0; i < STREAM_WALKS; i++) {
  for (const [id, walk] of Object.entries(walks)) {
    const start = performance.now()
    const count = await walk()
    if (count !== 10_000) throw new Error(`${id} walked ${count} tokens, not 10000`)
    walkTimes[id].push(performance.now() - start)
  }
}
const tokensPerSecond = Object.fromEntries(
  Object.entries(walkTimes).map(([id, t]) => [id, 10_000 / (median(t) / 1000)])
)
const stream = {
  tokensPerSecond,
  ratios: { toA: tokensPerSecond.C / tokensPerSecond.A, toDecoding: tokensPerSecond.C / tokensPerSecond["A+"] }
}
write(
  `\nstreamFdxTokens, 10,000 tokens in pages of 100: A ${tokensPerSecond.A.toFixed(0)}/s, A+ ${
    tokensPerSecond["A+"].toFixed(0)
  }/s, C ${tokensPerSecond.C.toFixed(0)}/s (× A ${stream.ratios.toA.toFixed(2)}, × A+ ${
    stream.ratios.toDecoding.toFixed(2)
  })`
)

// Heap from 10,000 to 200,000 calls, after forced collections.
const settle = () => {
  globalThis.gc?.()
  globalThis.gc?.()
  return process.memoryUsage().heapUsed
}
const total = quick ? 50_000 : 200_000
await contenders[1].concurrent("fdx", 10_000, IN_FLIGHT)
const early = settle()
for (let done = 10_000; done < total; done += 10_000) await contenders[1].concurrent("fdx", 10_000, IN_FLIGHT)
const heapGrowth = settle() / early - 1

// One FdxToken decode, µs, scaled to the reference machine (A = 50 µs of CPU per FDX call).
const bodies = JSON.parse(readFileSync(new URL("../../bench/bodies.json", here), "utf8"))
const decode = Schema.decodeUnknownSync(FdxToken)
for (let i = 0; i < 50_000; i++) decode(bodies.fdxToken)
const batches = []
for (let batch = 0; batch < 7; batch++) {
  const start = performance.now()
  for (let i = 0; i < 20_000; i++) decode(bodies.fdxToken)
  batches.push(((performance.now() - start) * 1000) / 20_000)
}
const decodeMicros = median(batches)
const speed = 50 / endpoints.fdx.A.cpuPerCall

const targets = [
  {
    target: "layerNode throughput ≥ 0.5× A (fdx, 64 in flight)",
    value: endpoints.fdx.ratios.throughput,
    met: endpoints.fdx.ratios.throughput >= 0.5
  },
  {
    target: "layerNode CPU per call ≤ 2.5× A (fdx)",
    value: endpoints.fdx.ratios.cpu,
    met: endpoints.fdx.ratios.cpu <= 2.5
  },
  {
    target: "layerNode sequential p50 ≤ 1.4× A (fdx)",
    value: endpoints.fdx.ratios.p50,
    met: endpoints.fdx.ratios.p50 <= 1.4
  },
  {
    target: `FDX token decode ≤ 5 µs at the reference speed (raw ${decodeMicros.toFixed(2)} µs)`,
    value: decodeMicros * speed,
    met: decodeMicros * speed <= 5
  },
  { target: "heap growth from 10k to 200k calls ≤ 10%", value: heapGrowth, met: heapGrowth <= 0.1 },
  {
    target: `streamFdxTokens ≥ 0.7× A+'s tokens/s (× A: ${stream.ratios.toA.toFixed(2)})`,
    value: stream.ratios.toDecoding,
    met: stream.ratios.toDecoding >= 0.7
  }
]
write("\nTargets")
for (const t of targets) write(`- [${t.met ? "met" : "missed"}] ${t.target}: ${t.value.toFixed(3)}`)
if (globalThis.gc === undefined) write("(memory figures without --expose-gc are noisy)")
if (!quick) {
  mkdirSync(new URL("../../bench/results/", here), { recursive: true })
  writeFileSync(
    new URL("../../bench/results/effect4.json", here),
    `${
      JSON.stringify(
        { when: new Date().toISOString(), node: process.version, endpoints, stream, heapGrowth, decodeMicros, targets },
        null,
        2
      )
    }\n`
  )
  write("written to bench/results/effect4.json")
}
await runtime.dispose()
server.disconnect()
