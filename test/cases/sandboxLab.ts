/**
 * The sandbox cases' engine, shared by both Effect lines: what a line
 * supplies to run them (its sandbox and its live client, behind plain
 * promises: {@link SandboxLab}), what a case is ({@link SandboxCase}: a list
 * of requests with the answers they must get, as data, or a scenario that
 * gives what it saw as plain JSON), and how what a case must see is written
 * ({@link Expected}: JSON with a few matchers). Each line's test file starts
 * its own sandboxes and runs the cases, one test each; everything else is
 * here, once, so the lines cannot drift apart.
 *
 * No Effect here: the engine imports only the other shared cases, the
 * Effect-free core's types and `node:` builtins.
 */
import type { ModelRequest } from "../../src/core/model/Answers.js"
import type { InjectedFailure } from "../../src/core/model/Outcome.js"
import type { PceUris } from "../../src/core/model/Pce.js"
import type { SeedJson } from "../../src/core/model/Seed.js"
import type { cardWidgetTypes } from "../../src/core/rules.js"
import type { SandboxOptions } from "../../src/core/sandbox/options.js"
import type { Card, Json } from "./behaviour.js"
import {
  isJsonRecord,
  requestLabel,
  type SandboxAddress,
  type SandboxAnswer,
  type SandboxRequest,
  send
} from "./sandboxHttp.js"

// --- what a line supplies ---

/**
 * One of a line's effects, run: its success, or its failure (the line's
 * error, as it is). A line's `runPromise` would reject with its own wrapper
 * of the failure; the cases look at the failure itself.
 */
export type Settled<A, E> = { readonly success: A } | { readonly failure: E }

/** A line's error, as the cases look at it: by its tag (the lines' error classes differ; their tags do not). */
export interface Tagged {
  readonly _tag: string
}

/** A latency that both lines' `Duration` inputs take, so that one case's options suit both lines. */
export type Latency = number | `${number} millis` | `${number} seconds`

/**
 * A sandbox's options as data: the core's, with the seed in its JSON form,
 * which each line decodes with its own `Seed` schema (the decoded seeds of
 * the lines differ, in their `DateTime`s).
 */
export type SandboxCaseOptions = SandboxOptions<SeedJson, Latency>

/** A request the sandbox logged, as each line's `RequestRecord` has it: a line's records pass as they are. */
export interface LoggedRequest {
  readonly method: string
  readonly url: string
  readonly idempotencyKey: string | undefined
  readonly status: number | undefined
  readonly fault: string | undefined
}

/** An FDX token as the sandbox's controls give it (each line's decoded `FdxToken`, as it is): its status is enough here. */
export interface ControlledToken {
  readonly status: string
}

/** Why a sandbox did not start: each line's `SandboxError` (it passes as it is). */
export interface StartError extends Tagged {
  readonly reason: string
  readonly message: string
}

/** The same, and whether it is an instance of the line's `SandboxError` class (which the server cases check). */
export interface StartFailure extends StartError {
  readonly isSandboxError: boolean
}

/** The live client's options that the cases set: a part of each line's `SyncteraLive.layer` options that both lines take. */
export interface LiveOptions {
  readonly timeout?: `${number} millis`
  readonly retry: { readonly times: number; readonly base: `${number} millis`; readonly cap?: `${number} millis` }
}

/** The widget types (`cardWidgetTypes` of the core). */
type WidgetType = (typeof cardWidgetTypes)[number]

/**
 * A line's live client on a sandbox, behind promises (its calls are each
 * line's Effect API); its answers are the line's own values, read by field.
 * The fault cases need only widget tokens.
 */
export interface WidgetTokenClient {
  readonly getWidgetToken: (input: {
    readonly cardId: string
    readonly widgetType: WidgetType
    readonly idempotencyKey?: string
  }) => Promise<Settled<{ readonly tenant: string; readonly widgetToken: string }, Tagged>>
}

/** The whole live client the cases use: widget tokens, FDX tokens and the Plaid Core Exchange login. */
export interface LiveClient extends WidgetTokenClient {
  readonly getFdxToken: (input: {
    readonly fdxTokenId: string
  }) => Promise<Settled<{ readonly id: string; readonly tokenType: string }, Tagged>>
  /** `streamFdxTokens()`, every item. */
  readonly streamFdxTokens: () => Promise<Settled<ReadonlyArray<{ readonly id: string }>, Tagged>>
  readonly getAuthorizationTest: () => Promise<Settled<{ readonly redirectUrl?: string | undefined }, Tagged>>
  readonly grantFdxAuthRequest: (input: {
    readonly authRequestId: string
    readonly status: "GRANTED" | "DENIED" | "ERROR"
    readonly customerId?: string
  }) => Promise<Settled<{ readonly redirectUri: string }, Tagged>>
}

