/**
 * `synctera demo`: the whole client against a local sandbox over real HTTP,
 * with no account. Every step checks what it got, so the demo is also a
 * smoke test: it exits 0 only when everything behaved as documented.
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as Console from "effect/Console"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type { SyncteraError } from "../../errors/SyncteraError.js"
import * as SyncteraLive from "../../layers/SyncteraLive.js"
import { sandboxIds } from "../../model/Seed.js"
import { make as makeSandbox, type SandboxService } from "../../sandbox/Sandbox.js"
import { CardWidgetType } from "../../schemas/CardWidgetType.js"
import { Synctera } from "../../Synctera.js"
import { ExitCode } from "../exitCodes.js"
import { CliFailure, reported } from "../failure.js"
import { fdxUsability, table } from "../format.js"

const check = (ok: boolean, what: string): Effect.Effect<void, CliFailure> =>
  ok ? Effect.void : Effect.fail(new CliFailure({ code: ExitCode.Unexpected, message: `demo step failed: ${what}` }))

/** Runs a call that must fail with `tag`, and describes the error. */
const expectError = <A>(
  call: Effect.Effect<A, SyncteraError, Synctera>,
  tag: SyncteraError["_tag"],
  code?: string
): Effect.Effect<string, CliFailure, Synctera> =>
  Effect.flip(call).pipe(
    Effect.catchAll(() =>
      Effect.fail(new CliFailure({ code: ExitCode.Unexpected, message: `expected ${tag}, got a success` }))
    ),
    Effect.tap((error) =>
      check(
        error._tag === tag && (code === undefined || ("code" in error && error.code === code)),
        `expected ${tag} ${code ?? ""}, got ${error.message}`
      )
    ),
    Effect.map((error) =>
      "status" in error && "code" in error
        ? `${error._tag} ${error.status} ${error.code ?? ""}: ${error.detail ?? ""}`
        : error.message
    )
  )

const widgetTokens = Effect.gen(function*() {
  yield* Console.log(`\n1. A widget token of each type, for the active card ${sandboxIds.cards.active}`)
  const seen = new Set<string>()
  for (const widgetType of CardWidgetType.literals) {
    const token = yield* Synctera.getWidgetToken({ cardId: sandboxIds.cards.active, widgetType })
    yield* check(token.tenant === sandboxIds.tenant && !seen.has(token.widgetToken), `widget token ${widgetType}`)
    seen.add(token.widgetToken)
    yield* Console.log(`   ${widgetType.padEnd(8)} → token ${token.widgetToken} (tenant ${token.tenant})`)
  }
  yield* Console.log("   Each call gets a fresh one-time token: hand it to the browser, never cache it.")
})

const fdxTokens = Effect.gen(function*() {
  yield* Console.log("\n2. FDX tokens (Plaid Core Exchange), one of each status and type")
  const now = yield* DateTime.now
  const rows: Array<readonly [string, string]> = []
  for (const [name, id] of Object.entries(sandboxIds.fdxTokens)) {
    if (name === "unknown") continue
    const token = yield* Synctera.getFdxToken({ fdxTokenId: id })
    yield* check(token.id === id, `FDX token ${id}`)
    const owner = token.customerId !== undefined ? "customer" : "business"
    rows.push([`${token.status} ${token.tokenType}`, `${token.id}  ${owner.padEnd(8)}  ${fdxUsability(token, now)}`])
  }
  yield* Console.log(table(rows, "   "))
})

const errors = Effect.gen(function*() {
  yield* Console.log("\n3. Failures are typed values (Effect's error channel), not exceptions")
  const rows: Array<readonly [string, string]> = [
    [
      "terminated card",
      yield* expectError(
        Synctera.getWidgetToken({ cardId: sandboxIds.cards.terminated, widgetType: "REVEAL" }),
        "Unprocessable",
        "CARD_TERMINATED"
      )
    ],
    [
      "forbidden card",
      yield* expectError(
        Synctera.getWidgetToken({ cardId: sandboxIds.cards.forbidden, widgetType: "REVEAL" }),
        "Forbidden",
        "FORBIDDEN"
      )
    ],
    [
      "unknown card",
      yield* expectError(
        Synctera.getWidgetToken({ cardId: sandboxIds.cards.unknown, widgetType: "REVEAL" }),
        "NotFound",
        "RESOURCE_NOT_FOUND"
      )
    ],
    [
      "unknown FDX token",
      yield* expectError(
        Synctera.getFdxToken({ fdxTokenId: sandboxIds.fdxTokens.unknown }),
        "NotFound",
        "RESOURCE_NOT_FOUND"
      )
    ],
    [
      "card id '../admin'",
      `${yield* expectError(
        Synctera.getWidgetToken({ cardId: "../admin", widgetType: "REVEAL" }),
        "InvalidInput"
      )} (nothing was sent)`
    ]
  ]
  yield* Console.log(table(rows, "   "))
})

