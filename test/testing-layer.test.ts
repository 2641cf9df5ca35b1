/**
 * The testing entry (`effect-synctera/testing`) on the Effect 3 line: the
 * shared scripts of the in-memory layer (`cases/testingLayer.ts`: the calls
 * log, the controls, idempotency on the TestClock) and of the sandbox model
 * at the wire level (`cases/testingLayerModel.ts`), run through this line's
 * drivers, and what only this line's Effect API can say. The Effect 4 line
 * runs the same scripts (`effect4/test/testing-layer.test.ts`); what the
 * behaviour table checks on this layer (`contract.test.ts`) is not checked
 * again. The model's other tests on this line are in `model.test.ts`.
 */
import { assert, describe, expect, it } from "@effect/vitest"
import { DateTime, Duration, Effect, Fiber, Layer, Runtime, Schema, TestClock } from "effect"
import { ErrorBody, FdxToken, Synctera, type SyncteraError, WidgetToken } from "../src/index.js"
import { maxRecordedCalls, sandboxIds, SandboxModel, Seed, SyncteraTest } from "../src/testing.js"
import type { Json } from "./cases/behaviour.js"
import { type Answer, toPlain, toPlainObject } from "./cases/engine.js"
import { type LayerAction, layerEffect, layerScripts, type LayerSubject } from "./cases/testingLayer.js"
import {
  bodySchemaOf,
  type ModelAction,
  modelEffect,
  modelScripts,
  type ModelSubject
} from "./cases/testingLayerModel.js"
import { expectedOfScript, runScript, type Script, type ScriptDriver } from "./cases/testingLayerScript.js"

// --- the drivers: this line's Effect API under the shared scripts ---

/** This line's own values as plain JSON: `DateTime` as ISO strings, `Duration` as `{ millis }`. */
const special = (value: unknown): Json | undefined =>
  DateTime.isDateTime(value)
    ? DateTime.formatIso(value)
    : Duration.isDuration(value)
    ? { millis: Duration.toMillis(value) }
    : undefined

/** What a script's action is on this line: a call or a control, failing as a call or a control does. */
type Action = Effect.Effect<unknown, SyncteraError | SandboxModel.ControlRefused>

const answerOf = (effect: Action): Effect.Effect<Answer> =>
  Effect.match(effect, {
    onFailure: (error): Answer => ({
      error: toPlainObject({ ...error, _tag: error._tag, name: error.name, message: error.message }, special)
    }),
    // A control that gives nothing answers `null`.
    onSuccess: (value): Answer => ({ ok: value === undefined ? null : toPlain(value, special) })
  })

/** A script's actions as effects, run on the test's runtime (its `TestClock`), each answer plain. */
const driverOn = <A>(
  runtime: Runtime.Runtime<never>,
  effectOf: (action: A) => Action
): ScriptDriver<A> => {
  const run = Runtime.runPromise(runtime)
  return {
    perform: (action) => run(answerOf(effectOf(action))),
    start: (action) => {
      const fiber = Runtime.runFork(runtime)(answerOf(effectOf(action)))
      return { join: () => run(Fiber.join(fiber)), interrupt: () => run(Fiber.interrupt(fiber)).then(() => undefined) }
    },
    adjustClock: (millis) => run(TestClock.adjust(Duration.millis(millis))),
    setClock: (millis) => run(TestClock.setTime(millis))
  }
}

const decodeTokens = Schema.decodeUnknownSync(Schema.Array(FdxToken))

/** The layer of the test, as the scripts reach it. */
const onLayer = Effect.map(Effect.all([Synctera, SyncteraTest]), ([synctera, control]) => {
  const subject: LayerSubject<Action> = {
    ...synctera,
    ...control,
    addFdxTokens: (tokens) => control.addFdxTokens(decodeTokens(tokens)),
    uris: control.model.uris,
    seed: Effect.succeed(control.seed)
  }
  return (action: LayerAction) => layerEffect(subject, action)
})

/** This line's readings of a body, by the name of the schema (see `bodySchemaOf`). */
const bodyDecoders = {
  ErrorBody: Schema.decodeUnknownSync(ErrorBody),
  WidgetToken: Schema.decodeUnknownSync(WidgetToken),
  FdxToken: Schema.decodeUnknownSync(FdxToken)
}

/** A fresh model, as the scripts reach it. */
const onModel = Effect.map(SandboxModel.make(), (model) => {
  const subject: ModelSubject<Action> = {
    ...model,
    handle: (request, options) =>
      Effect.map(model.handle(request, options), (outcome) => {
        const schema = bodySchemaOf(request.operation, outcome)
        return { ...outcome, decoded: schema === undefined ? undefined : bodyDecoders[schema](outcome.body) }
      }),
    addFdxTokens: (tokens) => model.addFdxTokens(decodeTokens(tokens))
  }
  return (action: ModelAction) => modelEffect(subject, action)
})

/** Runs `script` over what `subjectOf` gives in the test, and checks its observations. */
const runs = <A, R>(script: Script<A>, subjectOf: Effect.Effect<(action: A) => Action, never, R>) =>
  Effect.gen(function*() {
    const driver = driverOn(yield* Effect.runtime<never>(), yield* subjectOf)
    expect(yield* Effect.promise(() => runScript(driver, script))).toEqual(expectedOfScript(script))
  })

// --- the shared scripts ---

for (const { group, scripts } of layerScripts(maxRecordedCalls)) {
  describe(group, () => {
    for (const { seed, ...script } of scripts) {
      const layer = SyncteraTest.layer(seed === undefined ? undefined : Schema.decodeUnknownSync(Seed)(seed))
      it.effect(script.name, () => runs(script, onLayer).pipe(Effect.provide(layer)))
    }
  })
}

describe("the sandbox model", () => {
  for (const { group, scripts } of modelScripts) {
    describe(group, () => {
      for (const script of scripts) it.effect(script.name, () => runs(script, onModel))
    })
  }
})

// --- what only this line's Effect API says ---

describe("SyncteraTest.layer, as Effect 3 has it", () => {
  it("is keyed effect-synctera/SyncteraTest", () => {
    expect(SyncteraTest.key).toBe("effect-synctera/SyncteraTest")
  })

  // Plain JSON cannot tell a DateTime from its ISO string: the scripts and the table compare them alike.
  it.effect("answers with this line's FdxToken, its timestamps DateTimes", () =>
    Effect.gen(function*() {
      const fdx = yield* Synctera.getFdxToken({ fdxTokenId: sandboxIds.fdxTokens.usedRefresh })
      assert(Schema.is(Schema.typeSchema(FdxToken))(fdx))
      expect(DateTime.isDateTime(fdx.creationTime)).toBe(true)
    }).pipe(Effect.provide(SyncteraTest.layer())))

  // Layer memoisation is Effect's own: each `provide` builds the layer again, `Layer.fresh` once for the block.
  it.effect("each build of the layer is a fresh Synctera", () =>
    Effect.gen(function*() {
      const layer = SyncteraTest.layer()
      const reveal = Synctera.getWidgetToken({
        cardId: sandboxIds.cards.active,
        widgetType: "REVEAL",
        idempotencyKey: "same-key"
      })
      const first = yield* reveal.pipe(Effect.provide(layer))
      const second = yield* reveal.pipe(Effect.provide(layer))
      expect(second.widgetToken).not.toBe(first.widgetToken)
      const shared = yield* Effect.gen(function*() {
        const a = yield* reveal
        const b = yield* reveal
        return a.widgetToken === b.widgetToken
      }).pipe(Effect.provide(Layer.fresh(layer)))
      expect(shared).toBe(true)
    }))
})
