/**
 * The Effect 4 line's testing entry (`effect-synctera/effect4/testing`): the
 * shared scripts of the in-memory layer (`test/cases/testingLayer.ts` at the
 * root: the calls log, the controls, idempotency on the TestClock) and of the
 * sandbox model at the wire level (`test/cases/testingLayerModel.ts`), run
 * through this line's drivers, as the Effect 3 line runs them
 * (`test/testing-layer.test.ts`); then what only this line's Effect API can
 * say of the layer, the model and the seed (the Effect 3 line's are in its
 * `test/testing-layer.test.ts` and `test/model.test.ts`). What the behaviour
 * table checks on this layer (`contract.test.ts`) is not checked again.
 */
import { assert, describe, expect, it } from "@effect/vitest"
import { type Context, DateTime, Duration, Effect, Exit, Fiber, HashMap, Layer, Result, Schema } from "effect"
import { TestClock } from "effect/testing"
import type { Json } from "../../test/cases/behaviour.js"
import { type Answer, toPlain, toPlainObject } from "../../test/cases/engine.js"
import { type LayerAction, layerEffect, layerScripts, type LayerSubject } from "../../test/cases/testingLayer.js"
import {
  bodySchemaOf,
  defaultSeedFacts,
  expectedStoreFacts,
  type ModelAction,
  modelEffect,
  modelScripts,
  type ModelSubject,
  seedDecodings,
  seedFacts,
  storeFacts
} from "../../test/cases/testingLayerModel.js"
import { expectedOfScript, runScript, type Script, type ScriptDriver } from "../../test/cases/testingLayerScript.js"
import { ErrorBody, FdxToken, Synctera, type SyncteraError, WidgetToken } from "../src/index.js"
import {
  defaultSeed,
  defaultSeedJson,
  Idempotency,
  maxRecordedCalls,
  sandboxIds,
  SandboxModel,
  Seed,
  SyncteraTest
} from "../src/testing.js"

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

/** A script's actions as effects, run with the test's services (its `TestClock`), each answer plain. */
const driverOn = <A>(
  services: Context.Context<never>,
  effectOf: (action: A) => Action
): ScriptDriver<A> => {
  const run = Effect.runPromiseWith(services)
  return {
    perform: (action) => run(answerOf(effectOf(action))),
    start: (action) => {
      const fiber = Effect.runForkWith(services)(answerOf(effectOf(action)))
      return { join: () => run(Fiber.join(fiber)), interrupt: () => run(Fiber.interrupt(fiber)) }
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
    const driver = driverOn(yield* Effect.context<never>(), yield* subjectOf)
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

describe("SyncteraTest.layer, as Effect 4 has it", () => {
  it("is keyed effect-synctera/SyncteraTest", () => {
    expect(SyncteraTest.key).toBe("effect-synctera/SyncteraTest")
  })

  // Plain JSON cannot tell a DateTime from its ISO string: the scripts and the table compare them alike.
  it.effect("answers with this line's FdxToken, its timestamps DateTimes", () =>
    Effect.gen(function*() {
      const fdx = yield* Synctera.getFdxToken({ fdxTokenId: sandboxIds.fdxTokens.usedRefresh })
      assert(Schema.is(Schema.toType(FdxToken))(fdx))
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

/** This line's `DateTime` as an ISO string, so that a decoded seed compares with the shared data. */
const plainSeed = (value: unknown): Json =>
  toPlain(value, (v) => DateTime.isDateTime(v) ? DateTime.formatIso(v) : undefined)

describe("the default seed, as Effect 4 has it", () => {
  // The facts are shared; the seed they are read from is this line's decoding, its timestamps DateTimes.
  it("has a card in each state and FDX tokens of every status and type, owned by customers and businesses", () => {
    expect(seedFacts(defaultSeed)).toEqual(defaultSeedFacts)
    for (const token of defaultSeed.fdxTokens) expect(DateTime.isDateTime(token.creationTime)).toBe(true)
  })

  // Encoding and decoding are this line's `Schema`.
  it("round-trips through its JSON form", () => {
    const json = JSON.parse(JSON.stringify(Schema.encodeSync(Seed)(defaultSeed)))
    expect(json).toEqual(defaultSeedJson)
    expect(Schema.decodeUnknownSync(Seed)(json)).toEqual(defaultSeed)
  })

  // The data is shared; decoding it is this line's `Schema`.
  for (const decoding of seedDecodings) {
    it(`a seed's JSON form: ${decoding.name}`, () => {
      const decoded = Schema.decodeUnknownResult(Seed)(decoding.json)
      if ("refused" in decoding) expect(Result.isFailure(decoded)).toBe(true)
      else expect(Result.map(decoded, plainSeed)).toEqual(Result.succeed(decoding.decoded))
    })
  }
})

describe("the sandbox model, as Effect 4 has it", () => {
  // This line's store is a `HashMap` of Effect's, the functions over it this line's.
  it("the store keeps at most maxEntries keys, dropping the oldest answers first", () => {
    const empty: Idempotency.Store = HashMap.empty()
    const store = { empty, size: HashMap.size, begin: Idempotency.begin, finish: Idempotency.finish }
    expect(storeFacts(store)).toEqual(expectedStoreFacts)
  })

  // A defect, not a typed failure: Effect's own distinction.
  it.effect("failNext refuses a count that is not a whole number, as a defect", () =>
    Effect.gen(function*() {
      const model = yield* SandboxModel.make()
      const exit = yield* Effect.exit(model.failNext(1.5, { status: 500 }))
      assert(Exit.isFailure(exit))
      expect(Exit.hasDies(exit)).toBe(true)
    }))

  // The error class and the decoded tokens are this line's: the scripts see plain JSON.
  it.effect("the Plaid controls refuse with this line's ControlRefused, and give its FdxTokens", () =>
    Effect.gen(function*() {
      const model = yield* SandboxModel.make()
      expect(yield* Effect.flip(model.revokeFdxToken(sandboxIds.fdxTokens.unknown))).toBeInstanceOf(
        SandboxModel.ControlRefused
      )
      const issued = yield* model.refreshFdxToken(sandboxIds.fdxTokens.enabledRefresh)
      expect(issued.every((token) => DateTime.isDateTime(token.lastUpdatedTime))).toBe(true)
    }))
})
