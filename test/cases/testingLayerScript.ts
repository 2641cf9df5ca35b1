/**
 * The format and the engine of the testing entry's scripts, without Effect:
 * what the behaviour table (`behaviour.ts`) cannot say, because it runs on
 * the live layer too — the in-memory layer's own controls (its calls log,
 * its latency, the seed it was built with), the test clock, a request left
 * running while others are made, the sandbox model spoken to at the wire
 * level. `testingLayer.ts` holds the in-memory layer's scripts and
 * `testingLayerModel.ts` the model's; each line's test gives a
 * {@link ScriptDriver} (its layer or model, run on its own `TestClock`), and
 * everything else — the steps in order, what is observed, the masks — is
 * done here, once for both lines.
 *
 * A step is `{ do: action }` (the subject's own action: a call, a control),
 * `{ start: action, as }` (the action begins and is left running),
 * `{ join: name }` (its answer), `{ interrupt: name }`, `{ adjustClock:
 * millis }` or `{ setClock: iso }`. A `do` or `join` step with `expect` is
 * observed: `select` (see `Selector`) picks what of the success, or of the
 * error as plain JSON (every field, `_tag`, `name` and `message` too), must be
 * `expect`. Random values are masked by key (see {@link masks}), numbered by
 * first appearance within the script, so "the same token" and "a fresh
 * token" are data. A step that is not observed must not fail.
 */
import type { Json, Selector } from "./behaviour.js"
import { type Answer, select } from "./engine.js"

/** What an observed step gives: its success or its error, as `select` picks it, or a control's refusal. */
export type Observation =
  | { readonly ok: Json }
  | { readonly error: Json }
  | { readonly refused: string }

/** What a step that answers may say of its answer. */
export interface Observed {
  /** What of the success or the error is observed; the whole value when left out. */
  readonly select?: Selector
  /** The observation this step must give; not observed when left out. */
  readonly expect?: Observation
}

/** One step of a script over a subject whose actions are `A`. */
export type ScriptStep<A> =
  | (Observed & { readonly do: A })
  | { readonly start: A; readonly as: string }
  | (Observed & { readonly join: string })
  | { readonly interrupt: string }
  | { readonly adjustClock: number }
  | { readonly setClock: string }

/** One script: its steps, each observed step with what it must give. */
export interface Script<A> {
  readonly name: string
  readonly steps: ReadonlyArray<ScriptStep<A>>
}

/** Scripts under one heading: a `describe` of each line's test. */
export interface ScriptGroup<S> {
  readonly group: string
  readonly scripts: ReadonlyArray<S>
}

/** An action left running. */
export interface Started {
  readonly join: () => Promise<Answer>
  readonly interrupt: () => Promise<void>
}

/**
 * A line's subject as the scripts drive it: its answers already plain JSON
 * (`toPlain` of `engine.ts`), the clock its test's `TestClock`.
 */
export interface ScriptDriver<A> {
  readonly perform: (action: A) => Promise<Answer>
  readonly start: (action: A) => Started
  readonly adjustClock: (millis: number) => Promise<void>
  readonly setClock: (millis: number) => Promise<void>
}

/**
 * How random values are masked, by key: `uuid` numbers a UUID (anything else
 * is left as it is, so a value that is not one shows), `url` keeps a URL's
 * origin, path and the names of its query's parameters.
 */
export const masks: Readonly<Record<string, "uuid" | "url">> = {
  widgetToken: "uuid",
  widget_token: "uuid",
  idempotencyKey: "uuid",
  redirectUrl: "url"
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** A masker for one script: the same value under the same key is the same `<key:n>` throughout. */
const masker = () => {
  const byKey = new Map<string, Map<string, number>>()
  const masked = (key: string, kind: "uuid" | "url", value: string): string => {
    if (kind === "url") {
      if (!URL.canParse(value)) return value
      const url = new URL(value)
      return `${url.origin}${url.pathname}?${[...url.searchParams.keys()].join("&")}`
    }
    if (!uuid.test(value)) return value
    const numbers = byKey.get(key) ?? new Map<string, number>()
    byKey.set(key, numbers)
    const n = numbers.get(value) ?? numbers.size + 1
    numbers.set(value, n)
    return `<${key}:${n}>`
  }
  const mask = (value: Json, key: string): Json => {
    const kind = masks[key]
    if (typeof value === "string") return kind === undefined ? value : masked(key, kind, value)
    if (Array.isArray(value)) return value.map((item: Json) => mask(item, ""))
    if (typeof value !== "object" || value === null) return value
    return Object.fromEntries(Object.entries(value).map(([name, field]) => [name, mask(field, name)]))
  }
  return (value: Json): Json => mask(value, "")
}

/** The observations a script must give, in order. */
export const expectedOfScript = <A>(script: Script<A>): ReadonlyArray<Observation> =>
  script.steps.flatMap((step) => ("do" in step || "join" in step) && step.expect !== undefined ? [step.expect] : [])

/** Runs a script's steps in order over `driver`: its observations, to compare with {@link expectedOfScript}. */
export const runScript = async <A>(driver: ScriptDriver<A>, script: Script<A>): Promise<ReadonlyArray<Json>> => {
  const running = new Map<string, Started>()
  const startedAs = (name: string): Started => {
    const started = running.get(name)
    if (started === undefined) throw new Error(`no step started ${name}`)
    return started
  }
  const mask = masker()
  const observed: Array<Json> = []
  for (const [index, step] of script.steps.entries()) {
    if ("start" in step) {
      running.set(step.as, driver.start(step.start))
      continue
    }
    if ("interrupt" in step) {
      await startedAs(step.interrupt).interrupt()
      continue
    }
    if ("adjustClock" in step) {
      await driver.adjustClock(step.adjustClock)
      continue
    }
    if ("setClock" in step) {
      await driver.setClock(Date.parse(step.setClock))
      continue
    }
    const answer = "do" in step ? await driver.perform(step.do) : await startedAs(step.join).join()
    const isObserved = step.expect !== undefined
    if ("refused" in answer) {
      observed.push(isObserved ? answer : { failedStep: index, ...answer })
    } else if ("error" in answer && !isObserved) {
      // A step that is not observed must not fail: its failure is observed, and fails the script.
      observed.push({ failedStep: index, ...answer })
    } else if (isObserved) {
      const chosen = (value: Json) => mask(select(value, step.select ?? "") ?? null)
      observed.push("ok" in answer ? { ok: chosen(answer.ok) } : { error: chosen(answer.error) })
    }
  }
  return observed
}
