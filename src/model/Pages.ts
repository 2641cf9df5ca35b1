/**
 * Synctera's pagination, as the model answers it: `limit` (an integer of at
 * least 1, default 100; above 100 it is treated as 100) and `page_token`
 * (opaque); the answer carries `next_page_token` until the last page.
 *
 * The model's tokens encode an offset into a list that only grows at its end,
 * so a token stays valid while items are added.
 *
 * @since 0.2.0
 */
import { type Failure, failure } from "./Outcome.js"

/**
 * The page size when a request gives no `limit`, and the largest one served.
 *
 * @since 0.2.0
 * @category pagination
 */
export const maxLimit = 100

const badRequest = (detail: string, name: string): Failure => failure(400, "BAD_REQUEST", detail, { invalid: [name] })

const encodeOffset = (offset: number): string => Buffer.from(`offset:${offset}`).toString("base64url")

const decodeOffset = (token: string): number | undefined => {
  const match = /^offset:(\d{1,9})$/.exec(Buffer.from(token, "base64url").toString("utf8"))
  return match === null ? undefined : Number(match[1])
}

/**
 * One page of `items` for the raw `limit` and `page_token` of a request, with
 * the token of the next page when there is one; a 400 when either is invalid.
 *
 * @since 0.2.0
 * @category pagination
 */
export const page = <A>(
  items: ReadonlyArray<A>,
  query: { readonly limit?: string | undefined; readonly page_token?: string | undefined }
): { readonly items: ReadonlyArray<A>; readonly next: string | undefined } | Failure => {
  let limit = maxLimit
  if (query.limit !== undefined) {
    if (!/^\d{1,9}$/.test(query.limit) || Number(query.limit) < 1) {
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
