/**
 * Wire-shaped bodies as the spec describes them, for this line's tests: the
 * shared schema tables' (`cases/schemas.ts`), so that both lines' tests read
 * the same bodies.
 */
export { cardId, fdxTokenBody, fdxTokenId, widgetTokenBody } from "../cases/schemas.js"
