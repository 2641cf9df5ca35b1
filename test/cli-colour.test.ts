/**
 * Colour and line width of what the `synctera` executable prints (a child
 * process, as in `cli.test.ts`): ANSI escapes only on a terminal, never with
 * `NO_COLOR`, and help that fits in 100 columns. The terminal cases run under
 * `script` (util-linux), which gives the child a pseudo-terminal; they are
 * skipped where it is missing.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { execFileSync, spawn } from "node:child_process"
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { ExitCode } from "../src/cli/exitCodes.js"
import { styleOf, terminalText } from "../src/cli/terminal.js"

interface Run {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

const cwd = new URL("..", import.meta.url).pathname
/** No NO_COLOR, FORCE_COLOR or TERM from the machine running the tests. */
const baseEnv = { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "" }
const node = [process.execPath, "--import", "tsx", "src/bin/synctera.ts"]

const ESC = "\x1b["
const helps = [[], ["widget-token"], ["fdx-token"], ["sandbox"], ["demo"]].map((command) => [...command, "--help"])
const slow = { timeout: 120_000 }

/**
 * Runs `synctera args` with stdout on a pipe, and stderr on a pipe or, with
 * `stderrToFile`, on a file (read back after the exit).
 */
const cli = (
  args: ReadonlyArray<string>,
  env: Record<string, string> = {},
  stderrToFile = false
): Effect.Effect<Run> =>
  Effect.async<Run>((resume) => {
    const dir = stderrToFile ? mkdtempSync(join(tmpdir(), "synctera-colour-")) : undefined
    const file = dir === undefined ? undefined : join(dir, "stderr.txt")
    const fd = file === undefined ? undefined : openSync(file, "w")
    const child = spawn(node[0]!, [...node.slice(1), ...args], {
      cwd,
      env: { ...baseEnv, ...env },
      stdio: ["ignore", "pipe", fd ?? "pipe"]
    })
    let stdout = ""
    let stderr = ""
    child.stdout?.on("data", (chunk) => (stdout += String(chunk)))
    child.stderr?.on("data", (chunk) => (stderr += String(chunk)))
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000)
    child.on("close", (code) => {
      clearTimeout(timer)
      if (fd !== undefined) closeSync(fd)
      if (file !== undefined) stderr = readFileSync(file, "utf8")
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
      resume(Effect.succeed({ code, stdout, stderr }))
    })
    return Effect.sync(() => {
      clearTimeout(timer)
      child.kill("SIGKILL")
    })
  })

const hasScript = (() => {
  try {
    execFileSync("script", ["--version"], { stdio: "ignore" })
    return true
  } catch {
    return false
  }
})()

const quote = (word: string) => `'${word.replaceAll("'", "'\\''")}'`

/**
 * Runs `synctera args` on a pseudo-terminal `columns` wide (stdout and stderr
 * both; `script` writes them out with CRLF line ends, made LF here).
 */
const onTerminal = (args: ReadonlyArray<string>, env: Record<string, string> = {}, columns = 80) =>
  Effect.async<Run>((resume) => {
    const command = `stty cols ${columns} rows 40; exec ${[...node, ...args].map(quote).join(" ")}`
    const child = spawn("script", ["-qec", command, "/dev/null"], {
      cwd,
      env: { ...baseEnv, TERM: "xterm-256color", ...env },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stdout = ""
    child.stdout?.on("data", (chunk) => (stdout += String(chunk)))
    child.stderr?.on("data", (chunk) => (stdout += String(chunk)))
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000)
    child.on("close", (code) => {
      clearTimeout(timer)
      resume(Effect.succeed({ code, stdout: stdout.replaceAll("\r\n", "\n"), stderr: "" }))
    })
    return Effect.sync(() => {
      clearTimeout(timer)
      child.kill("SIGKILL")
    })
  })

// eslint-disable-next-line no-control-regex
const strip = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, "")
const widest = (text: string) => Math.max(0, ...strip(text).split("\n").map((line) => line.length))

describe("synctera colour: not a terminal", () => {
  it.live(
    "--help on a pipe has no escapes, with or without NO_COLOR, and fits in 100 columns",
    () =>
      Effect.gen(function*() {
        const cases: ReadonlyArray<readonly [ReadonlyArray<string>, Record<string, string>]> = [
          ...helps.map((args) => [args, {}] as const),
          [["--help"], { NO_COLOR: "1" }],
          [["sandbox", "--help"], { NO_COLOR: "1" }],
          [["--help"], { TERM: "xterm-256color" }]
        ]
        const runs = yield* Effect.forEach(
          cases,
          ([args, env]) =>
            Effect.map(cli(args, env), (run) => [`${args.join(" ")} ${JSON.stringify(env)}`, run] as const),
          { concurrency: 4 }
        )
        for (const [name, run] of runs) {
          expect(run.code, name).toBe(0)
          expect(run.stdout, name).toContain("USAGE")
          expect(run.stdout.includes(ESC), name).toBe(false)
          expect(widest(run.stdout), name).toBeLessThanOrEqual(100)
        }
      }),
    slow
  )

  it.live("usage errors on stderr, to a file or a pipe, have no escapes", () =>
    Effect.gen(function*() {
      const cases: ReadonlyArray<ReadonlyArray<string>> = [
        ["widget-token", "x", "--type", "NOPE"],
        ["sandbox", "--port", "abc"],
        ["widget-token", "--typ", "REVEAL", "x"]
      ]
      const runs = yield* Effect.forEach(
        [
          ...cases.flatMap((args) => [cli(args, {}, true), cli(args, {}, false)]),
          cli(["--bogus"], { NO_COLOR: "1" }, true)
        ],
        (run) => run,
        { concurrency: 4 }
      )
      for (const run of runs) {
        expect(run.code).toBe(ExitCode.Usage)
        expect(run.stderr.length).toBeGreaterThan(0)
        expect(run.stderr.includes(ESC), run.stderr).toBe(false)
        expect(widest(run.stderr)).toBeLessThanOrEqual(100)
      }
    }), slow)

  it.live("FORCE_COLOR colours a pipe, unless NO_COLOR is set or FORCE_COLOR is 0", () =>
    Effect.gen(function*() {
      const [forced, none, zero] = yield* Effect.all([
        cli(["--help"], { FORCE_COLOR: "1" }),
        cli(["--help"], { FORCE_COLOR: "1", NO_COLOR: "1" }),
        cli(["--help"], { FORCE_COLOR: "0" })
      ], { concurrency: 3 })
      expect(forced.stdout).toContain(ESC)
      expect(widest(forced.stdout)).toBeLessThanOrEqual(100)
      expect(none.stdout).toContain("USAGE")
      expect(none.stdout).not.toContain(ESC)
      // (Node itself warns on stderr that it ignores NO_COLOR when FORCE_COLOR is set; synctera does not.)
      expect(zero.stdout).not.toContain(ESC)
    }), slow)
})

