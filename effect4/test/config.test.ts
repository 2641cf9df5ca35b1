/**
 * Configuration: `SyncteraLive.layerConfig` and `layerNodeConfig` from `Config`, and the checks on
 * the options of `SyncteraLive.layer` / `make`.
 */
import { assert, describe, expect, it } from "@effect/vitest"
import { Cause, Config, ConfigProvider, Duration, Effect, Exit, Layer, Redacted } from "effect"
import { Synctera } from "../src/index.js"
import * as SyncteraLive from "../src/layers/SyncteraLive.js"
import { cardId, widgetTokenBody } from "./support/liveFixtures.js"
import { ScriptedClient } from "./support/ScriptedClient.js"
import { json, TestServer } from "./support/TestServer.js"

type Entries = ReadonlyArray<readonly [string, string]>

/** Configuration as environment variables. */
const withEnv = (entries: Entries) =>
  Effect.provideService(ConfigProvider.ConfigProvider, ConfigProvider.fromEnv({ env: Object.fromEntries(entries) }))

/** Builds layerConfig with the given settings, makes one call, returns the URL it went to. */
const urlUsed = (entries: Entries) => {
  const scripted = ScriptedClient(() => ({ status: 200, body: widgetTokenBody }))
  return Synctera.getWidgetToken({ cardId, widgetType: "ACTIVATE" }).pipe(
    Effect.provide(SyncteraLive.layerConfig.pipe(Layer.provide(scripted.layer))),
    withEnv(entries),
    Effect.map(() => scripted.calls[0]?.url.origin + (scripted.calls[0]?.url.pathname ?? ""))
  )
}

/** The typed error of a failed exit, if it has one. */
const errorOf = <E>(exit: Exit.Exit<unknown, E>): E | undefined =>
  Exit.isFailure(exit)
    ? Cause.findErrorOption(exit.cause).pipe((option) => option._tag === "Some" ? option.value : undefined)
    : undefined

/** Builds `layer` with `entries` as its configuration: it must fail with a ConfigError. */
const expectConfigError = <E, R>(layer: Layer.Layer<Synctera, E, R>, entries: Entries) =>
  Effect.gen(function*() {
    const exit = yield* Layer.build(layer).pipe(Effect.scoped, withEnv(entries), Effect.exit)
    assert(Exit.isFailure(exit))
    const error = errorOf(exit)
    expect(error).toBeInstanceOf(Config.ConfigError)
    return error
  })

/** Settings that must fail the layer with a ConfigError, and what its message names. */
const failures: ReadonlyArray<readonly [string, Entries, string]> = [
  ["a missing key", [], "SYNCTERA_API_KEY"],
  ["an unknown environment", [["SYNCTERA_API_KEY", "k"], ["SYNCTERA_ENVIRONMENT", "staging"]], "SYNCTERA_ENVIRONMENT"],
  [
    "plain http off loopback",
    [["SYNCTERA_API_KEY", "k"], ["SYNCTERA_BASE_URL", "http://api.synctera.com/v1"]],
    "baseUrl must use https: (http: is allowed for loopback hosts only), got http://api.synctera.com"
  ],
  [
    "a base URL that is not a URL",
    [["SYNCTERA_API_KEY", "k"], ["SYNCTERA_BASE_URL", "api.synctera.com"]],
    "baseUrl is not a URL: \"api.synctera.com\""
  ],
  ["a bad timeout", [["SYNCTERA_API_KEY", "k"], ["SYNCTERA_TIMEOUT", "soon"]], "SYNCTERA_TIMEOUT"],
  ["a bad deadline", [["SYNCTERA_API_KEY", "k"], ["SYNCTERA_DEADLINE", "-"]], "SYNCTERA_DEADLINE"],
  ["fractional retries", [["SYNCTERA_API_KEY", "k"], ["SYNCTERA_MAX_RETRIES", "1.5"]], "SYNCTERA_MAX_RETRIES"],
  [
    "negative retries",
    [["SYNCTERA_API_KEY", "k"], ["SYNCTERA_MAX_RETRIES", "-1"]],
    "retry.times must be an integer of zero or more"
  ]
]

describe("config", () => {
  it.effect("reads every setting, the key kept Redacted", () =>
    Effect.gen(function*() {
      const options = yield* SyncteraLive.config.pipe(withEnv([
        ["SYNCTERA_API_KEY", "the-key"],
        ["SYNCTERA_ENVIRONMENT", "production"],
        ["SYNCTERA_BASE_URL", "https://gateway.example/v1/"],
        ["SYNCTERA_TIMEOUT", "5 seconds"],
        ["SYNCTERA_DEADLINE", "1 minute"],
        ["SYNCTERA_MAX_RETRIES", "4"]
      ]))
      expect(Redacted.isRedacted(options.apiKey)).toBe(true)
      expect(Redacted.value(options.apiKey)).toBe("the-key")
      expect(options.environment).toBe("production")
      expect(options.baseUrl).toBe("https://gateway.example/v1")
      assert(options.timeout !== undefined && options.deadline !== undefined)
      expect(Duration.toMillis(Duration.fromInputUnsafe(options.timeout))).toBe(5_000)
      expect(Duration.toMillis(Duration.fromInputUnsafe(options.deadline))).toBe(60_000)
      expect(options.retry).toEqual({ times: 4 })
    }))

  it.effect("leaves out what is not set: the options' defaults apply", () =>
    Effect.gen(function*() {
      const options = yield* SyncteraLive.config.pipe(withEnv([["SYNCTERA_API_KEY", "k"]]))
      expect(options.environment).toBe("sandbox")
      expect(options.baseUrl).toBeUndefined()
      expect(options.timeout).toBeUndefined()
      expect(options.deadline).toBeUndefined()
      expect(options.retry).toBeUndefined()
    }))
})

