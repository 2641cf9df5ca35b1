/**
 * `synctera fdx-token <id> [--json]`
 *
 * @since 0.1.0
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Console from "effect/Console"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Operations from "../../internal/operations.js"
import { Synctera } from "../../Synctera.js"
import { reported } from "../failure.js"
import { fdxTokenJson, fdxTokenText } from "../format.js"
import { liveDescription, SyncteraFromEnv } from "./live.js"
import { json } from "./options.js"

const id = Args.text({ name: "id" }).pipe(Args.withDescription("the FDX token (a UUID)"))

/**
 * Reads an FDX token through the live client.
 *
 * @since 0.1.0
 * @category commands
 */
export const fdxTokenCommand = Command.make(
  "fdx-token",
  { id, json },
  (input) =>
    Synctera.getFdxToken({ fdxTokenId: input.id }).pipe(
      Effect.flatMap((token) =>
        input.json
          ? Console.log(fdxTokenJson(token))
          : Effect.flatMap(DateTime.now, (now) => Console.log(fdxTokenText(token, now)))
      ),
      Effect.provide(SyncteraFromEnv),
      (effect) => reported(effect, input.json)
    )
).pipe(
  Command.withDescription(liveDescription("Read an FDX token of Plaid Core Exchange", Operations.getFdxToken))
)
