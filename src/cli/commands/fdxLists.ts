/**
 * `synctera fdx-tokens` and `synctera fdx-auth-requests`: the two lists of
 * Plaid Core Exchange, through the one list command (see `list`).
 *
 * @since 0.2.0
 */
import * as Effect from "effect/Effect"
import * as Operations from "../../internal/operations.js"
import { Synctera } from "../../Synctera.js"
import { fdxAuthRequestColumns, fdxAuthRequestJson, fdxTokenColumns, fdxTokenJson } from "../format.js"
import { listCommand } from "./list.js"

/**
 * `synctera fdx-tokens [--limit N] [--all | --page-token T] [--json]`
 *
 * @since 0.2.0
 * @category commands
 */
export const fdxTokensCommand = listCommand({
  name: "fdx-tokens",
  noun: "FDX tokens",
  operation: Operations.listFdxTokens,
  page: (request) =>
    Effect.map(Synctera.listFdxTokens(request), (page) => ({
      items: page.fdxTokens,
      nextPageToken: page.nextPageToken
    })),
  stream: Synctera.streamFdxTokens,
  json: fdxTokenJson,
  columns: fdxTokenColumns
})

/**
 * `synctera fdx-auth-requests [--limit N] [--all | --page-token T] [--json]`
 *
 * @since 0.2.0
 * @category commands
 */
export const fdxAuthRequestsCommand = listCommand({
  name: "fdx-auth-requests",
  noun: "FDX auth requests",
  operation: Operations.listFdxAuthRequests,
  page: (request) =>
    Effect.map(Synctera.listFdxAuthRequests(request), (page) => ({
      items: page.fdxAuthRequests,
      nextPageToken: page.nextPageToken
    })),
  stream: Synctera.streamFdxAuthRequests,
  json: fdxAuthRequestJson,
  columns: fdxAuthRequestColumns
})
