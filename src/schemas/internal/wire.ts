/**
 * The pieces the FDX schemas (`FdxToken`, `FdxAuthRequest`, the pages) share
 * to decode fast (see bench/README.md): a wire shape of JSON types only,
 * checked by one loop; RFC 3339 timestamps read by the shared core's
 * `timestampMillis` (plain `Date.parse`, no `Option`). Written once here, so
 * that a fix to one of them reaches every schema. Not part of the public API.
 *
 * @since 0.2.0
 */
import * as DateTime from "effect/DateTime"
import * as ParseResult from "effect/ParseResult"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import * as SchemaAST from "effect/SchemaAST"
import { timestampMillis } from "../../core/timestamp.js"

/**
 * `string | null` as one check (a `NullOr` union costs several).
 *
 * @since 0.2.0
 * @category internal
 */
export const StringOrNull = Schema.declare(
  (input): input is string | null => input === null || typeof input === "string",
  {
    identifier: "string | null",
    jsonSchema: { type: ["string", "null"] },
    arbitrary: () => (fc) => fc.option(fc.string(), { nil: null }),
    pretty: () => (value) => JSON.stringify(value)
  }
)

/**
 * An optional wire field of type `string | null`: absent and `null` both
 * decode to a missing field, as real APIs send either.
 *
 * @since 0.2.0
 * @category internal
 */
export const optionalStringOrNull = Schema.optional(StringOrNull)

/**
 * An optional domain field: a string, or no key at all.
 *
 * @since 0.2.0
 * @category internal
 */
export const optionalString = Schema.optionalWith(Schema.String, { exact: true })

/**
 * The fields of a wire struct whose fields are all `Schema.String` or
 * {@link optionalStringOrNull}.
 */
type StringFields = Record<string, typeof Schema.String | typeof optionalStringOrNull>

/**
 * The same check as `struct`'s, for fields that are all `Schema.String` or
 * {@link optionalStringOrNull}, in one loop over them (the struct's own
 * decoding costs an `Either` per field and a copy of the object). Such a
 * struct's two sides are the same type, which the check proves both of.
 */
const isStringFields = <Fields extends StringFields>(
  name: string,
  struct: Schema.Struct<Fields>
): (input: unknown) => input is Schema.Struct<Fields>["Type"] & Schema.Struct<Fields>["Encoded"] => {
  const checks = Object.entries(struct.fields).map(([key, field]) => {
    if (field !== Schema.String && field !== optionalStringOrNull) {
      throw new Error(`${name}: ${key} must be Schema.String or optional string | null`)
    }
    return { key, required: field === Schema.String }
  })
  return (input: unknown): input is Schema.Struct<Fields>["Type"] & Schema.Struct<Fields>["Encoded"] => {
    if (!Predicate.isRecord(input)) return false
    for (const { key, required } of checks) {
      if (required ? typeof input[key] !== "string" : !isOptionalStringOrNull(input, key)) return false
    }
    return true
  }
}

/**
 * Whether `input[key]` passes {@link optionalStringOrNull} as a struct reads
 * it, in a check whose yes means the struct would return `input` unchanged:
 * absent, `undefined`, `null`, or a string that is the object's own. (The
 * struct reads an optional key only as the object's own: an inherited string
 * is left to it, and it drops it.)
 *
 * @since 0.2.0
 * @category internal
 */
export const isOptionalStringOrNull = (input: { readonly [key: string]: unknown }, key: string): boolean => {
  const value = input[key]
  return typeof value === "string" ? Object.hasOwn(input, key) : value === undefined || value === null
}

/**
 * A wire shape: `is` on the way in and out, and the struct's own decoding
 * (with its messages) for anything `is` refuses. Tools that read fields
 * (`SchemaAST.getPropertySignatures`, JSON Schema) see the struct's, through
 * the surrogate annotation.
 *
 * `is` must accept exactly what the struct accepts, and the struct must be
 * of JSON types only (its decoding returns its input unchanged, so what `is`
 * accepts is of both its sides' types).
 *
 * @since 0.2.0
 * @category internal
 */
export const wireShape = <A, I, R>(
  struct: Schema.Schema<A, I, R>,
  is: (input: unknown) => input is A & I,
  identifier: string
): Schema.Schema<A, I, R> =>
  Schema.declare(
    [struct],
    {
      decode: (struct) => {
        const decode = ParseResult.decodeUnknown(struct)
        return (input, options) => is(input) ? ParseResult.succeed(input) : decode(input, options)
      },
      encode: (struct) => {
        const encode = ParseResult.encodeUnknown(struct)
        return (input, options) => is(input) ? ParseResult.succeed(input) : encode(input, options)
      }
    },
    {
      identifier,
      [SchemaAST.SurrogateAnnotationId]: struct.ast,
      arbitrary: (struct) => struct,
      pretty: (struct) => struct,
      equivalence: (struct) => struct
    }
  )

/**
 * The {@link wireShape} of a struct whose fields are all `Schema.String` or
 * {@link optionalStringOrNull}, checked by one loop over them. `identifier`
 * names it in messages ("Expected FdxToken.Json, …").
 *
 * @since 0.2.0
 * @category internal
 */
export const stringFieldsShape = <Fields extends StringFields>(
  struct: Schema.Struct<Fields>,
  identifier: string
): Schema.Schema<Schema.Struct<Fields>["Type"], Schema.Struct<Fields>["Encoded"], Schema.Struct<Fields>["Context"]> =>
  wireShape(struct, isStringFields(identifier, struct), identifier)

/**
 * A timestamp as `Schema.DateTimeUtc` reads it (`DateTime.make`), through
 * the shared core's `timestampMillis`, which is that rule without Effect:
 * the Effect 4 line reads it too, so that both lines accept the same strings.
 *
 * @since 0.2.0
 * @category internal
 */
export const utc = (text: string): DateTime.Utc | undefined => {
  const millis = timestampMillis(text)
  return millis === undefined ? undefined : DateTime.unsafeMake(millis)
}

/**
 * A timestamp that is not a date: the same issue `Schema.DateTimeUtc` gives,
 * at its wire key.
 *
 * @since 0.2.0
 * @category internal
 */
export const notATime = (json: object, key: string, value: string): ParseResult.ParseIssue =>
  new ParseResult.Pointer(key, json, new ParseResult.Type(Schema.DateTimeUtc.ast, value))

/**
 * Makes the properties of `A` writable, to build a result field by field.
 *
 * @since 0.2.0
 * @category internal
 */
export type Mutable<A> = { -readonly [K in keyof A]: A[K] }
