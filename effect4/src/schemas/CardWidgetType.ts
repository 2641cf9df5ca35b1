/**
 * `CardWidgetType`: the card widgets a widget token can be made for.
 *
 * @since 0.3.0
 */
import * as Schema from "effect/Schema"
import { cardWidgetTypes } from "../../../src/core/rules.js"

/**
 * The kind of Synctera card widget a widget token is for (`card_widget_type`
 * in the API spec). This is an *input*: a value outside the published list is
 * refused before any request is sent.
 *
 * - `ACTIVATE`: activate a card
 * - `GET_PIN`: show the card's PIN (`<reveal-pin>`)
 * - `REVEAL`: reveal the card number
 * - `SET_PIN`: set the card's PIN (`<set-pin>`)
 *
 * @example
 * ```ts
 * import { CardWidgetType } from "effect-synctera/effect4"
 * import { Schema } from "effect"
 *
 * const widget = Schema.decodeUnknownSync(CardWidgetType)("REVEAL")
 * ```
 *
 * @since 0.3.0
 * @category schemas
 */
export const CardWidgetType = Schema.Literals(cardWidgetTypes).annotate({
  identifier: "CardWidgetType",
  // Effect 4 would say "Expected CardWidgetType" (its identifier); a caller
  // refused before sending is better served by the values themselves.
  message: `Expected ${cardWidgetTypes.map((type) => JSON.stringify(type)).join(" | ")}`
})

/**
 * `ACTIVATE`, `GET_PIN`, `REVEAL` or `SET_PIN`.
 *
 * @since 0.3.0
 * @category schemas
 */
export type CardWidgetType = typeof CardWidgetType.Type
