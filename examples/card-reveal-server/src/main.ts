/**
 * Runs the example: `npx tsx examples/card-reveal-server/src/main.ts`.
 *
 * With `SYNCTERA_API_KEY` set, it talks to Synctera (`SYNCTERA_ENVIRONMENT`,
 * `SYNCTERA_BASE_URL` as for the client). Without it, it starts a local
 * sandbox and talks to that, so it runs with no account and no network. Spans
 * print to the console. Open the URL it prints, sign in as a demo user, and
 * show a card.
 */
import { type HttpClient, HttpServer } from "@effect/platform"
import { NodeHttpClient, NodeHttpServer, NodeRuntime } from "@effect/platform-node"
import { Config, type ConfigError, Console, Effect, Layer, Option } from "effect"
import { type Synctera, SyncteraLive } from "effect-synctera"
import { Sandbox, type SandboxError } from "effect-synctera/sandbox"
import { createServer } from "node:http"
import { Accounts } from "./Accounts.js"
import { AppLive } from "./Server.js"
import * as Tracing from "./Tracing.js"

/** Synctera itself when a key is configured, else a local sandbox. */
const SyncteraLayer = Layer.unwrapEffect(
  Effect.map(Config.option(Config.redacted("SYNCTERA_API_KEY")), (key): Layer.Layer<
    Synctera,
    ConfigError.ConfigError | SandboxError,
    HttpClient.HttpClient
  > =>
    Option.isSome(key)
      ? SyncteraLive.layerConfig
      : Layer.unwrapEffect(
        Effect.map(Sandbox, (sandbox) => SyncteraLive.layer({ apiKey: sandbox.apiKey, baseUrl: sandbox.url }))
      ).pipe(Layer.provide(Sandbox.layer())))
).pipe(Layer.provide(NodeHttpClient.layerUndici))

const ServerLive = NodeHttpServer.layerConfig(createServer, {
  port: Config.integer("PORT").pipe(Config.withDefault(3000)),
  host: Config.string("HOST").pipe(Config.withDefault("127.0.0.1"))
})

const Announce = Layer.effectDiscard(
  HttpServer.addressFormattedWith((url) =>
    Console.log(
      `card-reveal-server on ${url}\n` +
        `  sign in:  curl -i -X POST ${url}/demo/sign-in/alice   (or open the page after signing in from its console:\n` +
        `            fetch("/demo/sign-in/alice", { method: "POST" }).then(() => location.reload()))\n` +
        `  then:     open ${url}/ and press "Show card details"`
    )
  )
)

const Main = Layer.mergeAll(AppLive, Announce).pipe(
  Layer.provide(Accounts.layer()),
  Layer.provide(SyncteraLayer),
  Layer.provide(ServerLive),
  Layer.provide(Tracing.layer())
)

NodeRuntime.runMain(Layer.launch(Main))
