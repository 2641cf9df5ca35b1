/**
 * Runs a case of the behaviour table (`behaviour.ts`) over one stand-in of
 * one line, without Effect: the line gives a `Driver` (its service and the
 * model's controls, each answer already plain JSON), and everything else —
 * the steps in order, references to earlier results, selectors, masks, the
 * observations — is done here, once for both lines.
 */
import type {
  CallName,
  Card,
  Case,
  ErrorSummary,
  Injection,
  Input,
  Json,
  JsonObject,
  Line,
  Observation,
  Observed,
  Ref,
  Selector,
  Step,
  StreamName
} from "./behaviour.js"
import { cases, errorSummaryFields, masks } from "./behaviour.js"

/** What a line's stand-in answered, as plain JSON. */
export type Answer =
  | { readonly ok: Json }
  | { readonly error: JsonObject }
  | { readonly refused: string }

/**
 * One stand-in of one line, as the table drives it. `input` is plain JSON
 * (`undefined` for none), passed as a JavaScript caller would pass it: the
 * line's own checks decide what it makes of it.
 */
export interface Driver {
  readonly call: (operation: CallName, input: Json | undefined) => Promise<Answer>
  /** Every item of the stream, as one array. */
  readonly stream: (operation: StreamName, input: Json | undefined) => Promise<Answer>
  readonly failNext: (n: number, failure: Injection) => Promise<void>
  readonly addCards: (cards: ReadonlyArray<Card>) => Promise<void>
  readonly exchange: (code: string) => Promise<Answer>
  readonly refreshFdxToken: (id: string) => Promise<Answer>
  readonly revokeFdxToken: (id: string) => Promise<Answer>
}

/**
 * What a case gave on one stand-in: `observed`, to compare with the table;
 * `raw`, the same with every field of every error (raw body, request id),
 * to compare the stand-ins of one line with each other.
 */
export interface Run {
  readonly observed: ReadonlyArray<Json>
  readonly raw: ReadonlyArray<Json>
}

/** What a step says of its observation (nothing, for a control that gives nothing). */
const observedOf = (current: Step): Observed =>
  "call" in current || "stream" in current || current.control === "exchange" ||
    current.control === "refreshFdxToken" || current.control === "revokeFdxToken"
    ? current
    : {}

/** The observations a case must give on `line`, in order: the contract's, or the line's known difference. */
export const expectedOf = (testCase: Case, line: Line): ReadonlyArray<Observation> =>
  testCase.steps.flatMap((current) => {
    const { differs, expect } = observedOf(current)
    const expected = differs?.[line] ?? expect
    return expected === undefined ? [] : [expected]
  })

/** The cases where `line` does not give the contract's observations today, with why. */
export const differencesOf = (line: Line): ReadonlyArray<{ readonly name: string; readonly why: string }> =>
  cases.flatMap((testCase) =>
    testCase.steps.flatMap((current) => {
      const { differs } = observedOf(current)
      return differs?.[line] === undefined ? [] : [{ name: testCase.name, why: differs.why }]
    })
  )

// --- plain values ---

const isObject = (value: unknown): value is { readonly [key: string]: unknown } =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/**
 * A value of a line as plain JSON: own enumerable fields in key order,
 * `undefined` left out; `special` turns the line's own data types (its
 * `DateTime`, its `Duration`) into JSON first. Anything else that is not
 * JSON is a mistake of the table or of a line, and throws.
 */
export const toPlain = (value: unknown, special: (value: unknown) => Json | undefined): Json => {
  const converted = special(value)
  if (converted !== undefined) return converted
  if (value === null || typeof value === "string" || typeof value === "boolean") return value
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`not JSON: ${value}`)
    return value
  }
  if (Array.isArray(value)) return value.map((item: unknown) => item === undefined ? null : toPlain(item, special))
  if (isObject(value)) {
    const out: Record<string, Json> = {}
    for (const key of Object.keys(value).sort()) {
      const field = value[key]
      if (field !== undefined) out[key] = toPlain(field, special)
    }
    return out
  }
  throw new Error(`not JSON: ${typeof value}`)
}

/** An object of a line (an error, with its `_tag` and `message`) as a plain JSON object; see {@link toPlain}. */
export const toPlainObject = (value: object, special: (value: unknown) => Json | undefined): JsonObject => {
  const plain = toPlain(value, special)
  if (!isObject(plain)) throw new Error("not a JSON object")
  return plain
}

/** The observed fields of an error already made plain. */
export const summarizeError = (error: JsonObject): ErrorSummary => {
  const summary: Record<string, Json> = {}
  for (const field of errorSummaryFields) {
    const value = error[field]
    if (value !== undefined) summary[field] = value
  }
  return summary
}

// --- references, selectors, masks ---

const at = (value: Json | undefined, path: ReadonlyArray<string | number>): Json | undefined => {
  let current = value
  for (const segment of path) {
    if (Array.isArray(current)) {
      current = typeof segment === "number" || /^\d+$/.test(segment) ? current[Number(segment)] : undefined
    } else if (isObject(current) && typeof segment === "string") {
      current = current[segment]
    } else {
      return undefined
    }
  }
  return current
}

const isRef = (input: Input): input is Ref => isObject(input) && "$ref" in input

