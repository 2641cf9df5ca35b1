/**
 * The example end to end: the app's HTTP server, the live client over real
 * HTTP to the sandbox server, spans through `@effect/opentelemetry`, and the
 * page in headless Chromium (Debian's `chromium`, driven by `playwright-core`)
 * mounting the local stand-in for Synctera's widget. Everything on
 * 127.0.0.1; the browser is refused any other address.
 */
import { FetchHttpClient, HttpServer } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace-base"
import { ConfigProvider, Effect, Layer, Logger, LogLevel, ManagedRuntime, Redacted } from "effect"
import { SyncteraLive } from "effect-synctera"
import { Sandbox, sandboxIds } from "effect-synctera/sandbox"
import { existsSync } from "node:fs"
import { createServer } from "node:http"
import { type Browser, chromium } from "playwright-core"
import { Accounts } from "../src/Accounts.js"
import { AppLive } from "../src/Server.js"
import * as Tracing from "../src/Tracing.js"

const exporter = new InMemorySpanExporter()

// The live client on the sandbox, with fast retries so that an outage test
// does not wait for the default backoff.
const SyncteraOnSandbox = Layer.unwrapEffect(
  Effect.map(
    Sandbox,
    (sandbox) =>
      SyncteraLive.layer({ apiKey: sandbox.apiKey, baseUrl: sandbox.url, retry: { times: 1, base: "10 millis" } })
  )
).pipe(Layer.provide(FetchHttpClient.layer), Layer.provideMerge(Sandbox.layer()))

const TestApp = AppLive.pipe(
  Layer.provide(Accounts.layer()),
  Layer.provideMerge(SyncteraOnSandbox),
  Layer.provideMerge(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" })),
  Layer.provide(Tracing.layer(exporter)),
  // The app logs refusals and outages as warnings; the tests check the answers.
  Layer.provide(Logger.minimumLogLevel(LogLevel.Error)),
  // Plain HTTP on loopback: the session cookie cannot be `Secure` here.
  Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map([["SECURE_COOKIES", "false"]]))))
)

const runtime = ManagedRuntime.make(TestApp)
let base = ""
let sandbox: Sandbox["Type"]

beforeAll(async () => {
  base = await runtime.runPromise(HttpServer.addressFormattedWith((url) => Effect.succeed(url)))
  sandbox = await runtime.runPromise(Sandbox)
})
afterAll(() => runtime.dispose())

const signIn = async (user: string): Promise<string> => {
  const response = await fetch(`${base}/demo/sign-in/${user}`, { method: "POST" })
  expect(response.status).toBe(200)
  const cookie = response.headers.get("set-cookie") ?? ""
  expect(cookie).toMatch(/HttpOnly/)
  expect(cookie).toMatch(/SameSite=Strict/)
  return cookie.split(";")[0]!
}

const reveal = (cardId: string, cookie?: string) =>
  fetch(`${base}/api/cards/${cardId}/reveal-token`, {
    method: "POST",
    headers: cookie === undefined ? {} : { cookie }
  })

const widgetTokenRequests = () =>
  runtime.runPromise(sandbox.requests).then((requests) => requests.filter((r) => r.url.includes("/widget_token")))

