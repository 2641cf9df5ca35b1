/**
 * The example end to end: the login server, the live client over real HTTP
 * to the sandbox server (which plays Synctera and, at `/plaid/oauth/callback`,
 * Plaid), spans through `@effect/opentelemetry`, and the pages in headless
 * Chromium (see `test/support/browser.ts`).
 *
 * The browser starts where Plaid Link would send it: the `redirect_url` of
 * `authorization_test`, this server's Authentication URI with a fresh
 * `auth_request_id`. It may reach this server and the sandbox's Plaid page,
 * and nothing else.
 */
import { HttpServer } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace-base"
import { Chunk, ConfigProvider, Effect, Layer, Logger, LogLevel, ManagedRuntime, Redacted, Stream } from "effect"
import { Internal, Synctera } from "effect-synctera"
import { Sandbox, sandboxIds } from "effect-synctera/sandbox"
import { createServer } from "node:http"
import type { Browser, BrowserContext, Page } from "playwright-core"
import { confineTo, launchChromium } from "../../../test/support/browser.js"
import { SyncteraOnSandbox } from "../../../test/support/syncteraOnSandbox.js"
import { Accounts } from "../src/Accounts.js"
import { maxSignInAttempts } from "../src/Pages.js"
import { AppLive } from "../src/Server.js"
import { Sessions } from "../src/Sessions.js"
import * as Tracing from "../src/Tracing.js"

const exporter = new InMemorySpanExporter()

/**
 * The live client, except that every grant's answer is lost after Synctera
 * applied it: what a 502 from a gateway, or a connection cut after the
 * request went out, looks like to the app.
 */
const LosesGrantAnswers = Layer.effect(
  Synctera,
  Effect.map(Synctera, (live) =>
    Synctera.of({
      ...live,
      grantFdxAuthRequest: (request) =>
        live.grantFdxAuthRequest(request).pipe(
          Effect.zipRight(
            Effect.fail(
              new Internal({ operation: "grantFdxAuthRequest", status: 502, attempts: 1, maybeApplied: true })
            )
          )
        )
    }))
).pipe(Layer.provideMerge(SyncteraOnSandbox))

/** The sandbox's origin: where its Plaid page is. */
const originOf = (sandbox: Sandbox["Type"]) => new URL(sandbox.url).origin

/**
 * The app on a sandbox, on a free port of 127.0.0.1, configured as the
 * example's `main.ts` does offline: grants may redirect to the sandbox's
 * (plain-HTTP) Plaid page, and cookies cannot be `Secure` on plain HTTP.
 */
const appOn = (synctera: Layer.Layer<Synctera | Sandbox, unknown>) =>
  ManagedRuntime.make(
    Layer.unwrapEffect(
      Effect.map(Sandbox, (sandbox) =>
        AppLive.pipe(
          Layer.provide(Accounts.layer()),
          Layer.provide(Sessions.layer),
          Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(
            new Map([["SECURE_COOKIES", "false"], ["REDIRECT_ORIGINS", originOf(sandbox)]])
          )))
        ))
    ).pipe(
      Layer.provideMerge(synctera),
      Layer.provideMerge(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" })),
      Layer.provide(Tracing.layer(exporter)),
      // The app logs refusals and outages; the tests check what the customer is told.
      Layer.provide(Logger.minimumLogLevel(LogLevel.None))
    )
  )

type App = ReturnType<typeof appOn>

const runtime = appOn(SyncteraOnSandbox)
let base = ""
let sandbox: Sandbox["Type"]

/** Starts an app's server; points its sandbox's Authentication URI at it. */
const start = async (app: App) => {
  const url = await app.runPromise(HttpServer.addressFormattedWith((url) => Effect.succeed(url)))
  const started = await app.runPromise(Sandbox)
  await app.runPromise(started.setUris({ authenticationUri: `${url}/plaid/authenticate` }))
  return { url, sandbox: started }
}

beforeAll(async () => {
  const started = await start(runtime)
  base = started.url
  sandbox = started.sandbox
})
afterAll(() => runtime.dispose())

/** A new auth request, as Plaid Link starts one: `authorization_test`; its id and the URL to open. */
const newRequest = async (app: App = runtime) => {
  const test = await app.runPromise(Synctera.getAuthorizationTest())
  const url = test.redirectUrl ?? ""
  const id = new URL(url).searchParams.get("auth_request_id") ?? ""
  expect(id).toMatch(/^[0-9a-f-]{36}$/)
  return { id, url }
}

