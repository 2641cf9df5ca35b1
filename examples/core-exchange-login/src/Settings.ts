/**
 * The login page's settings: how its cookie is set, and where a grant may
 * send the customer's browser.
 *
 * A grant's `redirect_uri` is Synctera's to choose (Plaid's page, or
 * Synctera's own on the way to it), and the browser gets there by a redirect
 * from this server's form: the Content-Security-Policy's `form-action` must
 * allow it (browsers check the redirect of a form submission against it), and
 * this server checks it against the same list before it redirects.
 */
import { Config, ConfigError, Either } from "effect"

/** What the server needs to know. */
export interface LoginSettings {
  /** Whether the session cookie is `Secure`; `false` only for plain HTTP on loopback. */
  readonly secureCookies: boolean
  /**
   * Where a grant's redirect may go: origins (`https://cdn.plaid.com`), or the
   * scheme `https:` for any `https` URL.
   */
  readonly redirectOrigins: ReadonlyArray<string>
}

const invalid = (message: string) => Either.left(ConfigError.InvalidData([], message))

const isLoopback = (hostname: string) => hostname === "127.0.0.1" || hostname === "localhost" || hostname === "[::1]"

/** One entry of `REDIRECT_ORIGINS`: `https:`, an `https` origin, or an `http` origin on loopback. */
const redirectOrigin = (entry: string): Either.Either<string, ConfigError.ConfigError> => {
  if (entry === "https:") return Either.right(entry)
  if (!URL.canParse(entry)) return invalid(`REDIRECT_ORIGINS: not an origin: ${entry}`)
  const url = new URL(entry)
  if (url.origin !== entry.replace(/\/+$/, "")) return invalid(`REDIRECT_ORIGINS: an origin has no path: ${entry}`)
  return url.protocol === "https:" || (url.protocol === "http:" && isLoopback(url.hostname))
    ? Either.right(url.origin)
    : invalid(`REDIRECT_ORIGINS: https only (http on loopback): ${entry}`)
}

/**
 * Reads {@link LoginSettings}: `SECURE_COOKIES` (`true`) and
 * `REDIRECT_ORIGINS` (`https:`; space- or comma-separated).
 */
export const loginSettingsConfig: Config.Config<LoginSettings> = Config.all({
  secureCookies: Config.boolean("SECURE_COOKIES").pipe(Config.withDefault(true)),
  redirectOrigins: Config.string("REDIRECT_ORIGINS").pipe(
    Config.withDefault("https:"),
    Config.mapOrFail((value) => {
      const entries = value.split(/[\s,]+/).filter((entry) => entry !== "")
      if (entries.length === 0) return invalid("REDIRECT_ORIGINS is empty")
      return Either.all(entries.map(redirectOrigin))
    })
  )
})

/** Whether a grant's `redirect_uri` goes where {@link LoginSettings.redirectOrigins} allows. */
export const isAllowedRedirect = (settings: LoginSettings, uri: string): boolean => {
  if (!URL.canParse(uri)) return false
  const url = new URL(uri)
  return settings.redirectOrigins.some((allowed) =>
    allowed === "https:" ? url.protocol === "https:" : url.origin === allowed
  )
}
