/**
 * `npm run bench`, the Effect 3 line: its layers as the contenders C–F of the
 * shared bench (`harness.ts`, which also runs A and B, the stream walks, the
 * targets and the comparison with the previous run), writing
 * bench/results/latest.json. The Effect 4 line runs the same harness from
 * `effect4/bench/run.mjs`.
 */
import { FetchHttpClient } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { Effect, Layer, ManagedRuntime, Redacted, Stream, Tracer } from "effect"
import { request } from "undici"
import type * as Library from "../src/index.js"
import type { SyncteraError } from "../src/index.js"
import { library, micro, testing } from "./dist.js"
import { PAGE } from "./fdxPages.mjs"
import { benchIds, type Contender, type Endpoint, type Line, runBench } from "./harness.js"

const { Synctera, SyncteraLive } = library
const { SyncteraTest, sandboxIds } = testing
type Synctera = Library.Synctera

/** A contender of one of this line's layers, with its runtime. */
const effectContender = (
  id: string,
  name: string,
  layer: Layer.Layer<Synctera>,
  ids: { readonly cardId: string; readonly fdxTokenId: string } = benchIds
): Contender & { readonly runtime: ManagedRuntime.ManagedRuntime<Synctera, never> } => {
  const runtime = ManagedRuntime.make(layer)
  const calls: Record<Endpoint, Effect.Effect<unknown, SyncteraError, Synctera>> = {
    fdx: Synctera.getFdxToken({ fdxTokenId: ids.fdxTokenId }),
    widget: Synctera.getWidgetToken({ cardId: ids.cardId, widgetType: "REVEAL" })
  }
  return {
    id,
    name,
    runtime,
    sequential: (endpoint, n) =>
      runtime.runPromise(Effect.gen(function*() {
        const latencies: Array<number> = []
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

const line: Line = {
  title: "effect-synctera",
  results: new URL("./results/latest.json", import.meta.url),
  request,
  micro,
  aloneArgs: ["--expose-gc", "--import", "tsx", new URL("./alone.ts", import.meta.url).pathname],
  make: async (server, settings) => {
    const options: Library.SyncteraLive.Options = { apiKey: Redacted.make(server.apiKey), baseUrl: server.baseUrl }
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
    const recorded: Array<Tracer.Span> = []
    const recording = Tracer.make({
      span: (...args) => {
        const span = builtIn.span(...args)
        if (recorded.length < 1_000) recorded.push(span)
        return span
      },
      context: (f) => f()
    })
    return {
      contenders,
      layerNode: {
        walk: (onToken) =>
          node.runtime.runPromise(Stream.runFold(tokens, 0, (count, token) => {
            onToken?.(count)
            return token.id.length > 0 ? count + 1 : count
          })),
        drain: () => node.runtime.runPromise(Stream.runDrain(tokens)),
        distinctIds: () =>
          node.runtime.runPromise(Stream.runFold(tokens, new Set<string>(), (seen, token) => seen.add(token.id)))
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
}

runBench(line, process.argv).catch((error: unknown) => {
  process.stderr.write(`benchmark failed: ${String(error)}\n`)
  process.exitCode = 1
})