const retries = (sandbox: SandboxService) =>
  Effect.gen(function*() {
    yield* Console.log("\n4. A transient failure, retried with the same idempotency key")
    const key = crypto.randomUUID()
    yield* sandbox.failNext(1, { status: 503 })
    yield* Console.log(`   The sandbox will answer the next request 503. Idempotency key: ${key}`)
    const before = (yield* sandbox.requests).length
    const token = yield* Synctera.getWidgetToken({
      cardId: sandboxIds.cards.active,
      widgetType: "SET_PIN",
      idempotencyKey: key
    })
    const attempts = (yield* sandbox.requests).slice(before)
    yield* check(
      attempts.length === 2 && attempts.every((r) => r.idempotencyKey === key) && attempts[0]?.status === 503 &&
        attempts[1]?.status === 200,
      "503 then 200 with the same key"
    )
    yield* Console.log(
      table(
        attempts.map((
          r,
          i
        ) => [`attempt ${i + 1}`, `${r.status ?? "dropped"} with Idempotency-Key ${r.idempotencyKey ?? "none"}`]),
        "   "
      )
    )
    yield* Console.log(`   → token ${token.widgetToken}`)

    yield* Console.log("\n5. Idempotency: the same key replays the first answer")
    const again = yield* Synctera.getWidgetToken({
      cardId: sandboxIds.cards.active,
      widgetType: "SET_PIN",
      idempotencyKey: key
    })
    yield* check(again.widgetToken === token.widgetToken, "same key, same token")
    yield* Console.log(`   same key, same request → the same token ${again.widgetToken} (stored for 7 days)`)
    const reuse = yield* expectError(
      Synctera.getWidgetToken({ cardId: sandboxIds.cards.active, widgetType: "REVEAL", idempotencyKey: key }),
      "Unprocessable",
      "IDEMPOTENCY_INVALID_REUSE"
    )
    yield* Console.log(`   same key, other request → ${reuse}`)

    yield* Console.log("\n6. Rate limiting: a 429 with Retry-After is waited out, then retried")
    yield* sandbox.failNext(1, { status: 429, retryAfter: 1 })
    const started = Date.now()
    const limited = yield* Synctera.getFdxToken({ fdxTokenId: sandboxIds.fdxTokens.enabledAccess })
    const waited = Date.now() - started
    yield* check(limited.status === "ENABLED" && waited >= 900, "429 then 200 after about 1 s")
    yield* Console.log(
      `   429 (Retry-After: 1) → waited ${(waited / 1000).toFixed(1)} s → 200 (FDX token ${limited.id})`
    )
  })

/**
 * The demo program: starts a sandbox on a free port and runs every operation
 * through `SyncteraLive.layer` over real HTTP.
 *
 * @since 0.1.0
 * @category commands
 */
export const demo = Effect.gen(function*() {
  const sandbox = yield* makeSandbox({})
  yield* Console.log(
    [
      "effect-synctera demo: no account needed.",
      `A local Synctera sandbox is running at ${sandbox.url}; the live client (SyncteraLive.layer)`,
      "talks to it over real HTTP, exactly as it talks to api-sandbox.synctera.com."
    ].join("\n")
  )
  const live = SyncteraLive.layer({
    apiKey: sandbox.apiKey,
    baseUrl: sandbox.url,
    retry: { times: 2, base: "100 millis" },
    timeout: "2 seconds"
  }).pipe(Layer.provide(FetchHttpClient.layer))
  yield* Effect.all([widgetTokens, fdxTokens, errors, retries(sandbox)], { discard: true }).pipe(Effect.provide(live))
  const total = (yield* sandbox.requests).length
  yield* Console.log(`\nDone: ${total} HTTP requests, every answer as expected.`)
}).pipe(Effect.scoped)

/**
 * `synctera demo`.
 *
 * @since 0.1.0
 * @category commands
 */
export const demoCommand = Command.make("demo", {}, () => reported(demo, false)).pipe(
  Command.withDescription(
    "Start a local sandbox and run every operation through the live client over real HTTP: " +
      "widget tokens, FDX tokens, typed errors, a retried transient failure, idempotency, rate limiting."
  )
)
