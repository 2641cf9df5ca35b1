/**
 * The API key is a canary: after every path the client can take, on every
 * transport, it must not appear in anything a test can observe — errors
 * (inspect, JSON, toString, message, stack), log lines, span names,
 * attributes and events, and the inspect output of what configuration gives.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Cause, ConfigProvider, Effect, Exit, Layer, Logger, Redacted, References } from "effect"
import { constTrue } from "effect/Function"
import { FetchHttpClient, HttpClient } from "effect/http"
import { inspect } from "node:util"
import { Synctera, type SyncteraError } from "../src/index.js"
import * as SyncteraLive from "../src/layers/SyncteraLive.js"
import { cardId, fdxTokenBody, fdxTokenId, widgetTokenBody } from "./support/liveFixtures.js"
import { recordingTracer } from "./support/recordingTracer.js"
import { json, TestServer } from "./support/TestServer.js"
import { over } from "./support/transports.js"

const canary = "sk_canary_7f3e9a1c5d2b4e6f8a0c"

const observeValue = (observed: Array<string>, value: unknown): void => {
  observed.push(inspect(value, { depth: 20, showHidden: true }))
  observed.push(JSON.stringify(value) ?? "")
  observed.push(String(value))
  if (value instanceof Error) observed.push(value.message, value.stack ?? "")
}

const observeExit = (observed: Array<string>, exit: Exit.Exit<unknown, unknown>): void => {
  if (Exit.isFailure(exit)) {
    observed.push(Cause.pretty(exit.cause))
    for (const reason of exit.cause.reasons) {
      if (Cause.isFailReason(reason)) observeValue(observed, reason.error)
      if (Cause.isDieReason(reason)) observeValue(observed, reason.defect)
    }
  } else {
    observeValue(observed, exit.value)
  }
}

/** Every line a logger could write, in each of Effect's formats. */
const recordingLogger = (observed: Array<string>) =>
  Logger.make((options) => {
    observed.push(Logger.formatLogFmt.log(options))
    observed.push(Logger.formatJson.log(options))
    observed.push(inspect(Logger.formatStructured.log(options), { depth: 20 }))
  })

const modes = ["ok", "401-echo", "503", "redirect", "bad-2xx-echo", "html", "drop", "stall", "broken-body"] as const

const settings = {
  apiKey: Redacted.make(canary),
  timeout: "200 millis",
  retry: { times: 1, base: "1 millis" }
} as const

const layers: ReadonlyArray<readonly [string, (baseUrl: string) => Layer.Layer<Synctera>]> = [
  [
    "layer over NodeHttpClient.layerUndici",
    (baseUrl) => SyncteraLive.layer({ ...settings, baseUrl }).pipe(Layer.provide(NodeHttpClient.layerUndici))
  ],
  ["layer over NodeHttpClient.layerNodeHttp", (baseUrl) => over(NodeHttpClient.layerNodeHttp)(baseUrl, settings)],
  ["layer over FetchHttpClient.layer", (baseUrl) => over(FetchHttpClient.layer)(baseUrl, settings)],
  ["layerNode", (baseUrl) => SyncteraLive.layerNode({ ...settings, baseUrl })]
]

describe("the API key never leaks", () => {
  for (const [name, makeLayer] of layers) {
    it.live(`through errors, logs and spans, on every path (${name})`, () =>
      Effect.gen(function*() {
        const observed: Array<string> = []
        const { spans, tracer } = recordingTracer()
        let mode: (typeof modes)[number] = "ok"
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
              return json(res, 200, { tenant: echo, id: echo })
            case "html":
              res.writeHead(500, { "content-type": "text/html" })
              return res.end(`<pre>${echo}</pre>`)
            case "drop":
              return res.socket?.destroy()
            case "stall":
              return
            case "broken-body":
              res.writeHead(200, { "content-type": "application/json" })
              res.write(`{"tenant":"${echo}`)
              return void setTimeout(() => res.socket?.destroy(), 5)
          }
        })
        const layer = makeLayer(server.baseUrl)
        const logger = Logger.layer([recordingLogger(observed)])

        const calls: ReadonlyArray<Effect.Effect<unknown, SyncteraError, Synctera>> = [
          Synctera.getWidgetToken({ cardId, widgetType: "REVEAL" }),
          Synctera.getFdxToken({ fdxTokenId }),
          Synctera.getWidgetToken({ cardId: "../../etc", widgetType: "REVEAL" })
        ]
        for (const m of modes) {
          mode = m
          for (const call of calls) {
            const exit = yield* call.pipe(
              Effect.provide(layer),
              Effect.withSpan("test"),
              Effect.withTracer(tracer),
              // A user's request to record every header in the HTTP client's spans.
              Effect.provideService(HttpClient.TracerHeaderFilter, constTrue),
              Effect.provideService(References.MinimumLogLevel, "All"),
              Effect.provide(logger),
              Effect.exit
            )
            observeExit(observed, exit)
            yield* Effect.logError("call failed", exit).pipe(Effect.provide(logger))
          }
        }
        for (const span of spans) {
          observed.push(span.name, inspect(span.attributes, { depth: 5 }))
          observed.push(inspect(span, { depth: 8 }))
          if (span.status._tag === "Ended") observeExit(observed, span.status.exit)
        }

        // The key did reach the server, so the test can see it when it leaks.
        expect(server.requests.some((r) => r.headers.authorization === `Bearer ${canary}`)).toBe(true)
        expect(spans.length).toBeGreaterThan(10)
        expect(spans.some((span) => span.name === "Synctera.getWidgetToken")).toBe(true)
        expect(observed.length).toBeGreaterThan(100)
        // The test sees what it looks for (the logs, with their annotations, and the echoes, scrubbed).
        expect(observed.some((text) => text.includes("Synctera attempt failed"))).toBe(true)
        expect(observed.some((text) => text.includes("<redacted>"))).toBe(true)
        const leaks = observed.filter((text) => text.includes(canary))
        expect(leaks).toEqual([])
      }), 30_000)
  }

  it.effect("through configuration and its errors", () =>
    Effect.gen(function*() {
      const observed: Array<string> = []
      const exit = yield* Layer.build(SyncteraLive.layerConfig).pipe(
        Effect.scoped,
        Effect.provide(NodeHttpClient.layerUndici),
        Effect.provideService(
          ConfigProvider.ConfigProvider,
          ConfigProvider.fromEnv({ env: { SYNCTERA_API_KEY: canary, SYNCTERA_BASE_URL: "http://example.com/v1" } })
        ),
        Effect.exit
      )
      expect(Exit.isFailure(exit)).toBe(true)
      const config = yield* SyncteraLive.config.pipe(
        Effect.provideService(
          ConfigProvider.ConfigProvider,
          ConfigProvider.fromEnv({ env: { SYNCTERA_API_KEY: canary } })
        )
      )
      observeExit(observed, exit)
      observeValue(observed, config)
      observeValue(observed, config.apiKey)
      const text = [...observed, inspect(config), JSON.stringify(config), String(config.apiKey)].join("\n")
      expect(text).not.toContain(canary)
      expect(Redacted.value(config.apiKey)).toBe(canary)
    }))

  it("through the options and the layer values", () => {
    const options: SyncteraLive.Options = { apiKey: Redacted.make(canary), retry: false }
    const layer = SyncteraLive.layerNode(options)
    const text = [inspect(options, { depth: 10 }), JSON.stringify(options), String(options.apiKey), inspect(layer)]
      .join("\n")
    expect(text).not.toContain(canary)
  })
})