/** What the fault cases need of a running sandbox: less than the server cases, so that a line's faults test adapts less. */
export interface FaultSandbox extends SandboxAddress {
  /** The requests it logged, oldest first. */
  readonly requests: () => Promise<ReadonlyArray<LoggedRequest>>
  /** Its model's answer to a request, as if it had come over the wire. */
  readonly handle: (request: ModelRequest) => Promise<{ readonly status: number; readonly body: unknown }>
  readonly failNext: (n: number, failure: InjectedFailure) => Promise<void>
  /** The line's live client (undici) on this sandbox, stopped with it. */
  readonly liveClient: (options: LiveOptions) => Promise<WidgetTokenClient>
  /** Stops it (and drops every open connection); the case does, at its end, if it has not. */
  readonly stop: () => Promise<void>
}

/** What the server cases need of a running sandbox: the controls, and the whole live client. */
export interface RunningSandbox extends FaultSandbox {
  readonly addCards: (cards: ReadonlyArray<Card>) => Promise<void>
  readonly setUris: (uris: Partial<PceUris>) => Promise<void>
  readonly refreshFdxToken: (id: string) => Promise<Settled<ReadonlyArray<ControlledToken>, Tagged>>
  readonly revokeFdxToken: (id: string) => Promise<Settled<ControlledToken, Tagged>>
  readonly liveClient: (options: LiveOptions) => Promise<LiveClient>
}

/** How a line starts a sandbox: with its `make`, or by building its `Sandbox.layer` (the cases hold both to the same answers). */
export type StartedBy = "make" | "layer"

/**
 * A line's sandboxes, for the cases: `start` starts one (in a scope of its
 * own, which the sandbox's `stop` closes), or says why it did not. This is
 * all a line's test file has to supply to run the cases.
 */
export interface SandboxLab<S extends FaultSandbox = RunningSandbox, F extends StartError = StartFailure> {
  readonly start: (options: SandboxCaseOptions, by: StartedBy) => Promise<Settled<S, F>>
}

/** What the fault cases need of a line (see {@link FaultSandbox}). */
export type FaultLab = SandboxLab<FaultSandbox, StartError>

// --- what a case must see ---

/** Any string. */
interface AnyString {
  readonly $string: true
}

/** A string matching a regular expression (its source and flags). */
interface Matching {
  readonly $matches: string
  readonly flags: string
}

/** A string containing a text. */
interface Containing {
  readonly $contains: string
}

/** A number greater than the first and less than the second. */
interface Between {
  readonly $between: readonly [number, number]
}

/** An object with these fields (and maybe others); `absent` ones are not there. */
interface WithFields {
  readonly $partial: { readonly [key: string]: Expected | Absent }
}

/** In a {@link partial} object: the field is not there. */
interface Absent {
  readonly $absent: true
}

type Matcher = AnyString | Matching | Containing | Between | WithFields

/**
 * What a case must see: plain JSON, which must be there exactly, with
 * matchers where the value is random or not the case's business (see the
 * helpers below). Objects in an expectation never have keys starting with
 * `$`: those are the matchers'.
 */
export type Expected =
  | null
  | boolean
  | number
  | string
  | Matcher
  | ReadonlyArray<Expected>
  | { readonly [key: string]: Expected }

/** Any string (a `detail` that is not the case's business). */
export const anyString: Expected = { $string: true }

/** A string matching `pattern`. */
export const matching = (pattern: RegExp): Expected => ({ $matches: pattern.source, flags: pattern.flags })

/** A string containing `text`. */
export const containing = (text: string): Expected => ({ $contains: text })

/** A number greater than `above` and less than `below`. */
export const between = (above: number, below: number): Expected => ({ $between: [above, below] })

/** An object with at least these fields; those given as {@link absent} must not be there. */
export const partial = (fields: { readonly [key: string]: Expected | Absent }): Expected => ({ $partial: fields })

/** In {@link partial}: the field is not there. */
export const absent: Absent = { $absent: true }

/** A Synctera error body with this code and status (its `detail` any string), maybe more fields. */
export const errorBody = (code: string, status: number): Expected => partial({ code, status, detail: anyString })

/** Exactly a Synctera error body: this code and status, any `detail`, and `extra` (`missing`, `invalid`, …). */
export const exactErrorBody = (code: string, status: number, extra: { readonly [key: string]: Expected } = {}) => ({
  ...extra,
  code,
  status,
  detail: anyString
})

