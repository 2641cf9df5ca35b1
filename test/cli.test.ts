/**
 * The `synctera` CLI as a child process (`node --import tsx
 * src/bin/synctera.ts …`): output and exit codes. API commands talk to a
 * sandbox started by the test on 127.0.0.1.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import type { ChildProcess } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { ExitCode } from "../src/cli/exitCodes.js"
import { defaultSeed, defaultSeedJson, make as makeSandbox, sandboxIds } from "../src/sandbox.js"
import { cli, envFor, start } from "./support/cli.js"

const oneLine = (text: string) => text.trim().split("\n")

/** Each run starts Node and tsx (about a second); leave room on a busy machine. */
const slow = { timeout: 240_000 }

/** What a `synctera sandbox` child printed up to its "Ctrl-C" line (it is serving then). */
const untilServing = (child: ChildProcess) =>
  Effect.async<string>((resume) => {
    let text = ""
    child.stdout?.on("data", (chunk: Buffer) => {
      text += String(chunk)
      if (text.includes("Ctrl-C")) resume(Effect.succeed(text))
    })
  }).pipe(Effect.timeout("20 seconds"))

describe("synctera --help", () => {
  it.live("lists the commands, and every command has its own help", () =>
    Effect.gen(function*() {
      const root = yield* cli(["--help"])
      expect(root.code).toBe(0)
      for (
        const command of [
          "widget-token",
          "fdx-token",
          "fdx-tokens",
          "fdx-auth-requests",
          "grant",
          "authorization-test",
          "sandbox",
          "demo"
        ]
      ) expect(root.stdout).toContain(command)
      const helps = yield* Effect.forEach(
        [
          ["widget-token", "--idempotency-key"],
          ["fdx-token", "--json"],
          ["fdx-tokens", "--page-token"],
          ["fdx-auth-requests", "--all"],
          ["grant", "--business-id"],
          ["authorization-test", "sandbox only"],
          ["sandbox", "--fail-rate"],
          ["demo", "sandbox"]
        ],
        ([command, flag]) => Effect.map(cli([command!, "--help"]), (run) => [flag!, run] as const),
        { concurrency: 4 }
      )
      for (const [flag, run] of helps) {
        expect(run.code).toBe(0)
        expect(run.stdout).toContain(flag)
      }
    }), slow)

  it.live("usage errors exit 2", () =>
    Effect.gen(function*() {
      const runs = yield* Effect.all([
        cli(["nope"]),
        cli(["widget-token", sandboxIds.cards.active]),
        cli([
          "widget-token",
          sandboxIds.cards.active,
          "--type",
          "PIN"
        ])
      ], { concurrency: 3 })
      for (const run of runs) {
        expect(run.code).toBe(ExitCode.Usage)
        expect(run.stderr.length).toBeGreaterThan(0)
      }
    }), slow)
})

