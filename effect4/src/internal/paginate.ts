/**
 * A list operation as a `Stream` of its items, page after page.
 *
 * - A page is asked for only when the consumer pulls past the one before
 *   (`Stream.take(5)` on pages of 100 makes one request).
 * - Each page is one logical call of the list operation, with its own
 *   retries and deadline; a page that fails for good ends the stream with its
 *   typed error, after the items of the pages before it.
 * - A `next_page_token` already given in the same walk fails that page with
 *   `InvalidResponse` (`Pagination`) instead of looping for ever.
 * - Memory: the current page, plus the page tokens seen (one short string a
 *   page), whatever the list's length.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { excerpt } from "../../../src/core/describe.js"
import type { SyncteraError } from "../errors/SyncteraError.js"
import type { ListRequest } from "../Synctera.js"

/**
 * The items of every page of `list`, `limit` to a page; `refuse` (given to
 * each page call) refuses a page whose next token was already given.
 *
 * @since 0.3.0
 */
export const paginate = <Page, Item>(
  list: (request: ListRequest, refuse: (page: Page) => string | undefined) => Effect.Effect<Page, SyncteraError>,
  limit: number | undefined,
  items: (page: Page) => ReadonlyArray<Item>,
  next: (page: Page) => string | undefined
): Stream.Stream<Item, SyncteraError> =>
  Stream.suspend(() => {
    const given = new Set<string>()
    const refuse = (page: Page): string | undefined => {
      const token = next(page)
      if (token === undefined) return undefined
      if (given.has(token)) {
        return `next_page_token ${
          excerpt(JSON.stringify(token), 100)
        } was already given in this walk through the list: following it would never end`
      }
      given.add(token)
      return undefined
    }
    // The state is the token of the page to ask for: none, for the first.
    return Stream.paginate<string | undefined, Item, SyncteraError>(undefined, (pageToken) =>
      Effect.map(
        list({ ...(limit === undefined ? {} : { limit }), ...(pageToken === undefined ? {} : { pageToken }) }, refuse),
        (page) => [items(page), Option.fromNullishOr(next(page))] as const
      ))
  })
