/**
 * The example end to end: the app's HTTP server, the live client over real
 * HTTP to the sandbox server, spans through `@effect/opentelemetry`, and the
 * page in headless Chromium (see `test/support/browser.ts`) mounting
 * Synctera's widgets.
 *
 * The app runs configured as in production: its page loads the widget scripts
 * from `https://assets.synctera.com/widgets/…`. The browser answers exactly
 * those URLs with the local stand-ins (`public/widgets/`), lets requests to the
 * app on 127.0.0.1 through, and refuses everything else.
 */
import { HttpServer } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace-base"
import { ConfigProvider, Effect, Layer, Logger, LogLevel, ManagedRuntime, Redacted } from "effect"
import type { CardWidgetType } from "effect-synctera"
import { Sandbox, sandboxIds } from "effect-synctera/sandbox"
import { readFileSync } from "node:fs"
import { createServer } from "node:http"
import type { Browser, BrowserContext, Page } from "playwright-core"
import { confineTo, launchChromium } from "../../../test/support/browser.js"
import { SyncteraOnSandbox } from "../../../test/support/syncteraOnSandbox.js"
import { Accounts } from "../src/Accounts.js"
import { type CardWidget, tokenTypeOf } from "../src/Api.js"
import { AppLive, standInPath } from "../src/Server.js"
import { assetNameOf, defaultWidgetVersions, syncteraWidgetAssets } from "../src/Settings.js"
import * as Tracing from "../src/Tracing.js"

const exporter = new InMemorySpanExporter()

/** The app on the sandbox, on a free port of 127.0.0.1, with `config` as its only configuration. */
const appWith = (config: Record<string, string>) =>
  ManagedRuntime.make(
    AppLive.pipe(
      Layer.provide(Accounts.layer()),
      Layer.provideMerge(SyncteraOnSandbox),
      Layer.provideMerge(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" })),
      Layer.provide(Tracing.layer(exporter)),
      // The app logs refusals and outages as warnings; the tests check the answers.
      Layer.provide(Logger.minimumLogLevel(LogLevel.Error)),
      Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(config)))))
    )
  )

// Production settings (the widget scripts on Synctera's assets host), except
// that plain HTTP on loopback cannot have a `Secure` cookie.
const runtime = appWith({ SECURE_COOKIES: "false" })
let base = ""
let sandbox: Sandbox["Type"]

beforeAll(async () => {
  base = await runtime.runPromise(HttpServer.addressFormattedWith((url) => Effect.succeed(url)))
  sandbox = await runtime.runPromise(Sandbox)
})
afterAll(() => runtime.dispose())

const widgets: ReadonlyArray<CardWidget> = ["activate-card", "set-pin", "reveal-pin"]

const signIn = async (user: string): Promise<string> => {
  const response = await fetch(`${base}/demo/sign-in/${user}`, { method: "POST" })
  expect(response.status).toBe(200)
  const cookie = response.headers.get("set-cookie") ?? ""
  expect(cookie).toMatch(/HttpOnly/)
  expect(cookie).toMatch(/SameSite=Strict/)
  return cookie.split(";")[0]!
}

const askToken = (cardId: string, widget: string, cookie?: string) =>
  fetch(`${base}/api/cards/${cardId}/widget-token/${widget}`, {
    method: "POST",
    headers: cookie === undefined ? {} : { cookie }
  })

/** The widget-token requests Synctera (the sandbox) received: card and `widget_type`. */
const widgetTokenRequests = () =>
  runtime.runPromise(sandbox.requests).then((requests) =>
    requests.filter((r) => r.url.includes("/widget_token")).map((r) => {
      const url = new URL(r.url, "http://sandbox")
      return { path: url.pathname, widgetType: url.searchParams.get("widget_type") }
    })
  )

