/**
 * Bodies of valid JSON nested very deep, on the Effect 4 line: the shared
 * table `test/cases/deepNesting.ts` at the root (every operation, every
 * transport, success and error answers, a caller's deep or wide input), as
 * the Effect 3 line runs it (`test/deep-nesting.test.ts`). Each must end as
 * a typed error with a bounded `body` and a bounded message, never as a
 * defect. This file holds only what is Effect 4's own: its transports, the
 * calls, and reading its `Exit`.
 */
import { describe, expect, it } from "@effect/vitest"
import { Cause, DateTime, Duration, Effect, Exit, Stream } from "effect"
import type { Json } from "../../test/cases/behaviour.js"
import {
  callerInputs,
  type DeepCheck,
  deepestChecks,
  type DeepLab,
  deepOptions,
  everyOperationChecks,
  nowhere,
  refusalWords
} from "../../test/cases/deepNesting.js"
import { toPlain, toPlainObject } from "../../test/cases/engine.js"
import { inputOf, type LiveCall } from "../../test/cases/liveEngine.js"
import { matching } from "../../test/cases/portsMatch.js"
import { specialOf } from "../../test/cases/portsPlain.js"
import { Synctera, type SyncteraError } from "../src/index.js"
import { TestServer } from "./support/TestServer.js"
import { type MakeLayer, node, transports } from "./support/transports.js"
import { callUntyped } from "./support/untyped.js"

/** An operation or a stream as a JavaScript caller sees it (a method's parameter is compared both ways). */
interface Untyped<A> {
  run(input: unknown): A
}

/** The call, run to its end (a stream drained). */
const callOf = (call: LiveCall): Effect.Effect<unknown, SyncteraError, Synctera> => {
  if ("call" in call) {
    const operation: Untyped<Effect.Effect<unknown, SyncteraError, Synctera>> = { run: Synctera[call.call] }
    return operation.run(inputOf(call))
  }
  const stream: Untyped<Stream.Stream<unknown, SyncteraError, Synctera>> = { run: Synctera[call.stream] }
  return Stream.runDrain(stream.run(inputOf(call)))
}

/** This line's values as the tables write them (`DateTime.Utc`, `Duration`, `Redacted`). */
const special = specialOf({ DateTime, Duration })

/** An exit as the table looks at it: a success, one typed error (this line's one `Fail` reason), or anything else, as text. */
const outcomeOf = (exit: Exit.Exit<unknown, SyncteraError>): Json => {
  if (Exit.isSuccess(exit)) return { ok: exit.value === undefined ? null : toPlain(exit.value, special) }
  const [reason, ...others] = exit.cause.reasons
  return reason !== undefined && others.length === 0 && Cause.isFailReason(reason)
    ? { error: toPlainObject({ ...reason.error, _tag: reason.error._tag, message: reason.error.message }, special) }
    : { defect: Cause.pretty(exit.cause) }
}

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

const deepest = [transports[0], ["layerNode", node] as const]

describe("deeply nested bodies", () => {
  for (const [transportName, makeLayer] of transports) {
    for (const check of everyOperationChecks) {
      it(`${transportName}, ${check.name}`, () => verify(check, labOf(makeLayer)), 60_000)
    }
  }

  for (const { expect: expected, input, name } of callerInputs) {
    it.effect(name, () =>
      Effect.gen(function*() {
        const exit = yield* Effect.exit(Effect.provide(callUntyped("getFdxToken", input()), node(nowhere, deepOptions)))
        const seen = matching(outcomeOf(exit), expected(refusalWords.effect4))
        expect(seen.actual).toEqual(seen.expected)
      }))
  }

  for (const [transportName, makeLayer] of deepest.flatMap((transport) => transport === undefined ? [] : [transport])) {
    for (const check of deepestChecks) {
      it(`${check.name} (${transportName})`, () => verify(check, labOf(makeLayer)), 60_000)
    }
  }
})
