/**
 * The sandbox model and its seed on the Effect 3 line, where this line's
 * Effect API is what is tested: the seed's schema, the `HashMap` store of
 * idempotency keys, defects, the control's error class. The model's answers,
 * idempotency and injected failures at the wire level are the shared scripts
 * of `cases/testingLayerModel.ts`, which `testing-layer.test.ts` runs on
 * this line (and `effect4/test/testing-layer.test.ts` on the Effect 4 line).
 */
import { assert, describe, expect, it } from "@effect/vitest"
import { Cause, DateTime, Effect, Either, Exit, HashMap, Schema } from "effect"
import { defaultSeed, defaultSeedJson, Idempotency, sandboxIds, SandboxModel, Seed } from "../src/testing.js"
import type { Json } from "./cases/behaviour.js"
import { toPlain } from "./cases/engine.js"
import {
  defaultSeedFacts,
  expectedStoreFacts,
  seedDecodings,
  seedFacts,
  storeFacts
} from "./cases/testingLayerModel.js"

/** This line's `DateTime` as an ISO string, so that a decoded seed compares with the shared data. */
const plain = (value: unknown): Json =>
  toPlain(value, (v) => DateTime.isDateTime(v) ? DateTime.formatIso(v) : undefined)

describe("the default seed", () => {
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
      const decoded = Schema.decodeUnknownEither(Seed)(decoding.json)
      if ("refused" in decoding) expect(Either.isLeft(decoded)).toBe(true)
      else expect(Either.map(decoded, plain)).toEqual(Either.right(decoding.decoded))
    })
  }
})

describe("idempotency", () => {
  // This line's store is a `HashMap` of Effect's, the functions over it this line's.
  it("the store keeps at most maxEntries keys, dropping the oldest answers first", () => {
    const empty: Idempotency.Store = HashMap.empty()
    const store = { empty, size: HashMap.size, begin: Idempotency.begin, finish: Idempotency.finish }
    expect(storeFacts(store)).toEqual(expectedStoreFacts)
  })
})

describe("injected failures", () => {
  // A defect, not a typed failure: Effect's own distinction.
  it.effect("failNext refuses a count that is not a whole number, as a defect", () =>
    Effect.gen(function*() {
      const model = yield* SandboxModel.make()
      const exit = yield* Effect.exit(model.failNext(1.5, { status: 500 }))
      assert(Exit.isFailure(exit))
      expect(Cause.isDie(exit.cause)).toBe(true)
    }))
})

describe("the Plaid controls", () => {
  // The error class and the decoded tokens are this line's: the scripts see plain JSON.
  it.effect("refuse with this line's ControlRefused, and give its FdxTokens", () =>
    Effect.gen(function*() {
      const model = yield* SandboxModel.make()
      expect(yield* Effect.flip(model.revokeFdxToken(sandboxIds.fdxTokens.unknown))).toBeInstanceOf(
        SandboxModel.ControlRefused
      )
      const issued = yield* model.refreshFdxToken(sandboxIds.fdxTokens.enabledRefresh)
      expect(issued.every((token) => DateTime.isDateTime(token.lastUpdatedTime))).toBe(true)
    }))
})
