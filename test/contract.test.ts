/**
 * The shared behaviour table (`cases/behaviour.ts`), run on the Effect 3
 * line against both the in-memory layer and the live layer talking HTTP to
 * the sandbox server on 127.0.0.1. Each case checks the table's expected
 * observations on both, and that both give exactly the same result (error
 * messages, raw bodies and all), so the fake cannot drift from the real
 * client. The Effect 4 line runs the same table (`effect4/test/contract.test.ts`):
 * the expected values being exact, both lines are held to the one table.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Context, DateTime, Duration, Effect, Layer, Stream } from "effect"
import { readFileSync } from "node:fs"
import { Synctera, type SyncteraError, SyncteraLive, type SyncteraService } from "../src/index.js"
import { Sandbox } from "../src/sandbox.js"
import { type SandboxModel, SyncteraTest } from "../src/testing.js"
import { type CallName, cases, type Json, type StreamName } from "./cases/behaviour.js"
import { type Answer, differencesOf, type Driver, expectedOf, runCase, toPlain, toPlainObject } from "./cases/engine.js"

/** What a case may do to the Synctera under test, besides calling it. */
class Control extends Context.Tag("test/Control")<Control, {
  readonly failNext: SandboxModel.SandboxModel["failNext"]
  readonly addCards: SandboxModel.SandboxModel["addCards"]
  /** Plaid's part: exchanges a granted request's code. */
  readonly exchange: SandboxModel.SandboxModel["exchange"]
  readonly refreshFdxToken: SandboxModel.SandboxModel["refreshFdxToken"]
  readonly revokeFdxToken: SandboxModel.SandboxModel["revokeFdxToken"]
}>() {}

const controlOf = (model: SandboxModel.SandboxModel): Control["Type"] => ({
  failNext: model.failNext,
  addCards: model.addCards,
  exchange: model.exchange,
  refreshFdxToken: model.refreshFdxToken,
  revokeFdxToken: model.revokeFdxToken
})

const inMemory: Layer.Layer<Synctera | Control> = Layer.effect(
  Control,
  Effect.map(SyncteraTest, (control) => controlOf(control.model))
).pipe(Layer.provideMerge(SyncteraTest.layer()))

const overHttp: Layer.Layer<Synctera | Control, unknown> = Layer.unwrapEffect(
  Effect.map(Sandbox, (sandbox) =>
    Layer.merge(
      SyncteraLive.layer({ apiKey: sandbox.apiKey, baseUrl: sandbox.url, retry: false, timeout: "5 seconds" }).pipe(
        Layer.provide(NodeHttpClient.layerUndici)
      ),
      Layer.succeed(Control, controlOf(sandbox.model))
    ))
).pipe(Layer.provide(Sandbox.layer()))

/** This line's values as plain JSON: `DateTime` as ISO strings, `Duration` as `{ millis }`. */
const special = (value: unknown): Json | undefined =>
  DateTime.isDateTime(value)
    ? DateTime.formatIso(value)
    : Duration.isDuration(value)
    ? { millis: Duration.toMillis(value) }
    : undefined

const errorAnswer = (error: SyncteraError): Answer => ({
  error: toPlainObject({ ...error, _tag: error._tag, message: error.message }, special)
})

const answer = <A, E>(effect: Effect.Effect<A, E>, onFailure: (error: E) => Answer): Promise<Answer> =>
  Effect.runPromise(Effect.match(effect, { onFailure, onSuccess: (value) => ({ ok: toPlain(value, special) }) }))

/**
 * An operation as a JavaScript caller sees it: it takes whatever input the
 * table gives (plain JSON, some of it refused by the types on purpose) and
 * the line's own checks decide. Declared as a method, whose parameter
 * TypeScript compares both ways: that is this caller's view of a typed
 * operation, and nothing else is widened.
 */
interface JavaScriptCall {
  run(input: unknown): Effect.Effect<unknown, SyncteraError>
}

/** A stream, likewise. */
interface JavaScriptStream {
  run(input: unknown): Stream.Stream<unknown, SyncteraError>
}

const callsOf = (synctera: SyncteraService): Readonly<Record<CallName, JavaScriptCall>> => ({
  getWidgetToken: { run: synctera.getWidgetToken },
  getFdxToken: { run: synctera.getFdxToken },
  listFdxTokens: { run: synctera.listFdxTokens },
  listFdxAuthRequests: { run: synctera.listFdxAuthRequests },
  grantFdxAuthRequest: { run: synctera.grantFdxAuthRequest },
  getAuthorizationTest: { run: () => synctera.getAuthorizationTest() }
})

const streamsOf = (synctera: SyncteraService): Readonly<Record<StreamName, JavaScriptStream>> => ({
  streamFdxTokens: { run: synctera.streamFdxTokens },
  streamFdxAuthRequests: { run: synctera.streamFdxAuthRequests }
})

/** The table's view of one stand-in. */
const driverOf = (context: Context.Context<Synctera | Control>): Driver => {
  const synctera = Context.get(context, Synctera)
  const control = Context.get(context, Control)
  const calls = callsOf(synctera)
  const streams = streamsOf(synctera)
  const refused = (error: { readonly reason: string }): Answer => ({ refused: error.reason })
  return {
    call: (operation, input) => answer(calls[operation].run(input), errorAnswer),
    stream: (operation, input) =>
      answer(Effect.map(Stream.runCollect(streams[operation].run(input)), Chunk.toReadonlyArray), errorAnswer),
    failNext: (n, failure) => Effect.runPromise(control.failNext(n, failure)),
    addCards: (cards) => Effect.runPromise(control.addCards(cards)),
    exchange: (code) => answer(control.exchange(code), refused),
    refreshFdxToken: (id) => answer(control.refreshFdxToken(id), refused),
    revokeFdxToken: (id) => answer(control.revokeFdxToken(id), refused)
  }
}

/** Runs a case on a fresh stand-in. */
const runOn = <E>(layer: Layer.Layer<Synctera | Control, E>, testCase: (typeof cases)[number]) =>
  Effect.scoped(
    Effect.flatMap(Layer.build(layer), (context) => Effect.promise(() => runCase(driverOf(context), testCase)))
  )

describe("in-memory and over HTTP: the same behaviour, the table's", () => {
  it("gives the contract's observations everywhere: the reference line has no known differences", () => {
    expect(differencesOf("effect3")).toEqual([])
  })

  it("reads a table that is plain data: the table and its engine import nothing but the Effect-free core", () => {
    for (const file of ["behaviour.ts", "engine.ts"]) {
      const source = readFileSync(new URL(`./cases/${file}`, import.meta.url), "utf8")
      const imports = [...source.matchAll(/^import[^"]*"([^"]+)"/gm)].map((match) => match[1])
      expect(imports.length).toBeGreaterThan(0)
      for (const specifier of imports) expect(specifier).toMatch(/^(\.\/[a-z]+\.js|\.\.\/\.\.\/src\/core\/.+\.js)$/)
    }
  })

  for (const testCase of cases) {
    it.live(testCase.name, () =>
      Effect.gen(function*() {
        const memory = yield* runOn(inMemory, testCase)
        const http = yield* runOn(overHttp, testCase)
        const expected = expectedOf(testCase, "effect3")
        expect(memory.observed).toEqual(expected)
        expect(http.observed).toEqual(expected)
        // Not just alike: identical, down to messages and raw bodies.
        expect(http.raw).toEqual(memory.raw)
      }))
  }
})
