/**
 * Retry timing and the retry budget under TestClock, on the Effect 3 line:
 * the shared table `cases/retryTiming.ts` (backoff, jitter bounds, the cap,
 * Retry-After in all its forms, timeouts and the deadline, the client-wide
 * retry budget), one test per case, as the Effect 4 line runs it (the
 * TestClock section of `effect4/test/live.test.ts`). Nothing here sleeps for
 * real. This file holds only the driving, which is Effect 3's own: the
 * scripted `HttpClient` under `SyncteraLive.layer`, forking the calls and
 * running the test clock.
 */
import { describe, expect, it } from "@effect/vitest"
import { Clock, Duration, Effect, Fiber, Layer, Redacted, TestClock } from "effect"
import { Synctera, SyncteraLive } from "../src/index.js"
import { toPlain, toPlainObject } from "./cases/engine.js"
import { specialOf } from "./cases/portsPlain.js"
import { cardId } from "./cases/portsWire.js"
import { buildsOf, type TimingAnswer, type TimingCase, timingGroups, timingVerdicts } from "./cases/retryTiming.js"
import { type Answer, ScriptedClient } from "./support/ScriptedClient.js"

/** A hung attempt is an effect that never ends, for the client's timeout to interrupt. */
const answer = (timing: TimingAnswer): Answer => "hang" in timing ? { run: Effect.never } : timing

/** This line's values as the tables write them (`DateTime.Utc`, `Duration`, `Redacted`). */
const special = specialOf({ Duration })

const call = Effect.match(Synctera.getWidgetToken({ cardId, widgetType: "REVEAL" }), {
  onFailure: (error) => ({ error: toPlainObject({ ...error, _tag: error._tag }, special) }),
  onSuccess: (value) => ({ ok: toPlain(value, special) })
})

/** Runs the case's phases, a new layer over a new scripted transport for each build, letting the test clock run. */
const run = (testCase: TimingCase) =>
  Effect.forEach(buildsOf(testCase), (build) =>
    Effect.gen(function*() {
      const scripted = ScriptedClient((index) => answer(build.answer(index)))
      const options = { apiKey: Redacted.make("k"), ...testCase.options }
      const context = yield* Layer.build(SyncteraLive.layer(options).pipe(Layer.provide(scripted.layer)))
      return yield* Effect.forEach(build.phases, (phase) =>
        Effect.gen(function*() {
          build.begin(phase, scripted.calls)
          const start = yield* Clock.currentTimeMillis
          const fiber = yield* Effect.fork(Effect.provide(Effect.replicateEffect(call, phase.calls ?? 1), context))
          // TestClock.adjust wakes every sleeper due in the window, in order.
          yield* TestClock.adjust("1 hour")
          return build.seen(start, yield* Fiber.join(fiber), scripted.calls)
        }))
    })).pipe(Effect.map((builds) => builds.flat()))

for (const { cases, group } of timingGroups) {
  describe(group, () => {
    for (const testCase of cases) {
      it.scoped(testCase.name, () =>
        Effect.gen(function*() {
          const seen = yield* run(testCase)
          for (const { actual, expected } of timingVerdicts(testCase, seen)) expect(actual).toEqual(expected)
        }))
    }
  })
}
