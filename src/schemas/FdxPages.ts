/**
 * The pages of Plaid Core Exchange list operations: `FdxTokenPage`
 * (`GET /fdx_tokens`) and `FdxAuthRequestPage` (`GET /fdx_auth_requests`).
 *
 * @since 0.2.0
 */
import * as ParseResult from "effect/ParseResult"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import * as SchemaAST from "effect/SchemaAST"
import { FdxAuthRequest } from "./FdxAuthRequest.js"
import { FdxToken } from "./FdxToken.js"
import { optionalStringOrNull, wireShape } from "./internal/wire.js"

/**
 * A page schema: the wire shape `{ [wire]: Item.Json[], next_page_token? }`
 * to the domain shape `{ [domain]: Item[], nextPageToken? }`.
 *
 * Each item is decoded once, by the item's own schema, inside the one
 * transformation (so a broken item is reported at its wire path,
 * `fdx_tokens.3.token_type`). The domain side would then check every item a
 * second time (a transformation always checks what it produced): a fifth of
 * an item's cost. It skips that check for the one page object the decoding
 * has just built, and only for it (the object is handed over at once, before
 * any other code can see it); any other value, and every value encoded, is
 * checked in full.
 */
const makePage = <Item, ItemJson, I extends object, A extends object>(
  item: Schema.Schema<Item, ItemJson>,
  jsonFields: Schema.Schema<I>,
  fields: Schema.Schema<A>,
  keys: { readonly wire: string; readonly domain: string },
  identifier: string
): Schema.Schema<A, I> => {
  const isItemJson = Schema.is(Schema.encodedSchema(item))
  // The same check as the wire struct's (an optional key is read as the object's own).
  const isJson = (input: unknown): input is I => {
    if (!Predicate.isRecord(input)) return false
    const items = input[keys.wire]
    if (!Array.isArray(items)) return false
    for (let i = 0; i < items.length; i++) if (!isItemJson(items[i])) return false
    const next = input.next_page_token
    return typeof next === "string" ? Object.hasOwn(input, "next_page_token") : next === undefined || next === null
  }

  let built: object | undefined
  const domain = Schema.declare(
    [fields],
    {
      decode: (fields) => {
        const validate = ParseResult.decodeUnknown(fields)
        return (input, options) => {
          if (built !== undefined && input === built) {
            built = undefined
            return ParseResult.succeed(input as A)
          }
          return validate(input, options)
        }
      },
      encode: (fields) => ParseResult.encodeUnknown(fields)
    },
    {
      identifier,
      [SchemaAST.SurrogateAnnotationId]: fields.ast,
      arbitrary: (fields) => fields,
      pretty: (fields) => fields,
      equivalence: (fields) => fields
    }
  )

  const decodeItem = ParseResult.decodeUnknownEither(item)
  const encodeItem = ParseResult.encodeUnknownEither(item)
  return Schema.transformOrFail(wireShape(jsonFields, isJson, `${identifier}.Json`), domain, {
    strict: true,
    decode: (json, options, ast) => {
      const wire = json as Record<string, unknown> & { readonly next_page_token?: string | null }
      const items = wire[keys.wire] as ReadonlyArray<unknown>
      const decoded: Array<Item> = []
      const issues: Array<ParseResult.ParseIssue> = []
      for (let i = 0; i < items.length; i++) {
        const result = decodeItem(items[i], options)
        if (result._tag === "Right") {
          decoded.push(result.right)
        } else {
          const issue = new ParseResult.Pointer([keys.wire, i], json, result.left)
          if (options?.errors !== "all") return ParseResult.fail(issue)
          issues.push(issue)
        }
      }
      if (issues.length > 0) {
        return ParseResult.fail(new ParseResult.Composite(ast, json, issues as [ParseResult.ParseIssue]))
      }
      const page: Record<string, unknown> = { [keys.domain]: decoded }
      // An empty token cannot name a next page (sent back, it would ask for the first one again).
      const next = wire.next_page_token
      if (typeof next === "string" && next !== "") page.nextPageToken = next
      built = page
      return ParseResult.succeed(page as A)
    },
    encode: (page, options, ast) => {
      const domain = page as Record<string, unknown> & { readonly nextPageToken?: string }
      const items = domain[keys.domain] as ReadonlyArray<Item>
      const encoded: Array<ItemJson> = []
      const issues: Array<ParseResult.ParseIssue> = []
      for (let i = 0; i < items.length; i++) {
        const result = encodeItem(items[i], options)
        if (result._tag === "Right") {
          encoded.push(result.right)
        } else {
          const issue = new ParseResult.Pointer([keys.domain, i], page, result.left)
          if (options?.errors !== "all") return ParseResult.fail(issue)
          issues.push(issue)
        }
      }
      if (issues.length > 0) {
        return ParseResult.fail(new ParseResult.Composite(ast, page, issues as [ParseResult.ParseIssue]))
      }
      const json: Record<string, unknown> = { [keys.wire]: encoded }
      if (domain.nextPageToken !== undefined) json.next_page_token = domain.nextPageToken
      return ParseResult.succeed(json as I)
    }
  })
}

/** `nextPageToken`: a non-empty string, or no key at all. */
const optionalNextPageToken = Schema.optionalWith(Schema.NonEmptyString, { exact: true })

const FdxTokenPageJsonFields = Schema.Struct({
  fdx_tokens: Schema.Array(Schema.encodedSchema(FdxToken)),
  next_page_token: optionalStringOrNull
})

