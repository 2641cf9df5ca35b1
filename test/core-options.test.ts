/**
 * The core's checks of the client's and the sandbox's options, without
 * Effect: durations here are plain numbers of milliseconds (negative ones
 * included, as Effect 4 has them), so what the checks decide is seen apart
 * from either line's `Duration`. The lines' own tests (config, sandbox) check
 * the same rules through each line's errors.
 */
import { describe, expect, it } from "@effect/vitest"
import { checkBaseUrl, type Checked, defaults, type Durations, type Options, resolve } from "../src/core/options.js"
import * as SandboxOptions from "../src/core/sandbox/options.js"

/** Milliseconds as durations: `NaN` stands for an input that is not a duration. */
const millis: Durations<number, number> = {
  decode: (input) => (Number.isNaN(input) ? undefined : input),
  isFinite: Number.isFinite,
  toMillis: (duration) => duration,
  millis: (value) => value
}

const problemOf = <A>(checked: Checked<A>): string | undefined => (checked.ok ? undefined : checked.problem)

const valueOf = <A>(checked: Checked<A>): A => {
  if (!checked.ok) throw new Error(checked.problem)
  return checked.value
}

describe("the core's client options", () => {
  it("fill in the documented defaults", () => {
    expect(valueOf(resolve({ apiKey: "key" }, millis))).toEqual({
      apiKey: "key",
      production: false,
      retryBudget: { capacity: 500, retryCost: 5, timeoutCost: 10, refill: 1 },
      baseUrl: "https://api-sandbox.synctera.com/v1",
      timeout: 10_000,
      deadline: 30_000,
      retry: { times: 2, base: 500, cap: 8_000 },
      maxBodyBytes: 1024 * 1024,
      maxRetryAfter: 60_000
    })
    expect(defaults.environment).toBe("sandbox")
  })

  it("point at production by the environment only", () => {
    const production = valueOf(resolve({ apiKey: "key", environment: "production" }, millis))
    expect([production.baseUrl, production.production]).toEqual(["https://api.synctera.com/v1", true])
    const own = valueOf(resolve({ apiKey: "key", environment: "production", baseUrl: "https://x.test/v1/" }, millis))
    expect([own.baseUrl, own.production]).toEqual(["https://x.test/v1", false])
  })

  it("take https:, or http: on loopback only, without credentials, query or fragment", () => {
    expect(valueOf(checkBaseUrl("https://api.example.com/v1//"))).toBe("https://api.example.com/v1")
    for (const url of ["http://localhost:1/v1", "http://127.0.0.1:1", "http://[::1]:1/v1"]) {
      expect(problemOf(checkBaseUrl(url))).toBeUndefined()
    }
    expect(problemOf(checkBaseUrl("http://api.example.com/v1"))).toBe(
      "baseUrl must use https: (http: is allowed for loopback hosts only), got http://api.example.com"
    )
    expect(problemOf(checkBaseUrl("not a url"))).toBe(`baseUrl is not a URL: "not a url"`)
    expect(problemOf(checkBaseUrl("https://user:pw@api.example.com"))).toBe("baseUrl must not carry credentials")
    expect(problemOf(checkBaseUrl("https://api.example.com/v1?x=1"))).toBe(
      "baseUrl must not have a query or a fragment"
    )
    expect(problemOf(checkBaseUrl("https://api.example.com/v1#x"))).toBe("baseUrl must not have a query or a fragment")
  })

  it("refuse what is wrong, with the first problem found", () => {
    const problem = (options: Partial<Options<string, number>>) =>
      problemOf(resolve({ apiKey: "key", ...options }, millis))
    expect(problem({ timeout: 0 })).toBe("timeout must be a finite duration above zero")
    expect(problem({ deadline: Infinity })).toBe("deadline must be a finite duration above zero")
    expect(problem({ maxRetryAfter: Number.NaN })).toBe("maxRetryAfter is not a duration")
    expect(problem({ maxRetryAfter: 0 })).toBeUndefined()
    // A negative duration (Effect 4 has them) is refused where zero is allowed.
    expect(problem({ retry: { base: -1 } })).toBe("retry.base must be a finite duration of zero or more")
    expect(problem({ retry: { cap: -Infinity } })).toBe("retry.cap must be a finite duration of zero or more")
    expect(problem({ retry: { times: 1.5 } })).toBe("retry.times must be an integer of zero or more")
    expect(problem({ maxBodyBytes: 0 })).toBe("maxBodyBytes must be a positive integer")
    expect(problem({ retryBudget: { refill: -1 } })).toBe("retryBudget.refill must be a finite number of zero or more")
    expect(problem({ baseUrl: "http://x.test", timeout: 0, maxBodyBytes: 0 })).toMatch(/^baseUrl must use https:/)
    expect(problem({ timeout: 0, deadline: 0 })).toBe("timeout must be a finite duration above zero")
  })

  it("turn retries and the budget off with false", () => {
    const settings = valueOf(resolve({ apiKey: "key", retry: false, retryBudget: false }, millis))
    expect([settings.retry.times, settings.retryBudget]).toEqual([0, false])
  })
})

