/**
 * The Plaid Core Exchange commands of the `synctera` CLI as child processes
 * (as in `cli.test.ts`), against a sandbox started by the test:
 * `fdx-tokens`, `fdx-auth-requests` (paging, `--all`), `grant` and
 * `authorization-test`.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { ExitCode } from "../src/cli/exitCodes.js"
import { defaultSeed, defaultSeedJson, make as makeSandbox, sandboxIds } from "../src/sandbox.js"
import { cli, envFor } from "./support/cli.js"

const lines = (text: string) => text.trimEnd().split("\n")
const jsonLines = (text: string): Array<Record<string, unknown>> => lines(text).map((line) => JSON.parse(line))
const nextToken = (text: string) => /^next page token: (\S+)$/m.exec(text)?.[1]

/** Each run starts Node and tsx (a second or more); leave room on a busy machine. */
const slow = { timeout: 240_000 }

const tokensJson = defaultSeedJson.fdx_tokens
const requestsJson = defaultSeedJson.fdx_auth_requests ?? []

describe("synctera fdx-tokens / fdx-auth-requests", () => {
  it.scopedLive(
    "one page as a table or JSON lines, and its next page token continues it",
    () =>
      Effect.gen(function*() {
        const sandbox = yield* makeSandbox()
        const env = envFor(sandbox)
        // Three tokens: two pages of 2.
        const small = yield* makeSandbox({ seed: { ...defaultSeed, fdxTokens: defaultSeed.fdxTokens.slice(0, 3) } })
        const [text, json, requests, smallFirst] = yield* Effect.all([
          cli(["fdx-tokens", "--limit", "2"], env),
          cli(["fdx-tokens", "--limit", "2", "--json"], env),
          cli(["fdx-auth-requests", "--limit", "5"], env),
          cli(["fdx-tokens", "--limit", "2", "--json"], envFor(small))
        ], { concurrency: 3 })

        expect([text.code, text.stderr]).toEqual([0, ""])
        const table = lines(text.stdout)
        expect(table).toHaveLength(4)
        expect(table[0]).toMatch(/^ID\s+TYPE\s+STATUS\s+OWNER\s+EXPIRES$/)
        expect(table[1]).toMatch(
          new RegExp(
            `^${sandboxIds.fdxTokens.enabledAccess}\\s+ACCESS\\s+ENABLED: usable\\s+customer ${sandboxIds.customer}\\s+2099-01-01T00:00:00.000Z$`
          )
        )
        expect(table[2]).toMatch(
          new RegExp(
            `^${sandboxIds.fdxTokens.enabledRefresh}\\s+REFRESH\\s+ENABLED: usable\\s+business ${sandboxIds.business}`
          )
        )
        const textToken = nextToken(text.stdout)
        expect(textToken).toBeDefined()

        // --json: the API's snake_case, one line per token, then the page's next_page_token.
        expect([json.code, json.stderr]).toEqual([0, ""])
        const items = jsonLines(json.stdout)
        expect(items.slice(0, 2)).toEqual(tokensJson.slice(0, 2))
        expect(items).toHaveLength(3)
        expect(items[2]).toEqual({ next_page_token: expect.any(String) })
        const jsonToken = items[2]!["next_page_token"] as string

        expect(requests.code).toBe(0)
        const requestRows = lines(requests.stdout)
        expect(requestRows[0]).toMatch(/^ID\s+STATUS\s+OWNER\s+EXPIRES\s+CREATED$/)
        expect(requestRows[1]).toMatch(new RegExp(`^${sandboxIds.fdxAuthRequests.pending}\\s+PENDING\\s+none\\s+2099`))
        expect(requestRows[2]).toMatch(
          new RegExp(`^${sandboxIds.fdxAuthRequests.granted}\\s+GRANTED\\s+customer ${sandboxIds.customer}`)
        )
        expect(requestRows[5]).toMatch(new RegExp(`^${sandboxIds.fdxAuthRequests.expired}\\s+PENDING: expired\\s+none`))
        expect(requestRows[6]).toMatch(/^next page token: \S+$/)

        const smallToken = jsonLines(smallFirst.stdout).at(-1)!["next_page_token"] as string
        const [secondText, secondJson, requestsJsonPage, smallLast, smallLastJson] = yield* Effect.all([
          cli(["fdx-tokens", "--limit", "2", "--page-token", textToken!], env),
          cli(["fdx-tokens", "--limit", "2", "--page-token", jsonToken, "--json"], env),
          cli(["fdx-auth-requests", "--limit", "2", "--json"], env),
          cli(["fdx-tokens", "--limit", "2", "--page-token", smallToken], envFor(small)),
          cli(["fdx-tokens", "--limit", "2", "--page-token", smallToken, "--json"], envFor(small))
        ], { concurrency: 3 })
        expect(secondText.code).toBe(0)
        expect(lines(secondText.stdout).slice(1, 3).map((row) => row.split(/\s+/)[0])).toEqual([
          sandboxIds.fdxTokens.revokedAccess,
          sandboxIds.fdxTokens.revokedRefresh
        ])
        expect(secondText.stdout).toMatch(/REVOKED/)
        expect(nextToken(secondText.stdout)).toBeDefined()
        expect(nextToken(secondText.stdout)).not.toBe(textToken)
        expect(secondJson.code).toBe(0)
        expect(jsonLines(secondJson.stdout).slice(0, 2)).toEqual(tokensJson.slice(2, 4))

        expect(requestsJsonPage.code).toBe(0)
        const requestItems = jsonLines(requestsJsonPage.stdout)
        expect(requestItems.slice(0, 2)).toEqual(requestsJson.slice(0, 2))
        expect(requestItems[2]).toEqual({ next_page_token: expect.any(String) })

        // The last page: its rows, then "last page" (text) or a null token (JSON).
        expect(smallLast.code).toBe(0)
        expect(lines(smallLast.stdout)).toHaveLength(3)
        expect(lines(smallLast.stdout)[1]).toMatch(new RegExp(`^${sandboxIds.fdxTokens.revokedAccess}\\s`))
        expect(lines(smallLast.stdout)[2]).toBe("last page")
        expect(jsonLines(smallLastJson.stdout)).toEqual([tokensJson[2], { next_page_token: null }])
      }),
    slow
  )

  it.scopedLive("--all reads every page: 248 tokens and 245 auth requests", () =>
    Effect.gen(function*() {
      const sandbox = yield* makeSandbox()
      const env = envFor(sandbox)
      const [tokens, tokensText, requests] = yield* Effect.all([
        cli(["fdx-tokens", "--all", "--json"], env),
        cli(["fdx-tokens", "--all"], env),
        cli(["fdx-auth-requests", "--all", "--json", "--limit", "100"], env)
      ], { concurrency: 3 })

      expect([tokens.code, tokens.stderr]).toEqual([0, ""])
      const all = jsonLines(tokens.stdout)
      expect(all).toHaveLength(248)
      expect(all).toEqual(tokensJson)

      expect(tokensText.code).toBe(0)
      const rows = lines(tokensText.stdout)
      expect(rows).toHaveLength(1 + 248 + 1)
      expect(rows.at(-1)).toBe("248 FDX tokens")
      expect(tokensText.stdout).toMatch(
        new RegExp(`${sandboxIds.fdxTokens.expiredAccess}\\s+ACCESS\\s+ENABLED: expired`)
      )
      expect(tokensText.stdout).toMatch(new RegExp(`${sandboxIds.fdxTokens.usedRefresh}\\s+REFRESH\\s+USED`))
      expect(tokensText.stdout).toMatch(
        new RegExp(`${sandboxIds.fdxTokens.unrecognizedStatus}\\s+ACCESS\\s+SUSPENDED: unknown status`)
      )

      expect(requests.code).toBe(0)
      expect(jsonLines(requests.stdout)).toEqual(requestsJson)
      expect(requestsJson).toHaveLength(245)

      // Each --all walked three pages of 100 (one request each).
      const log = yield* sandbox.requests
      expect(log.filter((entry) => /\/fdx_tokens(\?|$)/.test(entry.url))).toHaveLength(6)
      expect(log.filter((entry) => /\/fdx_auth_requests\?limit=100/.test(entry.url))).toHaveLength(3)
    }), slow)

  it.scopedLive(
    "--all prints each page's rows as it arrives, before the next page is read",
    () =>
      Effect.gen(function*() {
        const sandbox = yield* makeSandbox({ faults: { latency: "1500 millis" } })
        // How many list calls the sandbox had logged when the first rows reached us.
        let callsAtFirstRows: number | undefined
        const run = yield* cli(["fdx-tokens", "--all", "--json"], envFor(sandbox), () => {
          if (callsAtFirstRows !== undefined) return
          const log = Effect.runSync(sandbox.requests)
          callsAtFirstRows = log.filter((entry) => entry.url.includes("/fdx_tokens")).length
        })
        expect(run.code).toBe(0)
        expect(lines(run.stdout)).toHaveLength(248)
        expect(callsAtFirstRows).toBeGreaterThanOrEqual(1)
        expect(callsAtFirstRows).toBeLessThan(3)
      }),
    slow
  )
})

