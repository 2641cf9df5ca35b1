/**
 * Synctera's pagination, as the model answers it: `limit` (an integer of at
 * least 1, default 100; above 100 it is treated as 100) and `page_token`
 * (opaque); the answer carries `next_page_token` until the last page.
 *
 * The model's tokens encode an offset into a list that only grows at its end,
 * so a token stays valid while items are added.
 *
 * @since 0.3.0
 */
import { pageLimit } from "../rules.js"
import { type Failure, failure } from "./Outcome.js"

/**
 * The page size when a request gives no `limit`, and the largest one served.
 *
 * @since 0.3.0
 * @category pagination
 */
export const maxLimit = pageLimit.max

const badRequest = (detail: string, name: string): Failure => failure(400, "BAD_REQUEST", detail, { invalid: [name] })

/** `offset:<n>` in unpadded base64url. */
const encodeOffset = (offset: number): string =>
  btoa(`offset:${offset}`).replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "")

/**
 * The offset a token names, for a token exactly as {@link encodeOffset} wrote
 * it; anything else (a mangled or made-up token) names none.
 */
const decodeOffset = (token: string): number | undefined => {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return undefined
  let text: string
  try {
    text = atob(token.replaceAll("-", "+").replaceAll("_", "/"))
  } catch {
    return undefined // not base64 at all
  }
  const match = /^offset:(\d{1,9})$/.exec(text)
  const offset = match === null ? undefined : Number(match[1])
  return offset !== undefined && encodeOffset(offset) === token ? offset : undefined
}

/**
 * One page of `items` for the raw `limit` and `page_token` of a request, with
 * the token of the next page when there is one; a 400 when either is invalid.
 *
 * @since 0.3.0
 * @category pagination
 */
export const page = <A>(
  items: ReadonlyArray<A>,
  query: { readonly limit?: string | undefined; readonly page_token?: string | undefined }
): { readonly items: ReadonlyArray<A>; readonly next: string | undefined } | Failure => {
  let limit: number = maxLimit
  if (query.limit !== undefined) {
    if (!/^\d{1,9}$/.test(query.limit) || Number(query.limit) < pageLimit.min) {
      return badRequest("limit must be an integer of at least 1", "limit")
    }
    limit = Math.min(Number(query.limit), maxLimit)
  }
  let offset = 0
  if (query.page_token !== undefined) {
    const decoded = decodeOffset(query.page_token)
    if (decoded === undefined || decoded > items.length) return badRequest("page_token is not valid", "page_token")
    offset = decoded
  }
  const end = offset + limit
  return { items: items.slice(offset, end), next: end < items.length ? encodeOffset(end) : undefined }
}