describe("card-widgets-server API", () => {
  it("refuses a browser without a session", async () => {
    const response = await askToken(sandboxIds.cards.active, "set-pin")
    expect(response.status).toBe(401)
    expect(await response.json()).toEqual({ _tag: "Unauthorized" })
  })

  it.each(
    [
      ["activate-card", "ACTIVATE"],
      ["set-pin", "SET_PIN"],
      ["reveal-pin", "GET_PIN"]
    ] as const
  )("gives the owner a fresh %s token of type %s, never cached", async (widget, widgetType) => {
    const cookie = await signIn("alice")
    const before = (await widgetTokenRequests()).length
    const response = await askToken(sandboxIds.cards.active, widget, cookie)
    expect(response.status).toBe(200)
    expect(response.headers.get("cache-control")).toBe("no-store")
    const body = await response.json()
    expect(body).toMatchObject({ cardId: sandboxIds.cards.active, widget, environment: "sandbox" })
    expect(body.widgetToken).toMatch(/^[0-9a-f-]{36}$/)
    const again = await (await askToken(sandboxIds.cards.active, widget, cookie)).json()
    expect(again.widgetToken).not.toBe(body.widgetToken)
    expect((await widgetTokenRequests()).slice(before)).toEqual([
      { path: `/v1/cards/${sandboxIds.cards.active}/widget_token`, widgetType },
      { path: `/v1/cards/${sandboxIds.cards.active}/widget_token`, widgetType }
    ])
  })

  it("has no endpoint for a widget the page does not have: no REVEAL token", async () => {
    const cookie = await signIn("alice")
    const before = (await widgetTokenRequests()).length
    const response = await askToken(sandboxIds.cards.active, "reveal-card", cookie)
    expect(response.status).toBe(400)
    expect(await widgetTokenRequests()).toHaveLength(before)
  })

  it("checks ownership before asking Synctera: someone else's card and a made-up one look the same", async () => {
    const cookie = await signIn("alice")
    const before = (await widgetTokenRequests()).length
    for (const widget of widgets) {
      const bobs = await askToken(sandboxIds.cards.forbidden, widget, cookie)
      const madeUp = await askToken("00000000-0000-4000-8000-000000000000", widget, cookie)
      expect([bobs.status, madeUp.status]).toEqual([404, 404])
      expect((await bobs.json())._tag).toBe("CardNotFound")
      expect((await madeUp.json())._tag).toBe("CardNotFound")
    }
    expect(await widgetTokenRequests()).toHaveLength(before)
  })

  it("answers 409 for a card Synctera refuses, without Synctera's detail", async () => {
    const cookie = await signIn("alice")
    const response = await askToken(sandboxIds.cards.terminated, "activate-card", cookie)
    expect(response.status).toBe(409)
    expect(await response.json()).toEqual({ _tag: "CardUnavailable", cardId: sandboxIds.cards.terminated })
  })

  it("answers 503 when Synctera stays down past the client's retries", async () => {
    const cookie = await signIn("alice")
    await runtime.runPromise(sandbox.failNext(2, { status: 503 }))
    const response = await askToken(sandboxIds.cards.active, "reveal-pin", cookie)
    expect(response.status).toBe(503)
    expect(await response.json()).toEqual({ _tag: "TryAgainLater" })
  })

  it("tells the signed-in page who and which cards", async () => {
    const cookie = await signIn("alice")
    const response = await fetch(`${base}/api/me`, { headers: { cookie } })
    expect(response.headers.get("cache-control")).toBe("no-store")
    expect(await response.json()).toEqual({
      name: "Alice",
      cardIds: [sandboxIds.cards.active, sandboxIds.cards.terminated]
    })
  })

  it("traces the request: server span, the app's span, and the client's span under it", async () => {
    exporter.reset()
    const cookie = await signIn("bob")
    const response = await askToken(sandboxIds.cards.forbidden, "set-pin", cookie)
    expect(response.status).toBe(409) // Bob's card exists, but the sandbox's key may not use it
    const spans = exporter.getFinishedSpans()
    const byName = (name: string): ReadableSpan => {
      const span = spans.find((s) => s.name === name)
      if (span === undefined) throw new Error(`no span ${name} in ${spans.map((s) => s.name).join(", ")}`)
      return span
    }
    const app = byName("CardWidgets.widgetToken")
    const client = byName("Synctera.getWidgetToken")
    expect(client.parentSpanContext?.spanId).toBe(app.spanContext().spanId)
    expect(client.attributes).toMatchObject({
      "synctera.card_id": sandboxIds.cards.forbidden,
      "synctera.widget_type": "SET_PIN"
    })
    expect(app.attributes).toMatchObject({
      "app.user_id": "bob",
      "app.card_id": sandboxIds.cards.forbidden,
      "app.widget": "set-pin"
    })
    const server = spans.find((s) => s.attributes["http.route"] === "/api/cards/:cardId/widget-token/:widget")
    expect(server?.spanContext().traceId).toBe(app.spanContext().traceId)
    // Neither the API key nor the session cookie is in any span.
    const everything = JSON.stringify(spans.map((s) => [s.attributes, s.events]))
    expect(everything).not.toContain(Redacted.value(sandbox.apiKey))
    expect(everything).not.toContain(cookie.split("=")[1]!)
  })
})

