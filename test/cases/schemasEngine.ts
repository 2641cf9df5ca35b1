/**
 * Runs the schema tables (`schemas.ts`, `schemasPce.ts`) over one line,
 * without Effect: the line gives a `SchemaLine` (its `Schema` API over the
 * tables' schema names), and everything else — which call each case makes,
 * what it compares, the values as plain JSON — is done here, once for both
 * lines. Each check is a name, what the line gave (as JSON, computed when
 * the test runs) and what the table says it must give; a line's test runs
 * each as an `it`.
 *
 * No Effect here, and nothing from either line.
 */
import type { Json, Line } from "./behaviour.js"
import { toPlain } from "./engine.js"
import type { KnownList, Message, SchemaName, Tables, Words } from "./schemas.js"
import {
  idJsonSchema,
  ids,
  isByLine,
  knownListNames,
  knownLists,
  lenientErrorBodies,
  tables,
  unrecognizedValues,
  wordsOn
} from "./schemas.js"
import { pceTables } from "./schemasPce.js"

/** What a line's decoding or encoding gave: the value, or the refusal's words (see `Message`). */
export type Outcome = { readonly ok: unknown } | { readonly error: string }

/** What the tables read of a line's public module besides its schemas. */
export interface LineExports {
  readonly knownFdxAuthRequestStatuses: ReadonlyArray<string>
  readonly knownFdxTokenStatuses: ReadonlyArray<string>
  readonly knownFdxTokenTypes: ReadonlyArray<string>
  readonly decodeErrorBodyLenient: (json: unknown) => unknown
}

/** The functions of a line's `DateTime` module that {@link dateTimesAsIso} uses (the same in Effect 3 and 4). */
export interface DateTimes<DateTime> {
  readonly isDateTime: (value: unknown) => value is DateTime
  readonly isUtc: (self: DateTime) => boolean
  readonly formatIso: (self: DateTime) => string
}

/**
 * A `special` for `toPlain`: a `DateTime.Utc` as its ISO string (one in
 * another zone, marked as such, so that it cannot pass for UTC).
 */
export const dateTimesAsIso = <DateTime>(dateTimes: DateTimes<DateTime>) => (value: unknown): Json | undefined => {
  if (!dateTimes.isDateTime(value)) return undefined
  const iso = dateTimes.formatIso(value)
  return dateTimes.isUtc(value) ? iso : `not UTC: ${iso}`
}

/** One line's schemas, as the tables drive them. */
export interface SchemaLine {
  readonly line: Line
  /**
   * `Schema.decodeUnknown…` of the schema: the value, or the error as
   * `path: message; …`. Anything else (a defect, an error of another kind)
   * throws.
   */
  readonly decode: (schema: SchemaName, wire: unknown, options?: { readonly errors: "all" }) => Outcome
  /** `Schema.decodeUnknown…` of the schema's type side (a domain value, checked), as `decode`. */
  readonly validate: (schema: SchemaName, domain: unknown) => Outcome
  /** `Schema.encodeUnknown…` of the schema, as `decode`. */
  readonly encode: (schema: SchemaName, domain: unknown) => Outcome
  /** `Schema.is` of the schema's type side, or of its wire (encoded) side. */
  readonly is: (schema: SchemaName, side: "type" | "wire", value: unknown) => boolean
  /** `toPlain`'s `special`: the line's own data types as JSON (see {@link dateTimesAsIso}), else undefined. */
  readonly special: (value: unknown) => Json | undefined
  /** The schema's JSON Schema document. */
  readonly jsonSchema: (schema: SchemaName) => unknown
  /** The line's `OpenEnum.isKnown(list)`. */
  readonly isKnown: (list: KnownList, value: string) => boolean
  /** The line's public module (`src/index.ts`, `effect4/src/index.ts`), for what it exports besides schemas. */
  readonly exports: LineExports
}

/** One check of a table's case on a line: what the line gives, and what it must. */
export interface Check {
  readonly name: string
  readonly actual: () => Json
  readonly expected: Json
}

const isRecord = (value: unknown): value is { readonly [key: string]: unknown } =>
  typeof value === "object" && value !== null

/**
 * Where `value` holds a field set to `undefined` (the line's own data types
 * left alone): absent must be absent, not `undefined`, which `toPlain` (and
 * `toEqual`) would not see.
 */
const undefinedFields = (value: unknown, special: SchemaLine["special"], path: string): ReadonlyArray<string> =>
  !isRecord(value) || special(value) !== undefined ?
    [] :
    Object.entries(value).flatMap(([key, field]) =>
      field === undefined ? [`${path}${key}`] : undefinedFields(field, special, `${path}${key}.`)
    )

/** A line's value as plain JSON (`toPlain`), or what is wrong with it. */
export const plainOn = (line: SchemaLine, value: unknown): Json => {
  const fields = undefinedFields(value, line.special, "")
  return fields.length > 0 ? { undefinedFields: fields } : toPlain(value, line.special)
}

