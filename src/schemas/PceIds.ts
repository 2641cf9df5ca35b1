/**
 * The ids of Plaid Core Exchange requests: `FdxAuthRequestId`, `CustomerId`
 * and `BusinessId`, each a UUID, branded so that one cannot be passed where
 * another is meant.
 *
 * They are checked before they are sent, like the ids in `Ids.ts`, by the
 * same rule (`internal/ids.ts`: a `Schema.UUID`).
 *
 * @since 0.2.0
 */
import { uuidId } from "./internal/ids.js"

/**
 * The id of an FDX authorization request (Plaid Core Exchange): a UUID,
 * branded. Plaid Link hands it to your Authentication URI as the
 * `auth_request_id` query parameter.
 *
 * @example
 * ```ts
 * import { FdxAuthRequestId } from "effect-synctera"
 * import { Schema } from "effect"
 *
 * // In the handler of your Authentication URI:
 * const fromQuery = (url: URL) =>
 *   Schema.decodeUnknownEither(FdxAuthRequestId)(url.searchParams.get("auth_request_id"))
 * ```
 *
 * @since 0.2.0
 * @category ids
 */
export const FdxAuthRequestId = uuidId("FdxAuthRequestId", "an FDX authorization request")

/**
 * An FDX authorization request id that has been checked to be a UUID.
 *
 * @since 0.2.0
 * @category ids
 */
export type FdxAuthRequestId = typeof FdxAuthRequestId.Type

/**
 * The id of a Synctera customer (a person): a UUID, branded.
 *
 * @example
 * ```ts
 * import { CustomerId } from "effect-synctera"
 * import { Schema } from "effect"
 *
 * const id = Schema.decodeUnknownSync(CustomerId)("c0d7c4f2-8a31-4c8e-9a55-1f5b0e3c2d11")
 * ```
 *
 * @since 0.2.0
 * @category ids
 */
export const CustomerId = uuidId("CustomerId", "a Synctera customer", "a customer")

/**
 * A customer id that has been checked to be a UUID.
 *
 * @since 0.2.0
 * @category ids
 */
export type CustomerId = typeof CustomerId.Type

/**
 * The id of a Synctera business: a UUID, branded.
 *
 * @example
 * ```ts
 * import { BusinessId } from "effect-synctera"
 * import { Schema } from "effect"
 *
 * const id = Schema.decodeUnknownSync(BusinessId)("b0d7c4f2-8a31-4c8e-9a55-1f5b0e3c2d11")
 * ```
 *
 * @since 0.2.0
 * @category ids
 */
export const BusinessId = uuidId("BusinessId", "a Synctera business", "a business")

/**
 * A business id that has been checked to be a UUID.
 *
 * @since 0.2.0
 * @category ids
 */
export type BusinessId = typeof BusinessId.Type
