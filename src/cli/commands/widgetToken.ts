/**
 * `synctera widget-token <card-id> --type REVEAL [--idempotency-key K] [--json]`
 *
 * @since 0.1.0
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Operations from "../../internal/operations.js"
import { CardWidgetType } from "../../schemas/CardWidgetType.js"
import { Synctera } from "../../Synctera.js"
import { reported } from "../failure.js"
import { table, widgetTokenJson } from "../format.js"
import { liveDescription, SyncteraFromEnv } from "./live.js"
import { json } from "./options.js"

const cardId = Args.text({ name: "card-id" }).pipe(Args.withDescription("the card (a UUID)"))

const widgetType = Options.choice("type", CardWidgetType.literals).pipe(
  Options.withDescription("the widget the token is for")
)

const idempotencyKey = Options.text("idempotency-key").pipe(
  Options.optional,
  Options.withDescription(
    "the Idempotency-Key to send; default a fresh UUID (printed, so the call can be repeated safely)"
  )
)

/**
 * Fetches a widget token through the live client.
 *
 * @since 0.1.0
 * @category commands
 */
export const widgetTokenCommand = Command.make(
  "widget-token",
  { cardId, widgetType, idempotencyKey, json },
  (input) => {
    const key = Option.getOrElse(input.idempotencyKey, () => crypto.randomUUID())
    return Synctera.getWidgetToken({ cardId: input.cardId, widgetType: input.widgetType, idempotencyKey: key }).pipe(
      Effect.flatMap((token) =>
        Console.log(
          input.json
            ? widgetTokenJson(token)
            : table([
              ["widget token", token.widgetToken],
              ["tenant", token.tenant],
              ["card", input.cardId],
              ["widget type", input.widgetType],
              ["idempotency key", key]
            ])
        )
      ),
      Effect.provide(SyncteraFromEnv),
      (effect) => reported(effect, input.json)
    )
  }
).pipe(
  Command.withDescription(
    liveDescription("Get a short-lived, one-time widget token for a card", Operations.getWidgetToken)
  )
)
