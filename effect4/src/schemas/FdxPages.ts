/**
 * The pages of Plaid Core Exchange list operations: `FdxTokenPage`
 * (`GET /fdx_tokens`) and `FdxAuthRequestPage` (`GET /fdx_auth_requests`).
 *
 * @since 0.3.0
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as SchemaParser from "effect/SchemaParser"
import * as SchemaTransformation from "effect/SchemaTransformation"
import { FdxAuthRequest } from "./FdxAuthRequest.js"
import { FdxToken } from "./FdxToken.js"
import { optionalStringOrNull } from "./internal/wire.js"

/** `nextPageToken`: a non-empty string, or no key at all. */
const optionalNextPageToken = Schema.optionalKey(Schema.NonEmptyString)

/**
 * The domain side's next page token from the wire's: an empty token cannot
 * name a next page (sent back, it would ask for the first one again), so it
 * reads as absent, as `null` does.
 */
const nextPage = (next: string | null | undefined): { readonly nextPageToken?: string } =>
  typeof next === "string" && next !== "" ? { nextPageToken: next } : {}

/** The wire side's next page token from the domain's. */
const nextPageJson = (next: string | undefined): { readonly next_page_token?: string } =>
  next === undefined ? {} : { next_page_token: next }

/**
 * A page's domain side: `fields` (its domain struct), which checks a value in
 * full, except for the one page object the page's decoding has just built
 * (`trust`), which it lets through once, unchecked.
 *
 * Why: the page's wire struct decodes each item once, with the item's own
 * codec (so a broken item is reported at its wire path,
 * `["fdx_tokens"][3]["token_type"]`), and the transformation only renames
 * the keys; but Effect 4 then checks the transformation's output against the
 * domain side (a `decodeTo` always does), that is every item a second time:
 * a page of 100 tokens took ≈ 1.3× as long as 100 single decodes that way.
 * Effect 4 has no way to skip that check for one link (`disableChecks` skips
 * refinements only, and everywhere), so this is the Effect 3 line's technique
 * (src/schemas/FdxPages.ts), ported.
 *
 * Why it is safe: the transformation trusts the page only once every item of
 * it has decoded (the wire struct fails before it otherwise), and only the
 * object it has just made, which nothing else holds; Effect hands that
 * object straight to this check (`decodeTo`'s parser runs the target's check
 * on the transformation's result, synchronously here, since no item decodes
 * asynchronously), so no other code can see, let alone change, it before
 * the check consumes the trust. Any check consumes it, whatever the value, so
 * it cannot outlive the check it was made for (the page handed back, changed
 * or not, is checked in full from then on); and it matches only the identical
 * object (were decodes ever interleaved, another value checked in between
 * would not be let through), so any other value (`Schema.is`,
 * `Schema.decodeUnknown*` of `Schema.toType(...)`, an `Arbitrary`'s
 * candidates) and every value encoded is checked in full, by `fields`, with
 * its messages. The derivations (JSON Schema, `Arbitrary`, equivalence,
 * formatter, the canonical codecs) reach `fields` through the annotations and
 * give what they gave when it was the domain side itself; only
 * `Schema.toRepresentation` shows the declaration around it.
 */
const trustedOnce = <A>(fields: Schema.Codec<A>) => {
  let built: A | undefined
  const schema = Schema.declareConstructor<A>()(
    [fields],
    ([fields]) => {
      const check = SchemaParser.decodeUnknownEffect(fields)
      return (input, _self, options) => {
        const trusted = built
        built = undefined
        return trusted !== undefined && input === trusted ? Effect.succeed(trusted) : check(input, options)
      }
    },
    {
      toCodec: ([fields]) => Schema.link<A>()(fields, SchemaTransformation.passthrough()),
      toEquivalence: ([equivalence]) => equivalence,
      toFormatter: ([formatter]) => formatter
    }
  )
  /** Marks the page the transformation has just built as the one to let through. */
  const trust = (page: A): A => {
    built = page
    return page
  }
  return { schema, trust }
}

const FdxTokenPageJson = Schema.Struct({
  fdx_tokens: Schema.Array(FdxToken),
  next_page_token: optionalStringOrNull
}).annotate({ identifier: "FdxTokenPage.Json" })

const FdxTokenPageFields = Schema.Struct({
  fdxTokens: Schema.Array(Schema.toType(FdxToken)),
  nextPageToken: optionalNextPageToken
}).annotate({ identifier: "FdxTokenPage" })

