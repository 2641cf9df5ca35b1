/**
 * Configuration, as data for both lines: the environment `SyncteraLive.config`
 * reads and the options it must give; the calls `layerConfig` makes with it;
 * the settings that must fail `layerConfig` and `layerNodeConfig` with a
 * `ConfigError`, and the options `make` must refuse, each with what the
 * error says; the options that make `layer` and `layerNode` die at build.
 * The checks ({@link configChecks}) run on a line's {@link ConfigLab}: its
 * configuration provider, layers and `make`, behind promises, which each
 * line's `config.test.ts` supplies.
 *
 * Where the lines' `ConfigError`s word a problem differently, both wordings
 * are here, with why (see {@link configErrorText}): a problem found by the
 * options' check (`src/core/options.ts`) is worded the same on both lines,
 * one found by a line's `Config` in that line's own words.
 */
import type { Options } from "../../src/core/options.js"
import type { Json, Line } from "./behaviour.js"
import { type DurationText, is, type LiveOptions, type Pattern, type WireJson } from "./liveEngine.js"
import { matching } from "./portsMatch.js"
import { cardId, widgetTokenBody } from "./portsWire.js"

/** Environment variables, as a configuration provider reads them. */
export type Env = Readonly<Record<string, string>>

// --- what config gives ---

/**
 * `SyncteraLive.config` read from `env`, as plain JSON: the key as
 * `{ redacted: value }` (so that it must be a `Redacted`), durations as
 * `{ millis }`, what is not set left out.
 */
interface ConfigRead {
  readonly name: string
  readonly env: Env
  readonly options: Json
}

const configReads: ReadonlyArray<ConfigRead> = [
  {
    name: "reads every setting, the key kept Redacted",
    env: {
      SYNCTERA_API_KEY: "the-key",
      SYNCTERA_ENVIRONMENT: "production",
      SYNCTERA_BASE_URL: "https://gateway.example/v1/",
      SYNCTERA_TIMEOUT: "5 seconds",
      SYNCTERA_DEADLINE: "1 minute",
      SYNCTERA_MAX_RETRIES: "4"
    },
    options: {
      apiKey: { redacted: "the-key" },
      environment: "production",
      baseUrl: "https://gateway.example/v1",
      timeout: { millis: 5_000 },
      deadline: { millis: 60_000 },
      retry: { times: 4 }
    }
  },
  {
    name: "leaves out what is not set: the options' defaults apply",
    env: { SYNCTERA_API_KEY: "k" },
    options: { apiKey: { redacted: "k" }, environment: "sandbox" }
  }
]

// --- what layerConfig does with it ---

/**
 * A `getWidgetToken` call on `layerConfig` from `env`, over an in-process
 * transport that gives every request `reply`, and what must be seen: the
 * call's `outcome` (`"ok"`, or the error's tag), the first request's `url`
 * (origin and path) and `authorization`, and how many `attempts` there were.
 * `expect` lists the parts a case looks at.
 */
export interface ConfiguredCall {
  readonly name: string
  readonly env: Env
  readonly reply: { readonly status: number; readonly body?: WireJson }
  readonly expect: {
    readonly outcome: string
    readonly url?: string
    readonly authorization?: string
    readonly attempts?: number
  }
}

const token = { status: 200, body: widgetTokenBody }

const widgetPath = `/v1/cards/${cardId}/widget_token`

