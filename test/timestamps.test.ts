/**
 * The shared timestamp table (`cases/timestamps.ts`), run on the Effect 3
 * line through its public `FdxToken`: every accepted string decodes to its
 * instant in each of the token's timestamps, every rejected one fails at its
 * wire key with the value. And the shared core's `timestampMillis` is the
 * rule this line had before it was moved there: Effect 3's `DateTime.make`.
 */
import { describe, expect, it } from "@effect/vitest"
import { DateTime, Either, FastCheck, Option, ParseResult, Schema } from "effect"
import { timestampMillis } from "../src/core/timestamp.js"
import { FdxToken } from "../src/index.js"
import { acceptedTimestamps, rejectedTimestamps } from "./cases/timestamps.js"
import { fdxTokenBody } from "./support/fixtures.js"

const decode = Schema.decodeUnknownEither(FdxToken)

/** `path: message` per issue, joined with `; ` (or "decoded"). */
const messageOf = (result: Either.Either<FdxToken, ParseResult.ParseError>): string =>
  Either.match(result, {
    onLeft: (error) =>
      ParseResult.ArrayFormatter.formatErrorSync(error)
        .map((issue) => issue.path.length === 0 ? issue.message : `${issue.path.join(".")}: ${issue.message}`)
        .join("; "),
    onRight: () => "decoded"
  })

/** The instant Effect 3's `DateTime.make` reads in a string, in the core's form: milliseconds, or undefined. */
const makeMillis = (text: string): number | undefined =>
  Option.getOrUndefined(Option.map(DateTime.make(text), DateTime.toEpochMillis))

/** The token's wire timestamps and the domain fields they decode to. */
const fields = [
  ["creation_time", "creationTime"],
  ["last_updated_time", "lastUpdatedTime"],
  ["token_expiry_time", "tokenExpiryTime"]
] as const

describe("the timestamp table, on the Effect 3 line", () => {
  it("has cases of both kinds, each string once", () => {
    const texts = [...acceptedTimestamps, ...rejectedTimestamps].map(({ text }) => text)
    expect(acceptedTimestamps.length).toBeGreaterThan(20)
    expect(rejectedTimestamps.length).toBeGreaterThan(15)
    expect(new Set(texts).size).toBe(texts.length)
  })

  it.each(acceptedTimestamps)("reads $text ($note)", ({ millis, text }) => {
    for (const [key, field] of fields) {
      const token = Either.getOrThrow(decode({ ...fdxTokenBody, [key]: text }))
      expect(DateTime.isUtc(token[field])).toBe(true)
      expect(DateTime.toEpochMillis(token[field])).toBe(millis)
    }
  })

  it.each(rejectedTimestamps)("rejects $text ($note)", ({ text }) => {
    for (const [key] of fields) {
      expect(messageOf(decode({ ...fdxTokenBody, [key]: text }))).toBe(
        `${key}: Expected DateTimeUtc, actual ${JSON.stringify(text)}`
      )
    }
  })

  it("reads each string as Effect 3's DateTime.make does (the rule the core took over)", () => {
    for (const { text } of [...acceptedTimestamps, ...rejectedTimestamps]) {
      expect(timestampMillis(text)).toBe(makeMillis(text))
    }
  })

  it("reads random strings, and timestamps cut and suffixed at random, as DateTime.make does", () => {
    const iso = FastCheck.date({ noInvalidDate: true }).map((date) => date.toISOString())
    const zone = FastCheck.constantFrom("", "Z", "z", "+02:00", "-0530", "+02", "GMT", " ", "[UTC]")
    const text = FastCheck.oneof(
      FastCheck.string(),
      iso,
      FastCheck.tuple(iso, FastCheck.nat(24), zone).map(([time, cut, suffix]) => time.slice(0, cut) + suffix)
    )
    FastCheck.assert(FastCheck.property(text, (t) => timestampMillis(t) === makeMillis(t)), { numRuns: 5_000 })
  })
})
