/**
 * Tracing with `@effect/opentelemetry`: every span of the app
 * (`CoreExchange.decide`, …) and of the client (`Synctera.grantFdxAuthRequest`,
 * its `Synctera.http` attempts) goes to an OpenTelemetry exporter; the
 * console's by default.
 */
import { NodeSdk } from "@effect/opentelemetry"
import { ConsoleSpanExporter, SimpleSpanProcessor, type SpanExporter } from "@opentelemetry/sdk-trace-base"

/** The tracing layer; provide it to the whole app. */
export const layer = (exporter: SpanExporter = new ConsoleSpanExporter()) =>
  NodeSdk.layer(() => ({
    resource: { serviceName: "core-exchange-login" },
    spanProcessor: new SimpleSpanProcessor(exporter)
  }))
