/**
 * The `Synctera` service from a way to run one described operation: the one
 * list of what the service offers, shared by the live client and the
 * in-memory layer.
 *
 * @internal
 */
import type * as Effect from "effect/Effect"
import type { SyncteraError } from "../errors/SyncteraError.js"
import type { SyncteraService } from "../Synctera.js"
import * as operations from "./operations.js"

/** Runs calls of one described operation. */
export type Runner = <I, C, A, J>(
  spec: operations.OperationSpec<I, C, A, J>
) => (input: I) => Effect.Effect<A, SyncteraError>

/** The service, each operation run by `run`. */
export const serviceOf = (run: Runner): SyncteraService => ({
  getWidgetToken: run(operations.getWidgetToken),
  getFdxToken: run(operations.getFdxToken)
})