/**
 * A refusal's words, to compare as JSON: a pattern as its text, and what the
 * line said as the same text where the pattern matches it.
 */
const words = (expected: Words, line: Line): { readonly expected: string; readonly seen: (said: string) => string } => {
  const message: Message = wordsOn(expected, line)
  return typeof message === "string"
    ? { expected: message, seen: (said) => said }
    : { expected: String(message), seen: (said) => message.test(said) ? String(message) : said }
}

/** What a line gave, as JSON: `{ ok }` or `{ error }`. */
export const outcomeOn = (line: SchemaLine, outcome: Outcome, seen: (said: string) => string = (said) => said): Json =>
  "ok" in outcome ? { ok: plainOn(line, outcome.ok) } : { error: seen(outcome.error) }

/** Every check of `tables` on `line`. */
const checksOf = (
  line: SchemaLine,
  { decodes, encodeRefuses, encodes, jsonSchemaKeys, memberships, refuses }: Tables
) => [
  ...decodes.map(({ differs, note, schema, wire, ...expected }): Check => {
    const { domain, encoded } = differs?.[line.line] ?? expected
    return {
      name: `${schema} decodes ${note}, and encodes it back`,
      expected: { decoded: { ok: domain }, encoded: { ok: encoded } },
      actual: () => {
        const decoded = line.decode(schema, wire)
        return {
          decoded: outcomeOn(line, decoded),
          encoded: "ok" in decoded ? outcomeOn(line, line.encode(schema, decoded.ok)) : "not decoded"
        }
      }
    }
  }),
  ...refuses.map(({ allErrors, error, note, schema, wire }): Check => {
    const { expected, seen } = words(error, line.line)
    return {
      name: `${schema} refuses ${note}`,
      expected: { error: expected },
      actual: () => outcomeOn(line, line.decode(schema, wire, allErrors ? { errors: "all" } : undefined), seen)
    }
  }),
  ...encodes.map(({ domain, note, schema, text, wire }): Check => ({
    name: `${schema} encodes ${note}`,
    expected: { ok: wire, ...(text === undefined ? {} : { text }) },
    actual: () => {
      const encoded = line.encode(schema, domain)
      if (!("ok" in encoded)) return { error: encoded.error }
      return { ok: plainOn(line, encoded.ok), ...(text === undefined ? {} : { text: JSON.stringify(encoded.ok) }) }
    }
  })),
  ...encodeRefuses.map(({ domain, error, note, schema }): Check => {
    const { expected, seen } = words(error, line.line)
    return {
      name: `${schema} refuses to encode ${note}`,
      expected: { error: expected },
      actual: () => outcomeOn(line, line.encode(schema, domain), seen)
    }
  }),
  ...memberships.map(({ accepts, note, refuses, schema, side }): Check => ({
    name: `${schema}'s ${side} side: ${note}`,
    expected: { accepts, refuses },
    actual: () => {
      const values = [...accepts, ...refuses]
      return {
        accepts: values.filter((value) => line.is(schema, side, value)),
        refuses: values.filter((value) => !line.is(schema, side, value))
      }
    }
  })),
  ...jsonSchemaKeys.map(({ mentions, omits, schema }): Check => ({
    name: `${schema}'s JSON Schema describes the wire shape`,
    expected: { mentions, omits },
    actual: () => {
      const text = JSON.stringify(line.jsonSchema(schema))
      return {
        mentions: mentions.filter((key) => text.includes(`"${key}"`)),
        omits: omits.filter((key) => !text.includes(`"${key}"`))
      }
    }
  }))
]

/** Every check of the schema tables on `line`. */
export const schemaChecks = (line: SchemaLine): ReadonlyArray<Check> => [
  ...checksOf(line, tables),
  ...checksOf(line, pceTables),
  ...ids.map((id): Check => ({
    name: `${id.schema} names and describes itself in its JSON Schema`,
    expected: idJsonSchema(id)[line.line],
    actual: () => plainOn(line, line.jsonSchema(id.schema))
  })),
  ...knownListNames.map((list): Check => ({
    name: `${list}: the known values, and OpenEnum.isKnown of them and of others`,
    expected: { known: knownLists[list], recognized: knownLists[list] },
    actual: () => ({
      known: line.exports[list],
      recognized: [...knownLists[list], ...unrecognizedValues].filter((value) => line.isKnown(list, value))
    })
  })),
  ...lenientErrorBodies.map(({ body, json }): Check => ({
    name: `decodeErrorBodyLenient reads ${JSON.stringify(json)}`,
    expected: isByLine(body) ? body[line.line] : body,
    actual: () => plainOn(line, line.exports.decodeErrorBodyLenient(json))
  }))
]
