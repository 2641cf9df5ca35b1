/**
 * The API key as a canary, on the Effect 4 line: the shared server, calls
 * and checks of `test/cases/securityCases.ts` at the root, on every
 * transport, as the Effect 3 line runs them (`test/security.test.ts`):
 * after every path the client can take, the key must not appear in
 * anything a test can observe. This file holds only what is Effect 4's own:
 * its layers, its logger (each of its formats), its tracer, its `Cause`,
 * its configuration provider, and its HTTP client's `TracerHeaderFilter`.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Cause, ConfigProvider, Effect, Exit, Layer, Logger, Redacted, References } from "effect"
import { constTrue } from "effect/Function"
import { FetchHttpClient, HttpClient } from "effect/http"
import { inspect } from "node:util"
import { inputOf, type LiveCall } from "../../test/cases/liveEngine.js"
import {
  canary,
  canaryEnvs,
  type CanaryLab,
  canaryOptions,
  canaryRun,
  type CanarySession,
  leaksIn,
  observeValue
} from "../../test/cases/securityCases.js"
import { Synctera, type SyncteraError } from "../src/index.js"
import * as SyncteraLive from "../src/layers/SyncteraLive.js"
import { recordingTracer } from "./support/recordingTracer.js"
import { json, TestServer } from "./support/TestServer.js"

/** An exit, as text: its cause pretty-printed, and each of this line's failures and defects. */
const observeExit = (observed: Array<string>, exit: Exit.Exit<unknown, unknown>): void => {
  if (Exit.isFailure(exit)) {
    observed.push(Cause.pretty(exit.cause))
    for (const reason of exit.cause.reasons) {
      if (Cause.isFailReason(reason)) observeValue(observed, reason.error)
      if (Cause.isDieReason(reason)) observeValue(observed, reason.defect)
    }
  } else {
    observeValue(observed, exit.value)
  }
}

/** Every line a logger could write, in each of this line's formats (its annotations among them). */
const recordingLogger = (observed: Array<string>) =>
  Logger.make((options) => {
    observed.push(Logger.formatLogFmt.log(options))
    observed.push(Logger.formatJson.log(options))
    observed.push(inspect(Logger.formatStructured.log(options), { depth: 20 }))
  })

/** An operation as a JavaScript caller sees it (a method's parameter is compared both ways). */
interface Untyped<A> {
  run(input: unknown): A
}
const callOf = (call: LiveCall): Effect.Effect<unknown, SyncteraError, Synctera> => {
  if (!("call" in call)) return Effect.die(new Error("the canary's calls make no streams"))
  const operation: Untyped<Effect.Effect<unknown, SyncteraError, Synctera>> = { run: Synctera[call.call] }
  return operation.run(inputOf(call))
}

const settings = { apiKey: Redacted.make(canary), ...canaryOptions }
const over = (transport: Layer.Layer<HttpClient.HttpClient>) => (baseUrl: string) =>
  SyncteraLive.layer({ ...settings, baseUrl }).pipe(Layer.provide(transport))

const layers: ReadonlyArray<readonly [string, (baseUrl: string) => Layer.Layer<Synctera>]> = [
  ["layer over NodeHttpClient.layerUndici", over(NodeHttpClient.layerUndici)],
  ["layer over NodeHttpClient.layerNodeHttp", over(NodeHttpClient.layerNodeHttp)],
  ["layer over FetchHttpClient.layer", over(FetchHttpClient.layer)],
  ["layerNode", (baseUrl) => SyncteraLive.layerNode({ ...settings, baseUrl })]
]

const withEnv = (env: Readonly<Record<string, string>>) =>
  Effect.provideService(ConfigProvider.ConfigProvider, ConfigProvider.fromEnv({ env }))

/** A session on a layer: its calls under this line's recording logger and tracer, its spans as text. */
const sessionOf =
  (makeLayer: (baseUrl: string) => Layer.Layer<Synctera>) =>
  (baseUrl: string, observed: Array<string>): CanarySession => {
    const { spans, tracer } = recordingTracer()
    const layer = makeLayer(baseUrl)
    const logger = Logger.layer([recordingLogger(observed)])
    return {
      call: async (call) => {
        const exit = await Effect.runPromise(
          callOf(call).pipe(
            Effect.provide(layer),
            Effect.withSpan("test"),
            Effect.withTracer(tracer),
            // A user's request to record every header in the HTTP client's spans (this line's client has it).
            Effect.provideService(HttpClient.TracerHeaderFilter, constTrue),
            Effect.provideService(References.MinimumLogLevel, "All"),
            Effect.provide(logger),
            Effect.exit
          )
        )
        observeExit(observed, exit)
        await Effect.runPromise(Effect.logError("call failed", exit).pipe(Effect.provide(logger)))
      },
      spans: () =>
        spans.map((span) => {
          const texts = [inspect(span.attributes, { depth: 5 }), inspect(span, { depth: 8 })]
          if (span.status._tag === "Ended") observeExit(texts, span.status.exit)
          return { name: span.name, texts }
        })
    }
  }

const withServer: CanaryLab["withServer"] = (handle, use) =>
  Effect.runPromise(Effect.scoped(Effect.flatMap(TestServer(handle), (server) => Effect.promise(() => use(server)))))

describe("the API key never leaks", () => {
  for (const [name, makeLayer] of layers) {
    it(`through errors, logs and spans, on every path (${name})`, async () => {
      const { actual, expected } = await canaryRun({ writeJson: json, withServer, session: sessionOf(makeLayer) })
      expect(actual).toEqual(expected)
    }, 30_000)
  }

  it.effect("through configuration and its errors", () =>
    Effect.gen(function*() {
      const observed: Array<string> = []
      const exit = yield* Layer.build(SyncteraLive.layerConfig).pipe(
        Effect.scoped,
        Effect.provide(NodeHttpClient.layerUndici),
        withEnv(canaryEnvs.refused),
        Effect.exit
      )
      expect(Exit.isFailure(exit)).toBe(true)
      const config = yield* SyncteraLive.config.pipe(withEnv(canaryEnvs.accepted))
      observeExit(observed, exit)
      observeValue(observed, config)
      observeValue(observed, config.apiKey)
      expect(leaksIn([...observed, inspect(config), JSON.stringify(config), String(config.apiKey)])).toEqual([])
      // The key is there to leak: configuration read it.
      expect(Redacted.value(config.apiKey)).toBe(canary)
    }))

  it("through the options and the layer values", () => {
    const options: SyncteraLive.Options = { apiKey: Redacted.make(canary), retry: false }
    const layer = SyncteraLive.layerNode(options)
    const texts = [inspect(options, { depth: 10 }), JSON.stringify(options), String(options.apiKey), inspect(layer)]
    expect(leaksIn(texts)).toEqual([])
    expect(Redacted.value(options.apiKey)).toBe(canary)
  })
})
