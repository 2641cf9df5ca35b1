/**
 * A tracer that keeps every span it makes (on top of the current tracer), for
 * tests that look at spans.
 */
import { Effect, Tracer } from "effect"

export const recordingTracer = Effect.gen(function*() {
  const base = yield* Effect.tracer
  const spans: Array<Tracer.Span> = []
  const tracer = Tracer.make({
    span: (...args) => {
      const span = base.span(...args)
      spans.push(span)
      return span
    },
    context: base.context
  })
  return { tracer, spans }
})
