/**
 * Enums that Synctera grows over time.
 *
 * Synctera adds enum values without a new API version (the card widget types
 * went from two to four). A client that rejects a value it does not know yet
 * would turn a harmless addition into an outage, so response enums are *open*:
 * a known value decodes to its literal, any other string decodes to an
 * {@link Unrecognized} string. Code that matches on the value must handle the
 * unrecognized case, and the known literals stay exhaustive to match on.
 *
 * @since 0.3.0
 */
import type * as Brand from "effect/Brand"
import * as Schema from "effect/Schema"

/**
 * A string that a Synctera response carried in an enum field but that this
 * version of the client does not know. It is branded so that it never mixes
 * with the known literals: `switch` and `Match` narrow to it in the default
 * branch.
 *
 * @since 0.3.0
 * @category enums
 */
export type Unrecognized = string & Brand.Brand<"Unrecognized">

/** Any string, as an {@link Unrecognized} one. */
const UnrecognizedString = Schema.String.pipe(Schema.brand("Unrecognized"))

/**
 * The schema of an open enum: the known literals, or any other string as
 * {@link Unrecognized}. Encoding gives back the wire string either way.
 *
 * @example
 * ```ts
 * import { OpenEnum } from "effect-synctera/effect4"
 * import { Schema } from "effect"
 *
 * const Color = OpenEnum.make("RED", "GREEN")
 * Schema.decodeUnknownSync(Color)("RED") // "RED"
 * Schema.decodeUnknownSync(Color)("BLUE") // "BLUE", typed as Unrecognized
 * ```
 *
 * @since 0.3.0
 * @category enums
 */
export const make = <const Known extends ReadonlyArray<string>>(
  ...known: Known
): Schema.Codec<Known[number] | Unrecognized, string> =>
  // A union, so that a known value keeps its literal type and generated values
  // (Arbitrary) cover both the known literals and other strings.
  Schema.Union([Schema.Literals(known), UnrecognizedString]).annotate({
    description: `one of ${known.join(", ")}, or a value this client does not know yet`
  })

/**
 * Whether a value of an open enum is one this client knows.
 *
 * @example
 * ```ts
 * import { type FdxToken, knownFdxTokenStatuses, OpenEnum } from "effect-synctera/effect4"
 *
 * const describe = (token: FdxToken): string =>
 *   OpenEnum.isKnown(knownFdxTokenStatuses)(token.status)
 *     ? `status ${token.status}`
 *     : `a status this client does not know yet: ${token.status}`
 * ```
 *
 * @since 0.3.0
 * @category enums
 */
export const isKnown =
  <const Known extends ReadonlyArray<string>>(known: Known) =>
  (value: Known[number] | Unrecognized): value is Known[number] => known.includes(value)