describe("card-reveal-server", () => {
  it("refuses a browser without a session", async () => {
    const response = await reveal(sandboxIds.cards.active)
    expect(response.status).toBe(401)
    expect(await response.json()).toEqual({ _tag: "Unauthorized" })
  })

  it("gives the signed-in owner a REVEAL token, never cached", async () => {
    const cookie = await signIn("alice")
    const before = (await widgetTokenRequests()).length
    const response = await reveal(sandboxIds.cards.active, cookie)
    expect(response.status).toBe(200)
    expect(response.headers.get("cache-control")).toBe("no-store")
    const body = await response.json()
    expect(body).toMatchObject({ cardId: sandboxIds.cards.active, environment: "sandbox" })
    expect(body.widgetToken).toMatch(/^[0-9a-f-]{36}$/)
    const sent = (await widgetTokenRequests()).slice(before)
    expect(sent).toHaveLength(1)
    expect(sent[0]!.url).toContain(`/cards/${sandboxIds.cards.active}/widget_token?widget_type=REVEAL`)
  })

  it("checks ownership before asking Synctera: someone else's card and a made-up one look the same", async () => {
    const cookie = await signIn("alice")
    const before = (await widgetTokenRequests()).length
    const bobs = await reveal(sandboxIds.cards.forbidden, cookie)
    const madeUp = await reveal("00000000-0000-4000-8000-000000000000", cookie)
    expect([bobs.status, madeUp.status]).toEqual([404, 404])
    expect((await bobs.json())._tag).toBe("CardNotFound")
    expect((await madeUp.json())._tag).toBe("CardNotFound")
    expect(await widgetTokenRequests()).toHaveLength(before)
  })

  it("answers 409 for a card Synctera refuses, without Synctera's detail", async () => {
    const cookie = await signIn("alice")
    const response = await reveal(sandboxIds.cards.terminated, cookie)
    expect(response.status).toBe(409)
    expect(await response.json()).toEqual({ _tag: "CardUnavailable", cardId: sandboxIds.cards.terminated })
  })

  it("answers 503 when Synctera stays down past the client's retries", async () => {
    const cookie = await signIn("alice")
    await runtime.runPromise(sandbox.failNext(2, { status: 503 }))
    const response = await reveal(sandboxIds.cards.active, cookie)
    expect(response.status).toBe(503)
    expect(await response.json()).toEqual({ _tag: "TryAgainLater" })
  })

  it("traces the request: server span, the app's span, and the client's span under it", async () => {
    exporter.reset()
    const cookie = await signIn("bob")
    const response = await reveal(sandboxIds.cards.forbidden, cookie)
    expect(response.status).toBe(409) // Bob's card exists, but the sandbox's key may not use it
    const spans = exporter.getFinishedSpans()
    const byName = (name: string): ReadableSpan => {
      const span = spans.find((s) => s.name === name)
      if (span === undefined) throw new Error(`no span ${name} in ${spans.map((s) => s.name).join(", ")}`)
      return span
    }
    const app = byName("CardReveal.revealToken")
    const client = byName("Synctera.getWidgetToken")
    expect(client.parentSpanContext?.spanId).toBe(app.spanContext().spanId)
    expect(client.attributes).toMatchObject({
      "synctera.card_id": sandboxIds.cards.forbidden,
      "synctera.widget_type": "REVEAL"
    })
    expect(app.attributes).toMatchObject({ "app.user_id": "bob", "app.card_id": sandboxIds.cards.forbidden })
    const server = spans.find((s) => s.attributes["http.route"] === "/api/cards/:cardId/reveal-token")
    expect(server?.spanContext().traceId).toBe(app.spanContext().traceId)
    // Neither the API key nor the session cookie is in any span.
    const everything = JSON.stringify(spans.map((s) => [s.attributes, s.events]))
    expect(everything).not.toContain(Redacted.value(sandbox.apiKey))
    expect(everything).not.toContain(cookie.split("=")[1]!)
  })
})

// The browser test never skips: CI installs Debian's chromium (.ci/run), and a
// machine without it fails here with the way to get it.
const chromiumPath = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium"

describe("card-reveal-server in a browser", () => {
  // `launch` starts Chromium on a fresh, temporary profile of its own.
  let browser: Browser

  beforeAll(async () => {
    if (!existsSync(chromiumPath)) {
      throw new Error(
        `Chromium not found at ${chromiumPath}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`
      )
    }
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync"
      ]
    })
  })
  afterAll(async () => {
    await browser?.close()
  })

  it("signs in, asks for a token, and mounts the widget with it; nothing leaves 127.0.0.1", async () => {
    const context = await browser.newContext()
    const offOrigin: Array<string> = []
    await context.route("**/*", (route) => {
      const url = route.request().url()
      if (url.startsWith(`${base}/`)) return route.continue()
      offOrigin.push(url)
      return route.abort()
    })
    const page = await context.newPage()
    const pageErrors: Array<string> = []
    page.on("pageerror", (error) => pageErrors.push(error.message))

    // Signed out, the page says so.
    await page.goto(`${base}/`)
    await page.waitForFunction(() => document.getElementById("status")?.textContent?.includes("sign in"))

    // The demo sign-in shares the context's cookie jar with the page.
    const signedIn = await context.request.post(`${base}/demo/sign-in/alice`)
    expect(signedIn.status()).toBe(200)
    await page.goto(`${base}/?card=${sandboxIds.cards.active}`)
    await page.waitForSelector("#reveal:not([disabled])")

    const before = (await widgetTokenRequests()).length
    const [tokenResponse] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith("/reveal-token")),
      page.click("#reveal")
    ])
    expect(tokenResponse.status()).toBe(200)
    const { widgetToken } = await tokenResponse.json()
    const widget = page.locator("reveal-card[data-state=mounted]")
    await widget.waitFor()
    expect(await widget.getAttribute("token")).toBe(widgetToken)
    expect(await widget.getAttribute("env")).toBe("sandbox")
    expect(await page.textContent("#status")).toContain("shown by Synctera's widget")
    expect(await widgetTokenRequests()).toHaveLength(before + 1)

    // Each click is a fresh, one-time token.
    const [second] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith("/reveal-token")),
      page.click("#reveal")
    ])
    const next = (await second.json()).widgetToken
    expect(next).not.toBe(widgetToken)
    await page.locator(`reveal-card[token="${next}"][data-state=mounted]`).waitFor()

    // Someone else's card: the page explains, no widget mounts.
    await page.goto(`${base}/?card=${sandboxIds.cards.forbidden}`)
    await page.waitForSelector("#reveal:not([disabled])")
    await page.click("#reveal")
    await page.waitForSelector("#status[data-error='404']")
    expect(await page.locator("reveal-card").count()).toBe(0)

    expect(offOrigin).toEqual([])
    expect(pageErrors).toEqual([])
    await context.close()
  })
})
