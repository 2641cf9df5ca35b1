/**
 * The pieces the wire schemas share, written once here so that a fix to one
 * of them reaches every schema. Not part of the public API.
 *
 * Each response schema is a wire struct (snake_case, JSON types only, but
 * for the timestamps, parsed at their wire keys) decoded into a domain struct
 * (camelCase) by one renaming transformation; the domain struct checks the
 * values (ids, enums). A broken field is reported at its wire key
 * (`token_type`, `creation_time`), a bad id at its own (`id`).
 *
 * @since 0.3.0
 */
import * as Schema from "effect/Schema"

/**
 * An optional wire field of type `string | null`: absent and `null` both
 * become a missing domain field, as real APIs send either.
 *
 * @since 0.3.0
 * @category internal
 */
export const optionalStringOrNull = Schema.optional(Schema.NullOr(Schema.String))

/**
 * An RFC 3339 timestamp on the wire, a `DateTime.Utc` once decoded (a string
 * without a zone is read as UTC; encoding writes UTC ISO 8601, `…Z`).
 *
 * @since 0.3.0
 * @category internal
 */
export const Timestamp = Schema.DateTimeUtcFromString

/**
 * An optional wire timestamp that may also be `null`.
 *
 * @since 0.3.0
 * @category internal
 */
export const optionalTimestampOrNull = Schema.optional(Schema.NullOr(Timestamp))

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
