/**
 * The live layer over real HTTP, on the Effect 3 line: the shared tables
 * `cases/liveHttp.ts` (widget and FDX tokens) and `cases/pceLiveHttp.ts` (the
 * Plaid Core Exchange operations), one test per case. A node:http server on
 * 127.0.0.1 answers as the case scripts it; the client runs on a real
 * transport; what it sent and what it gave are compared with the case by
 * `cases/liveEngine.ts`. This file holds only the calls, in Effect 3; the
 * Effect 4 line runs the same tables (`effect4/test/live.test.ts`).
 */
import { FetchHttpClient, type HttpClient } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { DateTime, Duration, Effect, Layer, Redacted, Stream } from "effect"
import { isTransient, Synctera, type SyncteraError, SyncteraLive } from "../src/index.js"
import type { Json } from "./cases/behaviour.js"
import { toPlain, toPlainObject } from "./cases/engine.js"
import {
  closedPort,
  inputOf,
  type LiveCall,
  type LiveRun,
  type Outcome,
  scriptOf,
  type StockTransport,
  verdict
} from "./cases/liveEngine.js"
import { liveHttp } from "./cases/liveHttp.js"
import { pceLiveHttp } from "./cases/pceLiveHttp.js"
import { specialOf } from "./cases/portsPlain.js"
import { json, TestServer } from "./support/TestServer.js"

const httpClients: Readonly<Record<StockTransport, Layer.Layer<HttpClient.HttpClient>>> = {
  undici: NodeHttpClient.layerUndici,
  "node:http": NodeHttpClient.layer,
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
  const stream = Stream.provideLayer(taken, layer)
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
    const { actual, expected } = verdict(run, "effect3", {
      outcomes: outcomes.flat(),
      requests: server.requests,
      stats: script.stats,
      origin: server.origin
    })
    expect(actual).toEqual(expected)
  })

for (const { group, runs } of [...liveHttp, ...pceLiveHttp]) {
  describe(group, () => {
    for (const run of runs) it.scopedLive(run.name, () => check(run))
  })
}
