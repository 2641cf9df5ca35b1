/**
 * The ids of Plaid Core Exchange requests: `FdxAuthRequestId`, `CustomerId`
 * and `BusinessId`, each a UUID, branded so that one cannot be passed where
 * another is meant.
 *
 * They are checked before they are sent, like the ids in `Ids.ts`, with the
 * same rule (`Schema.UUID`).
 *
 * @since 0.2.0
 */
import * as Schema from "effect/Schema"

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
export const FdxAuthRequestId = Schema.UUID.pipe(Schema.brand("FdxAuthRequestId")).annotations({
  identifier: "FdxAuthRequestId",
  description: "The unique identifier of an FDX authorization request (a UUID)",
  message: () => "an FDX authorization request id must be a UUID"
})

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
export const CustomerId = Schema.UUID.pipe(Schema.brand("CustomerId")).annotations({
  identifier: "CustomerId",
  description: "The unique identifier of a Synctera customer (a UUID)",
  message: () => "a customer id must be a UUID"
})

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
export const BusinessId = Schema.UUID.pipe(Schema.brand("BusinessId")).annotations({
  identifier: "BusinessId",
  description: "The unique identifier of a Synctera business (a UUID)",
  message: () => "a business id must be a UUID"
})

/**
 * A business id that has been checked to be a UUID.
 *
 * @since 0.2.0
 * @category ids
 */
export type BusinessId = typeof BusinessId.Type