/** Where production loads each widget's script from. */
const productionScript = (widget: CardWidget) =>
  `${syncteraWidgetAssets}/${assetNameOf[widget]}/${defaultWidgetVersions[widget]}/index.js`

describe("card-widgets-server page settings", () => {
  it("in production, points the page at Synctera's widget scripts, trusts that origin alone, serves no stand-in", async () => {
    const response = await fetch(`${base}/`)
    const html = await response.text()
    for (const widget of widgets) {
      expect(html).toContain(`<meta name="widget-script:${widget}" content="${productionScript(widget)}">`)
    }
    const csp = response.headers.get("content-security-policy") ?? ""
    expect(csp).toContain("script-src 'self' https://assets.synctera.com;")
    expect(csp).toContain("frame-src 'self' https://assets.synctera.com;")
    expect(csp.match(/https?:\/\/[^\s;]+/g)?.every((origin) => origin === "https://assets.synctera.com")).toBe(true)
    expect((await fetch(`${base}/widgets/set-pin/${defaultWidgetVersions["set-pin"]}/index.js`)).status).toBe(404)
  })

  it("offline (WIDGET_ASSETS_URL=/widgets), serves the stand-ins at the real scripts' paths, on its own origin", async () => {
    const offline = appWith({ SECURE_COOKIES: "false", WIDGET_ASSETS_URL: "/widgets" })
    try {
      const url = await offline.runPromise(HttpServer.addressFormattedWith((url) => Effect.succeed(url)))
      const response = await fetch(`${url}/`)
      expect(response.headers.get("content-security-policy")).toContain("script-src 'self';")
      const html = await response.text()
      for (const widget of widgets) {
        const path = `/widgets/${assetNameOf[widget]}/${defaultWidgetVersions[widget]}/index.js`
        expect(html).toContain(`content="${path}"`)
        const script = await fetch(`${url}${path}`)
        expect(script.status).toBe(200)
        expect(script.headers.get("content-type")).toMatch(/^text\/javascript/)
        expect(await script.text()).toContain(`customElements.define("${widget}"`)
      }
    } finally {
      await offline.dispose()
    }
  })

  it("refuses a widget host that is not https", async () => {
    const plain = appWith({ WIDGET_ASSETS_URL: "http://assets.example.com/widgets" })
    await expect(plain.runPromise(Effect.void)).rejects.toThrow(/WIDGET_ASSETS_URL must be https/)
    await plain.dispose()
  })
})

