/**
 * The `synctera` command: its subcommands, and how a run becomes an exit code
 * (see `exitCodes`).
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import * as ValidationError from "@effect/cli/ValidationError"
import * as Cause from "effect/Cause"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import { authorizationTestCommand } from "./commands/authorizationTest.js"
import { demoCommand } from "./commands/demo.js"
import { fdxAuthRequestsCommand, fdxTokensCommand } from "./commands/fdxLists.js"
import { fdxTokenCommand } from "./commands/fdxToken.js"
import { grantCommand } from "./commands/grant.js"
import { sandboxCommand } from "./commands/sandbox.js"
import { widgetTokenCommand } from "./commands/widgetToken.js"
import { ExitCode } from "./exitCodes.js"
import { CliExit } from "./failure.js"
import { terminalConsole } from "./terminal.js"

/** The package version the CLI reports. */
const version = "0.1.0"

/**
 * The root command.
 *
 * @since 0.1.0
 * @category commands
 */
export const synctera = Command.make("synctera").pipe(
  Command.withDescription(
    "Synctera from the command line: widget tokens, FDX tokens and auth requests of Plaid Core Exchange " +
      "(list them, grant a request, start a test), a local sandbox and a demo."
  ),
  Command.withSubcommands([
    widgetTokenCommand,
    fdxTokenCommand,
    fdxTokensCommand,
    fdxAuthRequestsCommand,
    grantCommand,
    authorizationTestCommand,
    sandboxCommand,
    demoCommand
  ])
)

/**
 * `@effect/cli` prints help and usage errors styled for their stream (see
 * `terminal`); the commands' own output (JSON lines, one-line errors) is left
 * as it is, with the console they were given back.
 */
const cli = (argv: ReadonlyArray<string>) =>
  Effect.consoleWith((console) =>
    Command.run(
      Command.transformHandler(synctera, (handler) => Effect.withConsole(handler, console)),
      { name: "synctera", version }
    )(argv).pipe(Effect.withConsole(terminalConsole(console)))
  )

/**
 * Ends the run when stdout is closed under it (`synctera fdx-tokens --all
 * --json | head -1`): the reader has what it wanted, so exit 0 quietly rather
 * than with Node's unhandled `EPIPE`. Any other stdout error is a failure.
 */
const stdoutClosed = Effect.async<ExitCode>((resume) => {
  let done = false
  // Stays on once it has fired: writes still in flight fail the same way.
  const onError = (error: NodeJS.ErrnoException) => {
    if (done) return
    done = true
    resume(
      error.code === "EPIPE"
        ? Effect.succeed(ExitCode.Ok)
        : Effect.as(Console.error(`synctera: cannot write to stdout: ${error.message}`), ExitCode.Unexpected)
    )
  }
  process.stdout.on("error", onError)
  return Effect.sync(() => process.stdout.off("error", onError))
})

/**
 * Runs the CLI on `argv` (as `process.argv`: the runtime and script first) and
 * gives the exit code. Failures are already printed; a defect is printed as
 * one line and exits 1. When stdout is closed by its reader, the run stops
 * and exits 0.
 *
 * @since 0.1.0
 * @category run
 */
export const run = (argv: ReadonlyArray<string>) =>
  cli(argv).pipe(
    Effect.as<ExitCode>(ExitCode.Ok),
    Effect.raceFirst(stdoutClosed),
    Effect.catchAll((error) =>
      error instanceof CliExit
        ? Effect.succeed(error.code)
        : ValidationError.isValidationError(error)
        // @effect/cli has printed the problem and the usage already.
        ? Effect.succeed(ExitCode.Usage)
        : Effect.as(Console.error(`synctera: unexpected failure: ${String(error)}`), ExitCode.Unexpected)
    ),
    Effect.catchAllDefect((defect) =>
      Effect.as(
        Console.error(`synctera: unexpected failure: ${Cause.pretty(Cause.die(defect)).split("\n")[0] ?? ""}`),
        ExitCode.Unexpected
      )
    )
  )
