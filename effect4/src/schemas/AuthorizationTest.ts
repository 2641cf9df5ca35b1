/**
 * `AuthorizationTest`: the answer of `GET /fdx_auth_requests/authorization_test`
 * (sandbox only), which starts a test of the Plaid Core Exchange flow.
 *
 * @since 0.3.0
 */
import * as Schema from "effect/Schema"
import * as SchemaTransformation from "effect/SchemaTransformation"
import { optionalString, optionalStringOrNull } from "./internal/wire.js"

const AuthorizationTestJson = Schema.Struct({
  redirect_url: optionalStringOrNull
}).annotate({ identifier: "AuthorizationTest.Json" })

const AuthorizationTestFields = Schema.Struct({
  redirectUrl: optionalString
}).annotate({ identifier: "AuthorizationTest" })

/**
 * The answer of `GET /fdx_auth_requests/authorization_test` (the spec's
 * `test_authorize_response`, sent with a `201`): Synctera creates an
 * authorization request and returns the Authentication URI you configured,
 * with `auth_request_id` appended, as `redirect_url`. The spec does not
 * require it: `redirectUrl` is absent when the server leaves it out (or sends
 * `null`). Unknown extra fields are ignored. Sandbox only.
 *
 * @example
 * ```ts
 * import { AuthorizationTest } from "effect-synctera/effect4"
 * import { Schema } from "effect"
 *
 * const test = Schema.decodeUnknownSync(AuthorizationTest)({
 *   redirect_url: "https://fintech.example/plaid/auth?auth_request_id=046b6c7f-0b8a-43b9-b35d-6489e6daee91"
 * })
 * const open = test.redirectUrl // open it in a browser
 * ```
 *
 * @since 0.3.0
 * @category schemas
 */
export const AuthorizationTest: Schema.Codec<AuthorizationTest, AuthorizationTest.Json> = AuthorizationTestJson.pipe(
  Schema.decodeTo(
    AuthorizationTestFields,
    SchemaTransformation.transform({
      decode: (json) => typeof json.redirect_url === "string" ? { redirectUrl: json.redirect_url } : {},
      encode: (test) => test.redirectUrl !== undefined ? { redirect_url: test.redirectUrl } : {}
    })
  )
)

/**
 * The answer of an authorization test, decoded: see the
 * {@link AuthorizationTest} schema.
 *
 * @since 0.3.0
 * @category schemas
 */
export interface AuthorizationTest {
  /**
   * Your configured Authentication URI with the new request's
   * `auth_request_id` appended: open it in a browser to run the flow.
   */
  readonly redirectUrl?: string
}

/**
 * The types that go with the {@link AuthorizationTest} schema.
 *
 * @since 0.3.0
 * @category schemas
 */
export declare namespace AuthorizationTest {
  /**
   * The wire shape of an authorization test's answer, as Synctera sends it.
   *
   * @since 0.3.0
   * @category schemas
   */
  export interface Json {
    readonly redirect_url?: string | null | undefined
  }
}
