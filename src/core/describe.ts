/**
 * How failures are put into words and classified for errors, on both lines:
 * a bounded excerpt of a body, the messages of an error and its causes, and
 * whether a transport error says that no connection was made (so a request
 * that changes something cannot have been applied).
 *
 * @since 0.3.0
 */

/**
 * Cuts text for keeping in an error, so errors stay small.
 *
 * @since 0.3.0
 * @category describe
 */
export const excerpt = (text: string, max = 2048): string =>
  text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`

const isObject = (value: unknown): value is object =>
  (typeof value === "object" && value !== null) || typeof value === "function"

/** `value[key]`, when `value` is an object that has it. */
const field = (value: unknown, key: string): unknown =>
  isObject(value) && key in value ? Reflect.get(value, key) : undefined

/**
 * The messages of an error and its causes (four at most), with Node's error
 * codes, bounded to 500 characters.
 *
 * @since 0.3.0
 * @category describe
 */
export const causeText = (cause: unknown): string => {
  const parts: Array<string> = []
  let current: unknown = cause
  for (let depth = 0; depth < 4 && current !== undefined && current !== null; depth++) {
    if (current instanceof Error) {
      const code = field(current, "code")
      parts.push(`${current.message}${typeof code === "string" ? ` (${code})` : ""}`)
      current = current.cause
    } else {
      parts.push(String(current))
      break
    }
  }
  return excerpt(parts.filter((part) => part !== "").join(": "), 500)
}

/** Node's and undici's codes for a connection that was never made. */
const notConnectedCodes: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT"
])

/**
 * Whether a transport error (or one of its causes) may have reached the
 * server: `false` only when a code says no connection was made.
 *
 * @since 0.3.0
 * @category describe
 */
export const connected = (cause: unknown): boolean => {
  let current: unknown = cause
  for (let depth = 0; depth < 4 && isObject(current); depth++) {
    const code = field(current, "code")
    if (typeof code === "string" && notConnectedCodes.has(code)) return false
    current = field(current, "cause")
  }
  return true
}