const configuredCalls: ReadonlyArray<ConfiguredCall> = [
  {
    name: "defaults to the sandbox",
    env: { SYNCTERA_API_KEY: "key" },
    reply: token,
    expect: { outcome: "ok", url: `https://api-sandbox.synctera.com${widgetPath}` }
  },
  {
    name: "production by choice",
    env: { SYNCTERA_API_KEY: "key", SYNCTERA_ENVIRONMENT: "production" },
    reply: token,
    expect: { outcome: "ok", url: `https://api.synctera.com${widgetPath}` }
  },
  {
    name: "a base URL overrides the environment and keeps its path",
    env: {
      SYNCTERA_API_KEY: "key",
      SYNCTERA_ENVIRONMENT: "production",
      SYNCTERA_BASE_URL: "http://127.0.0.1:4010/v1/"
    },
    reply: token,
    expect: { outcome: "ok", url: `http://127.0.0.1:4010${widgetPath}` }
  },
  {
    name: "sends the configured key",
    env: { SYNCTERA_API_KEY: "the-key" },
    reply: token,
    expect: { outcome: "ok", authorization: "Bearer the-key", attempts: 1 }
  },
  {
    name: "SYNCTERA_MAX_RETRIES=0 turns retries off",
    env: { SYNCTERA_API_KEY: "k", SYNCTERA_MAX_RETRIES: "0" },
    reply: { status: 503, body: { code: "UNAVAILABLE" } },
    expect: { outcome: "Internal", attempts: 1 }
  }
]

// --- what a ConfigError says ---

/**
 * What a `ConfigError` says of a problem: the options' check's words, the
 * same on both lines, or each line's own, and why they differ.
 */
type Says = string | { readonly effect3: string; readonly effect4: string; readonly why: string }

/** Why what a line's `Config` could not read is worded by line (how each prints it is {@link configErrorText}'s). */
const byConfig = "a line's Config words what it could not read: Effect 3's in its own words (a missing " +
  "Redacted's message redacted, \"<redacted>\"), Effect 4's in its Schema's"

/** A problem of the configuration: where (the setting, none for the options as a whole), what it says, whether the setting is missing. */
interface Problem {
  readonly at?: string
  readonly says: Says
  readonly missing?: boolean
}

const saysOn = (says: Says, line: Line): string => typeof says === "string" ? says : says[line]

/**
 * The whole of a `ConfigError` as `String(error)` gives it on `line`:
 * Effect 3's prints as `(Missing|Invalid data at PATH: "MESSAGE")` (no path
 * for a problem of the options as a whole), Effect 4's as the SchemaError it
 * wraps, the path on a line of its own.
 */
const configErrorText = (line: Line, { at, missing, says }: Problem): string => {
  const message = saysOn(says, line)
  return line === "effect3"
    ? `(${missing === true ? "Missing" : "Invalid"} data at ${at ?? ""}: "${message}")`
    : `ConfigError(SchemaError(${message}${at === undefined ? "" : `\n  at ["${at}"]`}))`
}

/**
 * What a line's `ConfigError` must be, as a pattern of `{ isConfigError,
 * text }` (`text` is `String(error)`): one, whose text is the line's
 * wording of `problem` and contains what both lines' errors `mention` (the
 * line's words of it, by default).
 */
const configErrorPattern = (
  line: Line,
  problem: Problem,
  mentions: string = saysOn(problem.says, line)
): Pattern => ({
  isConfigError: true,
  text: is.all(is.containing(mentions), configErrorText(line, problem))
})

/**
 * Settings that must fail `layerConfig` and `layerNodeConfig` with a
 * `ConfigError`, before any request; `mentions`, what both lines' errors
 * contain (the setting at fault, or the check's problem).
 */
interface EnvFailure extends Problem {
  readonly name: string
  readonly env: Env
  readonly mentions: string
}

const key = { SYNCTERA_API_KEY: "k" }

