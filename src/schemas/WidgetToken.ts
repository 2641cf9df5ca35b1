/**
 * `WidgetToken`: the short-lived, one-time token that mounts one of
 * Synctera's card widgets in a browser.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * A short-lived, one-time token for Synctera's card widgets (the spec's
 * `widget_token` object). Decoded from the snake_case wire shape
 * `{ tenant, widget_token }`; unknown extra fields are ignored.
 *
 * Hand it to the browser for one widget mount and never cache it: it lives for
 * about five minutes and works once.
 *
 * @since 0.1.0
 * @category schemas
 */
export class WidgetToken extends Schema.Class<WidgetToken>("WidgetToken")({
  /** The id of the tenant containing the resource. */
  tenant: Schema.String,
  /** The token to pass to the widget. */
  widgetToken: Schema.propertySignature(Schema.String).pipe(Schema.fromKey("widget_token"))
}) {}
