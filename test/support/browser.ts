/**
 * The browser of the browser tests: a headless Chromium driven by
 * `playwright-core`, had with nothing but Node and npm.
 *
 * Which Chromium, first found wins:
 *
 * 1. `CHROMIUM_PATH`, when set. It must exist: a typo fails loudly instead of
 *    quietly testing with another browser.
 * 2. A system Chromium (`/usr/bin/chromium`, `/usr/bin/chromium-browser`,
 *    `/usr/bin/google-chrome`).
 * 3. The Chromium inside the `@sparticuz/chromium` package (a devDependency,
 *    so `npm install` brings it), unpacked into the OS temp directory on first
 *    use (`/tmp/chromium`, about 190 MB, a few seconds).
 *
 * A browser test never skips: with no browser to be had, it fails with a
 * message saying how to get one.
 */
import { existsSync } from "node:fs"
import { mkdir, rmdir, stat } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { setTimeout as sleep } from "node:timers/promises"
import { type Browser, type BrowserContext, chromium, type Route } from "playwright-core"

/** Where a system Chromium usually is (Debian's `chromium`, Ubuntu's, Google's). */
export const systemChromiumPaths: ReadonlyArray<string> = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome"
]

/**
 * The flags every browser test runs with. Not `@sparticuz/chromium`'s own
 * list, which is made for AWS Lambda and turns security off
 * (`--disable-web-security`, `--single-process`, no site isolation): a test of
 * a page's Content-Security-Policy and origins must run in a browser that
 * enforces them. Its build starts with these alone (checked with
 * playwright-core 1.65 and Chromium 143; it needs none of `--no-zygote`,
 * `--use-angle=swiftshader`, `--single-process`).
 */
export const chromiumArgs: ReadonlyArray<string> = [
  "--headless",
  // The tests run as root in containers, where Chromium's sandbox cannot start.
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  // No first-run UI, and no traffic of the browser's own (updates, sync,
  // field trials) besides what the page makes: that is all routed and checked.
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync"
]

/** A Chromium executable, and why it was chosen. */
export interface ChromiumExecutable {
  readonly path: string
  readonly source: "CHROMIUM_PATH" | "system" | "@sparticuz/chromium"
}

const howToGetOne = "Set CHROMIUM_PATH to a Chromium or Chrome executable, install one " +
  "(apt-get install -y chromium), or run npm install so that @sparticuz/chromium (a devDependency) is there."

/**
 * Runs `task` while holding a lock shared by every process on the machine, so
 * that two test files (vitest runs them in parallel workers) do not unpack
 * `@sparticuz/chromium` into the same files at once. `mkdir` is atomic; a lock
 * older than `staleAfterMs` is from a process that died holding it.
 */
const withMachineLock = async <A>(name: string, task: () => Promise<A>, staleAfterMs = 180_000): Promise<A> => {
  const lock = join(tmpdir(), `${name}.lock`)
  const deadline = Date.now() + 2 * staleAfterMs
  for (;;) {
    try {
      await mkdir(lock)
      break
    } catch (error) {
      if (!(error instanceof Error && "code" in error && error.code === "EEXIST")) throw error
      const since = await stat(lock).then((s) => Date.now() - s.mtimeMs, () => 0)
      if (since > staleAfterMs) await rmdir(lock).catch(() => undefined)
      if (Date.now() > deadline) throw new Error(`gave up waiting for ${lock}; remove it if no test is running`)
      await sleep(200)
    }
  }
  try {
    return await task()
  } finally {
    await rmdir(lock).catch(() => undefined)
  }
}

/** Unpacks (once per machine) the Chromium inside `@sparticuz/chromium` and returns its path. */
const sparticuzChromium = async (): Promise<string> => {
  const sparticuz = await import("@sparticuz/chromium").then(
    (module) => module.default,
    (cause: unknown) => {
      throw new Error(`No Chromium for the browser tests, and @sparticuz/chromium cannot be loaded. ${howToGetOne}`, {
        cause
      })
    }
  )
  return withMachineLock("effect-synctera-chromium-unpack", () => sparticuz.executablePath()).catch(
    (cause: unknown) => {
      throw new Error(
        `@sparticuz/chromium could not unpack its Chromium into ${tmpdir()}. ${howToGetOne}`,
        { cause }
      )
    }
  )
}

/**
 * Finds the Chromium to test with: `CHROMIUM_PATH`, else a system Chromium,
 * else `@sparticuz/chromium`'s. Rejects, with how to get one, when there is
 * none.
 */
export const findChromium = async (
  env: Readonly<Record<string, string | undefined>> = process.env
): Promise<ChromiumExecutable> => {
  const configured = env["CHROMIUM_PATH"]
  if (configured !== undefined && configured !== "") {
    if (!existsSync(configured)) {
      throw new Error(`CHROMIUM_PATH is ${configured}, and there is nothing there. ${howToGetOne}`)
    }
    return { path: configured, source: "CHROMIUM_PATH" }
  }
  const system = systemChromiumPaths.find((path) => existsSync(path))
  if (system !== undefined) return { path: system, source: "system" }
  return { path: await sparticuzChromium(), source: "@sparticuz/chromium" }
}

/**
 * Launches headless Chromium (see {@link findChromium}) with
 * {@link chromiumArgs}. Each `browser.newContext()` is a fresh profile; close
 * the browser in `afterAll`.
 */
export const launchChromium = async (): Promise<Browser> => {
  const executable = await findChromium()
  // `@sparticuz/chromium` unpacks the fonts its build is made for next to it
  // (Open Sans); pointing fontconfig there gives pages fonts even on a machine
  // with none installed.
  const fonts = join(tmpdir(), "fonts")
  const ownFonts = executable.source === "@sparticuz/chromium" && process.env["FONTCONFIG_PATH"] === undefined &&
    existsSync(join(fonts, "fonts.conf"))
  try {
    return await chromium.launch({
      executablePath: executable.path,
      args: [...chromiumArgs],
      ...(ownFonts ? { env: { ...process.env, FONTCONFIG_PATH: fonts } } : {})
    })
  } catch (cause) {
    const interrupted = executable.source === "@sparticuz/chromium"
      ? ` If an earlier unpack was interrupted, remove ${executable.path} and run again.`
      : ""
    throw new Error(
      `Chromium (${executable.source}: ${executable.path}) did not start.${interrupted} ${howToGetOne}`,
      { cause }
    )
  }
}

/** What a guarded context answers for a URL off the app's origin: a response, or nothing (refused). */
export type StandIn = (url: URL) => NonNullable<Parameters<Route["fulfill"]>[0]> | undefined

/**
 * Confines a browser context to one origin: every request to `origin` goes
 * through, a request that `serve` answers gets that answer (a stand-in for a
 * third-party host, such as a CDN), and every other request is refused before
 * it leaves the browser. Returns the refused URLs, filled in as they happen:
 * a test expects it to stay empty.
 */
export const confineTo = async (
  context: BrowserContext,
  origin: string,
  serve: StandIn = () => undefined
): Promise<ReadonlyArray<string>> => {
  const refused: Array<string> = []
  const allowed = new URL(origin).origin
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url())
    if (url.origin === allowed) return route.continue()
    const answer = serve(url)
    if (answer !== undefined) return route.fulfill(answer)
    refused.push(url.href)
    return route.abort("blockedbyclient")
  })
  return refused
}