const isList = <A>(value: A | ReadonlyArray<A>): value is ReadonlyArray<A> => Array.isArray(value)

const isMatcher = (value: Expected): value is Matcher =>
  typeof value === "object" && value !== null && !isList(value) &&
  ("$string" in value || "$matches" in value || "$contains" in value || "$between" in value || "$partial" in value)

const isAbsent = (value: Expected | Absent): value is Absent =>
  typeof value === "object" && value !== null && "$absent" in value

/** What `observed` must equal for a matcher: `observed` itself when it matches, what was wanted when not. */
const resolveMatcher = (observed: Json | undefined, matcher: Matcher): Json => {
  if ("$string" in matcher) return typeof observed === "string" ? observed : "<any string>"
  if ("$matches" in matcher) {
    const ok = typeof observed === "string" && new RegExp(matcher.$matches, matcher.flags).test(observed)
    return ok ? observed : `<a string matching /${matcher.$matches}/${matcher.flags}>`
  }
  if ("$contains" in matcher) {
    const ok = typeof observed === "string" && observed.includes(matcher.$contains)
    return ok ? observed : `<a string containing ${JSON.stringify(matcher.$contains)}>`
  }
  if ("$between" in matcher) {
    const [above, below] = matcher.$between
    const ok = typeof observed === "number" && observed > above && observed < below
    return ok ? observed : `<a number greater than ${above} and less than ${below}>`
  }
  if (!isJsonRecord(observed)) return `<an object with ${Object.keys(matcher.$partial).join(", ")}>`
  const resolved: Record<string, Json> = { ...observed }
  for (const [key, wanted] of Object.entries(matcher.$partial)) {
    if (isAbsent(wanted)) {
      if (key in observed) resolved[key] = "<absent>"
    } else {
      resolved[key] = resolveExpected(observed[key], wanted)
    }
  }
  return resolved
}

/**
 * The plain JSON that `observed` must equal to meet `expected`: `expected`
 * itself, with each matcher replaced by what it matched in `observed`, or by
 * a description of what it wanted where it matched nothing. A line's test
 * compares the two with its own `toEqual`, whose diff then shows only what
 * is wrong.
 */
const resolveExpected = (observed: Json | undefined, expected: Expected): Json => {
  if (isMatcher(expected)) return resolveMatcher(observed, expected)
  if (isList(expected)) {
    const items = isList(observed) ? observed : []
    return expected.map((item, index) => resolveExpected(items[index], item))
  }
  if (typeof expected === "object" && expected !== null) {
    const fields = isJsonRecord(observed) ? observed : {}
    return Object.fromEntries(
      Object.entries(expected).map(([key, value]) => [key, resolveExpected(fields[key], value)])
    )
  }
  return expected
}

// --- observing a line's values ---

/** A settled call, as plain JSON: `{ success: view(value) }`, or `{ failure: _tag }`. */
export const plainSettled = <A>(outcome: Settled<A, Tagged>, view: (value: A) => Json): Json =>
  "success" in outcome ? { success: view(outcome.success) } : { failure: outcome.failure._tag }

/** A logged request as plain JSON (what is `undefined` left out). */
export const plainLogged = (entry: LoggedRequest): Json => ({
  method: entry.method,
  url: entry.url,
  ...(entry.idempotencyKey === undefined ? {} : { idempotencyKey: entry.idempotencyKey }),
  ...(entry.status === undefined ? {} : { status: entry.status }),
  ...(entry.fault === undefined ? {} : { fault: entry.fault })
})

/** How many times each value comes, by value. */
export const tally = (values: ReadonlyArray<number | string>): Json => {
  const counts: Record<string, number> = {}
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1
  return counts
}

// --- the cases ---

/** What an answer must be: its status, and what is given of its JSON body, its text and its headers (`null`: absent). */
export interface ExpectedAnswer {
  readonly status: number
  readonly json?: Expected
  readonly text?: Expected
  readonly headers?: { readonly [name: string]: Expected }
}

/** One request of a case, and the answer it must get. */
export interface Exchange {
  readonly send: SandboxRequest
  readonly expect: ExpectedAnswer
}

/** A case as data: requests sent in order to one new sandbox, each with the answer it must get. */
export interface ExchangeCase {
  readonly name: string
  readonly sandbox?: SandboxCaseOptions
  readonly exchanges: ReadonlyArray<Exchange>
  /** How many requests the sandbox must have logged at the end (requests refused before the model are not). */
  readonly logged?: number
}