const FdxTokenPageFields = Schema.Struct({
  /** The tokens of this page. */
  fdxTokens: Schema.Array(Schema.typeSchema(FdxToken)),
  /** Pass it as `page_token` to get the next page; absent on the last page. */
  nextPageToken: optionalNextPageToken
}).annotations({ identifier: "FdxTokenPage" })

/**
 * A page of FDX tokens (`GET /fdx_tokens`, the spec's `fdx_token_list`):
 * `{ fdx_tokens, next_page_token }` on the wire, each token decoded as
 * {@link FdxToken} decodes it.
 *
 * `nextPageToken` is there while more pages follow: pass it back as the
 * `page_token` query parameter. It is absent on the last page, where the spec
 * says the server leaves it out; `null` and the empty string are read as
 * absent too (an empty token would ask for the first page again). A token
 * that does not decode fails the whole page, with its index in the path
 * (`fdx_tokens.3.token_type: …`).
 *
 * @example
 * ```ts
 * import { FdxTokenPage } from "effect-synctera"
 * import { Schema } from "effect"
 *
 * const page = Schema.decodeUnknownSync(FdxTokenPage)({
 *   fdx_tokens: [{
 *     id: "3c90c3cc-0d44-4b50-8888-8dd25736052a",
 *     tenant: "abcdef_ghijkl",
 *     status: "ENABLED",
 *     token_type: "ACCESS",
 *     token_hash: "5f2b9c0e",
 *     creation_time: "2010-05-06T12:23:34.321Z",
 *     last_updated_time: "2010-05-06T12:23:34.321Z",
 *     token_expiry_time: "2030-05-06T12:23:34.321Z"
 *   }],
 *   next_page_token: "a8937a0d"
 * })
 * const more = page.nextPageToken !== undefined // true: ask again with page_token=a8937a0d
 * const enabled = page.fdxTokens.filter((token) => token.status === "ENABLED")
 * ```
 *
 * @since 0.2.0
 * @category schemas
 */
export const FdxTokenPage: Schema.Schema<FdxTokenPage, FdxTokenPage.Json> = makePage(
  FdxToken,
  FdxTokenPageJsonFields,
  FdxTokenPageFields,
  { wire: "fdx_tokens", domain: "fdxTokens" },
  "FdxTokenPage"
)

/**
 * A page of FDX tokens, decoded: see the {@link FdxTokenPage} schema.
 *
 * @since 0.2.0
 * @category schemas
 */
export interface FdxTokenPage extends Schema.Schema.Type<typeof FdxTokenPageFields> {}

/**
 * The types that go with the {@link FdxTokenPage} schema.
 *
 * @since 0.2.0
 * @category schemas
 */
export declare namespace FdxTokenPage {
  /**
   * The wire shape of a page of FDX tokens, snake_case, as Synctera sends it.
   *
   * @since 0.2.0
   * @category schemas
   */
  export interface Json extends Schema.Schema.Encoded<typeof FdxTokenPageJsonFields> {}
}

const FdxAuthRequestPageJsonFields = Schema.Struct({
  fdx_auth_requests: Schema.Array(Schema.encodedSchema(FdxAuthRequest)),
  next_page_token: optionalStringOrNull
})

const FdxAuthRequestPageFields = Schema.Struct({
  /** The authorization requests of this page. */
  fdxAuthRequests: Schema.Array(Schema.typeSchema(FdxAuthRequest)),
  /** Pass it as `page_token` to get the next page; absent on the last page. */
  nextPageToken: optionalNextPageToken
}).annotations({ identifier: "FdxAuthRequestPage" })

/**
 * A page of FDX authorization requests (`GET /fdx_auth_requests`, the spec's
 * `fdx_auth_request_list`): `{ fdx_auth_requests, next_page_token }` on the
 * wire, each request decoded as {@link FdxAuthRequest} decodes it.
 *
 * `nextPageToken` works as in {@link FdxTokenPage}: present while more pages
 * follow, absent on the last page (`null` and `""` read as absent).
 *
 * @example
 * ```ts
 * import { FdxAuthRequestPage } from "effect-synctera"
 * import { Schema } from "effect"
 *
 * const page = Schema.decodeUnknownSync(FdxAuthRequestPage)({
 *   fdx_auth_requests: [{ id: "046b6c7f-0b8a-43b9-b35d-6489e6daee91", status: "PENDING" }]
 * })
 * const last = page.nextPageToken === undefined // true
 * const pending = page.fdxAuthRequests.filter((request) => request.status === "PENDING")
 * ```
 *
 * @since 0.2.0
 * @category schemas
 */
export const FdxAuthRequestPage: Schema.Schema<FdxAuthRequestPage, FdxAuthRequestPage.Json> = makePage(
  FdxAuthRequest,
  FdxAuthRequestPageJsonFields,
  FdxAuthRequestPageFields,
  { wire: "fdx_auth_requests", domain: "fdxAuthRequests" },
  "FdxAuthRequestPage"
)

/**
 * A page of FDX authorization requests, decoded: see the
 * {@link FdxAuthRequestPage} schema.
 *
 * @since 0.2.0
 * @category schemas
 */
export interface FdxAuthRequestPage extends Schema.Schema.Type<typeof FdxAuthRequestPageFields> {}

/**
 * The types that go with the {@link FdxAuthRequestPage} schema.
 *
 * @since 0.2.0
 * @category schemas
 */
export declare namespace FdxAuthRequestPage {
  /**
   * The wire shape of a page of FDX authorization requests, snake_case, as
   * Synctera sends it.
   *
   * @since 0.2.0
   * @category schemas
   */
  export interface Json extends Schema.Schema.Encoded<typeof FdxAuthRequestPageJsonFields> {}
}
