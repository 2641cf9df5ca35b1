/**
 * The pieces the wire schemas share, written once here so that a fix to one
 * of them reaches every schema. Not part of the public API.
 *
 * Each response schema is a wire struct (snake_case, JSON types only)
 * decoded into a domain struct (camelCase) by one transformation, which
 * renames the fields and reads the timestamps with the shared core's
 * `timestampMillis`, as the Effect 3 line does (so that both lines accept the
 * same strings, and at a fraction of what `Schema.DateTimeUtcFromString`
 * costs a field); the domain struct checks the values (ids, enums). A broken
 * field is reported at its wire key (`token_type`, `creation_time`), a bad id
 * at its own (`id`).
 *
 * @since 0.3.0
 */
import * as DateTime from "effect/DateTime"
import * as Schema from "effect/Schema"
import type * as SchemaAST from "effect/SchemaAST"
import * as SchemaIssue from "effect/SchemaIssue"
import { timestampMillis } from "../../../../src/core/timestamp.js"

/**
 * An optional wire field of type `string | null`: absent and `null` both
 * become a missing domain field, as real APIs send either.
 *
 * @since 0.3.0
 * @category internal
 */
export const optionalStringOrNull = Schema.optional(Schema.NullOr(Schema.String))

/**
 * An optional domain field: a string, or no key at all.
 *
 * @since 0.3.0
 * @category internal
 */
export const optionalString = Schema.optionalKey(Schema.String)

/**
 * An optional domain timestamp: a `DateTime.Utc`, or no key at all.
 *
 * @since 0.3.0
 * @category internal
 */
export const optionalTime = Schema.optionalKey(Schema.DateTimeUtc)

/**
 * Makes the properties of `A` writable, to build a result field by field.
 *
 * @since 0.3.0
 * @category internal
 */
export type Mutable<A> = { -readonly [K in keyof A]: A[K] }

/**
 * A wire timestamp read as the Effect 3 line reads it (the shared core's
 * `timestampMillis`: RFC 3339, a string without a zone is UTC), or
 * `undefined` when it names no instant.
 *
 * @since 0.3.0
 * @category internal
 */
export const utc = (text: string): DateTime.Utc | undefined => {
  const millis = timestampMillis(text)
  return millis === undefined ? undefined : DateTime.makeUnsafe(millis)
}

/**
 * What `Schema.DateTimeUtcFromString` says of a string it cannot read: the
 * words this line's messages had when its wire structs parsed the
 * timestamps, kept.
 */
const notATimeAnnotations = { expected: "a valid UTC DateTime string" } as const

/**
 * The issue for a wire timestamp that is not a time, as the wire struct gave
 * it when it parsed the timestamps: at its wire key, with the value when the
 * caller asks for inputs (`reportInput`). `key` is the first bad timestamp of
 * `keys` (the wire struct's timestamps, in order); with `errors: "all"`, the
 * bad ones after it are reported too.
 *
 * @since 0.3.0
 * @category internal
 */
export const notATime = (
  ast: SchemaAST.AST,
  json: { readonly [key: string]: unknown },
  key: string,
  keys: ReadonlyArray<string>,
  options: SchemaAST.ParseOptions
): SchemaIssue.Issue => {
  // The same tree as `Schema.DateTimeUtcFromString`'s (its transformation
  // into `DateTime.Utc` failed), for whoever walks the issue, not just reads it.
  const pointer = (at: string): SchemaIssue.Pointer =>
    new SchemaIssue.Pointer(
      [at],
      new SchemaIssue.Encoding(
        Schema.DateTimeUtc.ast,
        new SchemaIssue.InvalidValue(notATimeAnnotations, json[at], options),
        json[at],
        options
      )
    )
  const pointers: [SchemaIssue.Pointer, ...Array<SchemaIssue.Pointer>] = [pointer(key)]
  if (options.errors === "all") {
    for (const later of keys.slice(keys.indexOf(key) + 1)) {
      const value = json[later]
      if (typeof value === "string" && timestampMillis(value) === undefined) pointers.push(pointer(later))
    }
  }
  return new SchemaIssue.Composite(ast, pointers, json, options)
}
