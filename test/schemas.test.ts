/**
 * The shared schema tables (`cases/schemas.ts`, `cases/schemasPce.ts`,
 * `cases/schemasTrust.ts`, `cases/schemasProperties.ts`), run on the Effect 3
 * line through its public schemas: every wire input that decodes, to its
 * domain value and back; every refusal, in Effect 3's words; every encoding,
 * membership, JSON Schema and open enum; the pages' trust in their own
 * decoding; the property tests, with Effect 3's `FastCheck`. The Effect 4
 * line runs the same tables. After them, what only this line's Effect API
 * can say: its schemas' own `Arbitrary`, and `Match` on an open enum (the
 * brands and the `ParseError` are in `pce-schemas.test.ts`).
 */
import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, DateTime, Either, FastCheck, JSONSchema, Match, ParseResult, Schema } from "effect"
import { readFileSync } from "node:fs"
import * as Synctera from "../src/index.js"
import type { FdxAuthRequestStatus, FdxTokenStatus } from "../src/index.js"
import type { SchemaName } from "./cases/schemas.js"
import { authRequestBody, fdxTokenBody, matchedStatuses } from "./cases/schemas.js"
import type { Outcome, SchemaLine } from "./cases/schemasEngine.js"
import { dateTimesAsIso, schemaChecks } from "./cases/schemasEngine.js"
import {
  arbitraries,
  arbitraryOpenFields,
  holdsOn,
  knownAndUnrecognized,
  properties,
  roundTripsViaJson
} from "./cases/schemasProperties.js"
import { trustChecks } from "./cases/schemasTrust.js"

/** The tables' `Color`. */
const Color = Synctera.OpenEnum.make("RED", "GREEN")

const schemaOf = (name: SchemaName): Schema.Schema.AnyNoContext => name === "Color" ? Color : Synctera[name]

/** `path: message` per issue, joined with `; `. */
const formatted = (error: ParseResult.ParseError): string =>
  ParseResult.ArrayFormatter.formatErrorSync(error)
    .map((issue) => issue.path.length === 0 ? issue.message : `${issue.path.join(".")}: ${issue.message}`)
    .join("; ")

const outcome = (result: Either.Either<unknown, ParseResult.ParseError>): Outcome =>
  Either.match(result, { onLeft: (error) => ({ error: formatted(error) }), onRight: (ok) => ({ ok }) })

/** This line's schemas, as the tables drive them. */
const line: SchemaLine = {
  line: "effect3",
  decode: (name, wire, options) => outcome(Schema.decodeUnknownEither(schemaOf(name), options)(wire)),
  validate: (name, domain) => outcome(Schema.decodeUnknownEither(Schema.typeSchema(schemaOf(name)))(domain)),
  encode: (name, domain) => outcome(Schema.encodeUnknownEither(schemaOf(name))(domain)),
  is: (name, side, value) =>
    Schema.is(side === "type" ? Schema.typeSchema(schemaOf(name)) : Schema.encodedSchema(schemaOf(name)))(value),
  special: dateTimesAsIso(DateTime),
  jsonSchema: (name) => JSONSchema.make(schemaOf(name)),
  // The value as the open enum's type, as a decoded field has it.
  isKnown: (list, value) =>
    Synctera.OpenEnum.isKnown(Synctera[list])(Schema.decodeSync(Synctera.OpenEnum.make(...Synctera[list]))(value)),
  exports: Synctera
}

describe("the schema tables, on the Effect 3 line", () => {
  for (const { actual, expected, name } of [...schemaChecks(line), ...trustChecks(line)]) {
    it(name, () => expect(actual()).toEqual(expected))
  }

  for (const property of properties) {
    it(property.name, () => {
      const input = property.input<FastCheck.Arbitrary<unknown>>(FastCheck)
      FastCheck.assert(FastCheck.property(input, holdsOn(property, line)), { numRuns: property.runs })
    })
  }
})

// Once, on this line: what the shared tables may import is not a matter of either line.
describe("the shared schema tables", () => {
  it("import nothing but the shared cases, the Effect-free core and node: builtins", () => {
    for (const file of ["schemas.ts", "schemasPce.ts", "schemasEngine.ts", "schemasProperties.ts", "schemasTrust.ts"]) {
      const source = readFileSync(new URL(`./cases/${file}`, import.meta.url), "utf8")
      const imports = [...source.matchAll(/^import[^"]*"([^"]+)"/gm)].map((match) => match[1])
      expect(imports.length).toBeGreaterThan(0)
      for (const specifier of imports) {
        expect(specifier).toMatch(/^(\.\/[a-zA-Z]+\.js|\.\.\/\.\.\/src\/core\/.+\.js|node:[a-z/]+)$/)
      }
    }
  })
})

// Per line: a schema's own Arbitrary (`Arbitrary.make`) and its equivalence are Effect 3's API.
describe("the schemas' own Arbitrary, on the Effect 3 line", () => {
  for (const arbitrary of arbitraries) {
    it(`${arbitrary.schema}: every value of its Arbitrary round-trips through JSON`, () => {
      const schema = schemaOf(arbitrary.schema)
      const equivalent = Schema.equivalence(Schema.typeSchema(schema))
      FastCheck.assert(FastCheck.property(Arbitrary.make(schema), roundTripsViaJson(line, arbitrary, equivalent)), {
        numRuns: arbitrary.runs
      })
    })
  }

  for (const open of arbitraryOpenFields) {
    it(`${open.schema}: its Arbitrary gives known and unrecognized values of ${open.field}`, () => {
      const values = FastCheck.sample(Arbitrary.make(schemaOf(open.schema)), 400)
      expect(knownAndUnrecognized(line, values, open)).toEqual({ known: true, unrecognized: true })
    })
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
