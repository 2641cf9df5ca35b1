/**
 * The API key is a canary: after every path the client can take, it must not
 * appear in anything a test can observe — errors (inspect, JSON, toString,
 * message, stack), log lines, span names and attributes.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Cause, ConfigProvider, Effect, Exit, Inspectable, Layer, Logger, LogLevel, Redacted } from "effect"
import { inspect } from "node:util"
import { Synctera, type SyncteraError, SyncteraLive } from "../src/index.js"
import { cardId, fdxTokenBody, fdxTokenId, widgetTokenBody } from "./support/fixtures.js"
import { recordingTracer } from "./support/recordingTracer.js"
import { json, TestServer } from "./support/TestServer.js"

const canary = "sk_canary_7f3e9a1c5d2b4e6f8a0c"

/** Everything observable, gathered as text. */
const observed: Array<string> = []

const recordingLogger = Logger.make((options) => {
  observed.push(Logger.logfmtLogger.log(options))
  observed.push(Inspectable.format(options.annotations))
})

const observeValue = (value: unknown): void => {
  observed.push(inspect(value, { depth: 20, showHidden: true }))
  observed.push(JSON.stringify(value) ?? "")
  observed.push(String(value))
  if (value instanceof Error) observed.push(value.message, value.stack ?? "")
}

const observeExit = (exit: Exit.Exit<unknown, unknown>): void => {
  if (Exit.isFailure(exit)) {
    observed.push(Cause.pretty(exit.cause))
    for (const error of Cause.failures(exit.cause)) observeValue(error)
    for (const defect of Cause.defects(exit.cause)) observeValue(defect)
  } else {
    observeValue(exit.value)
  }
}

describe("the API key never leaks", () => {
  it.scopedLive("through errors, logs and spans, on every path", () =>
    Effect.gen(function*() {
      const { spans, tracer } = yield* recordingTracer
      let mode = "ok"
      const server = yield* TestServer((request, res) => {
        const echo = request.headers.authorization ?? ""
        switch (mode) {
          case "ok":
            return json(res, 200, request.path.includes("fdx") ? fdxTokenBody : widgetTokenBody)
          case "401-echo":
            // A hostile or debugging server echoes the credentials back.
            return json(res, 401, { code: "UNAUTHORIZED", detail: `bad key ${echo}`, status: 401 }, {
              "x-request-id": echo
            })
          case "503":
            return json(res, 503, { code: "UNAVAILABLE" })
          case "redirect":
            res.writeHead(307, { location: `${server.origin}/other?key=${encodeURIComponent(echo)}` })
            return res.end()
          case "bad-2xx-echo":
            return json(res, 200, { tenant: echo })
          case "html":
            res.writeHead(500, { "content-type": "text/html" })
            return res.end(`<pre>${echo}</pre>`)
          case "drop":
            return res.socket?.destroy()
          case "stall":
            return
        }
      })
      const layer = SyncteraLive.layer({
        apiKey: Redacted.make(canary),
        baseUrl: server.baseUrl,
        timeout: "200 millis",
        retry: { times: 1, base: "1 millis" }
      }).pipe(Layer.provide(NodeHttpClient.layerUndici))

      const calls: ReadonlyArray<Effect.Effect<unknown, SyncteraError, Synctera>> = [
        Synctera.getWidgetToken({ cardId, widgetType: "REVEAL" }),
        Synctera.getFdxToken({ fdxTokenId }),
        Synctera.getWidgetToken({ cardId: "../../etc", widgetType: "REVEAL" })
      ]
      for (const m of ["ok", "401-echo", "503", "redirect", "bad-2xx-echo", "html", "drop", "stall"]) {
        mode = m
        for (const call of calls) {
          const exit = yield* call.pipe(
            Effect.provide(layer),
            Effect.withTracer(tracer),
            Effect.withSpan("test"),
            Logger.withMinimumLogLevel(LogLevel.All),
            Effect.provide(Logger.replace(Logger.defaultLogger, recordingLogger)),
            Effect.exit
          )
          observeExit(exit)
          yield* Effect.logError("call failed", exit).pipe(
            Effect.provide(Logger.replace(Logger.defaultLogger, recordingLogger))
          )
        }
      }
      for (const span of spans) {
        observed.push(span.name, inspect(span.attributes, { depth: 5 }))
        observed.push(inspect(span, { depth: 5 }))
      }

      // The key did reach the server, so the test can see it when it leaks.
      expect(server.requests.some((r) => r.headers.authorization === `Bearer ${canary}`)).toBe(true)
      expect(spans.length).toBeGreaterThan(10)
      expect(observed.length).toBeGreaterThan(100)
      const leaks = observed.filter((text) => text.includes(canary))
      expect(leaks).toEqual([])
    }))

  it.effect("through configuration and its errors", () =>
    Effect.gen(function*() {
      const provider = ConfigProvider.fromMap(
        new Map([["SYNCTERA_API_KEY", canary], ["SYNCTERA_BASE_URL", "http://example.com/v1"]])
      )
      const exit = yield* Layer.build(SyncteraLive.layerConfig).pipe(
        Effect.scoped,
        Effect.provide(NodeHttpClient.layerUndici),
        Effect.withConfigProvider(provider),
        Effect.exit
      )
      expect(Exit.isFailure(exit)).toBe(true)
      const config = yield* SyncteraLive.config.pipe(
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["SYNCTERA_API_KEY", canary]])))
      )
      observeExit(exit)
      observeValue(config)
      observeValue(config.apiKey)
      const text = [inspect(config), JSON.stringify(config), String(config.apiKey)].join("\n")
      expect(text).not.toContain(canary)
      expect(Redacted.value(config.apiKey)).toBe(canary)
    }))
})
