/**
 * The client span of a call, made only when someone can see it.
 *
 * When an app installs no tracer (no OpenTelemetry, no tracer layer),
 * Effect's native tracer records spans in memory and exports them nowhere.
 * A span that is not the parent of anything is then invisible, yet making
 * and ending it is most of the cost of an in-memory call and a few µs of a
 * live one. So on the native tracer the call runs without one; on any other
 * tracer, it gets its span (see the README's Observability section).
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Tracer from "effect/Tracer"

/**
 * Runs `f` under a client span named `name` (ended with it, no stack
 * capture; not made the parent span: `f` decides that), or without a span on
 * Effect's native tracer, which exports nothing.
 *
 * @since 0.3.0
 */
export const clientSpan = <A, E, R>(
  name: string,
  attributes: Record<string, unknown>,
  f: (span: Tracer.Span | undefined) => Effect.Effect<A, E, R>
): Effect.Effect<A, E, R> =>
  Effect.flatMap(Effect.tracer, (tracer) =>
    tracer === Tracer.nativeTracer
      ? f(undefined)
      : Effect.useSpan(name, { kind: "client", attributes }, f))
