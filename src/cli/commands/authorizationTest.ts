/**
 * `synctera authorization-test [--json]`
 *
 * @since 0.2.0
 */
import * as Command from "@effect/cli/Command"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import { isSyncteraError } from "../../errors/SyncteraError.js"
import * as Operations from "../../internal/operations.js"
import { Synctera } from "../../Synctera.js"
import { isMaybeApplied } from "../exitCodes.js"
import { type Hint, reported } from "../failure.js"
import { jsonLine, table } from "../format.js"
import { liveDescription, SyncteraFromEnv } from "./live.js"
import { json } from "./options.js"

const testJson = jsonLine(Operations.getAuthorizationTest.success.schema)

/** The `auth_request_id` of the URL, when it is a URL that has one. */
const authRequestOf = (url: string): string | undefined => {
  try {
    return new URL(url).searchParams.get("auth_request_id") ?? undefined
  } catch {
    return undefined
  }
}

const hint: Hint = (error) =>
  isSyncteraError(error) && isMaybeApplied(error)
    ? "A test auth request may or may not have been created (see `synctera fdx-auth-requests --all`); " +
      "running the command again only creates another one"
    : undefined

/**
 * Starts a test of the Plaid Core Exchange flow (sandbox only), and prints
 * the URL to open.
 *
 * @since 0.2.0
 * @category commands
 */
export const authorizationTestCommand = Command.make(
  "authorization-test",
  { json },
  (input) =>
    Synctera.getAuthorizationTest().pipe(
      Effect.flatMap((test) => {
        if (input.json) return Console.log(testJson(test))
        const url = test.redirectUrl
        const id = url === undefined ? undefined : authRequestOf(url)
        return Console.log(table([
          ["redirect url", url ?? "none (the answer had no redirect_url)"],
          ...(id === undefined ? [] : [["auth request", id] as const])
        ]))
      }),
      Effect.provide(SyncteraFromEnv),
      (effect) => reported(effect, input.json, hint)
    )
).pipe(
  Command.withDescription(
    liveDescription(
      "Start a test of the Plaid Core Exchange flow: Synctera creates an auth request and gives your " +
        "Authentication URI with its auth_request_id, to open in a browser",
      Operations.getAuthorizationTest
    )
  )
)