/** The request as Synctera has it now. */
const requestOf = (id: string, app: App = runtime) =>
  app.runPromise(
    Synctera.streamFdxAuthRequests().pipe(Stream.filter((r) => r.id === id), Stream.runCollect, Effect.map(Chunk.head))
  ).then((found) => found._tag === "Some" ? found.value : undefined)

/** A customer's FDX tokens as Synctera has them now. */
const tokensOf = (customerId: string) =>
  runtime.runPromise(
    Synctera.streamFdxTokens().pipe(
      Stream.filter((token) => token.customerId === customerId),
      Stream.runCollect,
      Effect.map(Chunk.toReadonlyArray)
    )
  )

/** How many grants the sandbox received. */
const grantCalls = (app: App = runtime) =>
  app.runPromise(Effect.flatMap(Sandbox, (s) => s.requests)).then((requests) =>
    requests.filter((r) => r.method === "POST" && r.url.startsWith("/v1/fdx_auth_requests/authorize")).length
  )

// Over plain HTTP: what the browser would send, field by field.

const sessionCookieOf = (response: Response): string => {
  const cookie = /login_session=[^;]*/.exec(response.headers.get("set-cookie") ?? "")?.[0]
  expect(cookie).toBeDefined()
  return cookie ?? ""
}

const csrfOf = (html: string): string => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? ""

const get = (url: string, cookie?: string) =>
  fetch(url, { redirect: "manual", headers: cookie === undefined ? {} : { cookie } })

const post = (url: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields)
  })

/** The `data-problem` of an error page. */
const problemOf = (html: string) => /data-problem="([^"]+)"/.exec(html)?.[1]

/** Signs in over HTTP on the login page of a request; the signed-in cookie and the consent page's token. */
const signInFor = async (id: string, username: string, url = base) => {
  const first = await get(`${url}/plaid/authenticate?auth_request_id=${id}`)
  expect(first.status).toBe(200)
  const signedIn = await post(
    `${url}/sign-in`,
    { csrf: csrfOf(await first.text()), auth_request_id: id, username, password: "demo", action: "sign-in" },
    { cookie: sessionCookieOf(first) }
  )
  expect(signedIn.status).toBe(303)
  expect(signedIn.headers.get("location")).toBe(`/plaid/authenticate?auth_request_id=${id}`)
  const cookie = sessionCookieOf(signedIn)
  const consent = await get(`${url}${signedIn.headers.get("location")}`, cookie)
  const html = await consent.text()
  expect(html).toContain(`data-page="consent"`)
  return { cookie, csrf: csrfOf(html) }
}

const decide = (id: string, session: { cookie: string; csrf: string }, decision: "allow" | "deny", url = base) =>
  post(`${url}/plaid/decision`, { csrf: session.csrf, auth_request_id: id, decision }, { cookie: session.cookie })

