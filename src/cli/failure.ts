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
import { ExitCode, exitCodeOf, isMaybeApplied } from "./exitCodes.js"

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
    const extra = {
      ...("code" in error
        ? { status: error.status, code: error.code, detail: error.detail }
        : "status" in error
        ? { status: error.status }
        : {}),
      ...(isMaybeApplied(error) ? { maybe_applied: true } : {})
    }
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
 * What a command adds to the message of some of its failures: what to do
 * next (how to check whether a grant was applied, …), or `undefined`.
 *
 * @since 0.2.0
 * @category errors
 */
export type Hint = (error: CommandError) => string | undefined

/**
 * Prints a failure as one line on stderr and fails with its exit code; the
 * command's `hint`, if it has one for this failure, ends the message.
 *
 * @since 0.1.0
 * @category errors
 */
export const report = (error: CommandError, json: boolean, hint?: Hint): Effect.Effect<never, CliExit> => {
  const { code, extra, kind, message } = describe(error)
  const advice = hint?.(error)
  const text = oneLine(advice === undefined ? message : `${message}. ${advice}`)
  const line = json
    ? JSON.stringify({ error: kind, exit_code: code, message: text, ...extra })
    : `synctera: ${kind}: ${text}`
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
  json: boolean,
  hint?: Hint
): Effect.Effect<A, CliExit, R> => Effect.catchAll(effect, (error) => report(error, json, hint))
