/**
 * What the README's Observability section promises: one span per call with
 * safe attributes, the attempt count on retried calls, no platform request
 * span, and log lines for failed attempts and an exhausted retry budget.
 */
import { assert, describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Layer, Logger, LogLevel, Redacted, Stream, TestClock } from "effect"
import { Synctera, SyncteraLive } from "../src/index.js"
import { SyncteraTest } from "../src/testing.js"
import { cardId, fdxTokenId, widgetTokenBody } from "./support/fixtures.js"
import { recordingTracer } from "./support/recordingTracer.js"
import { type Answer, ScriptedClient } from "./support/ScriptedClient.js"
import { json, TestServer } from "./support/TestServer.js"

const recording = Effect.gen(function*() {
  const { spans, tracer } = yield* recordingTracer
  const logs: Array<{ level: string; message: string; annotations: Record<string, unknown> }> = []
  const logger = Logger.make(({ annotations, logLevel, message }) => {
    logs.push({
      level: logLevel.label,
      message: String(Array.isArray(message) ? message.join(" ") : message),
      annotations: Object.fromEntries(annotations)
    })
  })
  return { spans, tracer, logs, logger }
})

const run = (answers: (index: number) => Answer, options: Partial<SyncteraLive.Options>, calls: number) =>
  Effect.gen(function*() {
    const { logger, logs, spans, tracer } = yield* recording
    const scripted = ScriptedClient(answers)
    const layer = SyncteraLive.layer({ apiKey: Redacted.make("observed-key-1"), ...options }).pipe(
      Layer.provide(scripted.layer)
    )
    const fiber = yield* Effect.forEach(
      Array.from({ length: calls }),
      () => Effect.either(Synctera.getWidgetToken({ cardId, widgetType: "SET_PIN", idempotencyKey: "key-1" }))
    ).pipe(
      Effect.provide(layer),
      Effect.withTracer(tracer),
      Logger.withMinimumLogLevel(LogLevel.All),
      Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
      Effect.fork
    )
    yield* TestClock.adjust("10 minutes")
    const results = yield* Fiber.join(fiber)
    return { results, spans, logs, scripted }
  })

