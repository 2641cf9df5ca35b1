/**
 * Runs the example: `npm run example` (`tsx examples/card-widgets-server/src/main.ts`).
 *
 * With `SYNCTERA_API_KEY` set, it talks to Synctera (`SYNCTERA_ENVIRONMENT`,
 * `SYNCTERA_BASE_URL` as for the client), and the page loads Synctera's
 * widget scripts from its assets host. Without it, it starts a local sandbox,
 * talks to that, and serves the local stand-ins for the widgets (a token of
 * the local sandbox means nothing to Synctera's real widgets), so it runs
 * with no account and no network. `WIDGET_ASSETS_URL` overrides either
 * choice. Spans print to the console. Open the URL it prints and sign in as a
 * demo user.
 */
import { type HttpClient, HttpServer, type HttpServerError } from "@effect/platform"
import { NodeHttpClient, NodeHttpServer, NodeRuntime } from "@effect/platform-node"
import { Config, type ConfigError, ConfigProvider, Console, Effect, Layer, Option } from "effect"
import { type Synctera, SyncteraLive } from "effect-synctera"
import { Sandbox, type SandboxError } from "effect-synctera/sandbox"
import { createServer } from "node:http"
import { Accounts } from "./Accounts.js"
import { AppLive } from "./Server.js"
import * as Tracing from "./Tracing.js"

/** The local sandbox, and the live client on it. */
const OnLocalSandbox: Layer.Layer<Synctera, SandboxError, HttpClient.HttpClient> = Layer.unwrapEffect(
  Effect.map(Sandbox, (sandbox) => SyncteraLive.layer({ apiKey: sandbox.apiKey, baseUrl: sandbox.url }))
).pipe(Layer.provide(Sandbox.layer()))

/** Offline, the widget scripts default to the stand-ins this server serves at `/widgets/…`. */
const standInsByDefault = Layer.setConfigProvider(
  ConfigProvider.fromEnv().pipe(
    ConfigProvider.orElse(() => ConfigProvider.fromMap(new Map([["WIDGET_ASSETS_URL", "/widgets"]])))
  )
)

const ServerLive = NodeHttpServer.layerConfig(createServer, {
  port: Config.integer("PORT").pipe(Config.withDefault(3000)),
  host: Config.string("HOST").pipe(Config.withDefault("127.0.0.1"))
})

const Announce = Layer.effectDiscard(
  HttpServer.addressFormattedWith((url) =>
    Console.log(
      `card-widgets-server on ${url}\n` +
        `  open ${url}/, sign in as Alice (or Bob), then activate the card, set its PIN, or show it`
    )
  )
)

/** Synctera itself when a key is configured, else a local sandbox with the widget stand-ins. */
const Main = Layer.unwrapEffect(
  Effect.map(Config.option(Config.redacted("SYNCTERA_API_KEY")), (key): Layer.Layer<
    never,
    ConfigError.ConfigError | SandboxError | HttpServerError.ServeError
  > => {
    const app = Layer.mergeAll(AppLive, Announce).pipe(
      Layer.provide(Accounts.layer()),
      Layer.provide(ServerLive),
      Layer.provide(Tracing.layer())
    )
    return Option.isSome(key)
      ? app.pipe(Layer.provide(SyncteraLive.layerConfig), Layer.provide(NodeHttpClient.layerUndici))
      : app.pipe(
        Layer.provide(OnLocalSandbox),
        Layer.provide(NodeHttpClient.layerUndici),
        Layer.provide(standInsByDefault)
      )
  })
)

NodeRuntime.runMain(Layer.launch(Main))
