/**
 * `synctera sandbox [--port 4010] [--seed file.json] [--fail-rate 0.2] …`
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { formatParseError } from "../../internal/parseMessage.js"
import { Seed } from "../../model/Seed.js"
import { make as makeSandbox, type SandboxService } from "../../sandbox/Sandbox.js"
import { ExitCode } from "../exitCodes.js"
import { CliFailure, reported } from "../failure.js"
import { fdxOwner, table } from "../format.js"

const port = Options.integer("port").pipe(
  Options.withDefault(4010),
  Options.withDescription("the port on 127.0.0.1 (0 for a free one)")
)
const seed = Options.file("seed", { exists: "yes" }).pipe(
  Options.optional,
  Options.withDescription("a JSON seed file: {tenant, cards: [{id, state}], fdx_tokens: [<FDX token JSON>]}")
)
const apiKey = Options.text("api-key").pipe(
  Options.optional,
  Options.withDescription("the API key to accept; default a random one (printed)")
)
const rate = (name: string, description: string) =>
  Options.float(name).pipe(Options.withDefault(0), Options.withDescription(description))
const failRate = rate("fail-rate", "share of API requests answered 500 or 503 (0 to 1)")
const rateLimitRate = rate("rate-limit-rate", "share of API requests answered 429 with Retry-After (0 to 1)")
const stallRate = rate("stall-rate", "share of API requests whose body never finishes (0 to 1)")
const dropRate = rate("drop-rate", "share of API requests whose connection is dropped (0 to 1)")
const latency = Options.integer("latency").pipe(
  Options.withDefault(0),
  Options.withDescription("milliseconds added to every API request")
)
const retryAfter = Options.integer("retry-after").pipe(
  Options.withDefault(1),
  Options.withDescription("seconds a 429 asks the client to wait")
)

const readSeed = (path: string) =>
  Effect.flatMap(FileSystem.FileSystem, (fs) => fs.readFileString(path)).pipe(
    Effect.mapError((error) =>
      new CliFailure({ code: ExitCode.Usage, message: `cannot read ${path}: ${error.message}` })
    ),
    Effect.flatMap((text) =>
      Effect.mapError(
        Schema.decodeUnknown(Schema.parseJson(Seed))(text),
        (error) =>
          new CliFailure({ code: ExitCode.Usage, message: `invalid seed file ${path}: ${formatParseError(error)}` })
      )
    )
  )

/**
 * What a running sandbox holds and how to use it, for people.
 *
 * @since 0.1.0
 * @category format
 */
export const describeSandbox = (sandbox: SandboxService): string => {
  const key = Redacted.value(sandbox.apiKey)
  return [
    `Synctera sandbox listening on ${sandbox.url}`,
    "",
    table([["API key", key], ["tenant", sandbox.seed.tenant]]),
    "",
    "Cards:",
    table(sandbox.seed.cards.map((card) => [card.id, card.state]), "  "),
    "",
    "FDX tokens:",
    table(
      sandbox.seed.fdxTokens.map((token) => [token.id, `${token.status} ${token.tokenType} (${fdxOwner(token)})`]),
      "  "
    ),
    "",
    "Try it:",
    `  export SYNCTERA_API_KEY=${key} SYNCTERA_BASE_URL=${sandbox.url}`,
    ...(sandbox.seed.cards[0] === undefined
      ? []
      : [`  synctera widget-token ${sandbox.seed.cards[0].id} --type REVEAL`]),
    ...(sandbox.seed.fdxTokens[0] === undefined ? [] : [`  synctera fdx-token ${sandbox.seed.fdxTokens[0].id}`]),
    "  synctera fdx-tokens --limit 5",
    "  synctera fdx-auth-requests --all",
    "  synctera authorization-test"
  ].join("\n")
}

/**
 * Runs the sandbox server until interrupted (Ctrl-C).
 *
 * @since 0.1.0
 * @category commands
 */
export const sandboxCommand = Command.make(
  "sandbox",
  { port, seed, apiKey, failRate, rateLimitRate, stallRate, dropRate, latency, retryAfter },
  (input) =>
    Effect.gen(function*() {
      const seedValue = Option.isSome(input.seed) ? yield* readSeed(input.seed.value) : undefined
      const sandbox = yield* makeSandbox({
        port: input.port,
        seed: seedValue,
        apiKey: Option.getOrUndefined(input.apiKey),
        faults: {
          failRate: input.failRate,
          rateLimitRate: input.rateLimitRate,
          stallRate: input.stallRate,
          dropRate: input.dropRate,
          latency: `${input.latency} millis`,
          retryAfterSeconds: input.retryAfter
        }
      })
      yield* Console.log(describeSandbox(sandbox))
      yield* Console.log("\nPress Ctrl-C to stop.")
      return yield* Effect.never
    }).pipe(Effect.scoped, (effect) => reported(effect, false))
).pipe(
  Command.withDescription(
    "Run a local Synctera sandbox on 127.0.0.1: the widget token and FDX token endpoints, " +
      "bearer auth, idempotency, and optional faults (500/503, 429, latency, stalls, drops)."
  )
)
