/**
 * `WidgetToken`: the short-lived, one-time token that mounts one of
 * Synctera's card widgets in a browser.
 *
 * @since 0.3.0
 */
import * as Schema from "effect/Schema"
import * as SchemaTransformation from "effect/SchemaTransformation"

const WidgetTokenJson = Schema.Struct({
  tenant: Schema.String,
  widget_token: Schema.String
}).annotate({ identifier: "WidgetToken.Json" })

const WidgetTokenFields = Schema.Struct({
  tenant: Schema.String,
  widgetToken: Schema.String
}).annotate({ identifier: "WidgetToken" })

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
 * import { WidgetToken } from "effect-synctera/effect4"
 * import { Schema } from "effect"
 *
 * const token = Schema.decodeUnknownSync(WidgetToken)({ tenant: "abcdef_ghijkl", widget_token: "0b0319e2" })
 * const forTheBrowser = token.widgetToken // "0b0319e2"
 * ```
 *
 * @since 0.3.0
 * @category schemas
 */
export const WidgetToken: Schema.Codec<WidgetToken, WidgetToken.Json> = WidgetTokenJson.pipe(
  Schema.decodeTo(
    WidgetTokenFields,
    SchemaTransformation.transform({
      decode: (json) => ({ tenant: json.tenant, widgetToken: json.widget_token }),
      encode: (token) => ({ tenant: token.tenant, widget_token: token.widgetToken })
    })
  )
)

/**
 * A widget token, decoded: see the {@link WidgetToken} schema.
 *
 * @since 0.3.0
 * @category schemas
 */
export interface WidgetToken {
  /** The id of the tenant containing the resource. */
  readonly tenant: string
  /** The token to pass to the widget. */
  readonly widgetToken: string
}

/**
 * The types that go with the {@link WidgetToken} schema.
 *
 * @since 0.3.0
 * @category schemas
 */
export declare namespace WidgetToken {
  /**
   * The wire shape of a widget token, as Synctera sends it.
   *
   * @since 0.3.0
   * @category schemas
   */
  export interface Json {
    readonly tenant: string
    readonly widget_token: string
  }
}
