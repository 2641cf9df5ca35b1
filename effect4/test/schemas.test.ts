/**
 * The shared schema tables (`test/cases/schemas.ts`, `schemasPce.ts`,
 * `schemasTrust.ts`, `schemasProperties.ts` at the root), run on the Effect 4
 * line through its public schemas: every wire input that decodes, to its
 * domain value and back; every refusal, in Effect 4's words; every encoding,
 * membership, JSON Schema and open enum; the pages' trust in their own
 * decoding; the property tests, with fast-check 4. The Effect 3 line runs the
 * same tables. After them, what only this line's Effect API can say: its
 * schemas' own `Arbitrary`, `Match` on an open enum, the brands, the
 * `SchemaError` itself, and a page's type-side derivations.
 */
import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, Cause, DateTime, Effect, Exit, Match, Option, Schema, SchemaIssue } from "effect"
import * as fc from "fast-check"
import type { SchemaName } from "../../test/cases/schemas.js"
import { authRequestBody, authRequestId, fdxTokenBody, matchedStatuses } from "../../test/cases/schemas.js"
import type { Outcome, SchemaLine } from "../../test/cases/schemasEngine.js"
import { dateTimesAsIso, schemaChecks } from "../../test/cases/schemasEngine.js"
import { brokenFdxTokenPageBody, fdxTokenPageBody } from "../../test/cases/schemasPce.js"
import {
  arbitraries,
  arbitraryOpenFields,
  holdsOn,
  knownAndUnrecognized,
  properties,
  roundTripsViaJson
} from "../../test/cases/schemasProperties.js"
import { trustChecks } from "../../test/cases/schemasTrust.js"
import * as Synctera from "../src/index.js"
import type { CustomerId, FdxAuthRequestId, FdxAuthRequestStatus, FdxTokenStatus } from "../src/index.js"

/** The tables' `Color`. */
const Color = Synctera.OpenEnum.make("RED", "GREEN")

const schemaOf = (name: SchemaName): Schema.Codec<unknown, unknown> => name === "Color" ? Color : Synctera[name]

const formatIssue = SchemaIssue.makeFormatterStandardSchemaV1()

/** `path: message` per issue, joined with `; `. */
const formatted = (error: Schema.SchemaError): string =>
  formatIssue(error.issue).issues
    .map(({ message, path }) => path === undefined || path.length === 0 ? message : `${path.join(".")}: ${message}`)
    .join("; ")

/** The value, or the `SchemaError`'s words: anything else (a defect, another error) throws. */
const outcome = (exit: Exit.Exit<unknown, Schema.SchemaError>): Outcome => {
  if (Exit.isSuccess(exit)) return { ok: exit.value }
  const error = Cause.findErrorOption(exit.cause)
  if (!exit.cause.reasons.every(Cause.isFailReason) || Option.isNone(error) || !Schema.isSchemaError(error.value)) {
    throw new Error(`not a SchemaError: ${Cause.pretty(exit.cause)}`)
  }
  return { error: formatted(error.value) }
}

/** This line's schemas, as the tables drive them. */
const line: SchemaLine = {
  line: "effect4",
  decode: (name, wire, options) => outcome(Schema.decodeUnknownExit(schemaOf(name))(wire, options)),
  validate: (name, domain) => outcome(Schema.decodeUnknownExit(Schema.toType(schemaOf(name)))(domain)),
  encode: (name, domain) => outcome(Schema.encodeUnknownExit(schemaOf(name))(domain)),
  is: (name, side, value) =>
    Schema.is(side === "type" ? Schema.toType(schemaOf(name)) : Schema.toEncoded(schemaOf(name)))(value),
  special: dateTimesAsIso(DateTime),
  jsonSchema: (name) => Schema.toJsonSchemaDocument(schemaOf(name)),
  // The value as the open enum's type, as a decoded field has it.
  isKnown: (list, value) =>
    Synctera.OpenEnum.isKnown(Synctera[list])(Schema.decodeSync(Synctera.OpenEnum.make(...Synctera[list]))(value)),
  exports: Synctera
}

describe("the schema tables, on the Effect 4 line", () => {
  for (const { actual, expected, name } of [...schemaChecks(line), ...trustChecks(line)]) {
    it(name, () => expect(actual()).toEqual(expected))
  }

  for (const property of properties) {
    it(property.name, () => {
      fc.assert(fc.property(property.input<fc.Arbitrary<unknown>>(fc), holdsOn(property, line)), {
        numRuns: property.runs
      })
    })
  }
})