describe("synctera grant / authorization-test", () => {
  it.scopedLive(
    "grants the seeded pending request; authorization-test starts one that grant can decide",
    () =>
      Effect.gen(function*() {
        const sandbox = yield* makeSandbox()
        const env = envFor(sandbox)
        const [granted, test, testJson] = yield* Effect.all([
          cli([
            "grant",
            sandboxIds.fdxAuthRequests.pending,
            "--status",
            "GRANTED",
            "--customer-id",
            sandboxIds.newCustomer,
            "--idempotency-key",
            "cli-grant-1"
          ], env),
          cli(["authorization-test"], env),
          cli(["authorization-test", "--json"], env)
        ], { concurrency: 3 })

        expect([granted.code, granted.stderr]).toEqual([0, ""])
        expect(granted.stdout).toMatch(/^redirect uri\s+http:\/\/127\.0\.0\.1:\d+\/plaid\/oauth\/callback\?code=/m)
        expect(granted.stdout).toMatch(new RegExp(`auth request\\s+${sandboxIds.fdxAuthRequests.pending}`))
        expect(granted.stdout).toMatch(new RegExp(`owner\\s+customer ${sandboxIds.newCustomer}`))
        expect(granted.stdout).toMatch(/idempotency key\s+cli-grant-1/)

        expect([test.code, test.stderr]).toEqual([0, ""])
        const id = /^auth request\s+([0-9a-f-]{36})$/m.exec(test.stdout)?.[1]
        expect(id).toBeDefined()
        expect(test.stdout).toMatch(new RegExp(`^redirect url\\s+https?://\\S+[?&]auth_request_id=${id}$`, "m"))

        expect(testJson.code).toBe(0)
        const answer = JSON.parse(testJson.stdout)
        expect(answer).toEqual({ redirect_url: expect.stringMatching(/[?&]auth_request_id=[0-9a-f-]{36}/) })
        const jsonId = new URL(answer.redirect_url).searchParams.get("auth_request_id")!

        // The pending request is now GRANTED for the new customer; the tested ones are listed, PENDING.
        const [denied, listed] = yield* Effect.all([
          cli(["grant", jsonId, "--status", "DENIED", "--json"], env),
          cli(["fdx-auth-requests", "--all", "--json"], env)
        ], { concurrency: 2 })
        expect(denied.code).toBe(0)
        expect(JSON.parse(denied.stdout)).toEqual({ redirect_uri: expect.stringContaining("error=access_denied") })
        const byId = new Map(jsonLines(listed.stdout).map((request) => [request["id"], request]))
        expect(byId.get(sandboxIds.fdxAuthRequests.pending)).toMatchObject({
          status: "GRANTED",
          customer_id: sandboxIds.newCustomer
        })
        expect(byId.get(id)).toMatchObject({ status: "PENDING" })
        expect(byId.size).toBe(247)
      }),
    slow
  )

  it.scopedLive(
    "a decided request is a Conflict; a grant that may have been applied exits 12 and says how to check",
    () =>
      Effect.gen(function*() {
        const sandbox = yield* makeSandbox()
        const env = envFor(sandbox)
        const [decided, decidedJson] = yield* Effect.all([
          cli(["grant", sandboxIds.fdxAuthRequests.granted, "--status", "DENIED"], env),
          cli(["grant", sandboxIds.fdxAuthRequests.used, "--status", "DENIED", "--json"], env)
        ], { concurrency: 2 })
        expect(decided.code).toBe(ExitCode.Temporary)
        expect(lines(decided.stderr)).toHaveLength(1)
        expect(decided.stderr).toMatch(/^synctera: Conflict: .*409.*RESOURCE_ALREADY_EXISTS/)
        expect(decided.stderr).toContain("synctera fdx-auth-requests --all")
        expect(decided.stdout).toBe("")
        expect(JSON.parse(decidedJson.stderr)).toMatchObject({
          error: "Conflict",
          exit_code: ExitCode.Temporary,
          status: 409,
          code: "RESOURCE_ALREADY_EXISTS"
        })

        // A 500 after a grant was sent: it may or may not have been applied.
        yield* sandbox.failNext(2, { status: 500 })
        const pending = sandboxIds.fdxAuthRequests.pending
        const [ambiguous, ambiguousJson] = yield* Effect.all([
          cli(["grant", pending, "--status", "DENIED", "--idempotency-key", "cli-ambiguous"], env),
          cli(["grant", pending, "--status", "DENIED", "--json"], env)
        ], { concurrency: 2 })
        expect(ambiguous.code).toBe(ExitCode.MaybeApplied)
        expect(lines(ambiguous.stderr)).toHaveLength(1)
        expect(ambiguous.stderr).toMatch(/^synctera: Internal: .*500/)
        expect(ambiguous.stderr).toContain("The grant may or may not have been applied")
        expect(ambiguous.stderr).toContain(`\`synctera fdx-auth-requests --all\` shows ${pending} still PENDING`)
        expect(ambiguous.stderr).toContain("then grant again, with a new idempotency key")
        expect(ambiguous.stdout).toBe("")
        const error = JSON.parse(ambiguousJson.stderr)
        expect(error).toMatchObject({
          error: "Internal",
          exit_code: ExitCode.MaybeApplied,
          status: 500,
          maybe_applied: true
        })
        expect(error.message).toMatch(/may or may not have been applied.*synctera fdx-auth-requests --all/)
      }),
    slow
  )
})

