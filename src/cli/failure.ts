/**
 * How a failed command ends: one clear line on stderr (a JSON object with
 * `--json`), then an exit code from `exitCodes`.
 *
 * @since 0.1.0
 */
import * as ConfigError from "effect/ConfigError"
import * as Console from "effect/Console"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import { isSyncteraError, type SyncteraError } from "../errors/SyncteraError.js"
import { SandboxError } from "../sandbox/options.js"
import { ExitCode, exitCodeOf } from "./exitCodes.js"

/**
 * A command failed and its line was already printed: exit with `code`.
 *
 * @since 0.1.0
 * @category errors
 */
export class CliExit extends Data.TaggedError("CliExit")<{ readonly code: ExitCode }> {}

/**
 * A command's own failure (a bad seed file, a demo step that went wrong).
 *
 * @since 0.1.0
 * @category errors
 */
export class CliFailure extends Data.TaggedError("CliFailure")<{
  readonly code: ExitCode
  readonly message: string
}> {}

/**
 * Anything a command can fail with.
 *
 * @since 0.1.0
 * @category errors
 */
export type CommandError = SyncteraError | ConfigError.ConfigError | SandboxError | CliFailure

interface Described {
  readonly kind: string
  readonly code: ExitCode
  readonly message: string
  readonly extra: Readonly<Record<string, unknown>>
}

const at = (path: ReadonlyArray<string>): string => path.length === 0 ? "" : `${path.join(".")}: `

/** A config error as short sentences, without the redaction markers of `Config.redacted`. */
const configText = (error: ConfigError.ConfigError): string =>
  ConfigError.reduceWithContext(error, undefined, {
    andCase: (_, left, right) => `${left}; ${right}`,
    orCase: (_, left, right) => `${left}, or ${right}`,
    invalidDataCase: (_, path, message) => `${at(path)}${message}`,
    missingDataCase: (_, path) => `${path.join(".")} is not set`,
    sourceUnavailableCase: (_, path, message) => `${at(path)}${message}`,
    unsupportedCase: (_, path, message) => `${at(path)}${message}`
  })

const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, " ").trim()

const describe = (error: CommandError): Described => {
  if (isSyncteraError(error)) {
    const extra = "code" in error
      ? { status: error.status, code: error.code, detail: error.detail }
      : "status" in error
      ? { status: error.status }
      : {}
    return { kind: error._tag, code: exitCodeOf(error), message: error.message, extra }
  }
  if (ConfigError.isConfigError(error)) {
    return {
      kind: "ConfigError",
      code: ExitCode.Config,
      message: `configuration error: ${configText(error)}`,
      extra: {}
    }
  }
  if (error instanceof SandboxError) {
    return {
      kind: "SandboxError",
      code: error.reason === "Listen" ? ExitCode.SandboxListen : ExitCode.Usage,
      message: `sandbox: ${error.message}`,
      extra: {}
    }
  }
  return { kind: "CliFailure", code: error.code, message: error.message, extra: {} }
}

/**
 * Prints a failure as one line on stderr and fails with its exit code.
 *
 * @since 0.1.0
 * @category errors
 */
export const report = (error: CommandError, json: boolean): Effect.Effect<never, CliExit> => {
  const { code, extra, kind, message } = describe(error)
  const line = json
    ? JSON.stringify({ error: kind, exit_code: code, message: oneLine(message), ...extra })
    : `synctera: ${kind}: ${oneLine(message)}`
  return Effect.zipRight(Console.error(line), Effect.fail(new CliExit({ code })))
}

/**
 * Runs a command body, reporting its failure.
 *
 * @since 0.1.0
 * @category errors
 */
export const reported = <A, R>(
  effect: Effect.Effect<A, CommandError, R>,
  json: boolean
): Effect.Effect<A, CliExit, R> => Effect.catchAll(effect, (error) => report(error, json))
