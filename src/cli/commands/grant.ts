/**
 * `synctera grant <auth-request-id> --status GRANTED|DENIED|ERROR
 * [--customer-id ID | --business-id ID] [--idempotency-key K] [--json]`
 *
 * @since 0.2.0
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { isSyncteraError } from "../../errors/SyncteraError.js"
import * as Operations from "../../internal/operations.js"
import { GrantStatus } from "../../schemas/FdxAuthGrant.js"
import { Synctera } from "../../Synctera.js"
import { isMaybeApplied } from "../exitCodes.js"
import { type Hint, reported } from "../failure.js"
import { fdxOwner, jsonLine, table } from "../format.js"
import { liveDescription, SyncteraFromEnv } from "./live.js"
import { json } from "./options.js"

const authRequestId = Args.text({ name: "auth-request-id" }).pipe(
  Args.withDescription("the auth request to decide (a UUID): the auth_request_id Plaid Link brought to your login page")
)

const status = Options.choice("status", GrantStatus.literals).pipe(
  Options.withDescription(
    "GRANTED (signed in and agreed), DENIED (declined, or could not sign in) or ERROR (failed on your side)"
  )
)

const customerId = Options.text("customer-id").pipe(
  Options.optional,
  Options.withDescription("the customer the access is for (a UUID); GRANTED needs it or --business-id")
)

const businessId = Options.text("business-id").pipe(
  Options.optional,
  Options.withDescription("the business the access is for (a UUID), instead of --customer-id")
)

const idempotencyKey = Options.text("idempotency-key").pipe(
  Options.optional,
  Options.withDescription(
    "the Idempotency-Key to send; default a fresh UUID (printed)"
  )
)

const grantJson = jsonLine(Operations.grantFdxAuthRequest.success.schema)

/**
 * What to do after a failed grant: after one that may have been applied, how
 * to find out (as the README's "After an ambiguous failure"); after a 409,
 * that the request was already decided.
 */
const grantHint = (id: string): Hint => (error) => {
  if (!isSyncteraError(error)) return undefined
  if (isMaybeApplied(error)) {
    return `The grant may or may not have been applied: \`synctera fdx-auth-requests --all\` shows ${id} ` +
      "still PENDING if it was not (then grant again, with a new idempotency key), GRANTED, DENIED or USED " +
      "if it was (with --json, its redirect_uri is on the listed request)"
  }
  if (error._tag === "Conflict" && error.code !== "IDEMPOTENCY_CONCURRENT_USE") {
    return `A 409 here is final (${id} was already decided, repeating cannot change it): ` +
      "see its status with `synctera fdx-auth-requests --all`"
  }
  return undefined
}

/**
 * Decides an FDX auth request through the live client, and prints the URI to
 * redirect the customer's browser to.
 *
 * @since 0.2.0
 * @category commands
 */
export const grantCommand = Command.make(
  "grant",
  { authRequestId, status, customerId, businessId, idempotencyKey, json },
  (input) => {
    const key = Option.getOrElse(input.idempotencyKey, () => crypto.randomUUID())
    const owner = {
      customerId: Option.getOrUndefined(input.customerId),
      businessId: Option.getOrUndefined(input.businessId)
    }
    return Synctera.grantFdxAuthRequest({
      authRequestId: input.authRequestId,
      status: input.status,
      ...(owner.customerId === undefined ? {} : { customerId: owner.customerId }),
      ...(owner.businessId === undefined ? {} : { businessId: owner.businessId }),
      idempotencyKey: key
    }).pipe(
      Effect.flatMap((grant) =>
        Console.log(
          input.json
            ? grantJson(grant)
            : table([
              ["redirect uri", grant.redirectUri],
              ["auth request", input.authRequestId],
              ["status", input.status],
              ["owner", fdxOwner(owner)],
              ["idempotency key", key]
            ])
        )
      ),
      Effect.provide(SyncteraFromEnv),
      (effect) => reported(effect, input.json, grantHint(input.authRequestId))
    )
  }
).pipe(
  Command.withDescription(
    liveDescription(
      "Decide an FDX auth request of Plaid Core Exchange, and print where to redirect the browser",
      Operations.grantFdxAuthRequest,
      "Never repeated blindly: after a failure that may have been applied it exits 12 and says how to check."
    )
  )
)
