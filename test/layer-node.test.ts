/**
 * `SyncteraLive.layerNode` (and `layerNodeConfig`) over real HTTP on the
 * Effect 3 line: the shared table `cases/layerNodeCases.ts`, one test per
 * case, as the Effect 4 line runs it (`effect4/test/layer-node.test.ts`). A
 * node:http server on 127.0.0.1 answers as the case scripts it; what the
 * client sent and gave is compared with the case by `cases/liveEngine.ts`.
 * This file holds only the lab the cases run on, which is Effect 3's own:
 * its server, its layers, the calls, and interrupting a call's fiber.
 */
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, DateTime, Duration, Effect, Fiber, Layer, Redacted } from "effect"
import { Synctera, type SyncteraError, SyncteraLive } from "../src/index.js"
import { toPlain, toPlainObject } from "./cases/engine.js"
import { layerNodeRuns, type NodeLab, type NodeRun, runNodeCase } from "./cases/layerNodeCases.js"
import { inputOf, type LiveCall, type Outcome } from "./cases/liveEngine.js"
import { specialOf } from "./cases/portsPlain.js"
import { json, TestServer } from "./support/TestServer.js"

/** The run's layer at `baseUrl`: `layerNodeConfig` from its environment, or `layerNode` with its options. */
const layerOf = (run: NodeRun, baseUrl: string): Layer.Layer<Synctera> => {
  if (run.env === undefined) {
    return SyncteraLive.layerNode({ ...run.options, apiKey: Redacted.make(run.apiKey), baseUrl })
  }
  const env = ConfigProvider.fromMap(new Map(Object.entries({ ...run.env, SYNCTERA_BASE_URL: baseUrl })))
  return Layer.orDie(SyncteraLive.layerNodeConfig).pipe(Layer.provide(Layer.setConfigProvider(env)))
}

/** This line's values as the tables write them (`DateTime.Utc`, `Duration`). */
const special = specialOf({ DateTime, Duration })

/** An operation as a JavaScript caller sees it (a method's parameter is compared both ways). */
interface Untyped<A> {
  run(input: unknown): A
}

/** A call of the table, as plain JSON: the cases make no streams. */
const outcomeOf = (call: LiveCall): Effect.Effect<Outcome, never, Synctera> => {
  if (!("call" in call)) return Effect.die(new Error("the layerNode cases make no streams"))
  const operation: Untyped<Effect.Effect<unknown, SyncteraError, Synctera>> = { run: Synctera[call.call] }
  return Effect.match(operation.run(inputOf(call)), {
    onFailure: (error): Outcome => ({
      error: toPlainObject({ ...error, _tag: error._tag, message: error.message }, special)
    }),
    onSuccess: (value): Outcome => ({ ok: toPlain(value, special) })
  })
}

const lab: NodeLab = {
  line: "effect3",
  writeJson: json,
  withServer: (handle, use) =>
    Effect.runPromise(Effect.scoped(Effect.flatMap(TestServer(handle), (server) => Effect.promise(() => use(server))))),
  calls: (run, baseUrl) =>
    Effect.runPromise(Effect.forEach(run.calls, (call) => Effect.provide(outcomeOf(call), layerOf(run, baseUrl)))),
  interrupt: (run, baseUrl, arrived, closed) =>
    Effect.runPromise(Effect.scoped(Effect.gen(function*() {
      const context = yield* Layer.build(layerOf(run, baseUrl))
      for (const [index, call] of run.calls.entries()) {
        const fiber = yield* Effect.fork(Effect.provide(outcomeOf(call), context))
        yield* Effect.promise(() => arrived(index))
        yield* Fiber.interrupt(fiber)
        yield* Effect.promise(() => closed(index))
      }
    })))
}

describe("layerNode", () => {
  for (const run of layerNodeRuns) {
    it(run.name, async () => {
      const { actual, expected } = await runNodeCase(lab, run)
      expect(actual).toEqual(expected)
    })
  }
})
