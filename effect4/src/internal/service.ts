/**
 * The `Synctera` service from a way to run one described operation: the one
 * list of what the service offers, shared by the live client and the
 * in-memory layer. The streams are built here, on the list operations.
 *
 * @internal
 */
import type * as Effect from "effect/Effect"
import type { SyncteraError } from "../errors/SyncteraError.js"
import type { SyncteraService } from "../Synctera.js"
import * as operations from "./operations.js"
import { paginate } from "./paginate.js"

/**
 * Runs calls of one described operation. `refuse` is a check of the decoded
 * answer by the caller (a stream refusing a page token it already followed):
 * the reason it gives makes the call fail with `InvalidResponse` (`Pagination`).
 *
 * @since 0.3.0
 */
export type Runner = <I, C, A, J>(
  spec: operations.OperationSpec<I, C, A, J>
) => (input: I, refuse?: (value: A) => string | undefined) => Effect.Effect<A, SyncteraError>

/**
 * The service, each operation run by `run`.
 *
 * @since 0.3.0
 */
export const serviceOf = (run: Runner): SyncteraService => {
  const listFdxTokens = run(operations.listFdxTokens)
  const listFdxAuthRequests = run(operations.listFdxAuthRequests)
  const getAuthorizationTest = run(operations.getAuthorizationTest)
  return {
    getWidgetToken: run(operations.getWidgetToken),
    getFdxToken: run(operations.getFdxToken),
    listFdxTokens: (request = {}) => listFdxTokens(request),
    streamFdxTokens: (request = {}) =>
      paginate(listFdxTokens, request.limit, (page) => page.fdxTokens, (page) => page.nextPageToken),
    listFdxAuthRequests: (request = {}) => listFdxAuthRequests(request),
    streamFdxAuthRequests: (request = {}) =>
      paginate(listFdxAuthRequests, request.limit, (page) => page.fdxAuthRequests, (page) => page.nextPageToken),
    grantFdxAuthRequest: run(operations.grantFdxAuthRequest),
    getAuthorizationTest: () => getAuthorizationTest({})
  }
}
