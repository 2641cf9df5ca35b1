/**
 * The Plaid Core Exchange schemas, on what only the Effect 3 line's API can
 * say: the ids' brands (the line's types) and the `ParseError` itself. Every
 * case that both lines share — the authorization request, the pages, the
 * grant's body and answer, the authorization test, and the pages' trust in
 * their own decoding — is a row of the shared tables (`cases/schemasPce.ts`,
 * `cases/schemasProperties.ts`, `cases/schemasTrust.ts`), run on this line by
 * `schemas.test.ts`.
 */
import { describe, expect, it } from "@effect/vitest"
import { Either, ParseResult, Schema } from "effect"
import { type CustomerId, FdxAuthRequestId, FdxTokenPage } from "../src/index.js"
import { authRequestId } from "./cases/schemas.js"
import { brokenFdxTokenPageBody } from "./cases/schemasPce.js"

// Per line: a brand is the line's type.
describe("PCE ids", () => {
  it("are distinct brands", () => {
    const request: FdxAuthRequestId = Schema.decodeUnknownSync(FdxAuthRequestId)(authRequestId)
    // @ts-expect-error: an authorization request id is not a customer id
    const customer: CustomerId = request
    expect(customer).toBe(authRequestId)
  })
})

// Per line: the error's class and its message are Effect 3's.
describe("FdxTokenPage", () => {
  it("fails with a ParseError whose message shows where and what", () => {
    const error = Either.flip(Schema.decodeUnknownEither(FdxTokenPage)(brokenFdxTokenPageBody)).pipe(Either.getOrThrow)
    expect(ParseResult.isParseError(error)).toBe(true)
    expect(error.message).toMatch(/\["fdx_tokens"\][\s\S]*\[1\][\s\S]*\["token_type"\][\s\S]*Expected string, actual 5/)
    expect(() => Schema.decodeUnknownSync(FdxTokenPage)(brokenFdxTokenPageBody)).toThrow(/Expected string, actual 5/)
  })
})