describe("observability", () => {
  it.effect("one client span per call, with safe attributes and no platform request span", () =>
    Effect.gen(function*() {
      const { spans } = yield* run(() => ({ status: 200, body: widgetTokenBody }), {}, 1)
      expect(spans.map((s) => s.name)).toEqual(["Synctera.getWidgetToken"])
      const [span] = spans
      assert(span !== undefined)
      expect(span.kind).toBe("client")
      expect(Object.fromEntries(span.attributes)).toEqual({
        "synctera.card_id": cardId,
        "synctera.widget_type": "SET_PIN",
        "synctera.idempotency_key": "key-1",
        "synctera.attempts": 1
      })
      assert(span.status._tag === "Ended")
      expect(span.status.exit._tag).toBe("Success")
    }))

  it.effect("a retried call records its attempts on the span and logs each failed attempt at Debug", () =>
    Effect.gen(function*() {
      const { logs, spans } = yield* run(
        (i) => (i < 2 ? { status: 503 } : { status: 200, body: widgetTokenBody }),
        {},
        1
      )
      expect(spans).toHaveLength(1)
      expect(spans[0]?.attributes.get("synctera.attempts")).toBe(3)
      const failed = logs.filter((l) => l.message === "Synctera attempt failed")
      expect(failed.map((l) => [l.level, l.annotations["attempt"]])).toEqual([["DEBUG", 1], ["DEBUG", 2]])
      expect(failed[0]?.annotations["operation"]).toBe("getWidgetToken")
    }))

  it.effect("an exhausted retry budget is logged as a warning", () =>
    Effect.gen(function*() {
      const { logs, scripted } = yield* run(() => ({ status: 503 }), {
        retry: { times: 2, base: "10 millis" },
        retryBudget: { capacity: 5, retryCost: 5 }
      }, 2)
      // The first call spends the budget on one retry; the second cannot retry at all.
      expect(scripted.calls).toHaveLength(2 + 1)
      const warnings = logs.filter((l) => l.level === "WARN")
      expect(warnings.map((l) => l.message)).toEqual([
        "Synctera retry budget exhausted: failing without retry",
        "Synctera retry budget exhausted: failing without retry"
      ])
    }))

  it.effect("an FDX token call has its own span name and attribute", () =>
    Effect.gen(function*() {
      const { spans, tracer } = yield* recording
      const scripted = ScriptedClient(() => ({ status: 404, body: { code: "RESOURCE_NOT_FOUND" } }))
      yield* Synctera.getFdxToken({ fdxTokenId }).pipe(
        Effect.provide(SyncteraLive.layer({ apiKey: Redacted.make("k") }).pipe(Layer.provide(scripted.layer))),
        Effect.withTracer(tracer),
        Effect.flip
      )
      expect(spans.map((s) => [s.name, s.attributes.get("synctera.fdx_token_id")])).toEqual([
        ["Synctera.getFdxToken", fdxTokenId]
      ])
      assert(spans[0]?.status._tag === "Ended")
      expect(spans[0].status.exit._tag).toBe("Failure")
    }))

  it.scopedLive("layerNode and the in-memory layer record the same client spans", () =>
    Effect.gen(function*() {
      const { spans, tracer } = yield* recording
      const server = yield* TestServer((_, res, index) =>
        index === 0 ? json(res, 503, { code: "SERVICE_UNAVAILABLE" }) : json(res, 200, widgetTokenBody)
      )
      const call = Synctera.getWidgetToken({ cardId, widgetType: "SET_PIN", idempotencyKey: "key-1" })
      yield* call.pipe(
        Effect.provide(
          SyncteraLive.layerNode({
            apiKey: Redacted.make("observed-key-1"),
            baseUrl: server.baseUrl,
            retry: { base: "1 millis", cap: "5 millis" }
          })
        ),
        Effect.withTracer(tracer)
      )
      yield* Effect.flip(
        Synctera.getWidgetToken({ cardId, widgetType: "REVEAL", idempotencyKey: "key-2" }).pipe(
          Effect.provide(SyncteraTest.layer()),
          Effect.withTracer(tracer)
        )
      )
      expect(spans.map((span) => [span.name, span.kind, Object.fromEntries(span.attributes)])).toEqual([
        ["Synctera.getWidgetToken", "client", {
          "synctera.card_id": cardId,
          "synctera.widget_type": "SET_PIN",
          "synctera.idempotency_key": "key-1",
          "synctera.attempts": 2
        }],
        ["Synctera.getWidgetToken", "client", {
          "synctera.card_id": cardId,
          "synctera.widget_type": "REVEAL",
          "synctera.idempotency_key": "key-2",
          "synctera.attempts": 1
        }]
      ])
      expect(spans.map((span) => span.status._tag === "Ended" && span.status.exit._tag)).toEqual(["Success", "Failure"])
    }))

  it.effect("a grant and a stream's pages: one span per call, no customer id, code or page token in them", () =>
    Effect.gen(function*() {
      const { spans, tracer } = yield* recording
      const scripted = ScriptedClient((i) =>
        i === 0
          ? { status: 201, body: { redirect_uri: "https://plaid.example/cb?code=secret-code" } }
          : i === 1
          ? { status: 200, body: { fdx_tokens: [], next_page_token: "page-token-2" } }
          : { status: 200, body: { fdx_tokens: [] } }
      )
      const layer = SyncteraLive.layer({ apiKey: Redacted.make("k") }).pipe(Layer.provide(scripted.layer))
      yield* Effect.gen(function*() {
        yield* Synctera.grantFdxAuthRequest({
          authRequestId: fdxTokenId,
          status: "GRANTED",
          customerId: cardId,
          idempotencyKey: "grant-key"
        })
        yield* Stream.runDrain(Synctera.streamFdxTokens({ limit: 10 }))
      }).pipe(Effect.provide(layer), Effect.withTracer(tracer))
      expect(spans.map((span) => [span.name, Object.fromEntries(span.attributes)])).toEqual([
        ["Synctera.grantFdxAuthRequest", {
          "synctera.auth_request_id": fdxTokenId,
          "synctera.grant_status": "GRANTED",
          "synctera.idempotency_key": "grant-key",
          "synctera.attempts": 1
        }],
        ["Synctera.listFdxTokens", { "synctera.limit": 10, "synctera.first_page": 1, "synctera.attempts": 1 }],
        ["Synctera.listFdxTokens", { "synctera.limit": 10, "synctera.first_page": 0, "synctera.attempts": 1 }]
      ])
      const everything = JSON.stringify(spans.map((span) => [...span.attributes]))
      for (const secret of [cardId, "secret-code", "page-token-2"]) expect(everything).not.toContain(secret)
    }))
})