describe("core-exchange-login over HTTP", () => {
  it("gives a new visitor the sign-in page, a SameSite=Strict session cookie and the security headers", async () => {
    const { id } = await newRequest()
    const response = await get(`${base}/plaid/authenticate?auth_request_id=${id}`)
    expect(response.status).toBe(200)
    const cookie = response.headers.get("set-cookie") ?? ""
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Strict/)
    expect(response.headers.get("cache-control")).toBe("no-store")
    expect(response.headers.get("x-frame-options")).toBe("DENY")
    expect(response.headers.get("content-security-policy")).toBe(
      `default-src 'none'; style-src 'self'; form-action 'self' ${originOf(sandbox)}; ` +
        "frame-ancestors 'none'; base-uri 'none'"
    )
    const html = await response.text()
    expect(html).toContain(`data-page="sign-in"`)
    expect(html).toContain(`<input type="hidden" name="auth_request_id" value="${id}">`)
    expect(csrfOf(html)).toMatch(/^[\w-]{43}$/)
  })

  it("answers a link without a valid auth_request_id with a page saying so, and asks Synctera nothing", async () => {
    const before = (await runtime.runPromise(sandbox.requests)).length
    for (const query of ["", "?auth_request_id=", "?auth_request_id=not-a-uuid", "?auth_request_id=%3Cscript%3E"]) {
      const response = await get(`${base}/plaid/authenticate${query}`)
      expect(response.status).toBe(400)
      const html = await response.text()
      expect(problemOf(html)).toBe("invalid-link")
      expect(html).not.toContain("<script>")
    }
    expect(await runtime.runPromise(sandbox.requests)).toHaveLength(before)
  })

  it("refuses a form without the session's token, or from another site, before asking Synctera", async () => {
    const { id } = await newRequest()
    const session = await signInFor(id, "alice")
    const before = await grantCalls()
    const attempts = [
      decide(id, { ...session, csrf: "wrong" }, "allow"),
      decide(id, { cookie: "", csrf: session.csrf }, "allow"),
      post(`${base}/plaid/decision`, { csrf: session.csrf, auth_request_id: id, decision: "allow" }, {
        cookie: session.cookie,
        "sec-fetch-site": "cross-site"
      }),
      post(`${base}/sign-in`, { csrf: "wrong", auth_request_id: id, action: "cancel" }, { cookie: session.cookie })
    ]
    for (const response of await Promise.all(attempts)) {
      expect(response.status).toBe(403)
      expect(problemOf(await response.text())).toBe("form-expired")
    }
    expect(await grantCalls()).toBe(before)
    expect((await requestOf(id))?.status).toBe("PENDING")
  })

  it("Allow: GRANTED for the signed-in customer, and a 302 to Synctera's redirect_uri", async () => {
    const { id } = await newRequest()
    const response = await decide(id, await signInFor(id, "alice"), "allow")
    expect(response.status).toBe(302)
    const location = new URL(response.headers.get("location") ?? "")
    expect(`${location.origin}${location.pathname}`).toBe(`${originOf(sandbox)}/plaid/oauth/callback`)
    expect(location.searchParams.get("code")).toMatch(/.+/)
    expect(await requestOf(id)).toMatchObject({ status: "GRANTED", customerId: sandboxIds.customer })
  })

  it("Cancel on the sign-in page: DENIED, for nobody, and on to Plaid's failure page", async () => {
    const { id } = await newRequest()
    const page = await get(`${base}/plaid/authenticate?auth_request_id=${id}`)
    const response = await post(
      `${base}/sign-in`,
      { csrf: csrfOf(await page.text()), auth_request_id: id, action: "cancel" },
      { cookie: sessionCookieOf(page) }
    )
    expect(response.status).toBe(302)
    expect(new URL(response.headers.get("location") ?? "").searchParams.get("error")).toBe("access_denied")
    const request = await requestOf(id)
    expect(request?.status).toBe("DENIED")
    expect(request?.customerId).toBeUndefined()
  })

  it(`${maxSignInAttempts} failed sign-ins: DENIED, as a customer who could not sign in`, async () => {
    const { id } = await newRequest()
    const page = await get(`${base}/plaid/authenticate?auth_request_id=${id}`)
    const cookie = sessionCookieOf(page)
    const fields = {
      csrf: csrfOf(await page.text()),
      auth_request_id: id,
      username: "alice",
      password: "wrong",
      action: "sign-in"
    }
    for (const left of ["2 attempts left", "1 attempt left"]) {
      const response = await post(`${base}/sign-in`, fields, { cookie })
      expect(response.status).toBe(401)
      expect(await response.text()).toContain(left)
      expect((await requestOf(id))?.status).toBe("PENDING")
    }
    const last = await post(`${base}/sign-in`, fields, { cookie })
    expect(last.status).toBe(302)
    expect(new URL(last.headers.get("location") ?? "").searchParams.get("error")).toBe("access_denied")
    expect((await requestOf(id))?.status).toBe("DENIED")
  })

  it.each(
    [
      ["expired", sandboxIds.fdxAuthRequests.expired, 410, "expired"],
      ["already granted", sandboxIds.fdxAuthRequests.granted, 409, "already-answered"],
      ["already denied", sandboxIds.fdxAuthRequests.denied, 409, "already-answered"],
      ["already used", sandboxIds.fdxAuthRequests.used, 409, "already-connected"],
      ["unknown", sandboxIds.fdxAuthRequests.unknown, 404, "unknown-request"]
    ] as const
  )("a request Synctera refuses (%s): no redirect, a page that says why", async (_, id, status, problem) => {
    const before = await requestOf(id)
    const response = await decide(id, await signInFor(id, "alice"), "allow")
    expect(response.status).toBe(status)
    const html = await response.text()
    expect(problemOf(html)).toBe(problem)
    expect(html).toContain(id)
    expect((await requestOf(id))?.status).toBe(before?.status)
  })

  it("an answer lost in a 500 (maybeApplied): looks the request up, finds it PENDING, asks again", async () => {
    const { id } = await newRequest()
    const session = await signInFor(id, "alice")
    const before = await grantCalls()
    exporter.reset()
    await runtime.runPromise(sandbox.failNext(1, { status: 500 }))
    const again = await decide(id, session, "allow")
    expect(again.status).toBe(200)
    const html = await again.text()
    expect(html).toContain(`data-page="consent"`)
    expect(html).toContain(`id="ask-again"`)
    // One grant: a 500 may have applied it, so the client did not repeat it.
    expect(await grantCalls()).toBe(before + 1)
    expect((await requestOf(id))?.status).toBe("PENDING")

    // The spans: the app's decision, and under it the client's grant and the lookup.
    const spans = exporter.getFinishedSpans()
    const byName = (name: string): ReadableSpan => {
      const span = spans.find((s) => s.name === name)
      if (span === undefined) throw new Error(`no span ${name} in ${spans.map((s) => s.name).join(", ")}`)
      return span
    }
    const decision = byName("CoreExchange.decide")
    expect(decision.attributes).toMatchObject({
      "app.auth_request_id": id,
      "app.grant_status": "GRANTED",
      "app.outcome": "AskAgain"
    })
    expect(byName("Synctera.grantFdxAuthRequest").parentSpanContext?.spanId).toBe(decision.spanContext().spanId)
    expect(byName("CoreExchange.lookUpRequest").parentSpanContext?.spanId).toBe(decision.spanContext().spanId)
    const everything = JSON.stringify(spans.map((s) => [s.attributes, s.events]))
    expect(everything).not.toContain(Redacted.value(sandbox.apiKey))
    expect(everything).not.toContain(session.cookie.split("=")[1]!)

    // Asked again, the customer allows again: this time it goes through.
    const allowed = await decide(id, session, "allow")
    expect(allowed.status).toBe(302)
    expect((await requestOf(id))?.status).toBe("GRANTED")
  })

  it("Synctera down past the client's retries: nothing recorded, a page to try again", async () => {
    const { id } = await newRequest()
    const session = await signInFor(id, "alice")
    await runtime.runPromise(sandbox.failNext(2, { status: 503 }))
    const response = await decide(id, session, "allow")
    expect(response.status).toBe(503)
    const html = await response.text()
    expect(problemOf(html)).toBe("unavailable")
    expect(html).toContain(`href="/plaid/authenticate?auth_request_id=${id}"`)
    expect((await requestOf(id))?.status).toBe("PENDING")
  })

  it("does not send the browser to a redirect_uri off REDIRECT_ORIGINS", async () => {
    const { id } = await newRequest()
    const session = await signInFor(id, "alice")
    await runtime.runPromise(sandbox.setUris({ plaidUri: "https://plaid.example/oauth/callback" }))
    try {
      const response = await decide(id, session, "allow")
      expect(response.status).toBe(502)
      expect(problemOf(await response.text())).toBe("recorded")
    } finally {
      await runtime.runPromise(sandbox.setUris({ plaidUri: `${originOf(sandbox)}/plaid/oauth/callback` }))
    }
  })

  it("an answer lost after Synctera applied the grant: found GRANTED, on to its redirect_uri, never granted twice", async () => {
    const lossy = appOn(LosesGrantAnswers)
    try {
      const { sandbox: lossySandbox, url } = await start(lossy)
      const { id } = await newRequest(lossy)
      const response = await decide(id, await signInFor(id, "bob", url), "allow", url)
      expect(await grantCalls(lossy)).toBe(1)
      const request = await requestOf(id, lossy)
      expect(request).toMatchObject({ status: "GRANTED", customerId: sandboxIds.newCustomer })
      // The browser goes where the lost answer would have sent it: the request's redirect_uri.
      expect(response.status).toBe(302)
      const location = response.headers.get("location") ?? ""
      expect(location).toBe(request?.redirectUri)
      expect(location.startsWith(`${originOf(lossySandbox)}/plaid/oauth/callback?code=`)).toBe(true)
      // And Plaid can finish with it.
      expect(await (await fetch(location)).text()).toContain(`data-outcome="connected"`)
      expect((await requestOf(id, lossy))?.status).toBe("USED")
    } finally {
      await lossy.dispose()
    }
  })

  it("connected apps: only the signed-in customer's tokens, from every page of the tenant's list", async () => {
    const signedOut = await get(`${base}/connected-apps`)
    const page = await signedOut.text()
    expect(page).toContain(`data-page="sign-in"`)
    expect(page).not.toContain(`name="auth_request_id"`)
    const signedIn = await post(
      `${base}/sign-in`,
      { csrf: csrfOf(page), username: "alice", password: "demo", action: "sign-in" },
      { cookie: sessionCookieOf(signedOut) }
    )
    expect(signedIn.headers.get("location")).toBe("/connected-apps")
    const cookie = sessionCookieOf(signedIn)
    const html = await (await get(`${base}/connected-apps`, cookie)).text()
    const shown = [...html.matchAll(/data-token-id="([^"]+)"/g)].map((m) => m[1])
    const expected = await tokensOf(sandboxIds.customer)
    expect(shown.sort()).toEqual(expected.map((token) => token.id).sort())
    // Alice's tokens are on the first page of the tenant's list; the bulk
    // customer's fill three pages, and none of them is shown.
    const all = await runtime.runPromise(Synctera.streamFdxTokens().pipe(Stream.runCount))
    expect(all).toBeGreaterThan(200)
    expect(html).toContain(`data-token-id="${sandboxIds.fdxTokens.unrecognizedStatus}"`)
    expect(html).toContain("Unknown (SUSPENDED)")

    // Signing out ends the session: the old cookie signs nobody in.
    const signOut = await post(`${base}/sign-out`, { csrf: csrfOf(html) }, { cookie })
    expect(signOut.status).toBe(303)
    expect(signOut.headers.get("set-cookie")).toMatch(/^login_session=; Max-Age=0; Path=\/; HttpOnly; SameSite=Strict$/)
    expect(await (await get(`${base}/connected-apps`, cookie)).text()).toContain(`data-page="sign-in"`)
  })
})