describe("layerConfig", () => {
  it.effect("defaults to the sandbox", () =>
    Effect.gen(function*() {
      const url = yield* urlUsed([["SYNCTERA_API_KEY", "key"]])
      expect(url).toBe(`https://api-sandbox.synctera.com/v1/cards/${cardId}/widget_token`)
    }))

  it.effect("production by choice", () =>
    Effect.gen(function*() {
      const url = yield* urlUsed([["SYNCTERA_API_KEY", "key"], ["SYNCTERA_ENVIRONMENT", "production"]])
      expect(url).toBe(`https://api.synctera.com/v1/cards/${cardId}/widget_token`)
    }))

  it.effect("a base URL overrides the environment and keeps its path", () =>
    Effect.gen(function*() {
      const url = yield* urlUsed([
        ["SYNCTERA_API_KEY", "key"],
        ["SYNCTERA_ENVIRONMENT", "production"],
        ["SYNCTERA_BASE_URL", "http://127.0.0.1:4010/v1/"]
      ])
      expect(url).toBe(`http://127.0.0.1:4010/v1/cards/${cardId}/widget_token`)
    }))

  it.effect("sends the configured key", () =>
    Effect.gen(function*() {
      const scripted = ScriptedClient(() => ({ status: 200, body: widgetTokenBody }))
      yield* Synctera.getWidgetToken({ cardId, widgetType: "ACTIVATE" }).pipe(
        Effect.provide(SyncteraLive.layerConfig.pipe(Layer.provide(scripted.layer))),
        withEnv([["SYNCTERA_API_KEY", "the-key"]])
      )
      expect(scripted.calls[0]?.request.headers["authorization"]).toBe("Bearer the-key")
    }))

  for (const [name, entries, says] of failures) {
    it.effect(`${name} is a ConfigError, not a crash`, () =>
      Effect.gen(function*() {
        const scripted = ScriptedClient(() => ({ status: 200, body: widgetTokenBody }))
        const error = yield* expectConfigError(SyncteraLive.layerConfig.pipe(Layer.provide(scripted.layer)), entries)
        expect(error?.message).toContain(says)
        expect(scripted.calls).toHaveLength(0)
      }))
  }

  it.effect("SYNCTERA_MAX_RETRIES=0 turns retries off", () =>
    Effect.gen(function*() {
      const scripted = ScriptedClient(() => ({ status: 503 }))
      yield* Synctera.getWidgetToken({ cardId, widgetType: "ACTIVATE" }).pipe(
        Effect.provide(SyncteraLive.layerConfig.pipe(Layer.provide(scripted.layer))),
        withEnv([["SYNCTERA_API_KEY", "k"], ["SYNCTERA_MAX_RETRIES", "0"]]),
        Effect.flip
      )
      expect(scripted.calls).toHaveLength(1)
    }))
})

