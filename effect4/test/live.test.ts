/**
 * The live layer over real HTTP, on the Effect 4 line: the shared tables
 * `test/cases/liveHttp.ts` (widget and FDX tokens) and
 * `test/cases/pceLiveHttp.ts` (the Plaid Core Exchange operations) at the
 * root, one test per case, as the Effect 3 line runs them
 * (`test/live.test.ts`). A node:http server on 127.0.0.1 answers as the case
 * scripts it; the client runs on a real transport (Effect 4's `HttpClient`s
 * under `SyncteraLive.layer`, and `SyncteraLive.layerNode`); what it sent
 * and what it gave are compared with the case by `test/cases/liveEngine.ts`.
 *
 * Then retry timing and the retry budget under `TestClock`, over an
 * in-process transport (the shared table `test/cases/retryTiming.ts`, which
 * the Effect 3 line runs in `test/retry-timing.test.ts`), and what is this
 * line's own: the client's spans, through this line's tracer.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { assert, describe, expect, it } from "@effect/vitest"
import { Clock, DateTime, Duration, Effect, Fiber, Layer, Option, Redacted, Stream } from "effect"
import { FetchHttpClient, type HttpClient } from "effect/http"
import { TestClock } from "effect/testing"
import type { Json } from "../../test/cases/behaviour.js"
import { toPlain, toPlainObject } from "../../test/cases/engine.js"
import {
  closedPort,
  inputOf,
  type LiveCall,
  type LiveRun,
  type Outcome,
  scriptOf,
  type StockTransport,
  verdict
} from "../../test/cases/liveEngine.js"
import { liveHttp } from "../../test/cases/liveHttp.js"
import { pceLiveHttp } from "../../test/cases/pceLiveHttp.js"
import { specialOf } from "../../test/cases/portsPlain.js"
import {
  buildsOf,
  type TimingAnswer,
  type TimingCase,
  timingGroups,
  type TimingOutcome,
  timingVerdicts
} from "../../test/cases/retryTiming.js"
import { isTransient, Synctera, type SyncteraError } from "../src/index.js"
import * as SyncteraLive from "../src/layers/SyncteraLive.js"
import { cardId, widgetTokenBody } from "./support/liveFixtures.js"
import { recordingTracer } from "./support/recordingTracer.js"
import { type Answer, ScriptedClient } from "./support/ScriptedClient.js"
import { json, TestServer } from "./support/TestServer.js"

const httpClients: Readonly<Record<StockTransport, Layer.Layer<HttpClient.HttpClient>>> = {
  undici: NodeHttpClient.layerUndici,
  "node:http": NodeHttpClient.layerNodeHttp,
  fetch: FetchHttpClient.layer
}

const layerOf = (run: LiveRun, baseUrl: string): Layer.Layer<Synctera> => {
  const options = { ...run.options, apiKey: Redacted.make(run.apiKey), baseUrl }
  return run.transport === "layerNode"
    ? SyncteraLive.layerNode(options)
    : SyncteraLive.layer(options).pipe(Layer.provide(httpClients[run.transport]))
}

/** This line's values as the tables write them (`portsPlain.ts`): `DateTime.Utc` as `{ utc }`, `Duration` as `{ millis }`. */
const special = specialOf({ DateTime, Duration })

const failure = (error: SyncteraError) =>
  toPlainObject({ ...error, _tag: error._tag, message: error.message, isTransient: isTransient(error) }, special)

/** An operation or a stream as a JavaScript caller sees it (a method's parameter is compared both ways). */
interface Untyped<A> {
  run(input: unknown): A
}

const outcomesOf = (run: LiveRun, call: LiveCall, layer: Layer.Layer<Synctera>): Effect.Effect<Array<Outcome>> => {
  const asTheCaseSays = <A>(effect: Effect.Effect<A>): Effect.Effect<A> => {
    const spanned = run.underCallerSpan === true ? Effect.withSpan(effect, "caller") : effect
    const init = run.fetchRequestInit
    return init === undefined ? spanned : Effect.provideService(spanned, FetchHttpClient.RequestInit, init)
  }
  if ("call" in call) {
    const operation: Untyped<Effect.Effect<unknown, SyncteraError, Synctera>> = { run: Synctera[call.call] }
    return asTheCaseSays(Effect.match(Effect.provide(operation.run(inputOf(call)), layer), {
      onFailure: (error): Outcome => ({ error: failure(error) }),
      onSuccess: (value): Outcome => ({ ok: toPlain(value, special) })
    })).pipe(Effect.map((outcome) => [outcome]))
  }
  const operation: Untyped<Stream.Stream<unknown, SyncteraError, Synctera>> = { run: Synctera[call.stream] }
  const taken = call.take === undefined
    ? operation.run(inputOf(call))
    : Stream.take(operation.run(inputOf(call)), call.take)
  // One stream value, run `runs` times.
  const stream = Stream.provide(taken, layer)
  const walk = Effect.suspend(() => {
    const emitted: Array<Json> = []
    return Stream.runForEach(stream, (item) => Effect.sync(() => emitted.push(toPlain(item, special)))).pipe(
      Effect.match({
        onFailure: (error): Outcome => ({ error: failure(error), emitted }),
        onSuccess: (): Outcome => ({ ok: emitted })
      })
    )
  })
  return Effect.replicateEffect(asTheCaseSays(walk), call.runs ?? 1)
}