// The browser tests never skip: test/support/browser.ts finds a Chromium
// (CHROMIUM_PATH, a system one, or @sparticuz/chromium's), or fails saying how
// to get one.
describe("core-exchange-login in a browser", () => {
  let browser: Browser

  beforeAll(async () => {
    browser = await launchChromium()
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
  })

  /** A fresh profile, confined to this server and the sandbox's Plaid page; what it saw. */
  interface Visit {
    readonly context: BrowserContext
    readonly page: Page
    readonly refused: ReadonlyArray<string>
    readonly problems: ReadonlyArray<string>
  }

  const visit = async (): Promise<Visit> => {
    const context = await browser.newContext()
    // Well under the test's own timeout, so that a wait that fails says what it waited for.
    context.setDefaultTimeout(10_000)
    const refused = await confineTo(context, base)
    // Registered after, so tried first (Playwright tries routes newest first):
    // the one page of another origin the flow goes to, Plaid's (the sandbox's).
    const plaid = `${originOf(sandbox)}/plaid/oauth/callback`
    await context.route((url) => `${url.origin}${url.pathname}` === plaid, (route) => route.continue())
    const page = await context.newPage()
    // Script errors, and whatever the browser blocks (a CSP violation logs an
    // error); an error page's status logs "Failed to load resource", which the
    // tests check through what the page says.
    const problems: Array<string> = []
    page.on("pageerror", (error) => problems.push(error.message))
    page.on("console", (message) => {
      if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
        problems.push(message.text())
      }
    })
    return { context, page, refused, problems }
  }

  const finish = async (v: Visit) => {
    expect(v.refused).toEqual([])
    expect(v.problems).toEqual([])
    await v.context.close()
  }

  const signInOnPage = async (page: Page, username: string, name: string) => {
    await page.locator("main[data-page=sign-in]").waitFor()
    await page.getByLabel("Username").fill(username)
    await page.getByLabel("Password").fill("demo")
    await page.getByRole("button", { name: "Sign in" }).click()
    await page.locator("main[data-page=consent]").waitFor()
    expect(await page.locator("#user").textContent()).toBe(name)
  }

  /** Presses Allow or Deny, and waits for the sandbox's Plaid page. */
  const answerAndReachPlaid = async (page: Page, button: "Allow" | "Deny") => {
    await Promise.all([
      page.waitForURL((url) => url.origin === originOf(sandbox)),
      page.getByRole("button", { name: button }).click()
    ])
  }

  it("as Plaid Link starts it: sign in, Allow, connected on Plaid's page, the new tokens under connected apps", async () => {
    const v = await visit()
    const { page } = v
    expect(await tokensOf(sandboxIds.newCustomer)).toEqual([])
    const { id, url } = await newRequest()
    await page.goto(url)
    await signInOnPage(page, "bob", "Bob")
    expect(await page.locator("ul.scopes li").allTextContents()).toEqual([
      "Account details: the name and type of each account, and the last 4 digits of its number",
      "Balances: current and available",
      "Transactions: from the past 24 months, with amounts, dates and descriptions"
    ])
    const screenshot = process.env["CORE_EXCHANGE_SCREENSHOT"]
    if (screenshot !== undefined && screenshot !== "") await page.screenshot({ path: screenshot, fullPage: true })

    await answerAndReachPlaid(page, "Allow")
    await page.locator("#outcome[data-outcome=connected]").waitFor()
    // Plaid exchanged the code: the request is USED, and Bob has an ACCESS and a REFRESH token.
    expect(await requestOf(id)).toMatchObject({ status: "USED", customerId: sandboxIds.newCustomer })
    const tokens = await tokensOf(sandboxIds.newCustomer)
    expect(tokens.map((token) => token.tokenType).sort()).toEqual(["ACCESS", "REFRESH"])

    await page.goto(`${base}/connected-apps`)
    await page.locator("main[data-page=connected-apps]").waitFor()
    const rows = page.locator("tbody tr")
    expect(await rows.count()).toBe(2)
    for (const token of tokens) {
      const row = page.locator(`tr[data-token-id="${token.id}"]`)
      expect(await row.getAttribute("data-token-type")).toBe(token.tokenType)
      expect(await row.getAttribute("data-status")).toBe("ENABLED")
      expect(await row.locator("td").nth(1).textContent()).toBe("Active")
    }
    expect((await rows.locator("td").first().textContent()) ?? "").toMatch(/^(Access|Refresh)$/)
    await finish(v)
  })

  it("Deny: Plaid's page says access_denied, and no token is issued", async () => {
    const v = await visit()
    const { page } = v
    const before = await tokensOf(sandboxIds.customer)
    const { id, url } = await newRequest()
    await page.goto(url)
    await signInOnPage(page, "alice", "Alice")
    await answerAndReachPlaid(page, "Deny")
    await page.locator("#outcome[data-outcome=access_denied]").waitFor()
    expect(await requestOf(id)).toMatchObject({ status: "DENIED", customerId: sandboxIds.customer })
    expect(await tokensOf(sandboxIds.customer)).toEqual(before)
    await finish(v)
  })

  it("an expired request, then one already decided: an error page each, nothing granted", async () => {
    const v = await visit()
    const { page } = v
    const before = await grantCalls()
    await page.goto(`${base}/plaid/authenticate?auth_request_id=${sandboxIds.fdxAuthRequests.expired}`)
    await signInOnPage(page, "alice", "Alice")
    await page.getByRole("button", { name: "Allow" }).click()
    await page.locator("main[data-problem=expired]").waitFor()
    expect(await page.locator("h1").textContent()).toBe("This connection request has expired")

    // Still signed in: straight to the consent page.
    await page.goto(`${base}/plaid/authenticate?auth_request_id=${sandboxIds.fdxAuthRequests.granted}`)
    await page.getByRole("button", { name: "Allow" }).click()
    await page.locator("main[data-problem=already-answered]").waitFor()
    expect(await page.locator("h1").textContent()).toBe("This connection request was already answered")

    expect(await grantCalls()).toBe(before + 2)
    expect((await requestOf(sandboxIds.fdxAuthRequests.expired))?.status).toBe("PENDING")
    await finish(v)
  })
})
