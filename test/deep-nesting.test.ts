/**
 * Bodies of valid JSON nested very deep, on the Effect 3 line: the shared
 * table `cases/deepNesting.ts` (every operation, every transport, success
 * and error answers, a caller's deep or wide input), as the Effect 4 line
 * runs it (`effect4/test/deep-nesting.test.ts`). Each must end as a typed
 * error with a bounded `body`, never as a defect. This file holds only what
 * is Effect 3's own: its transports, the calls, and reading its `Exit`.
 */
import { describe, expect, it } from "@effect/vitest"
import { Cause, DateTime, Duration, Effect, Exit, Stream } from "effect"
import { Synctera, type SyncteraError } from "../src/index.js"
import type { Json } from "./cases/behaviour.js"
import {
  callerInputs,
  type DeepCheck,
  deepestChecks,
  type DeepLab,
  deepOptions,
  everyOperationChecks,
  nowhere,
  refusalWords
} from "./cases/deepNesting.js"
import { toPlain, toPlainObject } from "./cases/engine.js"
import { inputOf, type LiveCall } from "./cases/liveEngine.js"
import { matching } from "./cases/portsMatch.js"
import { specialOf } from "./cases/portsPlain.js"
import { type MakeLayer, transports } from "./reliability/support/layers.js"
import { TestServer } from "./support/TestServer.js"

/** An operation or a stream as a JavaScript caller sees it (a method's parameter is compared both ways). */
interface Untyped<A> {
  run(input: unknown): A
}

/** The call, run to its end (a stream drained). */
const callOf = (call: LiveCall, input: unknown = inputOf(call)): Effect.Effect<unknown, SyncteraError, Synctera> => {
  if ("call" in call) {
    const operation: Untyped<Effect.Effect<unknown, SyncteraError, Synctera>> = { run: Synctera[call.call] }
    return operation.run(input)
  }
  const stream: Untyped<Stream.Stream<unknown, SyncteraError, Synctera>> = { run: Synctera[call.stream] }
  return Stream.runDrain(stream.run(input))
}

/** This line's values as the tables write them (`DateTime.Utc`, `Duration`, `Redacted`). */
const special = specialOf({ DateTime, Duration })

/** An exit as the table looks at it: a success, one typed error (this line's `Fail`), or anything else, as text. */
const outcomeOf = (exit: Exit.Exit<unknown, SyncteraError>): Json =>
  Exit.isSuccess(exit)
    ? { ok: exit.value === undefined ? null : toPlain(exit.value, special) }
    : exit.cause._tag === "Fail"
    ? {
      error: toPlainObject(
        { ...exit.cause.error, _tag: exit.cause.error._tag, message: exit.cause.error.message },
        special
      )
    }
    : { defect: Cause.pretty(exit.cause) }

const withServer: DeepLab["withServer"] = (handle, use) =>
  Effect.runPromise(Effect.scoped(Effect.flatMap(TestServer(handle), (server) => Effect.promise(() => use(server)))))

/** The lab of one of this line's transports. */
const labOf = (makeLayer: MakeLayer): DeepLab => ({
  withServer,
  outcome: (call, baseUrl) =>
    Effect.runPromise(Effect.map(Effect.exit(Effect.provide(callOf(call), makeLayer(baseUrl, deepOptions))), outcomeOf))
})

const verify = async (check: DeepCheck, lab: DeepLab) => {
  for (const { actual, expected } of await check.run(lab)) expect(actual).toEqual(expected)
}

const deepest = [transports[0], transports.find(([name]) => name.startsWith("layerNode"))]

describe("deeply nested bodies", () => {
  for (const [transportName, makeLayer] of transports) {
    for (const check of everyOperationChecks) {
      it(`${transportName}, ${check.name}`, () => verify(check, labOf(makeLayer)), 60_000)
    }
  }

  for (const { expect: expected, input, name } of callerInputs) {
    it.effect(name, () =>
      Effect.gen(function*() {
        const [, makeLayer] = transports[0] ?? []
        if (makeLayer === undefined) throw new Error("no transport")
        const call = callOf({ call: "getFdxToken" }, input())
        const exit = yield* Effect.exit(Effect.provide(call, makeLayer(nowhere, deepOptions)))
        const seen = matching(outcomeOf(exit), expected(refusalWords.effect3))
        expect(seen.actual).toEqual(seen.expected)
      }))
  }

  for (const [transportName, makeLayer] of deepest.flatMap((transport) => transport === undefined ? [] : [transport])) {
    for (const check of deepestChecks) {
      it(`${check.name} (${transportName})`, () => verify(check, labOf(makeLayer)), 60_000)
    }
  }
})
