/**
 * Hostile input, as properties: random strings, unicode, `../`, `%2F`, very
 * long ids, every widget type and garbage ones, garbage idempotency keys,
 * values of the wrong type. Never a defect; an invalid input is refused with
 * `InvalidInput` and no request is sent; a valid one is sent exactly as
 * documented (the id in the path, untouched, under the base URL).
 */
import { assert, describe, expect, it } from "@effect/vitest"
import { Effect, FastCheck as fc } from "effect"
import { InvalidInput } from "../../src/index.js"
import type { GetFdxTokenRequest, GetWidgetTokenRequest } from "../../src/Synctera.js"
import { fdxTokenBody, widgetTokenBody } from "../support/fixtures.js"
import { makeObserver } from "./support/canary.js"
import { makeFigures } from "./support/figures.js"
import {
  classify,
  countingTransport,
  keyPattern,
  numRuns,
  serviceOver,
  uuidPattern,
  widgetTypes
} from "./support/properties.js"

const figures = makeFigures("hostile-input")
const observer = makeObserver()

const hostileStrings: fc.Arbitrary<string> = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.string({ unit: "grapheme" }),
  fc.constantFrom(
    "",
    " ",
    "..",
    "../",
    "../../etc/passwd",
    "..%2F..%2Ffdx_tokens",
    "%2F",
    "%2e%2e%2f",
    "/",
    "?",
    "#",
    "\r\nX-Injected: 1",
    "\u0000",
    "\u202e",
    "ｃａｒｄ",
    "7d943c51-e4ff-4e57-9558-08cab6b963c7/../../admin",
    "7d943c51-e4ff-4e57-9558-08cab6b963c7%2F..",
    "7d943c51-e4ff-4e57-9558-08cab6b963c7\n",
    " 7d943c51-e4ff-4e57-9558-08cab6b963c7",
    "7d943c51e4ff4e57955808cab6b963c7",
    "{7d943c51-e4ff-4e57-9558-08cab6b963c7}",
    "7D943C51-E4FF-4E57-9558-08CAB6B963C7"
  ),
  // Very long: up to 100 KB.
  fc.integer({ min: 1_000, max: 100_000 }).map((n) => "a".repeat(n)),
  fc.uuid().map((u) => `${u}/../${u}`),
  fc.tuple(fc.uuid(), fc.string()).map(([u, s]) => u + s),
  fc.tuple(fc.string(), fc.uuid()).map(([s, u]) => s + u)
)

/** Values a JavaScript caller could pass where a string belongs. */
const wrongTypes: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, undefined, 0, -1, Number.NaN, true, [], {}, Symbol.iterator),
  fc.integer(),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.object({ maxDepth: 1 })
)

const idArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.uuid() },
  { weight: 5, arbitrary: hostileStrings },
  { weight: 1, arbitrary: wrongTypes }
)

const widgetTypeArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...widgetTypes) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "reveal",
      "Reveal",
      "REVEAL ",
      "GET-PIN",
      "SET_PIN\n",
      "__proto__",
      "constructor",
      "toString",
      "UNKNOWN_NEW_TYPE"
    )
  },
  { weight: 2, arbitrary: hostileStrings },
  { weight: 1, arbitrary: wrongTypes }
)

const keyArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  {
    weight: 2,
    arbitrary: fc.string({
      unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
      minLength: 1,
      maxLength: 300
    })
  },
  { weight: 3, arbitrary: hostileStrings },
  { weight: 1, arbitrary: wrongTypes }
)

/** Whole inputs: a record with those fields, sometimes missing one, sometimes not an object at all. */
const widgetInputArb: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record({ cardId: idArb, widgetType: widgetTypeArb, idempotencyKey: keyArb }, {
      requiredKeys: ["cardId", "widgetType"]
    })
  },
  { weight: 1, arbitrary: fc.record({ cardId: idArb, widgetType: widgetTypeArb, extra: fc.anything() }) },
  { weight: 1, arbitrary: fc.record({ cardId: idArb }) },
  { weight: 1, arbitrary: wrongTypes }
)

const fdxInputArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 12, arbitrary: fc.record({ fdxTokenId: idArb }) },
  { weight: 1, arbitrary: fc.record({ fdxTokenId: idArb, extra: fc.anything() }) },
  { weight: 1, arbitrary: wrongTypes }
)

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