/** A case's way to start sandboxes of the line it runs on; each stops at the end of the case, if not before. */
export interface CaseSandboxes<S extends FaultSandbox, F extends StartError> {
  /** Starts one, with `make` unless told (the case fails if it does not start). */
  readonly start: (options?: SandboxCaseOptions, by?: StartedBy) => Promise<S>
  /** Starts one, with `make` unless told, or says why it did not. */
  readonly tryStart: (options: SandboxCaseOptions, by?: StartedBy) => Promise<Settled<S, F>>
}

/** A case as a scenario: what it does with the line's sandboxes, and what it must see, as plain JSON. */
export interface ScenarioCase<S extends FaultSandbox = RunningSandbox, F extends StartError = StartFailure> {
  readonly name: string
  readonly run: (sandboxes: CaseSandboxes<S, F>) => Promise<Json>
  readonly expect: Expected
}

/** One sandbox case, run by each line as one test named after it. */
export type SandboxCase<S extends FaultSandbox = RunningSandbox, F extends StartError = StartFailure> =
  | ExchangeCase
  | ScenarioCase<S, F>

/** A fault case: it needs less of a line (see {@link FaultSandbox}). */
export type FaultCase = SandboxCase<FaultSandbox, StartError>

/** What a case saw, and what it must equal (see {@link resolveExpected}). */
export interface CaseRun {
  readonly observed: Json
  readonly expected: Json
}

/** An answer, observed as far as `expected` looks at it (compare it with {@link expectedAnswer}). */
export const observeAnswer = (answer: SandboxAnswer, expected: ExpectedAnswer): Json => {
  const { headers, json, text } = expected
  return {
    status: answer.status,
    ...(json === undefined ? {} : { json: answer.json ?? `<not JSON: ${answer.text.slice(0, 200)}>` }),
    ...(text === undefined ? {} : { text: answer.text }),
    ...(headers === undefined ? {} : {
      headers: Object.fromEntries(Object.keys(headers).map((name) => [name, answer.headers.get(name)]))
    })
  }
}

/** What {@link observeAnswer} must give. */
export const expectedAnswer = (expected: ExpectedAnswer): Expected => ({
  status: expected.status,
  ...(expected.json === undefined ? {} : { json: expected.json }),
  ...(expected.text === undefined ? {} : { text: expected.text }),
  ...(expected.headers === undefined ? {} : { headers: expected.headers })
})

const observe = async (sandbox: SandboxAddress, exchange: Exchange): Promise<Json> => ({
  request: requestLabel(exchange.send),
  answer: observeAnswer(await send(sandbox, exchange.send), exchange.expect)
})

const expectationOf = (exchange: Exchange): Expected => ({
  request: requestLabel(exchange.send),
  answer: expectedAnswer(exchange.expect)
})

/** Runs `f` once: later calls get the first call's promise. */
const once = (f: () => Promise<void>): () => Promise<void> => {
  let running: Promise<void> | undefined
  return () => (running ??= f())
}

/**
 * Runs a case on a line's sandboxes, and stops every sandbox it started,
 * whatever happens.
 */
export const runSandboxCase = async <S extends FaultSandbox, F extends StartError>(
  lab: SandboxLab<S, F>,
  testCase: SandboxCase<S, F>
): Promise<CaseRun> => {
  const started: Array<S> = []
  const tryStart = async (options: SandboxCaseOptions, by: StartedBy = "make"): Promise<Settled<S, F>> => {
    const outcome = await lab.start(options, by)
    if ("failure" in outcome) return outcome
    // A case may stop a sandbox itself; the end of the case then does not again.
    const sandbox = { ...outcome.success, stop: once(outcome.success.stop) }
    started.push(sandbox)
    return { success: sandbox }
  }
  const start = async (options: SandboxCaseOptions = {}, by: StartedBy = "make"): Promise<S> => {
    const outcome = await tryStart(options, by)
    if ("failure" in outcome) throw new Error(`the sandbox did not start: ${outcome.failure.message}`)
    return outcome.success
  }
  try {
    if ("run" in testCase) {
      const observed = await testCase.run({ start, tryStart })
      return { observed, expected: resolveExpected(observed, testCase.expect) }
    }
    const sandbox = await start(testCase.sandbox)
    const answers: Array<Json> = []
    for (const exchange of testCase.exchanges) answers.push(await observe(sandbox, exchange))
    const expected = testCase.exchanges.map(expectationOf)
    if (testCase.logged === undefined) return { observed: answers, expected: resolveExpected(answers, expected) }
    const observed = { answers, logged: (await sandbox.requests()).length }
    return { observed, expected: resolveExpected(observed, { answers: expected, logged: testCase.logged }) }
  } finally {
    await Promise.all(started.map((sandbox) => sandbox.stop()))
  }
}
