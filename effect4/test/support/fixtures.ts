/**
 * Wire-shaped bodies as the spec describes them, for this line's tests: the
 * shared schema tables' (`test/cases/schemas.ts` at the root), so that both
 * lines' tests read the same bodies.
 */
export { authRequestId, cardId, customerId, fdxTokenBody, fdxTokenId } from "../../../test/cases/schemas.js"