const envFailures: ReadonlyArray<EnvFailure> = [
  {
    name: "a missing key",
    env: {},
    at: "SYNCTERA_API_KEY",
    missing: true,
    says: { effect3: "<redacted>", effect4: "Expected string", why: byConfig },
    mentions: "SYNCTERA_API_KEY"
  },
  {
    name: "an unknown environment",
    env: { ...key, SYNCTERA_ENVIRONMENT: "staging" },
    at: "SYNCTERA_ENVIRONMENT",
    says: {
      effect3: "Expected one of (sandbox, production) but received \"staging\"",
      effect4: "Expected \"sandbox\" | \"production\"",
      why: byConfig
    },
    mentions: "SYNCTERA_ENVIRONMENT"
  },
  {
    name: "plain http off loopback",
    env: { ...key, SYNCTERA_BASE_URL: "http://api.synctera.com/v1" },
    at: "SYNCTERA_BASE_URL",
    says: "baseUrl must use https: (http: is allowed for loopback hosts only), got http://api.synctera.com",
    mentions: "baseUrl must use https: (http: is allowed for loopback hosts only), got http://api.synctera.com"
  },
  {
    name: "a base URL that is not a URL",
    env: { ...key, SYNCTERA_BASE_URL: "api.synctera.com" },
    at: "SYNCTERA_BASE_URL",
    says: "baseUrl is not a URL: \"api.synctera.com\"",
    mentions: "baseUrl is not a URL: \"api.synctera.com\""
  },
  {
    name: "a bad timeout",
    env: { ...key, SYNCTERA_TIMEOUT: "soon" },
    at: "SYNCTERA_TIMEOUT",
    says: {
      effect3: "Expected a duration but received \"soon\"",
      effect4: "Expected a valid Duration string",
      why: byConfig
    },
    mentions: "SYNCTERA_TIMEOUT"
  },
  {
    name: "a bad deadline",
    env: { ...key, SYNCTERA_DEADLINE: "-" },
    at: "SYNCTERA_DEADLINE",
    says: {
      effect3: "Expected a duration but received \"-\"",
      effect4: "Expected a valid Duration string",
      why: byConfig
    },
    mentions: "SYNCTERA_DEADLINE"
  },
  {
    name: "fractional retries",
    env: { ...key, SYNCTERA_MAX_RETRIES: "1.5" },
    at: "SYNCTERA_MAX_RETRIES",
    says: { effect3: "Expected an integer value but received \"1.5\"", effect4: "Expected an integer", why: byConfig },
    mentions: "SYNCTERA_MAX_RETRIES"
  },
  {
    // Read as an integer, refused by the options' check: a problem of the options, at no setting.
    name: "negative retries",
    env: { ...key, SYNCTERA_MAX_RETRIES: "-1" },
    says: "retry.times must be an integer of zero or more",
    mentions: "retry.times must be an integer of zero or more"
  }
]

// --- what make refuses ---

/**
 * Options as a JavaScript caller may pass them, but the key: durations as
 * numbers or text, `"Infinity"` among them (which only Effect 4's
 * `Duration.Input` has a type for).
 */
export type CallerOptions = Omit<Options<never, number | DurationText | "Infinity">, "apiKey">

/** Options that `make` must refuse with a `ConfigError` (a problem of the options as a whole, at no setting). */
interface RefusedOptions extends Problem {
  readonly name: string
  readonly options: CallerOptions
}

const refusedOptions: ReadonlyArray<RefusedOptions> = [
  {
    name: "http off loopback",
    options: { baseUrl: "http://10.0.0.1/v1" },
    says: "baseUrl must use https: (http: is allowed for loopback hosts only), got http://10.0.0.1"
  },
  {
    name: "credentials in the URL",
    options: { baseUrl: "https://user:pass@api.synctera.com/v1" },
    says: "baseUrl must not carry credentials"
  },
  {
    name: "a query in the URL",
    options: { baseUrl: "https://api.synctera.com/v1?x=1" },
    says: "baseUrl must not have a query or a fragment"
  },
  { name: "a zero timeout", options: { timeout: 0 }, says: "timeout must be a finite duration above zero" },
  { name: "a negative deadline", options: { deadline: -5 }, says: "deadline must be a finite duration above zero" },
  {
    name: "an infinite deadline",
    options: { deadline: Number.POSITIVE_INFINITY },
    says: "deadline must be a finite duration above zero"
  },
  {
    name: "an infinite deadline, as text",
    options: { deadline: "Infinity" },
    says: {
      effect3: "deadline is not a duration",
      effect4: "deadline must be a finite duration above zero",
      why:
        "Effect 3's Duration reads no \"Infinity\" text (it is not a duration there); Effect 4's reads it as infinity"
    }
  },
  // Effect 3 makes a negative duration zero: refused as meant, as on the Effect 4 line.
  {
    name: "a negative backoff",
    options: { retry: { base: -1 } },
    says: "retry.base must be a finite duration of zero or more"
  },
  {
    name: "a negative backoff cap, as text",
    options: { retry: { cap: "-5 seconds" } },
    says: "retry.cap must be a finite duration of zero or more"
  },
  {
    name: "fractional retries",
    options: { retry: { times: 1.5 } },
    says: "retry.times must be an integer of zero or more"
  },
  { name: "a zero body limit", options: { maxBodyBytes: 0 }, says: "maxBodyBytes must be a positive integer" },
  {
    name: "a negative retry cost",
    options: { retryBudget: { retryCost: -1 } },
    says: "retryBudget.retryCost must be a finite number of zero or more"
  },
  {
    name: "an infinite budget capacity",
    options: { retryBudget: { capacity: Number.POSITIVE_INFINITY } },
    says: "retryBudget.capacity must be a finite number of zero or more"
  }
]