describe("synctera widget-token / fdx-token", () => {
  it.scopedLive(
    "prints a widget token with its idempotency key; the same key gives the same token",
    () =>
      Effect.gen(function*() {
        const sandbox = yield* makeSandbox()
        const args = ["widget-token", sandboxIds.cards.active, "--type", "REVEAL", "--idempotency-key", "cli-key-1"]
        const first = yield* cli(args, envFor(sandbox))
        expect(first.code).toBe(0)
        expect(first.stderr).toBe("")
        expect(first.stdout).toMatch(/widget token\s+[0-9a-f-]{36}/)
        expect(first.stdout).toMatch(/idempotency key\s+cli-key-1/)
        const again = yield* cli([...args, "--json"], envFor(sandbox))
        expect(again.code).toBe(0)
        const json = JSON.parse(again.stdout)
        expect(json).toEqual({ tenant: sandboxIds.tenant, widget_token: expect.any(String) })
        expect(first.stdout).toContain(json.widget_token)
        // Without a key, one is made and shown.
        const fresh = yield* cli(["widget-token", sandboxIds.cards.active, "--type", "SET_PIN"], envFor(sandbox))
        expect(fresh.stdout).toMatch(/idempotency key\s+[0-9a-f-]{36}/)
        const log = yield* sandbox.requests
        expect(log.map((entry) => entry.idempotencyKey).slice(0, 2)).toEqual(["cli-key-1", "cli-key-1"])
      }),
    slow
  )

  it.scopedLive("prints an FDX token, or its API JSON with --json", () =>
    Effect.gen(function*() {
      const sandbox = yield* makeSandbox()
      const [text, json] = yield* Effect.all([
        cli(["fdx-token", sandboxIds.fdxTokens.expiredAccess], envFor(sandbox)),
        cli(["fdx-token", sandboxIds.fdxTokens.refreshedAccess, "--json"], envFor(sandbox))
      ], { concurrency: 2 })
      expect(text.code).toBe(0)
      expect(text.stdout).toContain(sandboxIds.fdxTokens.expiredAccess)
      expect(text.stdout).toMatch(/status\s+ENABLED: expired/)
      expect(text.stdout).toMatch(/owner\s+business/)
      expect(json.code).toBe(0)
      const wire = defaultSeedJson.fdx_tokens.find((token) => token.id === sandboxIds.fdxTokens.refreshedAccess)
      expect(JSON.parse(json.stdout)).toEqual(wire)
    }), slow)

  it.scopedLive("typed errors: one line on stderr, an exit code per family", () =>
    Effect.gen(function*() {
      const sandbox = yield* makeSandbox()
      yield* sandbox.failNext(1, { status: 503 })
      const unavailable = yield* cli(["fdx-token", sandboxIds.fdxTokens.enabledAccess], envFor(sandbox))
      const cases: ReadonlyArray<readonly [ReadonlyArray<string>, Record<string, string>, number, RegExp]> = [
        [
          ["fdx-token", sandboxIds.fdxTokens.unknown],
          envFor(sandbox),
          ExitCode.NotFound,
          /^synctera: NotFound: .*404.*RESOURCE_NOT_FOUND/
        ],
        [
          ["widget-token", sandboxIds.cards.forbidden, "--type", "REVEAL"],
          envFor(sandbox),
          ExitCode.NotAllowed,
          /^synctera: Forbidden: .*403/
        ],
        [
          ["widget-token", sandboxIds.cards.terminated, "--type", "REVEAL"],
          envFor(sandbox),
          ExitCode.Refused,
          /CARD_TERMINATED/
        ],
        [
          ["widget-token", "not-a-card", "--type", "REVEAL"],
          envFor(sandbox),
          ExitCode.InvalidInput,
          /^synctera: InvalidInput: .*cardId/
        ],
        [
          ["fdx-token", sandboxIds.fdxTokens.enabledAccess],
          envFor(sandbox, { SYNCTERA_API_KEY: "wrong" }),
          ExitCode.NotAllowed,
          /Unauthorized.*401/
        ],
        [
          ["fdx-token", sandboxIds.fdxTokens.enabledAccess],
          { SYNCTERA_BASE_URL: sandbox.url },
          ExitCode.Config,
          /SYNCTERA_API_KEY is not set/
        ],
        [
          ["fdx-token", sandboxIds.fdxTokens.enabledAccess],
          envFor(sandbox, { SYNCTERA_BASE_URL: "http://example.com/v1" }),
          ExitCode.Config,
          /SYNCTERA_BASE_URL/
        ],
        [
          ["fdx-token", sandboxIds.fdxTokens.enabledAccess],
          envFor(sandbox, { SYNCTERA_BASE_URL: "http://127.0.0.1:1/v1" }),
          ExitCode.Temporary,
          /NetworkError/
        ]
      ]
      const runs = yield* Effect.forEach(cases, ([args, env]) => cli(args, env), { concurrency: 4 })
      runs.forEach((run, i) => {
        const [args, , code, pattern] = cases[i]!
        expect(run.code, args.join(" ")).toBe(code)
        expect(oneLine(run.stderr), args.join(" ")).toHaveLength(1)
        expect(run.stderr, args.join(" ")).toMatch(pattern)
        expect(run.stdout).toBe("")
        expect(run.stderr).not.toContain(Redacted.value(sandbox.apiKey))
      })
      expect(unavailable.code).toBe(ExitCode.Temporary)
      expect(unavailable.stderr).toMatch(/^synctera: Internal: .*503 .*SERVICE_UNAVAILABLE/)
    }), slow)

  it.scopedLive("--json errors are one JSON line with the exit code", () =>
    Effect.gen(function*() {
      const sandbox = yield* makeSandbox()
      const run = yield* cli(["widget-token", sandboxIds.cards.unknown, "--type", "GET_PIN", "--json"], envFor(sandbox))
      expect(run.code).toBe(ExitCode.NotFound)
      expect(JSON.parse(run.stderr)).toMatchObject({
        error: "NotFound",
        exit_code: ExitCode.NotFound,
        status: 404,
        code: "RESOURCE_NOT_FOUND"
      })
    }), slow)
})