describe.runIf(hasScript)("synctera colour: on a terminal (script)", () => {
  it.live(
    "--help is coloured and fits the terminal; NO_COLOR and TERM=dumb turn colour off",
    () =>
      Effect.gen(function*() {
        const [wide, narrow, noColor, dumb, error] = yield* Effect.all([
          onTerminal(["sandbox", "--help"], {}, 200),
          onTerminal(["sandbox", "--help"], {}, 60),
          onTerminal(["--help"], { NO_COLOR: "1" }),
          onTerminal(["--help"], { TERM: "dumb" }),
          onTerminal(["sandbox", "--port", "abc"], { NO_COLOR: "1" })
        ], { concurrency: 3 })
        expect(wide.code).toBe(0)
        expect(wide.stdout).toContain(ESC)
        expect(widest(wide.stdout)).toBeLessThanOrEqual(100)
        expect(widest(wide.stdout)).toBeGreaterThan(80)
        expect(narrow.stdout).toContain(ESC)
        expect(widest(narrow.stdout)).toBeLessThanOrEqual(60)
        expect(noColor.stdout).toContain("USAGE")
        expect(noColor.stdout).not.toContain(ESC)
        expect(dumb.stdout).toContain("USAGE")
        expect(dumb.stdout).not.toContain(ESC)
        expect(error.code).toBe(ExitCode.Usage)
        expect(error.stdout).toContain("abc")
        expect(error.stdout).not.toContain(ESC)
      }),
    slow
  )
})

describe("terminalText", () => {
  it("wraps long lines at spaces, keeping [..] groups and the text after '- ' or '$ ' aligned", () => {
    const usage = `$ sandbox ${Array.from({ length: 12 }, (_, i) => `[--option-${i} integer]`).join(" ")}`
    const wrapped = terminalText(usage, { colour: false, width: 60 }).split("\n")
    expect(wrapped.length).toBeGreaterThan(1)
    for (const line of wrapped) expect(line.length).toBeLessThanOrEqual(60)
    for (const line of wrapped.slice(1)) expect(line).toMatch(/^ {2}\[/)
    expect(wrapped.join(" ").replace(/\s+/g, " ")).toBe(usage)
    // A wide gap (a padded column) starts a new line under the text of the item.
    const item = `  - demo${" ".repeat(80)}Start a local sandbox`
    expect(terminalText(item, { colour: false, width: 40 })).toBe("  - demo\n    Start a local sandbox")
    // Short lines are left alone; colour is kept or removed, and not counted.
    const bold = "\x1b[0;1mOPTIONS\x1b[0m  x"
    expect(terminalText(bold, { colour: true, width: 10 })).toBe(bold)
    expect(terminalText(bold, { colour: false, width: 10 })).toBe("OPTIONS  x")
  })
})

describe("styleOf", () => {
  it("colour: NO_COLOR (non-empty) first, then FORCE_COLOR, then a terminal that is not dumb", () => {
    const tty = { isTTY: true, columns: 240 }
    const pipe = {}
    const colour = (stream: typeof pipe, env: Record<string, string>) => styleOf(stream, env).colour
    expect(colour(tty, {})).toBe(true)
    expect(colour(pipe, {})).toBe(false)
    expect(colour(tty, { NO_COLOR: "1" })).toBe(false)
    expect(colour(tty, { NO_COLOR: "" })).toBe(true)
    expect(colour(tty, { TERM: "dumb" })).toBe(false)
    expect(colour(pipe, { FORCE_COLOR: "1" })).toBe(true)
    expect(colour(pipe, { FORCE_COLOR: "" })).toBe(true)
    expect(colour(tty, { FORCE_COLOR: "0" })).toBe(false)
    expect(colour(tty, { FORCE_COLOR: "false" })).toBe(false)
    expect(colour(pipe, { FORCE_COLOR: "1", NO_COLOR: "1" })).toBe(false)
  })

  it("width: the terminal's up to 100, else 100", () => {
    expect(styleOf({ isTTY: true, columns: 240 }, {}).width).toBe(100)
    expect(styleOf({ isTTY: true, columns: 72 }, {}).width).toBe(72)
    expect(styleOf({ isTTY: true, columns: 0 }, {}).width).toBe(100)
    expect(styleOf({}, {}).width).toBe(100)
  })
})
