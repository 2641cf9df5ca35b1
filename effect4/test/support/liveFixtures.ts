/**
 * The wire bodies the live client's tests on this line send: the shared ones
 * (`test/cases/portsWire.ts` at the root, taken from the sandbox seed), so
 * that both lines' tests send the same and neither keeps a copy.
 */
export { cardId, widgetTokenBody } from "../../../test/cases/portsWire.js"