/** Loopback base URLs that `make` accepts over plain http. */
const loopbackBaseUrls = [
  "http://127.0.0.1:1/v1",
  "http://localhost:1/v1",
  "http://[::1]:1/v1",
  "http://127.1.2.3/v1"
]

// --- what makes a layer die ---

/** Options that `layer` and `layerNode` both die on at build, before any request: a layer's options are the caller's bug. */
const dyingOptions: ReadonlyArray<{ readonly name: string; readonly options: LiveOptions }> = [
  { name: "a base URL that is not http(s)", options: { baseUrl: "ftp://x" } },
  { name: "a negative body limit", options: { maxBodyBytes: -1 } }
]

// --- what a line supplies, and the checks ---

/** An effect of a line, run: whether it failed, and with what (the line's error, as it is). */
export type Tried = { readonly failed: false } | { readonly failed: true; readonly error: unknown }

/** A request a line's scripted transport got, as both lines' `ScriptedClient`s record it. */
interface ScriptedRequest {
  readonly url: URL
  readonly request: { readonly headers: { readonly [name: string]: string | undefined } }
}

/**
 * What a line gives the checks: its configuration, layers and `make`,
 * behind promises (their calls are each line's Effect API). Everything else
 * — the cases, what is observed of what these give, the checks — is here.
 */
export interface ConfigLab {
  readonly line: Line
  /** `SyncteraLive.config` read from `env`, as plain JSON (see {@link ConfigRead}). */
  readonly read: (env: Env) => Promise<Json>
  /**
   * A `getWidgetToken` call on `layerConfig` from `env`, over an in-process
   * transport that gives every request `reply`: the outcome (`"ok"`, or the
   * error's tag) and the requests.
   */
  readonly callLayerConfig: (
    env: Env,
    reply: ConfiguredCall["reply"]
  ) => Promise<{ readonly outcome: string; readonly requests: ReadonlyArray<ScriptedRequest> }>
  /** `layerConfig` built from `env` over an in-process transport, and the requests it got. */
  readonly buildLayerConfig: (env: Env) => Promise<{ readonly built: Tried; readonly requests: number }>
  /** `layerNodeConfig` built from `env`. */
  readonly buildLayerNodeConfig: (env: Env) => Promise<Tried>
  /** `make` with a key and `options`, as a JavaScript caller may pass them, over an in-process transport. */
  readonly make: (options: CallerOptions) => Promise<Tried>
  /**
   * A `getWidgetToken` call on `layer` (over an in-process transport) and on
   * `layerNode`, each with a key and `options`: whether each died at build
   * (defects only, as the line's `Cause` has them), and the requests.
   */
  readonly die: (options: LiveOptions) => Promise<{ readonly died: ReadonlyArray<boolean>; readonly requests: number }>
  /** Whether an error is the line's `ConfigError`. */
  readonly isConfigError: (error: unknown) => boolean
  /** `SyncteraLive.environmentUrls`. */
  readonly environmentUrls: Readonly<Record<string, string>>
}