/** The domain side, trusting the page it has just decoded: see `trustedOnce`. */
const FdxTokenPageDomain = trustedOnce<FdxTokenPage>(FdxTokenPageFields)

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
 * (`["fdx_tokens"][3]["token_type"]`).
 *
 * @example
 * ```ts
 * import { FdxTokenPage } from "effect-synctera/effect4"
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
 * @since 0.3.0
 * @category schemas
 */
export const FdxTokenPage: Schema.Codec<FdxTokenPage, FdxTokenPage.Json> = FdxTokenPageJson.pipe(
  Schema.decodeTo(
    FdxTokenPageDomain.schema,
    SchemaTransformation.transform({
      decode: (json) => FdxTokenPageDomain.trust({ fdxTokens: json.fdx_tokens, ...nextPage(json.next_page_token) }),
      encode: (page) => ({ fdx_tokens: page.fdxTokens, ...nextPageJson(page.nextPageToken) })
    })
  )
)

/**
 * A page of FDX tokens, decoded: see the {@link FdxTokenPage} schema.
 *
 * @since 0.3.0
 * @category schemas
 */
export interface FdxTokenPage {
  /** The tokens of this page. */
  readonly fdxTokens: ReadonlyArray<FdxToken>
  /** Pass it as `page_token` to get the next page; absent on the last page. */
  readonly nextPageToken?: string
}

/**
 * The types that go with the {@link FdxTokenPage} schema.
 *
 * @since 0.3.0
 * @category schemas
 */
export declare namespace FdxTokenPage {
  /**
   * The wire shape of a page of FDX tokens, snake_case, as Synctera sends it.
   *
   * @since 0.3.0
   * @category schemas
   */
  export interface Json {
    readonly fdx_tokens: ReadonlyArray<FdxToken.Json>
    readonly next_page_token?: string | null | undefined
  }
}

const FdxAuthRequestPageJson = Schema.Struct({
  fdx_auth_requests: Schema.Array(FdxAuthRequest),
  next_page_token: optionalStringOrNull
}).annotate({ identifier: "FdxAuthRequestPage.Json" })

const FdxAuthRequestPageFields = Schema.Struct({
  fdxAuthRequests: Schema.Array(Schema.toType(FdxAuthRequest)),
  nextPageToken: optionalNextPageToken
}).annotate({ identifier: "FdxAuthRequestPage" })

/** The domain side, trusting the page it has just decoded: see `trustedOnce`. */
const FdxAuthRequestPageDomain = trustedOnce<FdxAuthRequestPage>(FdxAuthRequestPageFields)

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
 * import { FdxAuthRequestPage } from "effect-synctera/effect4"
 * import { Schema } from "effect"
 *
 * const page = Schema.decodeUnknownSync(FdxAuthRequestPage)({
 *   fdx_auth_requests: [{ id: "046b6c7f-0b8a-43b9-b35d-6489e6daee91", status: "PENDING" }]
 * })
 * const last = page.nextPageToken === undefined // true
 * const pending = page.fdxAuthRequests.filter((request) => request.status === "PENDING")
 * ```
 *
 * @since 0.3.0
 * @category schemas
 */
export const FdxAuthRequestPage: Schema.Codec<FdxAuthRequestPage, FdxAuthRequestPage.Json> = FdxAuthRequestPageJson
  .pipe(
    Schema.decodeTo(
      FdxAuthRequestPageDomain.schema,
      SchemaTransformation.transform({
        decode: (json) =>
          FdxAuthRequestPageDomain.trust({
            fdxAuthRequests: json.fdx_auth_requests,
            ...nextPage(json.next_page_token)
          }),
        encode: (page) => ({ fdx_auth_requests: page.fdxAuthRequests, ...nextPageJson(page.nextPageToken) })
      })
    )
  )

/**
 * A page of FDX authorization requests, decoded: see the
 * {@link FdxAuthRequestPage} schema.
 *
 * @since 0.3.0
 * @category schemas
 */
export interface FdxAuthRequestPage {
  /** The authorization requests of this page. */
  readonly fdxAuthRequests: ReadonlyArray<FdxAuthRequest>
  /** Pass it as `page_token` to get the next page; absent on the last page. */
  readonly nextPageToken?: string
}

/**
 * The types that go with the {@link FdxAuthRequestPage} schema.
 *
 * @since 0.3.0
 * @category schemas
 */
export declare namespace FdxAuthRequestPage {
  /**
   * The wire shape of a page of FDX authorization requests, snake_case, as
   * Synctera sends it.
   *
   * @since 0.3.0
   * @category schemas
   */
  export interface Json {
    readonly fdx_auth_requests: ReadonlyArray<FdxAuthRequest.Json>
    readonly next_page_token?: string | null | undefined
  }
}
