/**
 * The ids of Plaid Core Exchange requests: `FdxAuthRequestId`, `CustomerId`
 * and `BusinessId`, each a UUID, branded so that one cannot be passed where
 * another is meant.
 *
 * They are checked before they are sent, like the ids in `Ids.ts`, by the
 * same rule (`internal/ids.ts`: the core's `uuidPattern`).
 *
 * @since 0.3.0
 */
import * as Schema from "effect/Schema"
import { uuidString } from "./internal/ids.js"

/**
 * The id of an FDX authorization request (Plaid Core Exchange): a UUID,
 * branded. Plaid Link hands it to your Authentication URI as the
 * `auth_request_id` query parameter.
 *
 * @example
 * ```ts
 * import { FdxAuthRequestId } from "effect-synctera/effect4"
 * import { Schema } from "effect"
 *
 * // In the handler of your Authentication URI:
 * const fromQuery = (url: URL) =>
 *   Schema.decodeUnknownExit(FdxAuthRequestId)(url.searchParams.get("auth_request_id"))
 * ```
 *
 * @since 0.3.0
 * @category ids
 */
export const FdxAuthRequestId = uuidString("an FDX authorization request").pipe(Schema.brand("FdxAuthRequestId"))
  .annotate({
    identifier: "FdxAuthRequestId"
  })

/**
 * An FDX authorization request id that has been checked to be a UUID.
 *
 * @since 0.3.0
 * @category ids
 */
export type FdxAuthRequestId = typeof FdxAuthRequestId.Type

/**
 * The id of a Synctera customer (a person): a UUID, branded.
 *
 * @example
 * ```ts
 * import { CustomerId } from "effect-synctera/effect4"
 * import { Schema } from "effect"
 *
 * const id = Schema.decodeUnknownSync(CustomerId)("c0d7c4f2-8a31-4c8e-9a55-1f5b0e3c2d11")
 * ```
 *
 * @since 0.3.0
 * @category ids
 */
export const CustomerId = uuidString("a Synctera customer", "a customer").pipe(Schema.brand("CustomerId")).annotate({
  identifier: "CustomerId"
})

/**
 * A customer id that has been checked to be a UUID.
 *
 * @since 0.3.0
 * @category ids
 */
export type CustomerId = typeof CustomerId.Type

/**
 * The id of a Synctera business: a UUID, branded.
 *
 * @example
 * ```ts
 * import { BusinessId } from "effect-synctera/effect4"
 * import { Schema } from "effect"
 *
 * const id = Schema.decodeUnknownSync(BusinessId)("b0d7c4f2-8a31-4c8e-9a55-1f5b0e3c2d11")
 * ```
 *
 * @since 0.3.0
 * @category ids
 */
export const BusinessId = uuidString("a Synctera business", "a business").pipe(Schema.brand("BusinessId")).annotate({
  identifier: "BusinessId"
})

/**
 * A business id that has been checked to be a UUID.
 *
 * @since 0.3.0
 * @category ids
 */
export type BusinessId = typeof BusinessId.Type
