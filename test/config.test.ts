/**
 * Configuration: `SyncteraLive.layerConfig` and `layerNodeConfig` from `Config`, and the checks on
 * the options of `SyncteraLive.layer` / `make`.
 */
import { assert, describe, expect, it } from "@effect/vitest"
import { ConfigError, ConfigProvider, Effect, Exit, Layer, Redacted } from "effect"
import { Synctera, SyncteraLive } from "../src/index.js"
import { cardId, widgetTokenBody } from "./support/fixtures.js"
import { ScriptedClient } from "./support/ScriptedClient.js"
import { json, TestServer } from "./support/TestServer.js"

const fromEnv = (entries: ReadonlyArray<readonly [string, string]>) => ConfigProvider.fromMap(new Map(entries))

/** Builds layerConfig with the given settings, makes one call, returns the URL it went to. */
const urlUsed = (entries: ReadonlyArray<readonly [string, string]>) => {
  const scripted = ScriptedClient(() => ({ status: 200, body: widgetTokenBody }))
  return Synctera.getWidgetToken({ cardId, widgetType: "ACTIVATE" }).pipe(
    Effect.provide(SyncteraLive.layerConfig.pipe(Layer.provide(scripted.layer))),
    Effect.withConfigProvider(fromEnv(entries)),
    Effect.map(() => scripted.calls[0]?.url.origin + (scripted.calls[0]?.url.pathname ?? ""))
  )
}

/** Builds `layer` with `entries` as its configuration: it must fail with a ConfigError. */
const expectConfigError = <E, R>(
  layer: Layer.Layer<Synctera, E, R>,
  entries: ReadonlyArray<readonly [string, string]>
) =>
  Effect.gen(function*() {
    const exit = yield* Layer.build(layer).pipe(Effect.scoped, Effect.withConfigProvider(fromEnv(entries)), Effect.exit)
    assert(Exit.isFailure(exit))
    const error = exit.cause._tag === "Fail" ? exit.cause.error : undefined
    expect(ConfigError.isConfigError(error)).toBe(true)
  })

/** Settings that must fail the layer with a ConfigError. */
const failures: ReadonlyArray<readonly [string, ReadonlyArray<readonly [string, string]>]> = [
  ["a missing key", []],
  ["an unknown environment", [["SYNCTERA_API_KEY", "k"], ["SYNCTERA_ENVIRONMENT", "staging"]]],
  ["plain http off loopback", [["SYNCTERA_API_KEY", "k"], ["SYNCTERA_BASE_URL", "http://api.synctera.com/v1"]]],
  ["a base URL that is not a URL", [["SYNCTERA_API_KEY", "k"], ["SYNCTERA_BASE_URL", "api.synctera.com"]]],
  ["a bad timeout", [["SYNCTERA_API_KEY", "k"], ["SYNCTERA_TIMEOUT", "soon"]]],
  ["negative retries", [["SYNCTERA_API_KEY", "k"], ["SYNCTERA_MAX_RETRIES", "-1"]]]
]

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
        Effect.withConfigProvider(fromEnv([["SYNCTERA_API_KEY", "the-key"]]))
      )
      expect(scripted.calls[0]?.request.headers["authorization"]).toBe("Bearer the-key")
    }))

  for (const [name, entries] of failures) {
    it.effect(`${name} is a ConfigError, not a crash`, () =>
      Effect.gen(function*() {
        const scripted = ScriptedClient(() => ({ status: 200, body: widgetTokenBody }))
        yield* expectConfigError(SyncteraLive.layerConfig.pipe(Layer.provide(scripted.layer)), entries)
        expect(scripted.calls).toHaveLength(0)
      }))
  }

  it.effect("SYNCTERA_MAX_RETRIES=0 turns retries off", () =>
    Effect.gen(function*() {
      const scripted = ScriptedClient(() => ({ status: 503 }))
      yield* Synctera.getWidgetToken({ cardId, widgetType: "ACTIVATE" }).pipe(
        Effect.provide(SyncteraLive.layerConfig.pipe(Layer.provide(scripted.layer))),
        Effect.withConfigProvider(fromEnv([["SYNCTERA_API_KEY", "k"], ["SYNCTERA_MAX_RETRIES", "0"]])),
        Effect.flip
      )
      expect(scripted.calls).toHaveLength(1)
    }))
})

describe("make and layer", () => {
  const invalid: ReadonlyArray<readonly [string, Partial<SyncteraLive.Options>]> = [
    ["http off loopback", { baseUrl: "http://10.0.0.1/v1" }],
    ["credentials in the URL", { baseUrl: "https://user:pass@api.synctera.com/v1" }],
    ["a query in the URL", { baseUrl: "https://api.synctera.com/v1?x=1" }],
    ["a zero timeout", { timeout: 0 }],
    ["fractional retries", { retry: { times: 1.5 } }],
    // Effect 3 makes a negative duration zero: refused as meant, as on the Effect 4 line.
    ["a negative backoff", { retry: { base: -1 } }],
    ["a negative backoff cap, as text", { retry: { cap: "-5 seconds" } }],
    ["a negative deadline", { deadline: -5 }],
    ["a zero body limit", { maxBodyBytes: 0 }],
    ["a negative retry cost", { retryBudget: { retryCost: -1 } }],
    ["an infinite budget capacity", { retryBudget: { capacity: Number.POSITIVE_INFINITY } }]
  ]
  for (const [name, options] of invalid) {
    it.effect(`make refuses ${name} with a ConfigError`, () =>
      Effect.gen(function*() {
        const scripted = ScriptedClient(() => ({ status: 200, body: widgetTokenBody }))
        const error = yield* SyncteraLive.make({ apiKey: Redacted.make("k"), ...options }).pipe(
          Effect.provide(scripted.layer),
          Effect.flip
        )
        expect(ConfigError.isConfigError(error)).toBe(true)
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
      expect(exit.cause._tag).toBe("Die")
      expect(scripted.calls).toHaveLength(0)
    }))
})

describe("layerNodeConfig", () => {
  it.scopedLive("reads the same settings as layerConfig and talks HTTP on its own transport", () =>
    Effect.gen(function*() {
      const server = yield* TestServer((_, res) => json(res, 503, { code: "UNAVAILABLE" }))
      const error = yield* Synctera.getWidgetToken({ cardId, widgetType: "SET_PIN" }).pipe(
        Effect.provide(SyncteraLive.layerNodeConfig),
        Effect.withConfigProvider(fromEnv([
          ["SYNCTERA_API_KEY", "the-node-key"],
          ["SYNCTERA_ENVIRONMENT", "production"],
          ["SYNCTERA_BASE_URL", server.baseUrl],
          ["SYNCTERA_MAX_RETRIES", "0"]
        ])),
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
        Effect.withConfigProvider(fromEnv([["SYNCTERA_API_KEY", "k"], ["SYNCTERA_BASE_URL", server.baseUrl]]))
      )
      expect(token.widgetToken).toBe(widgetTokenBody.widget_token)
    }))

  for (const [name, entries] of failures) {
    it.effect(`${name} fails it with a ConfigError, before any request`, () =>
      Effect.gen(function*() {
        yield* expectConfigError(SyncteraLive.layerNodeConfig, entries)
      }))
  }
})