describe("invalid input and usage: nothing is sent", () => {
  it.scopedLive(
    "a bad UUID or a GRANTED without owner exits 4, --all with --page-token exits 2",
    () =>
      Effect.gen(function*() {
        const sandbox = yield* makeSandbox()
        const env = envFor(sandbox)
        const pending = sandboxIds.fdxAuthRequests.pending
        const cases: ReadonlyArray<readonly [ReadonlyArray<string>, number, RegExp]> = [
          [
            ["grant", "not-a-uuid", "--status", "DENIED"],
            ExitCode.InvalidInput,
            /^synctera: InvalidInput: .*authRequestId/
          ],
          [["grant", pending, "--status", "GRANTED"], ExitCode.InvalidInput, /GRANTED request needs the customerId/],
          [
            ["grant", pending, "--status", "GRANTED", "--customer-id", "nope"],
            ExitCode.InvalidInput,
            /InvalidInput: .*customerId/
          ],
          [
            [
              "grant",
              pending,
              "--status",
              "GRANTED",
              "--customer-id",
              sandboxIds.customer,
              "--business-id",
              sandboxIds.business
            ],
            ExitCode.InvalidInput,
            /not both/
          ],
          [["grant", pending, "--status", "MAYBE"], ExitCode.Usage, /GRANTED, DENIED, ERROR/],
          [
            ["fdx-tokens", "--all", "--page-token", "abc"],
            ExitCode.Usage,
            /--all and --page-token cannot be used together/
          ],
          [
            ["fdx-auth-requests", "--all", "--page-token", "abc", "--json"],
            ExitCode.Usage,
            /--all and --page-token cannot be used together/
          ],
          [["fdx-tokens", "--limit", "0"], ExitCode.InvalidInput, /InvalidInput: .*limit/],
          [["fdx-auth-requests", "--limit", "101", "--all"], ExitCode.InvalidInput, /limit/]
        ]
        const runs = yield* Effect.forEach(cases, ([args]) => cli(args, env), { concurrency: 3 })
        runs.forEach((run, i) => {
          const [args, code, pattern] = cases[i]!
          expect(run.code, args.join(" ")).toBe(code)
          expect(run.stderr, args.join(" ")).toMatch(pattern)
          expect(run.stdout, args.join(" ")).toBe("")
        })
        expect(yield* sandbox.requests).toEqual([])
      }),
    slow
  )

  it.scopedLive(
    "a list that fails prints nothing on stdout and exits with the error's code",
    () =>
      Effect.gen(function*() {
        const sandbox = yield* makeSandbox()
        const wrongKey = envFor(sandbox, { SYNCTERA_API_KEY: "wrong" })
        const runs = yield* Effect.all([
          cli(["fdx-tokens", "--all"], wrongKey),
          cli(["fdx-auth-requests", "--json"], wrongKey),
          cli(["authorization-test"], { SYNCTERA_BASE_URL: sandbox.url })
        ], { concurrency: 3 })
        expect(runs.map((run) => run.code)).toEqual([ExitCode.NotAllowed, ExitCode.NotAllowed, ExitCode.Config])
        for (const run of runs) expect(run.stdout).toBe("")
        expect(runs[0]!.stderr).toMatch(/^synctera: Unauthorized: .*401/)
        expect(JSON.parse(runs[1]!.stderr)).toMatchObject({ error: "Unauthorized", exit_code: ExitCode.NotAllowed })
        expect(runs[2]!.stderr).toMatch(/SYNCTERA_API_KEY is not set/)
      }),
    slow
  )
})