// The browser tests never skip: test/support/browser.ts finds a Chromium
// (CHROMIUM_PATH, a system one, or @sparticuz/chromium's), or fails saying how
// to get one.
describe("card-widgets-server in a browser", () => {
  let browser: Browser

  beforeAll(async () => {
    browser = await launchChromium()
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
  })

  const standIns = new Map(
    widgets.map((widget) => [
      productionScript(widget),
      readFileSync(new URL(`../public/${standInPath(widget)}`, import.meta.url), "utf8")
    ])
  )

  /** A fresh profile, confined to the app and the widget scripts; what it saw. */
  interface Visit {
    readonly context: BrowserContext
    readonly page: Page
    readonly refused: ReadonlyArray<string>
    readonly scripts: ReadonlyArray<string>
    readonly problems: ReadonlyArray<string>
  }

  const visit = async (options: { readonly clock?: boolean } = {}): Promise<Visit> => {
    const context = await browser.newContext()
    // Well under the test's own timeout, so that a wait that fails says what
    // it waited for.
    context.setDefaultTimeout(10_000)
    const scripts: Array<string> = []
    // Synctera's assets host answers the configured scripts, with the CORS
    // header an ES module from another origin needs; nothing else is served.
    const refused = await confineTo(context, base, (url) => {
      const body = standIns.get(url.href)
      if (body === undefined) return undefined
      scripts.push(url.href)
      return {
        status: 200,
        contentType: "text/javascript; charset=utf-8",
        headers: { "access-control-allow-origin": "*" },
        body
      }
    })
    const page = await context.newPage()
    if (options.clock === true) await page.clock.install()
    // Script errors, and whatever the browser blocks (a CSP violation logs an
    // error); a refused API call (404 …) logs "Failed to load resource", which
    // the tests check through what the page shows.
    const problems: Array<string> = []
    page.on("pageerror", (error) => problems.push(error.message))
    page.on("console", (message) => {
      if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
        problems.push(message.text())
      }
    })
    return { context, page, refused, scripts, problems }
  }

  const signInOnPage = async (page: Page, name: "Alice" | "Bob", query = "") => {
    await page.goto(`${base}/${query}`)
    await page.locator("#status", { hasText: "Please sign in first." }).waitFor()
    await page.getByRole("button", { name: `Sign in as ${name}` }).click()
    await page.locator("#status", { hasText: `Signed in as ${name}` }).waitFor()
  }

  const section = (page: Page, widget: CardWidget) => page.locator(`section[data-widget="${widget}"]`)
  const outcome = (page: Page, widget: CardWidget, state: string) =>
    section(page, widget).locator(`.outcome[data-outcome="${state}"]`)

  /** Presses the section's button: one token minted, one widget mounted with it. */
  const start = async (page: Page, widget: CardWidget, expectedType: CardWidgetType) => {
    const before = (await widgetTokenRequests()).length
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/widget-token/${widget}`)),
      section(page, widget).locator("button.start").click()
    ])
    expect(response.status()).toBe(200)
    const grant = await response.json()
    const element = section(page, widget).locator(widget)
    await outcome(page, widget, "load").waitFor()
    expect(await element.getAttribute("token")).toBe(grant.widgetToken)
    expect(await element.getAttribute("env")).toBe("sandbox")
    expect((await widgetTokenRequests()).slice(before)).toEqual([
      { path: `/v1/cards/${sandboxIds.cards.active}/widget_token`, widgetType: expectedType }
    ])
    return { element, token: String(grant.widgetToken) }
  }

  const finish = async (visit: Visit) => {
    expect(visit.refused).toEqual([])
    expect(visit.problems).toEqual([])
    await visit.context.close()
  }

  it("signs in, then activates the card, sets its PIN and shows it, each with a fresh token of its type", async () => {
    const v = await visit()
    const { page } = v
    await signInOnPage(page, "Alice")

    const activate = await start(page, "activate-card", tokenTypeOf["activate-card"])
    await activate.element.getByRole("button", { name: "Activate card" }).click()
    await outcome(page, "activate-card", "success").waitFor()
    expect(await outcome(page, "activate-card", "success").textContent()).toContain("Your card is active")

    const setPin = await start(page, "set-pin", tokenTypeOf["set-pin"])
    await setPin.element.getByRole("button", { name: "Set PIN" }).click()
    await outcome(page, "set-pin", "success").waitFor()
    expect(await outcome(page, "set-pin", "success").textContent()).toContain("Your new PIN is set")

    const reveal = await start(page, "reveal-pin", tokenTypeOf["reveal-pin"])
    expect(await reveal.element.getAttribute("auto-hide-seconds")).toBe("10")
    expect(await reveal.element.getAttribute("show-toggle")).toBe("")
    await reveal.element.getByRole("button", { name: "Show PIN" }).click()
    await outcome(page, "reveal-pin", "success").waitFor()
    expect(await outcome(page, "reveal-pin", "success").textContent()).toContain("Your PIN is showing")
    await page.locator("reveal-pin[data-state=shown]").waitFor()

    // Three tokens, all different; the scripts came from Synctera's URLs, once each.
    expect(new Set([activate.token, setPin.token, reveal.token]).size).toBe(3)
    expect([...v.scripts].sort()).toEqual(widgets.map(productionScript).sort())

    const screenshot = process.env["CARD_WIDGETS_SCREENSHOT"]
    if (screenshot !== undefined && screenshot !== "") await page.screenshot({ path: screenshot, fullPage: true })
    await finish(v)
  })

  it("shows a widget's failure: a PIN shown again with a spent token, a PIN set after the token expired", async () => {
    const v = await visit({ clock: true })
    const { page } = v
    await signInOnPage(page, "Alice")

    // The PIN hides itself after auto-hide-seconds; showing it again would
    // need the spent token a second time: the widget refuses, and a new press
    // gets a new token.
    const first = await start(page, "reveal-pin", "GET_PIN")
    await first.element.getByRole("button", { name: "Show PIN" }).click()
    await page.locator("reveal-pin[data-state=shown]").waitFor()
    await page.clock.runFor(10_000)
    await page.locator("reveal-pin[data-state=hidden]").waitFor()
    await first.element.getByRole("button", { name: "Show PIN" }).click()
    await outcome(page, "reveal-pin", "failure").waitFor()
    expect(await outcome(page, "reveal-pin", "failure").textContent()).toBe(
      "This PIN view has expired. Press Show my PIN to start again."
    )
    const second = await start(page, "reveal-pin", "GET_PIN")
    expect(second.token).not.toBe(first.token)
    await second.element.getByRole("button", { name: "Show PIN" }).click()
    await outcome(page, "reveal-pin", "success").waitFor()

    // Away for more than the token's 5 minutes, then submit: refused.
    const setPin = await start(page, "set-pin", "SET_PIN")
    await page.clock.fastForward("05:01")
    await setPin.element.getByRole("button", { name: "Set PIN" }).click()
    await outcome(page, "set-pin", "failure").waitFor()
    expect(await outcome(page, "set-pin", "failure").textContent()).toBe(
      "This PIN session has expired. Press Set PIN to start again."
    )
    const retry = await start(page, "set-pin", "SET_PIN")
    await retry.element.getByRole("button", { name: "Set PIN" }).click()
    await outcome(page, "set-pin", "success").waitFor()
    await finish(v)
  })

  it("someone else's card: 404 shown, no widget mounted, Synctera not asked", async () => {
    const v = await visit()
    const { page } = v
    await signInOnPage(page, "Alice", `?card=${sandboxIds.cards.forbidden}`)
    const before = (await widgetTokenRequests()).length
    for (const widget of widgets) {
      await section(page, widget).locator("button.start").click()
      await section(page, widget).locator(".outcome[data-outcome=refused][data-error='404']").waitFor()
      expect(await outcome(page, widget, "refused").textContent()).toBe("That card is not one of yours.")
    }
    expect(await page.locator(widgets.join(", ")).count()).toBe(0)
    expect(await widgetTokenRequests()).toHaveLength(before)
    await finish(v)
  })
})
