/**
 * A tracer that keeps every span it makes, for tests that look at spans.
 */
import * as Tracer from "effect/Tracer"

/** A fresh recording tracer. */
export const recordingTracer = () => {
  const spans: Array<Tracer.NativeSpan> = []
  const tracer = Tracer.make({
    span(options) {
      const span = new Tracer.NativeSpan(options)
      spans.push(span)
      return span
    }
  })
  return { spans, tracer }
}
