/**
 * Parse errors as one bounded line of text, whatever the value they are about.
 *
 * A parse issue keeps the value it refused (`actual`), and Effect's formatters
 * print it in full, recursively: a body of valid JSON nested 100,000 levels
 * deep (which `JSON.parse` reads without trouble) overflows the stack while
 * its error message is made. So the issue tree is copied first with every
 * `actual` cut to a few levels and entries, and only that copy is formatted:
 * the message keeps Effect's wording and the path, and costs the same for any
 * input. (The error's raw `body` is bounded separately, as text.)
 *
 * @internal
 */
import * as Arr from "effect/Array"
import * as ParseResult from "effect/ParseResult"
import { excerpt } from "../core/describe.js"

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

const isMany = (
  issues: ParseResult.SingleOrNonEmpty<ParseResult.ParseIssue>
): issues is Arr.NonEmptyReadonlyArray<ParseResult.ParseIssue> => Array.isArray(issues)

/** The same issue tree with every refused value bounded (the tree itself is as deep as the schema). */
const boundedIssue = (issue: ParseResult.ParseIssue): ParseResult.ParseIssue => {
  switch (issue._tag) {
    case "Type":
      return new ParseResult.Type(issue.ast, bounded(issue.actual), issue.message)
    case "Forbidden":
      return new ParseResult.Forbidden(issue.ast, bounded(issue.actual), issue.message)
    case "Unexpected":
      return new ParseResult.Unexpected(bounded(issue.actual), issue.message)
    case "Missing":
      return issue
    case "Pointer":
      return new ParseResult.Pointer(issue.path, bounded(issue.actual), boundedIssue(issue.issue))
    case "Refinement":
      return new ParseResult.Refinement(issue.ast, bounded(issue.actual), issue.kind, boundedIssue(issue.issue))
    case "Transformation":
      return new ParseResult.Transformation(issue.ast, bounded(issue.actual), issue.kind, boundedIssue(issue.issue))
    case "Composite":
      return new ParseResult.Composite(
        issue.ast,
        bounded(issue.actual),
        isMany(issue.issues) ? Arr.map(issue.issues, boundedIssue) : boundedIssue(issue.issues),
        issue.output
      )
  }
}

/** One line per problem, `path: message`, bounded. */
export const formatParseError = (error: ParseResult.ParseError): string =>
  excerpt(
    ParseResult.ArrayFormatter.formatIssueSync(boundedIssue(error.issue))
      .map((issue) => issue.path.length === 0 ? issue.message : `${issue.path.join(".")}: ${issue.message}`)
      .join("; "),
    1000
  )