/** The documented rules, written independently of the client's schemas. */
const validWidgetInput = (input: unknown): input is { cardId: string; widgetType: string; idempotencyKey?: string } =>
  isRecord(input) &&
  typeof input["cardId"] === "string" && uuidPattern.test(input["cardId"]) &&
  typeof input["widgetType"] === "string" && (widgetTypes as ReadonlyArray<string>).includes(input["widgetType"]) &&
  (input["idempotencyKey"] === undefined ||
    (typeof input["idempotencyKey"] === "string" && keyPattern.test(input["idempotencyKey"])))

const validFdxInput = (input: unknown): input is { fdxTokenId: string } =>
  isRecord(input) && typeof input["fdxTokenId"] === "string" && uuidPattern.test(input["fdxTokenId"])

const summary = { runs: 0, valid: 0, refused: 0 }

describe("hostile input", () => {
  it.live(`getWidgetToken: ${numRuns} random inputs; invalid ones refused before sending`, () =>
    Effect.promise(async () => {
      const transport = countingTransport()
      transport.state.answer = {
        status: 200,
        headers: { "content-type": "application/json" },
        body: JSON.stringify(widgetTokenBody)
      }
      const service = serviceOver(transport.layer)
      let valid = 0
      await fc.assert(
        fc.asyncProperty(widgetInputArb, async (input) => {
          const before = transport.state.sent.length
          // A JavaScript caller can pass anything: the types are no protection at run time.
          const exit = await Effect.runPromiseExit(
            observer.observe(service.getWidgetToken(input as GetWidgetTokenRequest))
          )
          const outcome = classify(exit)
          const sent = transport.state.sent.slice(before)
          figures.add({ calls: 1, requests: sent.length, defects: outcome._tag === "Defect" ? 1 : 0 })
          if (validWidgetInput(input)) {
            valid++
            expect(outcome._tag).toBe("Value")
            expect(sent).toHaveLength(1)
            const [{ request, url }] = sent as [(typeof sent)[number]]
            expect(url.origin).toBe("http://127.0.0.1:9")
            expect(url.pathname).toBe(`/v1/cards/${input.cardId}/widget_token`)
            expect([...url.searchParams]).toEqual([["widget_type", input.widgetType]])
            const key = request.headers["idempotency-key"]
            if (input.idempotencyKey === undefined) expect(key).toMatch(uuidPattern)
            else expect(key).toBe(input.idempotencyKey)
          } else {
            figures.add({ invalidInputSent: sent.length })
            assert(outcome._tag === "Error", outcome._tag === "Defect" ? outcome.cause : "a value")
            expect(outcome.error).toBeInstanceOf(InvalidInput)
            assert(outcome.error._tag === "InvalidInput")
            expect(outcome.error.operation).toBe("getWidgetToken")
            expect(outcome.error.description.length).toBeGreaterThan(0)
            expect(outcome.error.description.length).toBeLessThanOrEqual(1100)
            expect(sent).toHaveLength(0)
          }
        }),
        { numRuns }
      )
      summary.runs += numRuns
      summary.valid += valid
      summary.refused += numRuns - valid
      // Both sides of the oracle were exercised.
      expect(valid).toBeGreaterThan(numRuns / 20)
      expect(valid).toBeLessThan(numRuns * 0.9)
    }))

  it.live(`getFdxToken: ${numRuns} random inputs; invalid ones refused before sending`, () =>
    Effect.promise(async () => {
      const transport = countingTransport()
      transport.state.answer = {
        status: 200,
        headers: { "content-type": "application/json" },
        body: JSON.stringify(fdxTokenBody)
      }
      const service = serviceOver(transport.layer)
      let valid = 0
      await fc.assert(
        fc.asyncProperty(fdxInputArb, async (input) => {
          const before = transport.state.sent.length
          const exit = await Effect.runPromiseExit(observer.observe(service.getFdxToken(input as GetFdxTokenRequest)))
          const outcome = classify(exit)
          const sent = transport.state.sent.slice(before)
          figures.add({ calls: 1, requests: sent.length, defects: outcome._tag === "Defect" ? 1 : 0 })
          if (validFdxInput(input)) {
            valid++
            expect(outcome._tag).toBe("Value")
            expect(sent).toHaveLength(1)
            expect(sent[0]?.url.pathname).toBe(`/v1/fdx_tokens/${input.fdxTokenId}`)
            expect(sent[0]?.url.search).toBe("")
            expect(sent[0]?.request.headers["idempotency-key"]).toBeUndefined()
          } else {
            figures.add({ invalidInputSent: sent.length })
            assert(outcome._tag === "Error", outcome._tag === "Defect" ? outcome.cause : "a value")
            expect(outcome.error._tag).toBe("InvalidInput")
            expect(outcome.error.operation).toBe("getFdxToken")
            expect(sent).toHaveLength(0)
          }
        }),
        { numRuns }
      )
      summary.runs += numRuns
      summary.valid += valid
      summary.refused += numRuns - valid
      expect(valid).toBeGreaterThan(numRuns / 20)
      expect(valid).toBeLessThan(numRuns * 0.9)
    }))

  it.live("objects that fight back: throwing getters, proxies, values that change when read again", () =>
    Effect.promise(async () => {
      const transport = countingTransport()
      transport.state.answer = {
        status: 200,
        headers: { "content-type": "application/json" },
        body: JSON.stringify(widgetTokenBody)
      }
      const service = serviceOver(transport.layer)
      const validId = "7d943c51-e4ff-4e57-9558-08cab6b963c7"
      const throwing = (field: string) =>
        Object.defineProperty({ cardId: validId, widgetType: "REVEAL" }, field, {
          enumerable: true,
          get() {
            throw new Error("a getter threw")
          }
        })
      const revoked = Proxy.revocable({}, {})
      revoked.revoke()
      const hostile: ReadonlyArray<readonly [string, unknown]> = [
        ["a cardId getter that throws", throwing("cardId")],
        ["a widgetType getter that throws", throwing("widgetType")],
        ["an idempotencyKey getter that throws", throwing("idempotencyKey")],
        [
          "a Proxy whose every trap throws",
          new Proxy({}, {
            get: () => {
              throw new Error("trap")
            },
            has: () => {
              throw new Error("trap")
            },
            ownKeys: () => {
              throw new Error("trap")
            },
            getOwnPropertyDescriptor: () => {
              throw new Error("trap")
            }
          })
        ],
        ["a revoked Proxy", revoked.proxy],
        ["a cardId whose toString throws", {
          cardId: {
            toString: () => {
              throw new Error("toString")
            }
          },
          widgetType: "REVEAL"
        }],
        ["an object without a prototype", Object.assign(Object.create(null), { cardId: "../x", widgetType: "REVEAL" })]
      ]
      for (const [name, input] of hostile) {
        const exit = await Effect.runPromiseExit(
          observer.observe(service.getWidgetToken(input as GetWidgetTokenRequest))
        )
        const outcome = classify(exit)
        figures.add({ calls: 1, defects: outcome._tag === "Defect" ? 1 : 0 })
        assert(outcome._tag === "Error", `${name}: ${outcome._tag === "Defect" ? outcome.cause : "a value"}`)
        expect(outcome.error._tag, name).toBe("InvalidInput")
      }
      expect(transport.state.sent).toHaveLength(0)

      // A getter that answers a valid id once and `../admin` afterwards: the
      // request uses the value that was checked, read once.
      let reads = 0
      const shifty = {
        get cardId() {
          return reads++ === 0 ? validId : "../../admin"
        },
        widgetType: "REVEAL" as const
      }
      const token = await Effect.runPromise(service.getWidgetToken(shifty))
      expect(token.widgetToken).toBe(widgetTokenBody.widget_token)
      expect(transport.state.sent.map((s) => s.url.pathname)).toEqual([`/v1/cards/${validId}/widget_token`])
      figures.add({ calls: 1, requests: 1 })
    }))

  it("the key appeared nowhere", () => {
    observer.restore()
    figures.add({ keyLeaks: observer.leaks().length, textsSearched: observer.texts() })
    figures.section("inputs", summary)
    expect(observer.texts()).toBeGreaterThan(numRuns)
    expect(observer.leaks()).toEqual([])
  })
})
