/**
 * The page's settings: which Synctera environment its widgets use, and where
 * their scripts are.
 *
 * Synctera serves each widget as an ES module at
 * `https://assets.synctera.com/widgets/<name>/<version>/index.js`, with a
 * version of its own per widget. The page loads exactly the versions set here
 * (never a "latest"): a new widget version is a change you test and deploy,
 * not one that reaches your cardholders on Synctera's schedule.
 */
import { Config, ConfigError, Either } from "effect"
import type { CardWidget } from "./Api.js"

/** Synctera's assets host, where its widget scripts are. */
export const syncteraWidgetAssets = "https://assets.synctera.com/widgets"

/** The widgets' names in their script URLs (the element `<activate-card>` is in `activate/`). */
export const assetNameOf: { readonly [W in CardWidget]: string } = {
  "activate-card": "activate",
  "set-pin": "set-pin",
  "reveal-pin": "reveal-pin"
}

/** The widget versions this example was written against (Synctera's docs, late 2026). */
export const defaultWidgetVersions: { readonly [W in CardWidget]: string } = {
  "activate-card": "v1.1.1",
  "set-pin": "v1.1.1",
  "reveal-pin": "v1.0.0"
}

/** What the page needs to know, and how the session cookie is set. */
export interface PageSettings {
  /** The `env` the widgets get: the Synctera environment their tokens are from. */
  readonly environment: "sandbox" | "production"
  /**
   * Where the widget scripts are: Synctera's assets host, or a path on this
   * server (such as `/widgets`) to serve the local stand-ins in `public/widgets/`.
   */
  readonly widgetAssetsUrl: string
  /** The version of each widget's script. */
  readonly widgetVersions: { readonly [W in CardWidget]: string }
  /** How long `<reveal-pin>` shows the PIN before it hides it again. */
  readonly pinAutoHideSeconds: number
  /** Whether the session cookie is `Secure`; `false` only for plain HTTP on loopback. */
  readonly secureCookies: boolean
}

const invalid = (message: string) => Either.left(ConfigError.InvalidData([], message))

/**
 * An `https:` URL (`http:` only on loopback, for a widget server of your own
 * in development), or a path on this server. Anything else would be a script
 * origin the Content-Security-Policy has to trust.
 */
const assetsUrl = Config.string("WIDGET_ASSETS_URL").pipe(
  Config.withDefault(syncteraWidgetAssets),
  Config.mapOrFail((value) => {
    const url = value.replace(/\/+$/, "")
    if (url.startsWith("/") && !url.startsWith("//")) return Either.right(url)
    if (!URL.canParse(url)) return invalid(`WIDGET_ASSETS_URL must be a URL or a path starting with /: ${value}`)
    const { hostname, protocol } = new URL(url)
    const loopback = hostname === "127.0.0.1" || hostname === "localhost" || hostname === "[::1]"
    return protocol === "https:" || (protocol === "http:" && loopback)
      ? Either.right(url)
      : invalid(`WIDGET_ASSETS_URL must be https (http only on loopback): ${value}`)
  })
)

/** A version is one path segment: it goes into a URL and into the page's HTML. */
const version = (name: string, fallback: string) =>
  Config.string(name).pipe(
    Config.withDefault(fallback),
    Config.mapOrFail((value) =>
      /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(value) ? Either.right(value) : invalid(`${name} is not a version: ${value}`)
    )
  )

/**
 * Reads {@link PageSettings}: `SYNCTERA_ENVIRONMENT` (`sandbox`),
 * `WIDGET_ASSETS_URL` (Synctera's assets host), `ACTIVATE_CARD_WIDGET_VERSION`,
 * `SET_PIN_WIDGET_VERSION`, `REVEAL_PIN_WIDGET_VERSION` ({@link defaultWidgetVersions}),
 * `PIN_AUTO_HIDE_SECONDS` (10), `SECURE_COOKIES` (`true`).
 */
export const pageSettingsConfig: Config.Config<PageSettings> = Config.all({
  environment: Config.literal("sandbox", "production")("SYNCTERA_ENVIRONMENT").pipe(Config.withDefault("sandbox")),
  widgetAssetsUrl: assetsUrl,
  widgetVersions: Config.all({
    "activate-card": version("ACTIVATE_CARD_WIDGET_VERSION", defaultWidgetVersions["activate-card"]),
    "set-pin": version("SET_PIN_WIDGET_VERSION", defaultWidgetVersions["set-pin"]),
    "reveal-pin": version("REVEAL_PIN_WIDGET_VERSION", defaultWidgetVersions["reveal-pin"])
  }),
  pinAutoHideSeconds: Config.integer("PIN_AUTO_HIDE_SECONDS").pipe(
    Config.withDefault(10),
    Config.validate({ message: "PIN_AUTO_HIDE_SECONDS must be 1 to 60", validation: (n) => n >= 1 && n <= 60 })
  ),
  secureCookies: Config.boolean("SECURE_COOKIES").pipe(Config.withDefault(true))
})

/** The URL of a widget's script: absolute, or a path on this server. */
export const widgetScriptUrl = (settings: PageSettings, widget: CardWidget): string =>
  `${settings.widgetAssetsUrl}/${assetNameOf[widget]}/${settings.widgetVersions[widget]}/index.js`

/** The origin the widget scripts come from, when it is not this server's. */
export const widgetOrigin = (settings: PageSettings): string | undefined =>
  settings.widgetAssetsUrl.startsWith("/") ? undefined : new URL(settings.widgetAssetsUrl).origin