/** A check: its group and name (one test), and what it gives: what it saw as the pattern sees it, and the pattern. */
export interface ConfigCheck {
  readonly group: "config" | "layerConfig" | "layerNodeConfig" | "make and layer"
  readonly name: string
  readonly check: (lab: ConfigLab) => Promise<{ readonly actual: unknown; readonly expected: Pattern }>
}

/** A failure as the checks look at it: whether it is a `ConfigError`, and `String(error)`. */
const seenError = (lab: ConfigLab, tried: Tried): Json =>
  tried.failed ? { isConfigError: lab.isConfigError(tried.error), text: String(tried.error) } : "it did not fail"

/** Every check, in its group. */
export const configChecks: ReadonlyArray<ConfigCheck> = [
  ...configReads.map(({ env, name, options }): ConfigCheck => ({
    group: "config",
    name,
    check: async (lab) => matching(await lab.read(env), is.exactly(options))
  })),
  ...configuredCalls.map(({ env, expect, name, reply }): ConfigCheck => ({
    group: "layerConfig",
    name,
    check: async (lab) => {
      const { outcome, requests } = await lab.callLayerConfig(env, reply)
      const [first] = requests
      return matching({
        outcome,
        url: first === undefined ? "no request" : first.url.origin + first.url.pathname,
        authorization: first?.request.headers["authorization"] ?? "none",
        attempts: requests.length
      }, expect)
    }
  })),
  ...envFailures.map((failure): ConfigCheck => ({
    group: "layerConfig",
    name: `${failure.name} is a ConfigError, not a crash`,
    check: async (lab) => {
      const { built, requests } = await lab.buildLayerConfig(failure.env)
      return matching(
        { error: seenError(lab, built), requests },
        { error: configErrorPattern(lab.line, failure, failure.mentions), requests: 0 }
      )
    }
  })),
  ...envFailures.map((failure): ConfigCheck => ({
    group: "layerNodeConfig",
    name: `${failure.name} fails it with a ConfigError, before any request`,
    check: async (lab) =>
      matching(
        seenError(lab, await lab.buildLayerNodeConfig(failure.env)),
        configErrorPattern(lab.line, failure, failure.mentions)
      )
  })),
  ...refusedOptions.map((refused): ConfigCheck => ({
    group: "make and layer",
    name: `make refuses ${refused.name} with a ConfigError`,
    check: async (lab) =>
      matching(seenError(lab, await lab.make(refused.options)), configErrorPattern(lab.line, refused))
  })),
  {
    group: "make and layer",
    name: "make accepts loopback http, localhost and [::1]",
    check: async (lab) => {
      const made: Array<Json> = []
      for (const baseUrl of loopbackBaseUrls) made.push(seenError(lab, await lab.make({ baseUrl })))
      return matching(made, loopbackBaseUrls.map(() => "it did not fail"))
    }
  },
  ...dyingOptions.map(({ name, options }): ConfigCheck => ({
    group: "make and layer",
    name: `layer and layerNode die (at build, before any request) on ${name}`,
    check: async (lab) => {
      const { died, requests } = await lab.die(options)
      return matching({ died: [...died], requests }, { died: [true, true], requests: 0 })
    }
  })),
  {
    group: "make and layer",
    name: "exposes the environments' URLs",
    check: async (lab) =>
      matching(
        lab.environmentUrls,
        is.exactly({ sandbox: "https://api-sandbox.synctera.com/v1", production: "https://api.synctera.com/v1" })
      )
  }
]

/** The checks by group, in order: what a driver makes a `describe` each. */
export const configGroups = [...new Set(configChecks.map(({ group }) => group))].map((group) => ({
  group,
  checks: configChecks.filter((check) => check.group === group)
}))