/** An input with its references replaced by what they point at (a key pointing at nothing is left out). */
export const resolve = (input: Input, results: ReadonlyMap<string, Json>): Json | undefined => {
  if (typeof input !== "object" || input === null) return input
  if (isRef(input)) {
    if (!results.has(input.$ref)) throw new Error(`no earlier step is named ${input.$ref}`)
    const found = at(results.get(input.$ref), input.path ?? [])
    if (input.urlParam === undefined) return found
    if (typeof found !== "string" || !URL.canParse(found)) return undefined
    return new URL(found).searchParams.get(input.urlParam) ?? undefined
  }
  if (Array.isArray(input)) return input.map((item: Input) => resolve(item, results) ?? null)
  const out: Record<string, Json> = {}
  for (const [key, item] of Object.entries(input)) {
    const value = resolve(item, results)
    if (value !== undefined) out[key] = value
  }
  return out
}

const selectPath = (value: Json | undefined, segments: ReadonlyArray<string>): Json | undefined => {
  let current = value
  for (const [index, segment] of segments.entries()) {
    if (segment === "*") {
      if (!Array.isArray(current)) return undefined
      const rest = segments.slice(index + 1)
      return current.map((item: Json) => selectPath(item, rest) ?? null)
    }
    if (segment.endsWith("?") && index === segments.length - 1) {
      return at(current, [segment.slice(0, -1)]) !== undefined
    }
    current = segment === "length" && Array.isArray(current) ? current.length : at(current, [segment])
  }
  return current
}

/** What `selector` picks of `value` (see `Selector`). */
export const select = (value: Json | undefined, selector: Selector): Json | undefined => {
  if (typeof selector === "string") return selectPath(value, selector === "" ? [] : selector.split("."))
  if (Array.isArray(selector)) return selector.map((item: Selector) => select(value, item) ?? null)
  if (isObject(selector) && "$each" in selector && typeof selector.$each === "string") {
    const items = select(value, selector.$each)
    const sub = selector.select
    return Array.isArray(items) ? items.map((item: Json) => select(item, sub) ?? null) : undefined
  }
  const out: Record<string, Json> = {}
  for (const [key, item] of Object.entries(selector)) {
    const picked = select(value, item)
    if (picked !== undefined) out[key] = picked
  }
  return out
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The shape of a URL's query: its parameters' names, and the value of `error`. */
const shapeOf = (url: string): string => {
  if (!URL.canParse(url)) return url
  const params = new URL(url).searchParams
  return [...params.keys()].map((name) => name === "error" ? `error=${params.get(name)}` : name).join("&")
}

/** Masks the random parts of successes (see `masks`), numbering them per case in order of appearance. */
const makeMasker = () => {
  const seen = new Map<string, Map<string, number>>()
  const numbered = (key: string, value: string): string => {
    let values = seen.get(key)
    if (values === undefined) seen.set(key, values = new Map())
    let n = values.get(value)
    if (n === undefined) values.set(value, n = values.size + 1)
    return `<${key}:${n}>`
  }
  const mask = (value: Json): Json => {
    if (Array.isArray(value)) return value.map(mask)
    if (!isObject(value)) return value
    const out: Record<string, Json> = {}
    for (const key of Object.keys(value).sort()) {
      const field = value[key] ?? null
      const kind = masks[key]
      out[key] = typeof field !== "string" || kind === undefined
        ? mask(field)
        : kind === "url"
        ? shapeOf(field)
        : kind === "uuid" && !uuid.test(field)
        ? field
        : numbered(key, field)
    }
    return out
  }
  return mask
}

// --- running a case ---

const step = async (
  driver: Driver,
  current: Step,
  results: ReadonlyMap<string, Json>
): Promise<Answer | undefined> => {
  const input = (value: Input | undefined) => value === undefined ? undefined : resolve(value, results)
  const text = (value: Input) => {
    const resolved = resolve(value, results)
    return typeof resolved === "string" ? resolved : ""
  }
  if ("call" in current) return driver.call(current.call, input(current.input))
  if ("stream" in current) {
    const answer = await driver.stream(current.stream, input(current.input))
    const where = current.where
    if (!("ok" in answer) || where === undefined || !Array.isArray(answer.ok)) return answer
    const wanted = Object.entries(where).map(([field, value]) => [field, resolve(value, results)] as const)
    return { ok: answer.ok.filter((item: Json) => wanted.every(([field, value]) => at(item, [field]) === value)) }
  }
  switch (current.control) {
    case "failNext":
      return driver.failNext(current.n, current.failure).then(() => undefined)
    case "addCards":
      return driver.addCards(current.cards).then(() => undefined)
    case "exchange":
      return driver.exchange(text(current.code))
    case "refreshFdxToken":
      return driver.refreshFdxToken(text(current.id))
    case "revokeFdxToken":
      return driver.revokeFdxToken(text(current.id))
  }
}

/** Runs a case's steps in order over `driver`. */
export const runCase = async (driver: Driver, testCase: Case): Promise<Run> => {
  const results = new Map<string, Json>()
  const mask = makeMasker()
  const observed: Array<Json> = []
  const raw: Array<Json> = []
  for (const [index, current] of testCase.steps.entries()) {
    const answer = await step(driver, current, results)
    if (answer === undefined) continue
    const options = observedOf(current)
    if ("ok" in answer && options.as !== undefined) results.set(options.as, answer.ok)
    const isObserved = options.expect !== undefined
    if ("ok" in answer) {
      if (!isObserved) continue
      const ok = mask(select(answer.ok, options.select ?? "") ?? null)
      observed.push({ ok })
      raw.push({ ok })
    } else {
      const observation = "error" in answer ? { error: summarizeError(answer.error) } : answer
      // A step that is not observed must not fail: its failure is observed, and fails the case.
      observed.push(isObserved ? observation : { failedStep: index, ...observation })
      raw.push(isObserved ? answer : { failedStep: index, ...answer })
    }
  }
  return { observed, raw }
}