describe("make and layer", () => {
  const invalid: ReadonlyArray<readonly [string, Partial<SyncteraLive.Options>, string]> = [
    ["http off loopback", { baseUrl: "http://10.0.0.1/v1" }, "baseUrl must use https:"],
    ["credentials in the URL", { baseUrl: "https://user:pass@api.synctera.com/v1" }, "must not carry credentials"],
    ["a query in the URL", { baseUrl: "https://api.synctera.com/v1?x=1" }, "must not have a query or a fragment"],
    ["a zero timeout", { timeout: 0 }, "timeout must be a finite duration above zero"],
    ["a negative deadline", { deadline: -5 }, "deadline must be a finite duration above zero"],
    ["an infinite deadline", { deadline: "Infinity" }, "deadline must be a finite duration above zero"],
    ["a negative backoff", { retry: { base: -1 } }, "retry.base must be a finite duration of zero or more"],
    ["fractional retries", { retry: { times: 1.5 } }, "retry.times must be an integer of zero or more"],
    ["a zero body limit", { maxBodyBytes: 0 }, "maxBodyBytes must be a positive integer"],
    ["a negative retry cost", { retryBudget: { retryCost: -1 } }, "retryBudget.retryCost must be"],
    [
      "an infinite budget capacity",
      { retryBudget: { capacity: Number.POSITIVE_INFINITY } },
      "retryBudget.capacity must be"
    ]
  ]
  for (const [name, options, says] of invalid) {
    it.effect(`make refuses ${name} with a ConfigError`, () =>
      Effect.gen(function*() {
        const scripted = ScriptedClient(() => ({ status: 200, body: widgetTokenBody }))
        const error = yield* SyncteraLive.make({ apiKey: Redacted.make("k"), ...options }).pipe(
          Effect.provide(scripted.layer),
          Effect.flip
        )
        expect(error).toBeInstanceOf(Config.ConfigError)
        expect(error.message).toContain(says)
      }))
  }

  it.effect("layer accepts loopback http, localhost and [::1]", () =>
    Effect.gen(function*() {
      for (
        const baseUrl of ["http://127.0.0.1:1/v1", "http://localhost:1/v1", "http://[::1]:1/v1", "http://127.1.2.3/v1"]
      ) {
        const scripted = ScriptedClient(() => ({ status: 200, body: widgetTokenBody }))
        yield* SyncteraLive.make({ apiKey: Redacted.make("k"), baseUrl }).pipe(Effect.provide(scripted.layer))
      }
    }))

  it.effect("layer dies (at build, before any request) on invalid options", () =>
    Effect.gen(function*() {
      const scripted = ScriptedClient(() => ({ status: 200, body: widgetTokenBody }))
      const exit = yield* Synctera.getWidgetToken({ cardId, widgetType: "REVEAL" }).pipe(
        Effect.provide(
          SyncteraLive.layer({ apiKey: Redacted.make("k"), baseUrl: "ftp://x" }).pipe(Layer.provide(scripted.layer))
        ),
        Effect.exit
      )
      assert(Exit.isFailure(exit))
      expect(exit.cause.reasons.length).toBeGreaterThan(0)
      expect(exit.cause.reasons.every(Cause.isDieReason)).toBe(true)
      expect(scripted.calls).toHaveLength(0)
    }))

  it.effect("layerNode dies the same way", () =>
    Effect.gen(function*() {
      const exit = yield* Synctera.getWidgetToken({ cardId, widgetType: "REVEAL" }).pipe(
        Effect.provide(SyncteraLive.layerNode({ apiKey: Redacted.make("k"), maxBodyBytes: -1 })),
        Effect.exit
      )
      assert(Exit.isFailure(exit))
      expect(exit.cause.reasons.every(Cause.isDieReason)).toBe(true)
    }))

  it("exposes the environments' URLs", () => {
    expect(SyncteraLive.environmentUrls).toEqual({
      sandbox: "https://api-sandbox.synctera.com/v1",
      production: "https://api.synctera.com/v1"
    })
  })
})

describe("layerNodeConfig", () => {
  it.live("reads the same settings as layerConfig and talks HTTP on its own transport", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((_, res) => json(res, 503, { code: "UNAVAILABLE" }))
      const error = yield* Synctera.getWidgetToken({ cardId, widgetType: "SET_PIN" }).pipe(
        Effect.provide(SyncteraLive.layerNodeConfig),
        withEnv([
          ["SYNCTERA_API_KEY", "the-node-key"],
          ["SYNCTERA_ENVIRONMENT", "production"],
          ["SYNCTERA_BASE_URL", server.baseUrl],
          ["SYNCTERA_MAX_RETRIES", "0"]
        ]),
        Effect.flip
      )
      expect(error._tag).toBe("Internal")
      // One attempt (SYNCTERA_MAX_RETRIES=0), to the base URL, with the key.
      expect(server.requests).toHaveLength(1)
      expect(server.requests[0]?.path).toBe(`/v1/cards/${cardId}/widget_token`)
      expect(server.requests[0]?.headers.authorization).toBe("Bearer the-node-key")
      server.handle((_, res) => json(res, 200, widgetTokenBody))
      const token = yield* Synctera.getWidgetToken({ cardId, widgetType: "SET_PIN" }).pipe(
        Effect.provide(SyncteraLive.layerNodeConfig),
        withEnv([["SYNCTERA_API_KEY", "k"], ["SYNCTERA_BASE_URL", server.baseUrl]])
      )
      expect(token.widgetToken).toBe(widgetTokenBody.widget_token)
    }))

  it.live("its timeout comes from SYNCTERA_TIMEOUT", () =>
    Effect.gen(function*() {
      const server = yield* TestServer(() => {
        // Never answers.
      })
      const error = yield* Synctera.getWidgetToken({ cardId, widgetType: "SET_PIN" }).pipe(
        Effect.provide(SyncteraLive.layerNodeConfig),
        withEnv([
          ["SYNCTERA_API_KEY", "k"],
          ["SYNCTERA_BASE_URL", server.baseUrl],
          ["SYNCTERA_TIMEOUT", "50 millis"],
          ["SYNCTERA_MAX_RETRIES", "0"]
        ]),
        Effect.flip
      )
      assert(error._tag === "Timeout")
      expect(Duration.toMillis(error.after)).toBe(50)
    }))

  for (const [name, entries, says] of failures) {
    it.effect(`${name} fails it with a ConfigError, before any request`, () =>
      Effect.gen(function*() {
        const error = yield* expectConfigError(SyncteraLive.layerNodeConfig, entries)
        expect(error?.message).toContain(says)
      }))
  }
})
