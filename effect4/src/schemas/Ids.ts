/**
 * Identifiers that travel in a request URL or header.
 *
 * Each one is validated before it is used, so a caller cannot inject a path
 * segment (`../`, `%2F`) or a header line into a request.
 *
 * @since 0.3.0
 */
import * as Schema from "effect/Schema"
import { idempotencyKeyRule } from "../../../src/core/rules.js"
import { uuidString } from "./internal/ids.js"

/**
 * The id of a card: a UUID, branded so that it cannot be confused with
 * another id.
 *
 * @example
 * ```ts
 * import { CardId } from "effect-synctera/effect4"
 * import { Schema } from "effect"
 *
 * const id = Schema.decodeUnknownSync(CardId)("7d943c51-e4ff-4e57-9558-08cab6b963c7")
 * ```
 *
 * @since 0.3.0
 * @category ids
 */
export const CardId = uuidString("a card").pipe(Schema.brand("CardId")).annotate({
  identifier: "CardId"
})

/**
 * A card id that has been checked to be a UUID.
 *
 * @since 0.3.0
 * @category ids
 */
export type CardId = typeof CardId.Type

/**
 * The id of an FDX token (Plaid Core Exchange): a UUID, branded.
 *
 * @example
 * ```ts
 * import { FdxTokenId } from "effect-synctera/effect4"
 * import { Schema } from "effect"
 *
 * const id = Schema.decodeUnknownSync(FdxTokenId)("3c90c3cc-0d44-4b50-8888-8dd25736052a")
 * ```
 *
 * @since 0.3.0
 * @category ids
 */
export const FdxTokenId = uuidString("an FDX token").pipe(Schema.brand("FdxTokenId")).annotate({
  identifier: "FdxTokenId"
})

/**
 * An FDX token id that has been checked to be a UUID.
 *
 * @since 0.3.0
 * @category ids
 */
export type FdxTokenId = typeof FdxTokenId.Type

/**
 * An `Idempotency-Key` header value: 1 to 255 visible ASCII characters, so it
 * can never break out of its header line. A UUID is recommended.
 *
 * @example
 * ```ts
 * import { IdempotencyKey } from "effect-synctera/effect4"
 * import { Schema } from "effect"
 *
 * const key = Schema.decodeUnknownSync(IdempotencyKey)("reveal-7d943c51-2024-06-01T12:00")
 * ```
 *
 * @since 0.3.0
 * @category ids
 */
export const IdempotencyKey = Schema.String.check(
  Schema.isMinLength(idempotencyKeyRule.minLength),
  Schema.isMaxLength(idempotencyKeyRule.maxLength),
  Schema.isPattern(idempotencyKeyRule.pattern, { message: idempotencyKeyRule.message })
).pipe(Schema.brand("IdempotencyKey")).annotate({
  identifier: "IdempotencyKey",
  description: "An Idempotency-Key header value (1 to 255 visible ASCII characters)"
})

/**
 * An idempotency key that has been checked to be 1 to 255 visible ASCII
 * characters.
 *
 * @since 0.3.0
 * @category ids
 */
export type IdempotencyKey = typeof IdempotencyKey.Type
