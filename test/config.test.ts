/**
 * Configuration on the Effect 3 line: the shared checks of
 * `cases/configCases.ts` (what `SyncteraLive.config` reads, what
 * `layerConfig` does with it, the settings that fail `layerConfig` and
 * `layerNodeConfig`, the options `make` refuses and the layers die on, with
 * what this line's `ConfigError` says), one test each, as the Effect 4 line
 * runs them (`effect4/test/config.test.ts`). `layerNodeConfig` over real
 * HTTP is in the layerNode table (`cases/layerNodeCases.ts`). This file
 * holds only the lab the checks run on, which is Effect 3's own: its
 * configuration provider, layers, `ConfigError`, `Cause`, `Redacted` and
 * `Duration`.
 */
import { describe, expect, it } from "@effect/vitest"
import { ConfigError, ConfigProvider, Duration, Effect, Exit, Layer, Redacted } from "effect"
import { Synctera, SyncteraLive } from "../src/index.js"
import { configGroups, type ConfigLab, type Env, type Tried } from "./cases/configCases.js"
import { toPlain } from "./cases/engine.js"
import { specialOf } from "./cases/portsPlain.js"
import { cardId } from "./cases/portsWire.js"
import { ScriptedClient } from "./support/ScriptedClient.js"

/** The environment, as this line's configuration provider. */
const withEnv = (env: Env) => Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))

/** This line's values as the tables write them (`DateTime.Utc`, `Duration`, `Redacted`). */
const special = specialOf({ Duration, Redacted })

const tried = <A, E>(effect: Effect.Effect<A, E>): Promise<Tried> =>
  Effect.runPromise(
    Effect.match(effect, { onFailure: (error) => ({ failed: true, error }), onSuccess: () => ({ failed: false }) })
  )

/** `make` as a JavaScript caller sees it, so that the checks' refused options reach its checks as they are. */
interface Untyped<A> {
  run(input: unknown): A
}
const make: Untyped<ReturnType<typeof SyncteraLive.make>> = { run: SyncteraLive.make }

const widgetToken = Synctera.getWidgetToken({ cardId, widgetType: "ACTIVATE" })
const key = Redacted.make("k")

const lab: ConfigLab = {
  line: "effect3",
  read: (env) =>
    Effect.runPromise(Effect.map(SyncteraLive.config.pipe(withEnv(env)), (read) => toPlain(read, special))),
  callLayerConfig: async (env, reply) => {
    const scripted = ScriptedClient(() => reply)
    const layer = SyncteraLive.layerConfig.pipe(Layer.provide(scripted.layer))
    const call = Effect.match(widgetToken.pipe(Effect.provide(layer), withEnv(env)), {
      onFailure: (error) => error._tag,
      onSuccess: () => "ok"
    })
    return { outcome: await Effect.runPromise(call), requests: scripted.calls }
  },
  buildLayerConfig: async (env) => {
    const scripted = ScriptedClient(() => ({ status: 500 }))
    const layer = SyncteraLive.layerConfig.pipe(Layer.provide(scripted.layer))
    return { built: await tried(Layer.build(layer).pipe(Effect.scoped, withEnv(env))), requests: scripted.calls.length }
  },
  buildLayerNodeConfig: (env) => tried(Layer.build(SyncteraLive.layerNodeConfig).pipe(Effect.scoped, withEnv(env))),
  make: (options) =>
    tried(make.run({ apiKey: key, ...options }).pipe(Effect.provide(ScriptedClient(() => ({ status: 500 })).layer))),
  die: async (options) => {
    const scripted = ScriptedClient(() => ({ status: 500 }))
    const layers = [
      SyncteraLive.layer({ apiKey: key, ...options }).pipe(Layer.provide(scripted.layer)),
      SyncteraLive.layerNode({ apiKey: key, ...options })
    ]
    // This line's Cause of a layer that dies at build: a single defect.
    const exits = await Promise.all(
      layers.map((layer) => Effect.runPromise(Effect.exit(Effect.provide(widgetToken, layer))))
    )
    return {
      died: exits.map((exit) => Exit.isFailure(exit) && exit.cause._tag === "Die"),
      requests: scripted.calls.length
    }
  },
  isConfigError: ConfigError.isConfigError,
  environmentUrls: SyncteraLive.environmentUrls
}

for (const { checks, group } of configGroups) {
  describe(group, () => {
    for (const { check, name } of checks) {
      it(name, async () => {
        const { actual, expected } = await check(lab)
        expect(actual).toEqual(expected)
      })
    }
  })
}
