/**
 * The shared timestamp table (`test/cases/timestamps.ts` at the root), run
 * on the Effect 4 line through its public `FdxToken`: every accepted string
 * decodes to its instant in each of the token's timestamps, every rejected
 * one fails at its wire key, with the value when inputs are reported. The
 * Effect 3 line runs the same table, so the lines read the same strings.
 */
import { describe, expect, it } from "@effect/vitest"
import { Cause, DateTime, Exit, Option, Schema, SchemaIssue } from "effect"
import { acceptedTimestamps, rejectedTimestamps } from "../../test/cases/timestamps.js"
import { FdxToken } from "../src/index.js"
import { fdxTokenBody } from "./support/fixtures.js"

const decode = Schema.decodeUnknownExit(FdxToken)
const formatIssue = SchemaIssue.makeFormatterStandardSchemaV1()

/** `path: message` per issue, joined with `; ` (or "decoded"). */
const messageOf = (exit: Exit.Exit<unknown, Schema.SchemaError>): string =>
  Exit.isSuccess(exit) ? "decoded" : Option.match(Cause.findErrorOption(exit.cause), {
    onNone: () => "no error",
    onSome: (error) =>
      formatIssue(error.issue).issues
        .map(({ message, path }) => path === undefined || path.length === 0 ? message : `${path.join(".")}: ${message}`)
        .join("; ")
  })

/** The token's wire timestamps and the domain fields they decode to. */
const fields = [
  ["creation_time", "creationTime"],
  ["last_updated_time", "lastUpdatedTime"],
  ["token_expiry_time", "tokenExpiryTime"]
] as const

describe("the timestamp table, on the Effect 4 line", () => {
  it.each(acceptedTimestamps)("reads $text ($note)", ({ millis, text }) => {
    for (const [key, field] of fields) {
      const token = Schema.decodeUnknownSync(FdxToken)({ ...fdxTokenBody, [key]: text })
      expect(DateTime.isUtc(token[field])).toBe(true)
      expect(DateTime.toEpochMillis(token[field])).toBe(millis)
    }
  })

  it.each(rejectedTimestamps)("rejects $text ($note)", ({ text }) => {
    for (const [key] of fields) {
      const json = { ...fdxTokenBody, [key]: text }
      expect(messageOf(decode(json))).toBe(`${key}: Expected a valid UTC DateTime string`)
      expect(messageOf(decode(json, { reportInput: true }))).toBe(
        `${key}: Expected a valid UTC DateTime string, got ${JSON.stringify(text)}`
      )
    }
  })

  it("reports every bad timestamp when asked for all errors, the first one otherwise", () => {
    const json = { ...fdxTokenBody, creation_time: "yesterday", token_expiry_time: "soon" }
    expect(messageOf(decode(json))).toBe("creation_time: Expected a valid UTC DateTime string")
    expect(messageOf(decode(json, { errors: "all" }))).toBe(
      "creation_time: Expected a valid UTC DateTime string; token_expiry_time: Expected a valid UTC DateTime string"
    )
  })

  it("reads what the Effect 3 line reads, where Effect 4's own DateTime.make reads more", () => {
    // Effect 4's `DateTime.make` (and so `Schema.DateTimeUtcFromString`, which
    // this line decoded with before) also counts a trailing `z` or `GMT` as a
    // zone; the shared rule, Effect 3's, does not.
    for (const text of ["2010-05-06T12:23:34.321z", "Thu, 06 May 2010 12:23:34 GMT"]) {
      expect(rejectedTimestamps.map((rejected) => rejected.text)).toContain(text)
      expect(Option.isSome(DateTime.make(text))).toBe(true)
      expect(messageOf(decode({ ...fdxTokenBody, creation_time: text }))).toBe(
        "creation_time: Expected a valid UTC DateTime string"
      )
    }
  })
})