// Per line: a schema's own Arbitrary (`Arbitrary.schema`) and its equivalence are Effect 4's API.
describe("the schemas' own Arbitrary, on the Effect 4 line", () => {
  for (const arbitrary of arbitraries) {
    it.effect(`${arbitrary.schema}: every value of its Arbitrary round-trips through JSON`, () =>
      Effect.gen(function*() {
        const type = Schema.toType(schemaOf(arbitrary.schema))
        const equivalent = Schema.toEquivalence(type)
        const check = roundTripsViaJson(line, arbitrary, equivalent)
        const result = yield* Arbitrary.checkEffect(Arbitrary.schema(type), check, { runs: arbitrary.runs, seed: 1 })
        expect(Arbitrary.formatCheckFailure(result)).toBeUndefined()
      }))
  }

  for (const open of arbitraryOpenFields) {
    it.effect(`${open.schema}: its Arbitrary gives known and unrecognized values of ${open.field}`, () =>
      Effect.gen(function*() {
        const arbitrary = Arbitrary.schema(Schema.toType(schemaOf(open.schema)))
        const values = yield* Arbitrary.sampleEffect(arbitrary, { count: 400, seed: 7 })
        expect(knownAndUnrecognized(line, values, open)).toEqual({ known: true, unrecognized: true })
      }))
  }
})

// Per line: `Match` is Effect's, and an open enum's type (its known literals, or `Unrecognized`) the line's own.
describe("open enums, matched", () => {
  it("keeps known values as literals, to match, and passes unknown ones through, to match with a fallback", () => {
    const describeStatus = (status: FdxTokenStatus | FdxAuthRequestStatus): string =>
      Match.value(status).pipe(
        Match.whenOr("ENABLED", "REVOKED", "USED", "PENDING", "GRANTED", "DENIED", (known) => known.toLowerCase()),
        // Without this branch, Match.exhaustive would not compile: unknown values must be handled.
        Match.orElse((other) => `unrecognized ${other}`)
      )
    const token = Schema.decodeUnknownSync(Synctera.FdxToken)
    const request = Schema.decodeUnknownSync(Synctera.FdxAuthRequest)
    for (const { described, status } of matchedStatuses) {
      expect(describeStatus(token({ ...fdxTokenBody, status }).status)).toBe(described)
      expect(describeStatus(request({ ...authRequestBody, status }).status)).toBe(described)
    }
  })
})

// Per line: a brand is the line's type.
describe("ids", () => {
  it("are distinct brands", () => {
    const request: FdxAuthRequestId = Schema.decodeUnknownSync(Synctera.FdxAuthRequestId)(authRequestId)
    // @ts-expect-error: an authorization request id is not a customer id
    const customer: CustomerId = request
    expect(customer).toBe(authRequestId)
  })
})

// Per line: the error's class and its message are Effect 4's, and so are a
// page's type-side derivations (Arbitrary, equivalence, formatter, JSON Schema).
describe("FdxTokenPage, on the Effect 4 line", () => {
  const { FdxTokenPage } = Synctera
  const decodeTokenPage = Schema.decodeUnknownExit(FdxTokenPage)

  it("fails with a SchemaError whose message shows where and what", () => {
    const exit = decodeTokenPage(brokenFdxTokenPageBody)
    const error = Exit.isFailure(exit) ? Cause.findErrorOption(exit.cause) : Option.none()
    expect(Option.exists(error, Schema.isSchemaError)).toBe(true)
    expect(Option.map(error, (e) => e.message)).toEqual(
      Option.some(`Expected string\n  at ["fdx_tokens"][1]["token_type"]`)
    )
    expect(() => Schema.decodeUnknownSync(FdxTokenPage)(brokenFdxTokenPageBody)).toThrow(/Expected string/)
  })

  it.effect("derives its type side from the domain struct: Arbitrary, equivalence, formatter, JSON Schema", () =>
    Effect.gen(function*() {
      const type = Schema.toType(FdxTokenPage)
      const encode = Schema.encodeSync(FdxTokenPage)
      const equivalent = Schema.toEquivalence(type)
      const result = yield* Arbitrary.checkEffect(
        Arbitrary.schema(type),
        (generated) => {
          const decoded = decodeTokenPage(JSON.parse(JSON.stringify(encode(generated))))
          return Exit.isSuccess(decoded) && equivalent(decoded.value, generated)
        },
        { runs: 200, seed: 3 }
      )
      expect(Arbitrary.formatCheckFailure(result)).toBeUndefined()
      const decoded = Schema.decodeUnknownSync(FdxTokenPage)(fdxTokenPageBody)
      expect(equivalent(decoded, { ...decoded, nextPageToken: "other" })).toBe(false)
      expect(Schema.toFormatter(type)(decoded)).toContain(`"nextPageToken": "a8937a0d"`)
      const schema = JSON.stringify(Schema.toJsonSchemaDocument(type))
      for (const key of ["fdxTokens", "nextPageToken", "tokenType", "creationTime"]) {
        expect(schema).toContain(`"${key}"`)
      }
      expect(schema).not.toContain("fdx_tokens")
    }))
})
