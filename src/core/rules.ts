/**
 * The rules a caller's input must keep before anything is sent, in plain
 * TypeScript so that both Effect lines (and the model) check the same thing
 * with the same words. Each line's schemas are built on these.
 *
 * @since 0.3.0
 */

/**
 * A UUID in its canonical text form, any case (the pattern of Effect's
 * `Schema.UUID`).
 *
 * @since 0.3.0
 * @category rules
 */
export const uuidPattern = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/i

/**
 * Whether `text` is a UUID ({@link uuidPattern}).
 *
 * @since 0.3.0
 * @category rules
 */
export const isUuid = (text: string): boolean => uuidPattern.test(text)

/**
 * The message for an id that is not a UUID: `what` names the resource, as in
 * "a card id must be a UUID".
 *
 * @since 0.3.0
 * @category rules
 */
export const notAUuid = (what: string): string => `${what} id must be a UUID`

/**
 * The card widgets Synctera mints tokens for (`widget_type`).
 *
 * @since 0.3.0
 * @category rules
 */
export const cardWidgetTypes = ["ACTIVATE", "GET_PIN", "REVEAL", "SET_PIN"] as const

/**
 * The smallest and largest page a list operation may ask for.
 *
 * @since 0.3.0
 * @category rules
 */
export const pageLimit = { min: 1, max: 100 } as const

/**
 * The message for a page limit outside {@link pageLimit}.
 *
 * @since 0.3.0
 * @category rules
 */
export const pageLimitMessage = "a page limit must be an integer from 1 to 100"

/**
 * The outcomes a grant may give an authorization request.
 *
 * @since 0.3.0
 * @category rules
 */
export const grantStatuses = ["GRANTED", "DENIED", "ERROR"] as const

/**
 * Who a grant is for: as the spec asks for "one of customer_id or
 * business_id", at most one of them, and exactly one for `GRANTED` (a
 * customer who could not sign in has no id yet, so `DENIED` and `ERROR` may
 * give neither). `true`, or what is wrong.
 *
 * @since 0.3.0
 * @category rules
 */
export const grantOwnerRule = (grant: {
  readonly status: string
  readonly customerId?: string | undefined
  readonly businessId?: string | undefined
}): true | string => {
  if (grant.customerId !== undefined && grant.businessId !== undefined) {
    return "give a customerId or a businessId, not both"
  }
  if (grant.status === "GRANTED" && grant.customerId === undefined && grant.businessId === undefined) {
    return "a GRANTED request needs the customerId or businessId it is granted for"
  }
  return true
}

/**
 * An `Idempotency-Key` header value: 1 to 255 visible ASCII characters.
 *
 * @since 0.3.0
 * @category rules
 */
export const idempotencyKeyRule = {
  minLength: 1,
  maxLength: 255,
  pattern: /^[\x21-\x7E]+$/,
  message: "an idempotency key must be visible ASCII characters only"
} as const