describe("the core's sandbox options", () => {
  const resolveSandbox = (options: SandboxOptions.SandboxOptions<never, number>) =>
    SandboxOptions.resolve(options, millis)

  it("fill in the defaults, with a random API key", () => {
    const resolved = valueOf(resolveSandbox({}))
    expect(resolved).toMatchObject({
      port: 0,
      logSize: 1000,
      faults: { enabled: false, drop: 0, rateLimit: 0, fail: 0, stall: 0, retryAfterSeconds: 1, latency: 0 }
    })
    expect(resolved.apiKey).toMatch(/^sandbox_[0-9a-f]{32}$/)
    expect(valueOf(resolveSandbox({})).apiKey).not.toBe(resolved.apiKey)
  })

  it("make the fault rates cumulative thresholds", () => {
    const resolved = valueOf(resolveSandbox({
      faults: { dropRate: 0.1, rateLimitRate: 0.2, failRate: 0.3, stallRate: 0.4, latency: 5 }
    }))
    expect(resolved.faults).toMatchObject({ enabled: true, drop: 0.1, retryAfterSeconds: 1, latency: 5 })
    expect(resolved.faults.rateLimit).toBeCloseTo(0.3)
    expect(resolved.faults.fail).toBeCloseTo(0.6)
    expect(resolved.faults.stall).toBeCloseTo(1)
  })

  it("count a negative latency (Effect 4 has them) as none", () => {
    expect(valueOf(resolveSandbox({ faults: { latency: -5 } })).faults.latency).toBe(0)
  })

  it("refuse what is wrong, with the first problem found", () => {
    const problem = (options: SandboxOptions.SandboxOptions<never, number>) => problemOf(resolveSandbox(options))
    expect(problem({ port: 65536 })).toBe("port must be an integer from 0 to 65535, got 65536")
    expect(problem({ apiKey: "with space" })).toBe("apiKey must be 1 to 200 visible ASCII characters")
    expect(problem({ faults: { failRate: 2 } })).toBe("failRate must be a number from 0 to 1, got 2")
    expect(problem({ faults: { dropRate: 0.6, stallRate: 0.6 } })).toBe("the fault rates add up to more than 1")
    expect(problem({ faults: { retryAfterSeconds: 0.5 } })).toBe("retryAfterSeconds must be a whole number of seconds")
    expect(problem({ faults: { latency: Infinity } })).toBe("latency must be a finite duration")
    expect(problem({ faults: { latency: Number.NaN } })).toBe("latency must be a finite duration")
    expect(problem({ logSize: -1 })).toBe("logSize must be a whole number")
    expect(problem({ port: -1, logSize: -1 })).toBe("port must be an integer from 0 to 65535, got -1")
  })
})
