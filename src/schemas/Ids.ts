/**
 * Identifiers that travel in a request URL or header.
 *
 * Each one is validated before it is used, so a caller cannot inject a path
 * segment (`../`, `%2F`) or a header line into a request.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { idempotencyKeyRule } from "../core/rules.js"
import { uuidId } from "./internal/ids.js"

/**
 * The id of a card: a UUID, branded so that it cannot be confused with
 * another id.
 *
 * @example
 * ```ts
 * import { CardId } from "effect-synctera"
 * import { Schema } from "effect"
 *
 * const id = Schema.decodeUnknownSync(CardId)("7d943c51-e4ff-4e57-9558-08cab6b963c7")
 * ```
 *
 * @since 0.1.0
 * @category ids
 */
export const CardId = uuidId("CardId", "a card")

/**
 * A card id that has been checked to be a UUID.
 *
 * @since 0.1.0
 * @category ids
 */
export type CardId = typeof CardId.Type

/**
 * The id of an FDX token (Plaid Core Exchange): a UUID, branded.
 *
 * @since 0.1.0
 * @category ids
 */
export const FdxTokenId = uuidId("FdxTokenId", "an FDX token")

/**
 * An FDX token id that has been checked to be a UUID.
 *
 * @since 0.1.0
 * @category ids
 */
export type FdxTokenId = typeof FdxTokenId.Type

/**
 * An `Idempotency-Key` header value: 1 to 255 visible ASCII characters, so it
 * can never break out of its header line. A UUID is recommended.
 *
 * @since 0.1.0
 * @category ids
 */
export const IdempotencyKey = Schema.String.pipe(
  Schema.minLength(idempotencyKeyRule.minLength),
  Schema.maxLength(idempotencyKeyRule.maxLength),
  Schema.pattern(idempotencyKeyRule.pattern, { message: () => idempotencyKeyRule.message }),
  Schema.brand("IdempotencyKey")
).annotations({
  identifier: "IdempotencyKey",
  description: "An Idempotency-Key header value (1 to 255 visible ASCII characters)"
})

/**
 * An idempotency key that has been checked to be 1 to 255 visible ASCII
 * characters.
 *
 * @since 0.1.0
 * @category ids
 */
export type IdempotencyKey = typeof IdempotencyKey.Type
