/**
 * How the CLI shows results: aligned `label  value` lines and columns for
 * people, the API's own snake_case JSON with `--json` (one encoder per
 * schema, `jsonLine`).
 *
 * @since 0.1.0
 */
import * as DateTime from "effect/DateTime"
import * as Schema from "effect/Schema"
import { FdxAuthRequest } from "../schemas/FdxAuthRequest.js"
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

/**
 * A column of a table printed row by row (a list streamed page after page):
 * its width is fixed, so that every row lines up without seeing the others;
 * a longer value pushes the rest of its row to the right.
 *
 * @since 0.2.0
 * @category format
 */
export interface Column<A> {
  readonly header: string
  readonly width: number
  readonly value: (row: A, now: DateTime.Utc) => string
}

const cellsLine = (cells: ReadonlyArray<string>, widths: ReadonlyArray<number>): string =>
  cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  ").trimEnd()

const widthsOf = <A>(columns: ReadonlyArray<Column<A>>) =>
  columns.map((column) => Math.max(column.width, column.header.length))

/**
 * The header line of `columns`.
 *
 * @since 0.2.0
 * @category format
 */
export const headerLine = <A>(columns: ReadonlyArray<Column<A>>): string =>
  cellsLine(columns.map((column) => column.header), widthsOf(columns))

/**
 * One row of `columns`.
 *
 * @since 0.2.0
 * @category format
 */
export const rowLine = <A>(columns: ReadonlyArray<Column<A>>, row: A, now: DateTime.Utc): string =>
  cellsLine(columns.map((column) => column.value(row, now)), widthsOf(columns))

/**
 * The encoder of a schema, as one line of the API's JSON.
 *
 * @since 0.2.0
 * @category format
 */
export const jsonLine = <A, I>(schema: Schema.Schema<A, I>): (value: A) => string => {
  const encode = Schema.encodeSync(schema)
  return (value) => JSON.stringify(encode(value))
}

/**
 * A widget token as the API's JSON, one line.
 *
 * @since 0.1.0
 * @category format
 */
export const widgetTokenJson: (token: WidgetToken) => string = jsonLine(WidgetToken)

/**
 * An FDX token as the API's JSON, one line.
 *
 * @since 0.1.0
 * @category format
 */
export const fdxTokenJson: (token: FdxToken) => string = jsonLine(FdxToken)

/**
 * An FDX authorization request as the API's JSON, one line.
 *
 * @since 0.2.0
 * @category format
 */
export const fdxAuthRequestJson: (request: FdxAuthRequest) => string = jsonLine(FdxAuthRequest)

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
 * The owner of an FDX token or auth request, as `customer <id>` or
 * `business <id>` (`none`: an auth request not granted yet).
 *
 * @since 0.1.0
 * @category format
 */
export const fdxOwner = (owned: {
  readonly customerId?: string | undefined
  readonly businessId?: string | undefined
}): string =>
  owned.customerId !== undefined
    ? `customer ${owned.customerId}`
    : owned.businessId !== undefined
    ? `business ${owned.businessId}`
    : "none"

const uuidWidth = 36
const ownerWidth = "business ".length + uuidWidth
const timeWidth = "2026-01-15T09:30:00.000Z".length
const timeOf = (time: DateTime.Utc | undefined): string => time === undefined ? "-" : DateTime.formatIso(time)
const isPast = (time: DateTime.Utc | undefined, now: DateTime.Utc): boolean =>
  time !== undefined && DateTime.lessThan(time, now)

/**
 * An FDX token's status in a few words: the status, and whether an
 * `ENABLED` one has expired.
 *
 * @since 0.2.0
 * @category format
 */
export const fdxTokenState = (token: FdxToken, now: DateTime.Utc): string => {
  switch (token.status) {
    case "ENABLED":
      return isPast(token.tokenExpiryTime, now) ? "ENABLED: expired" : "ENABLED: usable"
    case "REVOKED":
    case "USED":
      return token.status
    default:
      return `${token.status}: unknown status`
  }
}

/**
 * The columns of `synctera fdx-tokens`.
 *
 * @since 0.2.0
 * @category format
 */
export const fdxTokenColumns: ReadonlyArray<Column<FdxToken>> = [
  { header: "ID", width: uuidWidth, value: (token) => token.id },
  { header: "TYPE", width: "REFRESH".length, value: (token) => token.tokenType },
  { header: "STATUS", width: "ENABLED: expired".length, value: fdxTokenState },
  { header: "OWNER", width: ownerWidth, value: fdxOwner },
  { header: "EXPIRES", width: timeWidth, value: (token) => timeOf(token.tokenExpiryTime) }
]

/**
 * An auth request's status in a few words: the status, and whether one that
 * is still to be decided (`PENDING`) or exchanged (`GRANTED`) has expired.
 *
 * @since 0.2.0
 * @category format
 */
export const fdxAuthRequestState = (request: FdxAuthRequest, now: DateTime.Utc): string => {
  switch (request.status) {
    case "PENDING":
    case "GRANTED":
      return isPast(request.expiryTime, now) ? `${request.status}: expired` : request.status
    case "DENIED":
    case "USED":
      return request.status
    default:
      return `${request.status}: unknown status`
  }
}

/**
 * The columns of `synctera fdx-auth-requests`.
 *
 * @since 0.2.0
 * @category format
 */
export const fdxAuthRequestColumns: ReadonlyArray<Column<FdxAuthRequest>> = [
  { header: "ID", width: uuidWidth, value: (request) => request.id },
  { header: "STATUS", width: "PENDING: expired".length, value: fdxAuthRequestState },
  { header: "OWNER", width: ownerWidth, value: fdxOwner },
  { header: "EXPIRES", width: timeWidth, value: (request) => timeOf(request.expiryTime) },
  { header: "CREATED", width: timeWidth, value: (request) => timeOf(request.creationTime) }
]

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
