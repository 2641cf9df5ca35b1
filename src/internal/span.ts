/**
 * The client span of a call, made only when someone can see it.
 *
 * When an app installs no tracer (no OpenTelemetry, no `Layer.setTracer`),
 * Effect's built-in tracer records spans in memory and exports them nowhere.
 * A span that is not the parent of anything is then invisible, yet making
 * and ending it is most of the cost of an in-memory call (≈ 4 µs of ≈ 5) and
 * a few µs of a live one. So on the built-in tracer the call runs without
 * one; on any other tracer, it gets its span (see the README's Observability
 * section).
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import type * as Tracer from "effect/Tracer"

/** Effect's built-in tracer, as the default services hold it. */
let builtIn: Tracer.Tracer | undefined

/** Whether `tracer` is Effect's built-in tracer, which exports nothing. */
const isBuiltIn = (tracer: Tracer.Tracer): boolean => {
  builtIn ??= Effect.runSync(Effect.tracer)
  return tracer === builtIn
}

/**
 * Runs `f` under a client span named `name` (ended with it, no stack
 * capture; not made the parent span: `f` decides that), or without a span on
 * the built-in tracer.
 */
export const clientSpan = <A, E, R>(
  name: string,
  attributes: Record<string, unknown>,
  f: (span: Tracer.Span | undefined) => Effect.Effect<A, E, R>
): Effect.Effect<A, E, R> =>
  Effect.tracerWith((tracer) =>
    isBuiltIn(tracer)
      ? f(undefined)
      : Effect.useSpan(name, { kind: "client", captureStackTrace: false, attributes }, f)
  )
