/**
 * How the CLI shows results: aligned `label  value` lines for people, the
 * API's own snake_case JSON with `--json`.
 *
 * @since 0.1.0
 */
import * as DateTime from "effect/DateTime"
import * as Schema from "effect/Schema"
import { FdxToken } from "../schemas/FdxToken.js"
import { WidgetToken } from "../schemas/WidgetToken.js"

/**
 * Aligns `[label, value]` rows.
 *
 * @since 0.1.0
 * @category format
 */
export const table = (rows: ReadonlyArray<readonly [string, string]>, indent = ""): string => {
  const width = Math.max(0, ...rows.map(([label]) => label.length))
  return rows.map(([label, value]) => `${indent}${label.padEnd(width)}  ${value}`).join("\n")
}

const encodeWidgetToken = Schema.encodeSync(WidgetToken)
const encodeFdxToken = Schema.encodeSync(FdxToken)

/**
 * A widget token as the API's JSON, one line.
 *
 * @since 0.1.0
 * @category format
 */
export const widgetTokenJson = (token: WidgetToken): string => JSON.stringify(encodeWidgetToken(token))

/**
 * An FDX token as the API's JSON, one line.
 *
 * @since 0.1.0
 * @category format
 */
export const fdxTokenJson = (token: FdxToken): string => JSON.stringify(encodeFdxToken(token))

/**
 * Whether an FDX token can be used now: `ENABLED` and not expired.
 *
 * @since 0.1.0
 * @category format
 */
export const fdxUsability = (token: FdxToken, now: DateTime.Utc): string => {
  switch (token.status) {
    case "ENABLED":
      return DateTime.lessThan(token.tokenExpiryTime, now) ? "expired (ENABLED, but past its expiry time)" : "usable"
    case "REVOKED":
      return "revoked"
    case "USED":
      return "used (a refresh token that already made a new token)"
    default:
      return `unknown status ${token.status} (added by Synctera after this client)`
  }
}

/**
 * The owner of an FDX token, as `customer <id>` or `business <id>`.
 *
 * @since 0.1.0
 * @category format
 */
export const fdxOwner = (token: FdxToken): string =>
  token.customerId !== undefined
    ? `customer ${token.customerId}`
    : token.businessId !== undefined
    ? `business ${token.businessId}`
    : "none"

/**
 * An FDX token for people.
 *
 * @since 0.1.0
 * @category format
 */
export const fdxTokenText = (token: FdxToken, now: DateTime.Utc): string =>
  table([
    ["id", token.id],
    ["status", `${token.status}: ${fdxUsability(token, now)}`],
    ["type", token.tokenType],
    ["owner", fdxOwner(token)],
    ["tenant", token.tenant],
    ["token hash", token.tokenHash],
    ["created", DateTime.formatIso(token.creationTime)],
    ["last updated", DateTime.formatIso(token.lastUpdatedTime)],
    ["expires", DateTime.formatIso(token.tokenExpiryTime)],
    ...(token.parentTokenId === undefined ? [] : [["refreshed from", token.parentTokenId] as const])
  ])
