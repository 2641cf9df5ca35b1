/**
 * `WidgetToken`: the short-lived, one-time token that mounts one of
 * Synctera's card widgets in a browser.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

const WidgetTokenJson = Schema.Struct({
  tenant: Schema.String,
  widget_token: Schema.String
}).annotations({ identifier: "WidgetToken.Json" })

const WidgetTokenFields = Schema.Struct({
  /** The id of the tenant containing the resource. */
  tenant: Schema.String,
  /** The token to pass to the widget. */
  widgetToken: Schema.String
}).annotations({ identifier: "WidgetToken" })

/**
 * A short-lived, one-time token for Synctera's card widgets (the spec's
 * `widget_token` object). Decoded from the snake_case wire shape
 * `{ tenant, widget_token }`; unknown extra fields are ignored. A token is a
 * plain readonly object.
 *
 * Hand it to the browser for one widget mount and never cache it: it lives for
 * about five minutes and works once.
 *
 * @example
 * ```ts
 * import { WidgetToken } from "effect-synctera"
 * import { Schema } from "effect"
 *
 * const token = Schema.decodeUnknownSync(WidgetToken)({ tenant: "abcdef_ghijkl", widget_token: "0b0319e2" })
 * const forTheBrowser = token.widgetToken // "0b0319e2"
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const WidgetToken: Schema.Schema<WidgetToken, WidgetToken.Json> = Schema.transform(
  WidgetTokenJson,
  WidgetTokenFields,
  {
    strict: true,
    decode: (json) => ({ tenant: json.tenant, widgetToken: json.widget_token }),
    encode: (token) => ({ tenant: token.tenant, widget_token: token.widgetToken })
  }
)

/**
 * A widget token, decoded: see the {@link WidgetToken} schema.
 *
 * @since 0.1.0
 * @category schemas
 */
export interface WidgetToken extends Schema.Schema.Type<typeof WidgetTokenFields> {}

/**
 * The types that go with the {@link WidgetToken} schema.
 *
 * @since 0.1.0
 * @category schemas
 */
export declare namespace WidgetToken {
  /**
   * The wire shape of a widget token, as Synctera sends it.
   *
   * @since 0.1.0
   * @category schemas
   */
  export interface Json extends Schema.Schema.Encoded<typeof WidgetTokenJson> {}
}
