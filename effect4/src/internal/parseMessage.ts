/**
 * Schema issues as one bounded line of text, whatever the value they are about.
 *
 * The client decodes with `reportInput`, so that a message can show the value
 * it refused; Effect's formatter prints that value in full, recursively: a
 * body of valid JSON nested 100,000 levels deep (which `JSON.parse` reads
 * without trouble) would make its error message cost as much as the body, and
 * overflow the stack on the way. So the issue tree is copied first with every
 * reported value cut to a few levels and entries, and only that copy is
 * formatted: the message keeps Effect's wording and the path, and costs the
 * same for any input. (The error's raw `body` is bounded separately, as text.)
 *
 * @internal
 */
import type * as SchemaAST from "effect/SchemaAST"
import * as SchemaIssue from "effect/SchemaIssue"
import { excerpt } from "../../../src/core/describe.js"

/**
 * The parse options the client decodes with: each issue keeps the value it
 * refused, for the message (see {@link formatIssue}).
 *
 * @since 0.3.0
 */
export const parseOptions: SchemaAST.ParseOptions = { reportInput: true }

/** How much of a refused value a message shows: enough to recognise it. */
const shown = { depth: 3, entries: 10 } as const

/** Stands for what was cut; Effect's formatter prints an object's own `toString`. */
const elided = (text: string): { readonly toString: () => string } => ({ toString: () => text })

const isPlainObject = (value: object): value is Record<string, unknown> => {
  const prototype: unknown = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}

/** A copy of a value at most `shown.depth` levels deep and `shown.entries` wide. */
const bounded = (value: unknown, depth = 0): unknown => {
  if (typeof value !== "object" || value === null) return value
  if (Array.isArray(value)) {
    if (depth >= shown.depth) return elided(value.length === 0 ? "[]" : "[…]")
    const kept: Array<unknown> = value.slice(0, shown.entries).map((item) => bounded(item, depth + 1))
    if (value.length > shown.entries) kept.push(elided(`…${value.length - shown.entries} more`))
    return kept
  }
  // Dates, class instances and the like are printed by their own toString, not walked.
  if (!isPlainObject(value)) return value
  const keys = Object.keys(value)
  if (depth >= shown.depth) return elided(keys.length === 0 ? "{}" : "{…}")
  const kept: Record<string, unknown> = {}
  for (const key of keys.slice(0, shown.entries)) kept[key] = bounded(value[key], depth + 1)
  if (keys.length > shown.entries) kept["…"] = elided(`${keys.length - shown.entries} more keys`)
  return kept
}

/** The same issue tree with every reported value bounded (the tree itself is as deep as the schema). */
const boundedIssue = (issue: SchemaIssue.Issue): SchemaIssue.Issue => {
  const reported = SchemaIssue.hasInput(issue)
  const input = reported ? bounded(issue.input) : undefined
  const options = reported ? parseOptions : undefined
  switch (issue._tag) {
    case "Filter":
      return new SchemaIssue.Filter(issue.filter, boundedIssue(issue.issue), input, options)
    case "Encoding":
      return new SchemaIssue.Encoding(issue.ast, boundedIssue(issue.issue), input, options)
    case "Pointer":
      return new SchemaIssue.Pointer(issue.path, boundedIssue(issue.issue))
    case "Composite": {
      const [first, ...rest] = issue.issues
      return new SchemaIssue.Composite(issue.ast, [boundedIssue(first), ...rest.map(boundedIssue)], input, options)
    }
    case "AnyOf":
      return new SchemaIssue.AnyOf(issue.ast, issue.issues.map(boundedIssue), input, options)
    case "InvalidType":
      return new SchemaIssue.InvalidType(issue.ast, input, options)
    case "InvalidValue":
      return new SchemaIssue.InvalidValue(issue.annotations, input, options)
    case "UnexpectedKey":
      return new SchemaIssue.UnexpectedKey(issue.ast, input, options)
    case "Forbidden":
      return new SchemaIssue.Forbidden(issue.annotations, input, options)
    case "OneOf":
      return new SchemaIssue.OneOf(issue.ast, issue.successes, input, options)
    case "MissingKey":
      return issue
  }
}

const formatter = SchemaIssue.makeFormatterStandardSchemaV1()

/** A path as `a.b.0`. */
const pathText = (path: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }>): string =>
  path.map((segment) => String(typeof segment === "object" ? segment.key : segment)).join(".")

/**
 * One line per problem, `path: message`, bounded (1,000 characters).
 *
 * @since 0.3.0
 */
export const formatIssue = (issue: SchemaIssue.Issue): string =>
  excerpt(
    formatter(boundedIssue(issue)).issues
      .map(({ message, path }) => path === undefined || path.length === 0 ? message : `${pathText(path)}: ${message}`)
      .join("; "),
    1000
  )
