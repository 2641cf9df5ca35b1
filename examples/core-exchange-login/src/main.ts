/**
 * Runs the example: `npm run example:pce`
 * (`tsx examples/core-exchange-login/src/main.ts`).
 *
 * With `SYNCTERA_API_KEY` set, it talks to Synctera (`SYNCTERA_ENVIRONMENT`,
 * `SYNCTERA_BASE_URL` as for the client): configure
 * `<this server>/plaid/authenticate` as your Authentication URI with Synctera
 * (there is no API for that), and start the flow from Plaid Link or, in
 * Synctera's sandbox, from `GET /fdx_auth_requests/authorization_test`.
 *
 * Without it, it starts a local sandbox whose Authentication URI is this
 * server's, asks it for an authorization test (as Plaid Link would start the
 * flow), and prints the URL to open. The grant then sends the browser to the
 * sandbox's stand-in for Plaid's page, on plain HTTP on loopback, so
 * `REDIRECT_ORIGINS` defaults to the sandbox's origin and `SECURE_COOKIES`
 * to `false`. Spans print to the console.
 */
import { HttpServer } from "@effect/platform"
import { NodeHttpClient, NodeHttpServer, NodeRuntime } from "@effect/platform-node"
import { Config, ConfigProvider, Console, Effect, Layer, Option } from "effect"
import { Synctera, SyncteraLive } from "effect-synctera"
import { Sandbox } from "effect-synctera/sandbox"
import { createServer } from "node:http"
import { Accounts } from "./Accounts.js"
import { authenticatePath } from "./Pages.js"
import { AppLive } from "./Server.js"
import { Sessions } from "./Sessions.js"
import * as Tracing from "./Tracing.js"

const ServerLive = NodeHttpServer.layerConfig(createServer, {
  port: Config.integer("PORT").pipe(Config.withDefault(3000)),
  host: Config.string("HOST").pipe(Config.withDefault("127.0.0.1"))
})

/** The app and what it prints, on the HTTP server, with everything but Synctera. */
const app = <E, R>(announce: Layer.Layer<never, E, R>) =>
  Layer.mergeAll(AppLive, announce).pipe(
    Layer.provide(Accounts.layer()),
    Layer.provide(Sessions.layer),
    Layer.provide(ServerLive),
    Layer.provide(Tracing.layer())
  )

/** With Synctera: the Authentication URI to configure. */
const AnnounceLive = Layer.effectDiscard(
  HttpServer.addressFormattedWith((url) =>
    Console.log(
      `core-exchange-login on ${url}\n` +
        `  configure ${url}${authenticatePath} as your Authentication URI with Synctera, then start from Plaid Link`
    )
  )
)

/**
 * With the local sandbox: points its Authentication URI at this server, and
 * starts a flow the way Plaid Link would (`authorization_test`).
 */
const announceSandbox = (sandbox: Sandbox["Type"]) =>
  Layer.effectDiscard(
    HttpServer.addressFormattedWith((url) =>
      Effect.gen(function*() {
        yield* sandbox.setUris({ authenticationUri: `${url}${authenticatePath}` })
        const test = yield* Synctera.getAuthorizationTest()
        yield* Console.log(
          `core-exchange-login on ${url}, with a local Synctera sandbox at ${sandbox.url}\n` +
            `  open ${test.redirectUrl ?? "(the sandbox gave no URL)"}\n` +
            `  sign in as alice or bob (password demo), then Allow or Deny; ${url}/connected-apps lists the tokens.\n` +
            `  Each URL works once: for another, restart, or call the sandbox's authorization_test.`
        )
      })
    )
  )

/** The local sandbox, the live client on it, and the defaults that go with its plain-HTTP Plaid page. */
const OnLocalSandbox = Layer.unwrapEffect(
  Effect.map(Sandbox, (sandbox) =>
    app(announceSandbox(sandbox)).pipe(
      Layer.provide(SyncteraLive.layer({ apiKey: sandbox.apiKey, baseUrl: sandbox.url })),
      Layer.provide(NodeHttpClient.layerUndici),
      Layer.provide(Layer.setConfigProvider(
        ConfigProvider.fromEnv().pipe(ConfigProvider.orElse(() =>
          ConfigProvider.fromMap(
            new Map([["REDIRECT_ORIGINS", new URL(sandbox.url).origin], ["SECURE_COOKIES", "false"]])
          )
        ))
      ))
    ))
).pipe(Layer.provide(Sandbox.layer()))

/** Synctera itself when a key is configured, else a local sandbox. */
const Main = Layer.unwrapEffect(
  Effect.map(Config.option(Config.redacted("SYNCTERA_API_KEY")), (key) =>
    Option.isSome(key)
      ? app(AnnounceLive).pipe(Layer.provide(SyncteraLive.layerConfig), Layer.provide(NodeHttpClient.layerUndici))
      : OnLocalSandbox)
)

NodeRuntime.runMain(Layer.launch(Main))