describe("synctera sandbox", () => {
  it.live("serves until interrupted, printing its URL, key and seeded ids", () =>
    Effect.gen(function*() {
      const child = start(["sandbox", "--port", "0", "--api-key", "cli-sandbox-key"], {})
      const closed = new Promise<number | null>((resolve) => child.on("close", resolve))
      yield* Effect.addFinalizer(() => Effect.sync(() => child.kill("SIGKILL")))
      const output = yield* untilServing(child)
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+\/v1)/.exec(output)?.[1]
      expect(url).toBeDefined()
      expect(output).toContain("cli-sandbox-key")
      for (const card of defaultSeed.cards) expect(output).toContain(card.id)
      for (const token of defaultSeed.fdxTokens) expect(output).toContain(token.id)
      const answer = yield* Effect.promise(() =>
        fetch(`${url}/fdx_tokens/${sandboxIds.fdxTokens.enabledAccess}`, {
          headers: { authorization: "Bearer cli-sandbox-key" }
        })
      )
      expect(answer.status).toBe(200)
      child.kill("SIGINT")
      const code = yield* Effect.promise(() => closed).pipe(Effect.timeout("10 seconds"))
      expect(code).toBe(0)
    }).pipe(Effect.scoped), slow)

  it.scopedLive("bad options, a bad seed file, a busy port: distinct exit codes", () =>
    Effect.gen(function*() {
      const dir = mkdtempSync(join(tmpdir(), "synctera-cli-"))
      yield* Effect.addFinalizer(() => Effect.sync(() => rmSync(dir, { recursive: true, force: true })))
      const bad = join(dir, "bad.json")
      writeFileSync(bad, JSON.stringify({ tenant: "t", cards: [{ id: "not-a-uuid" }], fdx_tokens: [] }))
      const good = join(dir, "good.json")
      writeFileSync(
        good,
        JSON.stringify({ tenant: "t", cards: [{ id: "99999999-0000-4000-8000-000000000001" }], fdx_tokens: [] })
      )
      const busy = yield* makeSandbox()
      const [rate, seed, port] = yield* Effect.all([
        cli(["sandbox", "--port", "0", "--fail-rate", "2"]),
        cli(["sandbox", "--port", "0", "--seed", bad]),
        cli(["sandbox", "--port", String(busy.port)])
      ], { concurrency: 3 })
      expect([rate.code, rate.stderr]).toEqual([ExitCode.Usage, expect.stringContaining("failRate")])
      expect([seed.code, seed.stderr]).toEqual([ExitCode.Usage, expect.stringContaining("invalid seed file")])
      expect([port.code, port.stderr]).toEqual([ExitCode.SandboxListen, expect.stringContaining(String(busy.port))])
      // A good seed file is served.
      const child = start(["sandbox", "--port", "0", "--seed", good], {})
      yield* Effect.addFinalizer(() => Effect.sync(() => child.kill("SIGKILL")))
      const output = yield* untilServing(child)
      expect(output).toContain("99999999-0000-4000-8000-000000000001")
      expect(output).not.toContain(sandboxIds.cards.active)
    }), slow)
})

describe("synctera demo", () => {
  it.live("runs every operation against a local sandbox and exits 0", () =>
    Effect.gen(function*() {
      const run = yield* cli(["demo"])
      expect(run.stderr).toBe("")
      expect(run.code).toBe(0)
      for (const type of ["ACTIVATE", "GET_PIN", "REVEAL", "SET_PIN"]) expect(run.stdout).toContain(type)
      for (const status of ["ENABLED", "REVOKED", "USED"]) expect(run.stdout).toContain(status)
      expect(run.stdout).toMatch(/Idempotency key: ([0-9a-f-]{36})/)
      const key = /Idempotency key: ([0-9a-f-]{36})/.exec(run.stdout)?.[1]
      expect(run.stdout).toContain(`attempt 1  503 with Idempotency-Key ${key}`)
      expect(run.stdout).toContain(`attempt 2  200 with Idempotency-Key ${key}`)
      expect(run.stdout).toContain("IDEMPOTENCY_INVALID_REUSE")
      expect(run.stdout).toMatch(/Done: \d+ HTTP requests/)
    }), slow)
})
