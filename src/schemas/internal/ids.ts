/**
 * The rule every id schema shares (`Ids.ts`, `PceIds.ts`), written once. Not
 * part of the public API.
 *
 * @since 0.2.0
 */
import * as Schema from "effect/Schema"
import { notAUuid } from "../../core/rules.js"

/**
 * An id that travels in a request URL or body: a `Schema.UUID` (which has no
 * room for `/`, `%` or a line break), branded so that one id cannot be passed
 * where another is meant. `brand` is also its identifier. `what` names the
 * thing identified, for the description ("The unique identifier of a card
 * (a UUID)"); `short` names it in the message a caller reads when the value
 * is not a UUID ("a card id must be a UUID"), and is `what` unless given.
 *
 * @since 0.2.0
 * @category internal
 */
export const uuidId = <const Brand extends string>(
  brand: Brand,
  what: string,
  short: string = what
): Schema.brand<typeof Schema.UUID, Brand> =>
  Schema.UUID.pipe(Schema.brand(brand)).annotations({
    identifier: brand,
    description: `The unique identifier of ${what} (a UUID)`,
    message: () => notAUuid(short)
  })
