/**
 * The pages of Plaid Core Exchange list operations: `FdxTokenPage`
 * (`GET /fdx_tokens`) and `FdxAuthRequestPage` (`GET /fdx_auth_requests`).
 *
 * @since 0.2.0
 */
import * as Arr from "effect/Array"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import * as SchemaAST from "effect/SchemaAST"
import { FdxAuthRequest } from "./FdxAuthRequest.js"
import { FdxToken } from "./FdxToken.js"
import { isOptionalStringOrNull, optionalStringOrNull, wireShape } from "./internal/wire.js"

/** The wire side's next page token, as the page's wire struct types it. */
interface NextPageJson {
  readonly next_page_token?: string | null | undefined
}

/** The domain side's next page token: a non-empty string, or no key at all. */
interface NextPage {
  readonly nextPageToken?: string
}

/**
 * Where a page keeps its items on each side, and how to make each side from
 * its items and next page token (an object with the key at a literal name,
 * which only the page's own code can type). The keys also name an item in an
 * issue's path (`fdx_tokens.3.token_type`).
 */
interface PageShape<Item, ItemJson, WireKey extends string, DomainKey extends string, A, I> {
  readonly wireKey: WireKey
  readonly domainKey: DomainKey
  readonly makePage: (items: Array<Item>, next: NextPage) => A
  readonly makeJson: (items: Array<ItemJson>, next: NextPageJson) => I
}

/**
 * Parses each item of a page with `parse`, failing at the item's path
 * (`[key, index]`) under `whole`: on the first broken item, or, with
 * `errors: "all"`, on all of them at once.
 */
const parseItems = <From, To>(
  parse: (item: unknown, options?: SchemaAST.ParseOptions) => Either.Either<To, ParseResult.ParseIssue>,
  items: ReadonlyArray<From>,
  key: string,
  whole: object,
  options: SchemaAST.ParseOptions | undefined,
  ast: SchemaAST.Transformation
): Either.Either<Array<To>, ParseResult.ParseIssue> => {
  const parsed: Array<To> = []
  const issues: Array<ParseResult.ParseIssue> = []
  for (let i = 0; i < items.length; i++) {
    const result = parse(items[i], options)
    if (result._tag === "Right") {
      parsed.push(result.right)
    } else {
      const issue = new ParseResult.Pointer([key, i], whole, result.left)
      if (options?.errors !== "all") return Either.left(issue)
      issues.push(issue)
    }
  }
  return Arr.isNonEmptyArray(issues) ? Either.left(new ParseResult.Composite(ast, whole, issues)) : Either.right(parsed)
}

/**
 * A page schema: the wire shape `{ [wireKey]: Item.Json[], next_page_token? }`
 * to the domain shape `{ [domainKey]: Item[], nextPageToken? }`.
 *
 * Each item is decoded once, by the item's own schema, inside the one
 * transformation (so a broken item is reported at its wire path,
 * `fdx_tokens.3.token_type`). The domain side would then check every item a
 * second time (a transformation always checks what it produced): a page of
 * 100 tokens took ≈ 1.35× as long that way. It skips that check for the one
 * page object the decoding has just built, and only for it; any other value,
 * and every value encoded, is checked in full.
 *
 * That is safe: the page is trusted only once every item has decoded, and
 * the transformation hands it at once to that check (its result, a plain
 * `Either`, goes to its target synchronously: `ParseResult`'s
 * `Transformation` parser), so no other code can see, let alone change, the
 * object before the check consumes the trust; and any check consumes it, so
 * it cannot outlive the check it was meant for.
 */
const makePage = <
  Item,
  ItemJson,
  WireKey extends string,
  DomainKey extends string,
  I extends NextPageJson & { readonly [K in WireKey]: ReadonlyArray<ItemJson> },
  A extends NextPage & { readonly [K in DomainKey]: ReadonlyArray<Item> }
>(
  item: Schema.Schema<Item, ItemJson>,
  jsonFields: Schema.Schema<I>,
  fields: Schema.Schema<A>,
  shape: PageShape<Item, ItemJson, WireKey, DomainKey, A, I>,
  identifier: string
): Schema.Schema<A, I> => {
  const isItemJson = Schema.is(Schema.encodedSchema(item))
  // The same check as the wire struct's.
  const isJson = (input: unknown): input is I => {
    if (!Predicate.isRecord(input)) return false
    const items = input[shape.wireKey]
    if (!Array.isArray(items)) return false
    for (let i = 0; i < items.length; i++) if (!isItemJson(items[i])) return false
    return isOptionalStringOrNull(input, "next_page_token")
  }

  let built: A | undefined
  const domain = Schema.declare(
    [fields],
    {
      decode: (fields) => {
        const validate = ParseResult.decodeUnknown(fields)
        return (input, options) => {
          const trusted = built
          built = undefined
          return trusted !== undefined && input === trusted ? ParseResult.succeed(trusted) : validate(input, options)
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
    decode: (json, options, ast) =>
      Either.map(parseItems(decodeItem, json[shape.wireKey], shape.wireKey, json, options, ast), (items) => {
        // An empty token cannot name a next page (sent back, it would ask for the first one again).
        const next = json.next_page_token
        const page = shape.makePage(items, typeof next === "string" && next !== "" ? { nextPageToken: next } : {})
        built = page
        return page
      }),
    encode: (page, options, ast) =>
      Either.map(
        parseItems(encodeItem, page[shape.domainKey], shape.domainKey, page, options, ast),
        (items) =>
          shape.makeJson(items, page.nextPageToken !== undefined ? { next_page_token: page.nextPageToken } : {})
      )
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
  {
    wireKey: "fdx_tokens",
    domainKey: "fdxTokens",
    makePage: (fdxTokens, next) => ({ fdxTokens, ...next }),
    makeJson: (fdx_tokens, next) => ({ fdx_tokens, ...next })
  },
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
  {
    wireKey: "fdx_auth_requests",
    domainKey: "fdxAuthRequests",
    makePage: (fdxAuthRequests, next) => ({ fdxAuthRequests, ...next }),
    makeJson: (fdx_auth_requests, next) => ({ fdx_auth_requests, ...next })
  },
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
