// `npm run bench --prefix effect4` (also run by the root's `npm run bench`,
// after the Effect 3 line's): the Effect 4 line's layers as the contenders C–F
// of the shared bench (bench/harness.ts at the root, which also runs A and B,
// the stream walks, the targets and the comparison with the previous run),
// under the Node 22 that Effect 4 needs, writing bench/results/effect4.json.
//
//   C  SyncteraLive.layerNode
//   D  SyncteraLive.layer on NodeHttpClient.layerUndici (@effect/platform-node 4)
//   E  SyncteraLive.layer on FetchHttpClient.layer (effect/http)
//   F  SyncteraTest.layer (in memory)
//
// Node 22 runs the harness's TypeScript by stripping its types.
import { NodeHttpClient } from "@effect/platform-node"
import { execFileSync } from "node:child_process"

// The line, built first (line.mjs imports the build).
execFileSync(process.execPath, [
  new URL("../node_modules/typescript/bin/tsc", import.meta.url).pathname,
  "-p",
  "tsconfig.build.json",
  "--outDir",
  ".bench-dist"
], { cwd: new URL("../", import.meta.url).pathname, stdio: "inherit" })

const { Effect, Layer, ManagedRuntime, Redacted, Stream, Tracer } = await import("effect")
const { FetchHttpClient } = await import("effect/http")
const { request } = await import("undici")
const { benchIds, runBench } = await import("../../bench/harness.ts")
const { PAGE } = await import("../../bench/fdxPages.mjs")
const { library, micro, testing } = await import("./line.mjs")
const { Synctera, SyncteraLive } = library
const { SyncteraTest, sandboxIds } = testing

/** A contender of one of this line's layers, with its runtime. */
const effectContender = (id, name, layer, ids = benchIds) => {
  const runtime = ManagedRuntime.make(layer)
  const calls = {
    fdx: Synctera.getFdxToken({ fdxTokenId: ids.fdxTokenId }),
    widget: Synctera.getWidgetToken({ cardId: ids.cardId, widgetType: "REVEAL" })
  }
  return {
    id,
    name,
    runtime,
    sequential: (endpoint, n) =>
      runtime.runPromise(Effect.gen(function*() {
        const latencies = []
        const call = calls[endpoint]
        for (let i = 0; i < n; i++) {
          const start = performance.now()
          yield* call
          latencies.push((performance.now() - start) * 1000)
        }
        return latencies
      })),
    concurrent: (endpoint, n, inFlight) =>
      runtime.runPromise(
        Effect.forEach(Array.from({ length: n }), () => calls[endpoint], { concurrency: inFlight, discard: true })
      )
  }
}

await runBench({
  title: "effect-synctera/effect4",
  results: new URL("../../bench/results/effect4.json", import.meta.url),
  request,
  micro,
  aloneArgs: ["--expose-gc", new URL("./alone.mjs", import.meta.url).pathname],
  make: async (server, settings) => {
    const options = { apiKey: Redacted.make(server.apiKey), baseUrl: server.baseUrl }
    const node = effectContender("C", "SyncteraLive.layerNode", SyncteraLive.layerNode(options))
    const contenders = [
      node,
      effectContender(
        "D",
        "layer on NodeHttpClient.layerUndici",
        SyncteraLive.layer(options).pipe(Layer.provide(NodeHttpClient.layerUndici))
      ),
      effectContender(
        "E",
        "layer on FetchHttpClient.layer",
        SyncteraLive.layer(options).pipe(Layer.provide(FetchHttpClient.layer))
      ),
      effectContender("F", "SyncteraTest.layer (in memory)", SyncteraTest.layer(), {
        cardId: sandboxIds.cards.active,
        fdxTokenId: sandboxIds.fdxTokens.enabledAccess
      })
    ]
    const bare = ManagedRuntime.make(SyncteraLive.layerNode({ ...options, retry: false, retryBudget: false }))
    const tokens = Synctera.streamFdxTokens({ limit: PAGE })
    const call = Synctera.getFdxToken({ fdxTokenId: benchIds.fdxTokenId })
    const calls = Effect.gen(function*() {
      for (let i = 0; i < settings.sequential; i++) yield* call
    })
    // A tracer that records spans, as an exporter would: the cost of tracing in use.
    const builtIn = Effect.runSync(Effect.tracer)
    const recorded = []
    const recording = Tracer.make({
      span(options) {
        const span = builtIn.span(options)
        if (recorded.length < 1_000) recorded.push(span)
        return span
      }
    })
    return {
      contenders,
      layerNode: {
        walk: (onToken) =>
          node.runtime.runPromise(Stream.runFold(tokens, () => 0, (count, token) => {
            onToken?.(count)
            return token.id.length > 0 ? count + 1 : count
          })),
        drain: () => node.runtime.runPromise(Stream.runDrain(tokens)),
        distinctIds: () =>
          node.runtime.runPromise(Stream.runFold(tokens, () => new Set(), (seen, token) => seen.add(token.id)))
            .then((seen) => seen.size),
        keep: (n) => node.runtime.runPromise(Stream.runCollect(Stream.take(tokens, n))).then((kept) => [...kept]),
        loops: {
          armed: (tracing) => node.runtime.runPromise(calls.pipe(Effect.withTracerEnabled(tracing))),
          recording: () => node.runtime.runPromise(calls.pipe(Effect.withTracer(recording))),
          bare: () => bare.runPromise(calls)
        },
        recordedSpans: () => recorded.length
      },
      dispose: async () => {
        for (const contender of contenders) await contender.runtime.dispose()
        await bare.dispose()
      }
    }
  }
}, process.argv)
