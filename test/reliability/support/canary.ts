/**
 * The API key as a canary for the whole reliability suite: every layer of the
 * suite uses it, and everything a test can observe — errors (message, stack,
 * inspect, JSON), log lines, span names and attributes, and whatever is
 * printed to stdout or stderr — is searched for it.
 */
import { Cause, Effect, Exit, FiberRef, HashSet, Inspectable, Logger, LogLevel, Tracer } from "effect"
import { inspect } from "node:util"

/** Long enough for the client's echo scrubbing (8 characters or more). */
export const canary = "sk_canary_rel_5d1f0b7e9a3c4e2f8b6d"

/** A recorder of everything observable, checked for the canary. */
export interface Observer {
  /** Texts observed so far (bounded: only a sample of successes is kept). */
  readonly texts: () => number
  /** Log lines at Warning level so far. */
  readonly warnings: () => number
  /** Texts that contain the canary. */
  readonly leaks: () => ReadonlyArray<string>
  /** Records an exit: its cause pretty-printed, each error inspected and serialized. */
  readonly exit: (exit: Exit.Exit<unknown, unknown>) => void
  /** Records a value. */
  readonly value: (value: unknown) => void
  /** Spans ended so far (each checked when it ends). */
  readonly spanCount: () => number
  /** Runs an effect with the recording logger (every level) and tracer. */
  readonly observe: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  /** Stops capturing stdout and stderr. */
  readonly restore: () => void
}

/** Starts an observer; it also tees process.stdout and process.stderr until `restore`. */
export const makeObserver = (): Observer => {
  let count = 0
  const leaks: Array<string> = []
  const push = (text: string): void => {
    count++
    if (text.includes(canary)) leaks.push(text.slice(0, 500))
  }
  // Rendering stacks (`inspect`, `Cause.pretty`, `stack`) is the costly part:
  // done for every value recorded directly, and for one failure in 8 of those
  // recorded by `observe`, whose message and JSON are always searched.
  let sampled = 0
  const value = (v: unknown, deep = true): void => {
    push(JSON.stringify(v) ?? "")
    if (v instanceof Error) push(v.message)
    if (!deep) return
    push(inspect(v, { depth: 20, showHidden: true }))
    push(String(v))
    if (v instanceof Error) push(v.stack ?? "")
  }
  const record = (e: Exit.Exit<unknown, unknown>, deep: boolean): void => {
    if (Exit.isFailure(e)) {
      if (deep) push(Cause.pretty(e.cause))
      for (const error of Cause.failures(e.cause)) value(error, deep)
      for (const defect of Cause.defects(e.cause)) value(defect, true)
    } else {
      value(e.value, deep)
    }
  }
  const exit = (e: Exit.Exit<unknown, unknown>): void => record(e, true)
  let warnings = 0
  const logger = Logger.make((options) => {
    if (options.logLevel._tag === "Warning") warnings++
    push(Logger.logfmtLogger.log(options))
    push(Inspectable.format(options.annotations))
    push(inspect(options.message, { depth: 10 }))
  })
  let spanCount = 0
  // Spans are checked when they end: name, every attribute, and the exit.
  const onEnd = (span: RecordingSpan, exit: Exit.Exit<unknown, unknown>): void => {
    spanCount++
    push(span.name)
    for (const [key, attribute] of span.attributes) {
      push(`${key}=${String(attribute)} ${JSON.stringify(attribute) ?? ""}`)
    }
    for (const [name, , attributes] of span.events) push(`${name} ${inspect(attributes)}`)
    if (Exit.isFailure(exit)) record(exit, sampled++ % 8 === 0)
  }
  const base = Tracer.make({
    span: (name, parent, context, links, startTime, kind) =>
      new RecordingSpan(name, parent, context, links, startTime, kind, onEnd),
    context: (f) => f()
  })
  const loggers = HashSet.make(logger)
  const observe = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    effect.pipe(
      Effect.withSpan("reliability"),
      Effect.withTracer(base),
      Logger.withMinimumLogLevel(LogLevel.All),
      Effect.locally(FiberRef.currentLoggers, loggers),
      Effect.tapErrorCause((cause) => Effect.sync(() => record(Exit.failCause(cause), sampled++ % 8 === 0)))
    )
  // Printed output: tee both streams.
  const originalOut = process.stdout.write.bind(process.stdout)
  const originalErr = process.stderr.write.bind(process.stderr)
  const tee = (original: typeof process.stdout.write): typeof process.stdout.write =>
    ((chunk: string | Uint8Array, ...rest: Array<never>) => {
      push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"))
      return original(chunk, ...rest)
    }) as typeof process.stdout.write
  process.stdout.write = tee(originalOut)
  process.stderr.write = tee(originalErr)
  return {
    texts: () => count,
    warnings: () => warnings,
    leaks: () => leaks,
    exit,
    value,
    spanCount: () => spanCount,
    observe,
    restore: () => {
      process.stdout.write = originalOut
      process.stderr.write = originalErr
    }
  }
}

/** A minimal span that keeps its attributes, as an exporting tracer would. */
class RecordingSpan implements Tracer.Span {
  readonly _tag = "Span"
  readonly spanId = Math.random().toString(16).slice(2)
  readonly traceId: string
  readonly sampled = true
  readonly attributes = new Map<string, unknown>()
  readonly links: Array<Tracer.SpanLink>
  status: Tracer.SpanStatus
  readonly events: Array<readonly [string, bigint, Record<string, unknown> | undefined]> = []
  constructor(
    readonly name: string,
    readonly parent: Tracer.Span["parent"],
    readonly context: Tracer.Span["context"],
    links: ReadonlyArray<Tracer.SpanLink>,
    startTime: bigint,
    readonly kind: Tracer.SpanKind,
    private readonly onEnd: (span: RecordingSpan, exit: Exit.Exit<unknown, unknown>) => void
  ) {
    this.traceId = parent._tag === "Some" ? parent.value.traceId : Math.random().toString(16).slice(2)
    this.links = [...links]
    this.status = { _tag: "Started", startTime }
  }
  end(endTime: bigint, exit: Exit.Exit<unknown, unknown>): void {
    this.status = { _tag: "Ended", startTime: this.status.startTime, endTime, exit }
    this.onEnd(this, exit)
  }
  attribute(key: string, value: unknown): void {
    this.attributes.set(key, value)
  }
  event(name: string, startTime: bigint, attributes?: Record<string, unknown>): void {
    this.events.push([name, startTime, attributes])
  }
  addLinks(links: ReadonlyArray<Tracer.SpanLink>): void {
    for (const link of links) this.links.push(link)
  }
}
