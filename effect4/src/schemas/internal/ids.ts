/**
 * The rule every id schema shares (`Ids.ts`, `PceIds.ts`), written once. Not
 * part of the public API.
 *
 * @since 0.3.0
 */
import * as Schema from "effect/Schema"
import { notAUuid, uuidPattern } from "../../../../src/core/rules.js"

/**
 * The string an id is before its brand: a UUID (the core's `uuidPattern`,
 * which has no room for `/`, `%` or a line break). `what` names the thing
 * identified, for the description ("The unique identifier of a card (a
 * UUID)"); `short` names it in the message a caller reads when the value is
 * not a UUID ("a card id must be a UUID"), and is `what` unless given.
 *
 * Each id brands it and names itself after its brand:
 * `uuidString("a card").pipe(Schema.brand("CardId")).annotate({ identifier: "CardId" })`
 * (Effect 4's `Schema.brand` takes only a literal brand, hence no helper that
 * brands).
 *
 * @since 0.3.0
 * @category internal
 */
export const uuidString = (what: string, short: string = what): Schema.String =>
  Schema.String.check(
    Schema.isPattern(uuidPattern, {
      expected: "a UUID",
      message: notAUuid(short),
      // The pattern has the `i` flag, which neither JSON Schema nor the
      // Arbitrary generator takes; its source already lists both cases.
      toJsonSchema: () => ({ format: "uuid", pattern: uuidPattern.source }),
      arbitraryConstraint: { patterns: [{ source: uuidPattern.source, flags: "" }] }
    })
  ).annotate({ description: `The unique identifier of ${what} (a UUID)` })