const check = (run: LiveRun) =>
  Effect.gen(function*() {
    const script = scriptOf(run, json)
    const server = run.nothingListens === true
      ? { origin: `http://127.0.0.1:${yield* Effect.promise(closedPort)}`, requests: [] }
      : yield* TestServer(script.handle)
    const layer = layerOf(run, `${server.origin}/v1`)
    const outcomes = yield* Effect.forEach(run.calls, (call) => outcomesOf(run, call, layer))
    const { actual, expected } = verdict(run, "effect4", {
      outcomes: outcomes.flat(),
      requests: server.requests,
      stats: script.stats,
      origin: server.origin
    })
    expect(actual).toEqual(expected)
  })

for (const { group, runs } of [...liveHttp, ...pceLiveHttp]) {
  describe(group, () => {
    for (const run of runs) it.live(run.name, () => check(run))
  })
}

// Retry timing and the retry budget: the shared table `test/cases/retryTiming.ts`, one test per case, as the
// Effect 3 line runs it (`test/retry-timing.test.ts`). The driving is this line's own: the scripted `HttpClient`
// under `SyncteraLive.layer`, forking the calls, and `TestClock` (an in-process transport: a test clock and a real
// socket do not mix).
describe("retry timing and the retry budget (in-process transport, TestClock)", () => {
  /** A hung attempt is an effect that never ends, for the client's timeout to interrupt. */
  const answer = (timing: TimingAnswer): Answer => "hang" in timing ? { run: Effect.never } : timing
  const call = Effect.match(Synctera.getWidgetToken({ cardId, widgetType: "REVEAL" }), {
    onFailure: (error): TimingOutcome => ({ error: toPlainObject({ ...error, _tag: error._tag }, special) }),
    onSuccess: (value): TimingOutcome => ({ ok: toPlain(value, special) })
  })

  /** Runs the case's phases, a new layer over a new scripted transport for each build, letting the test clock run. */
  const runTiming = (testCase: TimingCase) =>
    Effect.forEach(buildsOf(testCase), (build) =>
      Effect.gen(function*() {
        const scripted = ScriptedClient((index) => answer(build.answer(index)))
        const options = { apiKey: Redacted.make("k"), ...testCase.options }
        const context = yield* Layer.build(SyncteraLive.layer(options).pipe(Layer.provide(scripted.layer)))
        return yield* Effect.forEach(build.phases, (phase) =>
          Effect.gen(function*() {
            build.begin(phase, scripted.calls)
            const start = yield* Clock.currentTimeMillis
            const calls = Effect.replicateEffect(call, phase.calls ?? 1)
            const fiber = yield* Effect.forkChild(Effect.provide(calls, context))
            // TestClock.adjust wakes every sleeper due in the window, in order.
            yield* TestClock.adjust("1 hour")
            return build.seen(start, yield* Fiber.join(fiber), scripted.calls)
          }))
      })).pipe(Effect.map((builds) => builds.flat()))

  for (const { cases, group } of timingGroups) {
    describe(group, () => {
      for (const testCase of cases) {
        it.effect(testCase.name, () =>
          Effect.gen(function*() {
            const seen = yield* Effect.scoped(runTiming(testCase))
            for (const { actual, expected } of timingVerdicts(testCase, seen)) {
              expect(actual).toEqual(expected)
            }
          }))
      }
    })
  }
})

describe("spans", () => {
  const settings = (server: TestServer) =>
    ({
      apiKey: Redacted.make("test-key-1234"),
      baseUrl: server.baseUrl,
      retry: { base: "5 millis", cap: "20 millis" }
    }) as const
  const layers = [
    [
      "layer",
      (server: TestServer) => SyncteraLive.layer(settings(server)).pipe(Layer.provide(NodeHttpClient.layerUndici))
    ],
    ["layerNode", (server: TestServer) => SyncteraLive.layerNode(settings(server))]
  ] as const
  for (const [name, makeLayer] of layers) {
    it.live(`one client span per call, under the caller's, with the call's attributes (${name})`, () =>
      Effect.gen(function*() {
        const server = yield* TestServer((_, res, index) =>
          index === 0 ? json(res, 503, {}) : json(res, 200, widgetTokenBody)
        )
        const { spans, tracer } = recordingTracer()
        yield* Synctera.getWidgetToken({ cardId, widgetType: "REVEAL" }).pipe(
          Effect.provide(makeLayer(server)),
          Effect.withSpan("caller"),
          Effect.withTracer(tracer)
        )
        const caller = spans.find((span) => span.name === "caller")
        const call = spans.filter((span) => span.name === "Synctera.getWidgetToken")
        assert(caller !== undefined)
        expect(call).toHaveLength(1)
        const [span] = call
        assert(span !== undefined)
        expect(span.kind).toBe("client")
        expect(Option.getOrUndefined(span.parent)).toBe(caller)
        expect(span.status._tag).toBe("Ended")
        expect(Object.fromEntries(span.attributes)).toEqual({
          "synctera.card_id": cardId,
          "synctera.widget_type": "REVEAL",
          "synctera.idempotency_key": server.requests[0]?.headers["idempotency-key"],
          "synctera.attempts": 2
        })
        // Effect's HTTP client records no span of its own for these requests (its URL, its headers).
        expect(spans.map((s) => s.name).sort()).toEqual(["Synctera.getWidgetToken", "caller"])
      }))
  }
})
