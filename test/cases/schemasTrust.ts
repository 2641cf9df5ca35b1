/**
 * The pages' trust in their own decoding, as checks over one line (see
 * `schemasEngine.ts`): both lines decode a page's items once and then trust
 * the page object their decoding has just built (Effect 3: a trust-once
 * domain check; Effect 4: a `Schema.declareConstructor` that checks each item
 * once), so these hold each line to trusting nothing else — no other object,
 * no page changed after its decoding (readonly to the compiler only, as a
 * caller could change it), no page that failed to decode — and to decoding a
 * page the same way every time.
 *
 * No Effect here, and nothing from either line.
 */
import type { Json } from "./behaviour.js"
import { authRequestBody, fdxTokenBody } from "./schemas.js"
import type { Check, SchemaLine } from "./schemasEngine.js"
import { outcomeOn, plainOn } from "./schemasEngine.js"
import { fdxTokenPageBody, fdxTokenPageDomain } from "./schemasPce.js"

const isRecord = (value: unknown): value is { readonly [key: string]: unknown } =>
  typeof value === "object" && value !== null

/** What `line` decodes `wire` to, as the line's own value. */
const decoded = (line: SchemaLine, schema: "FdxAuthRequestPage" | "FdxTokenPage", wire: Json): unknown => {
  const outcome = line.decode(schema, wire)
  if (!("ok" in outcome)) throw new Error(`${schema} refused ${JSON.stringify(wire)}: ${outcome.error}`)
  return outcome.ok
}

/** The items of a decoded page, as the array the line built. */
const itemsOf = (page: unknown, key: "fdxAuthRequests" | "fdxTokens"): Array<unknown> => {
  const items = isRecord(page) ? page[key] : undefined
  if (!Array.isArray(items)) throw new Error(`a page without ${key}`)
  return items
}

/** The first item of a decoded page. */
const firstOf = (page: unknown, key: "fdxAuthRequests" | "fdxTokens"): { readonly [key: string]: unknown } => {
  const first = itemsOf(page, key)[0]
  if (!isRecord(first)) throw new Error(`a page whose first item is not an object`)
  return first
}

const brokenToken = "fdxTokens.0.id: an FDX token id must be a UUID"

/** The trust checks, on `line`. */
export const trustChecks = (line: SchemaLine): ReadonlyArray<Check> => {
  const isTokenPage = (value: unknown): boolean => line.is("FdxTokenPage", "type", value)
  return [
    {
      name:
        "FdxTokenPage: a decoded page is a page; one with a broken token more, or with a broken copy of its token, is not",
      expected: { page: true, withMore: false, brokenCopy: { error: brokenToken } },
      actual: () => {
        const page = decoded(line, "FdxTokenPage", fdxTokenPageBody)
        return {
          page: isTokenPage(page),
          withMore: isTokenPage({ fdxTokens: [...itemsOf(page, "fdxTokens"), { id: "not a token" }] }),
          brokenCopy: outcomeOn(
            line,
            line.encode("FdxTokenPage", { fdxTokens: [{ ...firstOf(page, "fdxTokens"), id: "x" }] })
          )
        }
      }
    },
    {
      name:
        "FdxTokenPage: a decoded page changed afterwards is checked in full, and a page that failed to decode leaves no trust",
      expected: {
        pushed: { before: true, after: false },
        changed: { is: false, validated: { error: brokenToken }, encoded: { error: brokenToken } },
        failed: { error: "fdx_tokens.0.id: an FDX token id must be a UUID" },
        brokenCopy: false,
        changedStill: false
      },
      actual: () => {
        const pushed = decoded(line, "FdxTokenPage", fdxTokenPageBody)
        const before = isTokenPage(pushed)
        itemsOf(pushed, "fdxTokens").push({ id: "not a token" })
        const changed = decoded(line, "FdxTokenPage", fdxTokenPageBody)
        const first = firstOf(changed, "fdxTokens")
        Object.assign(first, { id: "not-a-uuid" })
        return {
          pushed: { before, after: isTokenPage(pushed) },
          changed: {
            is: isTokenPage(changed),
            validated: outcomeOn(line, line.validate("FdxTokenPage", changed)),
            encoded: outcomeOn(line, line.encode("FdxTokenPage", changed))
          },
          failed: outcomeOn(line, line.decode("FdxTokenPage", { fdx_tokens: [{ ...fdxTokenBody, id: "x" }] })),
          brokenCopy: isTokenPage({ fdxTokens: [{ ...first, id: "x" }] }),
          changedStill: isTokenPage(changed)
        }
      }
    },
    {
      name: "FdxTokenPage: the same page decodes the same way every time, also interleaved with other pages",
      expected: {
        first: fdxTokenPageDomain,
        request: true,
        again: fdxTokenPageDomain,
        pages: [true, true, true, false]
      },
      actual: () => {
        const first = decoded(line, "FdxTokenPage", fdxTokenPageBody)
        const second = decoded(line, "FdxTokenPage", { fdx_tokens: [fdxTokenBody] })
        const request = "ok" in line.decode("FdxAuthRequestPage", { fdx_auth_requests: [authRequestBody] })
        const again = decoded(line, "FdxTokenPage", fdxTokenPageBody)
        return {
          first: plainOn(line, first),
          request,
          again: plainOn(line, again),
          pages: [
            isTokenPage(first),
            isTokenPage(second),
            isRecord(first) && isTokenPage({ ...first }),
            isTokenPage({
              fdxTokens: [{}]
            })
          ]
        }
      }
    },
    {
      name: "FdxAuthRequestPage: a decoded page changed afterwards is checked in full",
      expected: {
        before: true,
        after: false,
        encoded: { error: "fdxAuthRequests.0.id: an FDX authorization request id must be a UUID" }
      },
      actual: () => {
        const page = decoded(line, "FdxAuthRequestPage", { fdx_auth_requests: [authRequestBody] })
        const before = line.is("FdxAuthRequestPage", "type", page)
        Object.assign(firstOf(page, "fdxAuthRequests"), { id: "not-a-uuid" })
        return {
          before,
          after: line.is("FdxAuthRequestPage", "type", page),
          encoded: outcomeOn(line, line.encode("FdxAuthRequestPage", page))
        }
      }
    }
  ]
}
