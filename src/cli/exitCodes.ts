/**
 * The exit codes of the `synctera` command, one per family of failure, so
 * scripts can branch on them:
 *
 * | code | meaning |
 * | --- | --- |
 * | 0 | success |
 * | 1 | unexpected failure (a bug; the message says what broke) |
 * | 2 | usage: unknown command, bad flag or argument (`--all` with `--page-token`), invalid sandbox option or seed file |
 * | 3 | configuration: `SYNCTERA_API_KEY` missing, or a `SYNCTERA_*` variable invalid |
 * | 4 | input refused before anything was sent (`InvalidInput`: an id that is not a UUID, `GRANTED` without its owner, …) |
 * | 5 | not allowed: `Unauthorized` (401) or `Forbidden` (403) |
 * | 6 | not found: `NotFound` (404) |
 * | 7 | request refused: `BadRequest` (400), `Unprocessable` (422), `UnexpectedStatus` |
 * | 8 | rate limited: `RateLimited` (429) after the retries allowed |
 * | 9 | temporary failure: `Internal` (5xx), `Conflict` (409), `NetworkError`, `Timeout` — try again later |
 * | 10 | unreadable answer: `InvalidResponse` |
 * | 11 | the sandbox could not listen (port in use, …) |
 * | 12 | maybe applied: a call that changes something (`grant`, `authorization-test`) failed in a way that leaves it unknown whether it was applied (`maybeApplied: true`, whatever the error): check before repeating it |
 *
 * Code 12 takes precedence over the error's own family: such a failure must
 * not be retried blindly, as 9 would suggest. For `grant`, a `Conflict` (409)
 * means the auth request was already decided (exit 9 as every `Conflict`, but
 * final: see `synctera fdx-auth-requests`).
 *
 * @since 0.1.0
 */
import type { SyncteraError } from "../errors/SyncteraError.js"

/**
 * The exit codes, by name.
 *
 * @since 0.1.0
 * @category exit codes
 */
export const ExitCode = {
  Ok: 0,
  Unexpected: 1,
  Usage: 2,
  Config: 3,
  InvalidInput: 4,
  NotAllowed: 5,
  NotFound: 6,
  Refused: 7,
  RateLimited: 8,
  Temporary: 9,
  InvalidResponse: 10,
  SandboxListen: 11,
  MaybeApplied: 12
} as const

/**
 * @since 0.1.0
 * @category exit codes
 */
export type ExitCode = typeof ExitCode[keyof typeof ExitCode]

/**
 * Whether a failed call may or may not have been applied (`maybeApplied`:
 * only calls that change something, after an ambiguous failure).
 *
 * @since 0.2.0
 * @category exit codes
 */
export const isMaybeApplied = (error: SyncteraError): boolean => "maybeApplied" in error && error.maybeApplied === true

/**
 * The exit code of a Synctera error.
 *
 * @since 0.1.0
 * @category exit codes
 */
export const exitCodeOf = (error: SyncteraError): ExitCode => {
  if (isMaybeApplied(error)) return ExitCode.MaybeApplied
  switch (error._tag) {
    case "InvalidInput":
      return ExitCode.InvalidInput
    case "Unauthorized":
    case "Forbidden":
      return ExitCode.NotAllowed
    case "NotFound":
      return ExitCode.NotFound
    case "BadRequest":
    case "Unprocessable":
    case "UnexpectedStatus":
      return ExitCode.Refused
    case "RateLimited":
      return ExitCode.RateLimited
    case "Internal":
    case "Conflict":
    case "NetworkError":
    case "Timeout":
      return ExitCode.Temporary
    case "InvalidResponse":
      return ExitCode.InvalidResponse
  }
}
