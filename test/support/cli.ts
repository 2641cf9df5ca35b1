/**
 * The `synctera` CLI as a child process (`node --import tsx
 * src/bin/synctera.ts …`), for the CLI tests: a run to its end, and the
 * environment that points a command at a sandbox.
 */
import { Effect, Redacted } from "effect"
import { type ChildProcess, spawn } from "node:child_process"
import type { SandboxService } from "../../src/sandbox.js"

/** How a run ended, and what it printed. */
export interface Run {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** The repository's root: where the command runs. */
const cwd = new URL("../..", import.meta.url).pathname

/** A bare environment (no colour unless a test asks for it). */
const baseEnv = { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "", NO_COLOR: "1" }

/** Starts the CLI with `args`, its environment `baseEnv` and `env`. */
export const start = (args: ReadonlyArray<string>, env: Record<string, string> = {}): ChildProcess =>
  spawn(process.execPath, ["--import", "tsx", "src/bin/synctera.ts", ...args], {
    cwd,
    env: { ...baseEnv, ...env },
    stdio: ["ignore", "pipe", "pipe"]
  })

/**
 * Runs the CLI to its end (killed after 90 s: a loaded machine starts Node and
 * tsx slowly); `onStdout` sees each chunk as it comes.
 */
export const cli = (
  args: ReadonlyArray<string>,
  env: Record<string, string> = {},
  onStdout?: (chunk: string) => void
): Effect.Effect<Run> =>
  Effect.async<Run>((resume) => {
    const child = start(args, env)
    let stdout = ""
    let stderr = ""
    child.stdout?.on("data", (chunk) => {
      stdout += String(chunk)
      onStdout?.(String(chunk))
    })
    child.stderr?.on("data", (chunk) => (stderr += String(chunk)))
    const timer = setTimeout(() => child.kill("SIGKILL"), 90_000)
    child.on("close", (code) => {
      clearTimeout(timer)
      resume(Effect.succeed({ code, stdout, stderr }))
    })
    return Effect.sync(() => {
      clearTimeout(timer)
      child.kill("SIGKILL")
    })
  })

/** The environment of an API command pointed at `sandbox`, one attempt per call. */
export const envFor = (sandbox: SandboxService, extra: Record<string, string> = {}) => ({
  SYNCTERA_API_KEY: Redacted.value(sandbox.apiKey),
  SYNCTERA_BASE_URL: sandbox.url,
  SYNCTERA_MAX_RETRIES: "0",
  ...extra
})
