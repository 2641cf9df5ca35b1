/**
 * Hostile responses, as properties: random JSON and random bytes for both
 * endpoints, under every kind of content type; valid FDX tokens with every
 * optional field present, `null` or missing, unknown extra fields and
 * unknown enum values; random statuses with random bodies. Never a defect:
 * always the value or the documented typed error, with the documented number
 * of attempts. In process (`HttpClient.make`) for speed, then a smaller
 * sample over real sockets.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { assert, describe, expect, it } from "@effect/vitest"
import { DateTime, Effect, FastCheck as fc, Layer, Schema } from "effect"
import type * as http from "node:http"
import { FdxToken, type SyncteraError, WidgetToken } from "../../src/index.js"
import type { SyncteraService } from "../../src/Synctera.js"
import { cardId, fdxTokenBody, fdxTokenId } from "../support/fixtures.js"
import { TestServer } from "../support/TestServer.js"
import { makeObserver } from "./support/canary.js"
import { makeFigures } from "./support/figures.js"
import {
  type Answer,
  classify,
  countingTransport,
  numRuns,
  type Outcome,
  retriedStatuses,
  serviceOver,
  tagOfStatus,
  uuidPattern
} from "./support/properties.js"

const figures = makeFigures("hostile-responses")
const observer = makeObserver()
const socketRuns = Math.max(100, Math.round(numRuns / 33))
const runs = { responseRuns: 0, socketRuns: 0 }

// --- Oracles: the README's rules, written independently of the client. ---

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)
/** An RFC 3339 date-time, as the spec types the timestamps. */
const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/
/**
 * A timestamp the client must accept (an RFC 3339 date-time), must refuse
 * (not a date at all), or may do either: strings that only JavaScript's
 * lenient date parser reads, such as "1" or "March 7" (see the report).
 */
type Verdict = "yes" | "no" | "maybe"
const dateVerdict = (v: unknown): Verdict => {
  if (typeof v !== "string" || Number.isNaN(new Date(v).getTime())) return "no"
  return rfc3339.test(v) ? "yes" : "maybe"
}
const all = (verdicts: ReadonlyArray<Verdict | boolean>): Verdict =>
  verdicts.some((v) => v === false || v === "no") ? "no" : verdicts.some((v) => v === "maybe") ? "maybe" : "yes"
const optionalString = (v: unknown): boolean => v === undefined || v === null || typeof v === "string"

const validWidget = (j: unknown): Verdict =>
  isRecord(j) && typeof j["tenant"] === "string" && typeof j["widget_token"] === "string" ? "yes" : "no"

const validFdx = (j: unknown): Verdict =>
  isRecord(j)
    ? all([
      typeof j["id"] === "string" && uuidPattern.test(j["id"]),
      typeof j["tenant"] === "string",
      typeof j["status"] === "string",
      typeof j["token_type"] === "string",
      typeof j["token_hash"] === "string",
      dateVerdict(j["creation_time"]),
      dateVerdict(j["last_updated_time"]),
      dateVerdict(j["token_expiry_time"]),
      optionalString(j["customer_id"]),
      optionalString(j["business_id"]),
      optionalString(j["parent_token_id"])
    ])
    : "no"

const parse = (text: string): { readonly ok: true; readonly json: unknown } | { readonly ok: false } => {
  try {
    return { ok: true, json: JSON.parse(text) }
  } catch {
    return { ok: false }
  }
}

type Expected =
  | { readonly _tag: "Value"; readonly json: unknown }
  /** The value, or InvalidResponse(Decode) at the first attempt. */
  | { readonly _tag: "ValueOrDecode"; readonly json: unknown }
  | { readonly _tag: "Error"; readonly tag: SyncteraError["_tag"]; readonly reason?: string; readonly attempts: number }

const nullBodyStatus = new Set([204, 205, 304])

/** What the README says an answer leads to. */
const expectedOutcome = (answer: Answer, valid: (json: unknown) => Verdict, retries: number): Expected => {
  const bytes = typeof answer.body === "string"
    ? new TextEncoder().encode(answer.body)
    : answer.body ?? new Uint8Array()
  const text = nullBodyStatus.has(answer.status) ? "" : new TextDecoder().decode(bytes)
  const contentType = answer.headers?.["content-type"]
  if (answer.status >= 200 && answer.status <= 299) {
    if (text.trim() === "") return { _tag: "Error", tag: "InvalidResponse", reason: "Empty", attempts: 1 }
    const parsed = parse(text)
    if (!parsed.ok) {
      const reason = contentType !== undefined && !/json/i.test(contentType) ? "ContentType" : "Decode"
      return { _tag: "Error", tag: "InvalidResponse", reason, attempts: 1 }
    }
    const verdict = valid(parsed.json)
    return verdict === "yes"
      ? { _tag: "Value", json: parsed.json }
      : verdict === "maybe"
      ? { _tag: "ValueOrDecode", json: parsed.json }
      : { _tag: "Error", tag: "InvalidResponse", reason: "Decode", attempts: 1 }
  }
  const parsed = parse(text)
  const code = parsed.ok && isRecord(parsed.json) && typeof parsed.json["code"] === "string"
    ? parsed.json["code"]
    : undefined
  const retried = code === "IDEMPOTENCY_INVALID_REUSE"
    ? false
    : code === "IDEMPOTENCY_CONCURRENT_USE" || retriedStatuses.has(answer.status)
  return { _tag: "Error", tag: tagOfStatus(answer.status), attempts: retried ? retries + 1 : 1 }
}

/** Checks an outcome against the oracle; returns a description of the mismatch, if any. */
const check = <A>(
  outcome: Outcome<A>,
  expected: Expected,
  sent: number,
  value: (a: A, json: unknown) => void
): void => {
  assert(outcome._tag !== "Defect", outcome._tag === "Defect" ? outcome.cause : "")
  if (expected._tag === "ValueOrDecode") {
    if (outcome._tag === "Value") value(outcome.value, expected.json)
    else {expect([outcome.error._tag, "reason" in outcome.error ? outcome.error.reason : ""]).toEqual([
        "InvalidResponse",
        "Decode"
      ])}
    expect(sent).toBe(1)
    return
  }
  if (expected._tag === "Value") {
    assert(outcome._tag === "Value", outcome._tag === "Error" ? outcome.error.message : "")
    value(outcome.value, expected.json)
    expect(sent).toBe(1)
    return
  }
  assert(outcome._tag === "Error", "expected a typed error, got a value")
  const error = outcome.error
  expect(error._tag).toBe(expected.tag)
  assert(error._tag !== "InvalidInput")
  expect(error.attempts).toBe(expected.attempts)
  expect(sent).toBe(expected.attempts)
  if (expected.reason !== undefined) {
    assert(error._tag === "InvalidResponse")
    expect(error.reason).toBe(expected.reason)
  }
  // Bounded, readable errors.
  expect(typeof error.message).toBe("string")
  if ("body" in error && error.body !== undefined) expect(error.body.length).toBeLessThanOrEqual(2_048 + 40)
}

const widgetValue = (token: WidgetToken, json: unknown): void => {
  assert(isRecord(json))
  assert(Schema.is(Schema.typeSchema(WidgetToken))(token))
  expect(token.tenant).toBe(json["tenant"])
  expect(token.widgetToken).toBe(json["widget_token"])
}

const fdxValue = (token: FdxToken, json: unknown): void => {
  assert(isRecord(json))
  assert(Schema.is(Schema.typeSchema(FdxToken))(token))
  expect(token.id).toBe(json["id"])
  expect(token.tenant).toBe(json["tenant"])
  // Unknown enum values pass through.
  expect(token.status).toBe(json["status"])
  expect(token.tokenType).toBe(json["token_type"])
  expect(token.tokenHash).toBe(json["token_hash"])
  for (
    const [field, time] of [["creation_time", token.creationTime], [
      "token_expiry_time",
      token.tokenExpiryTime
    ]] as const
  ) {
    const text = json[field]
    if (dateVerdict(text) === "yes") expect(DateTime.toEpochMillis(time)).toBe(new Date(String(text)).getTime())
  }
  // Absent and null both come out as a missing field.
  expect(token.customerId).toBe(json["customer_id"] ?? undefined)
  expect(token.businessId).toBe(json["business_id"] ?? undefined)
  expect(token.parentTokenId).toBe(json["parent_token_id"] ?? undefined)
}

// --- Generators ---

const contentTypes = fc.constantFrom<string | undefined>(
  "application/json",
  "application/json; charset=utf-8",
  "application/problem+json",
  "text/plain",
  "text/html; charset=iso-8859-1",
  "application/octet-stream",
  undefined
)

const extraFields = fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 })

const widgetJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.tuple(
    fc.record(
      {
        tenant: fc.oneof(fc.string(), fc.jsonValue({ maxDepth: 1 })),
        widget_token: fc.oneof(fc.uuid(), fc.string({ unit: "grapheme" }), fc.jsonValue({ maxDepth: 1 }))
      },
      { requiredKeys: [] }
    ),
    extraFields
  ).map(([fields, extra]) => ({ ...extra, ...fields }))
)

const isoDate = fc.date({
  min: new Date("1970-01-01T00:00:00Z"),
  max: new Date("2200-01-01T00:00:00Z"),
  noInvalidDate: true
})
  .map((d) => d.toISOString())

/** An optional field: present, null, or left out. */
const optionalField = <A>(arb: fc.Arbitrary<A>) => fc.oneof(arb, fc.constant(null), fc.constant(undefined))

const validFdxJson = fc.record({
  id: fc.uuid(),
  tenant: fc.string(),
  status: fc.oneof(fc.constantFrom("ENABLED", "REVOKED", "USED"), fc.string()),
  token_type: fc.oneof(fc.constantFrom("ACCESS", "REFRESH"), fc.string()),
  token_hash: fc.string(),
  creation_time: isoDate,
  last_updated_time: isoDate,
  token_expiry_time: isoDate,
  customer_id: optionalField(fc.uuid()),
  business_id: optionalField(fc.uuid()),
  parent_token_id: optionalField(fc.uuid()),
  extra: extraFields
}).map(({ extra, ...fields }) => {
  const withoutUndefined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined))
  // Unknown fields first: the known ones win when the names collide.
  return { ...extra, ...withoutUndefined }
})

const fdxFieldNames = Object.keys(fdxTokenBody).concat(["customer_id"])

/** A valid token with one field removed or replaced by anything. */
const mutatedFdxJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.tuple(validFdxJson, fc.constantFrom(...fdxFieldNames)).map(([token, field]) => {
    const copy: Record<string, unknown> = { ...token }
    delete copy[field]
    return copy
  }),
  fc.tuple(
    validFdxJson,
    fc.constantFrom(...fdxFieldNames),
    fc.oneof(fc.jsonValue({ maxDepth: 1 }), fc.string(), isoDate, fc.constant("2020-13-45T99:99:99Z"))
  ).map(
    ([token, field, value]) => ({ ...token, [field]: value })
  ),
  fc.jsonValue({ maxDepth: 3 })
)

const encode = (json: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(json) ?? "")

/**
 * Valid JSON nested 2 to 131,072 levels deep (arrays, objects, or such a value
 * as a field of an object): `JSON.parse` reads it, and nothing the client
 * formats from it may recurse that deep (past about 10,000 levels, a
 * recursive formatter overflows the stack). Written as text:
 * `JSON.stringify` itself would overflow the stack on it.
 */
const deeplyNested = fc.tuple(
  fc.integer({ min: 1, max: 17 }).map((exponent) => 2 ** exponent),
  fc.constantFrom("array", "object", "field"),
  fc.constantFrom("id", "tenant", "widget_token", "code", "detail", "status")
).map(([depth, shape, field]) => {
  const array = "[".repeat(depth) + "]".repeat(depth)
  const object = "{\"a\":".repeat(depth) + "1" + "}".repeat(depth)
  const text = shape === "array" ? array : shape === "object" ? object : `{${JSON.stringify(field)}:${array}}`
  return new TextEncoder().encode(text)
})

const randomBytes = fc.oneof(
  fc.uint8Array({ maxLength: 512 }),
  fc.string({ unit: "binary", maxLength: 256 }).map((s) => new TextEncoder().encode(s)),
  // Almost JSON: a valid body cut short, or with junk after it.
  fc.tuple(widgetJson, fc.nat(64)).map(([json, cut]) => {
    const text = JSON.stringify(json) ?? ""
    return new TextEncoder().encode(text.slice(0, Math.max(0, text.length - 1 - cut)))
  }),
  fc.tuple(widgetJson, fc.string({ maxLength: 4 })).map(([json, junk]) =>
    new TextEncoder().encode(`${JSON.stringify(json)}${junk}`)
  ),
  fc.constantFrom("", " ", "\n\t ", "\uFEFF", "\uFEFF{}", "null", "[]", "<html><body>502 Bad Gateway</body></html>")
    .map((s) => new TextEncoder().encode(s))
)

const errorBody = fc.oneof(
  fc.record(
    {
      code: fc.oneof(
        fc.constantFrom(
          "IDEMPOTENCY_CONCURRENT_USE",
          "IDEMPOTENCY_INVALID_REUSE",
          "BAD_REQUEST",
          "UNAUTHORIZED",
          "RESOURCE_NOT_FOUND"
        ),
        fc.string(),
        fc.jsonValue({ maxDepth: 1 })
      ),
      detail: fc.oneof(fc.string(), fc.jsonValue({ maxDepth: 1 })),
      status: fc.oneof(fc.integer({ min: 100, max: 599 }), fc.string())
    },
    { requiredKeys: [] }
  ).map(encode),
  randomBytes
)

const anyStatus = fc.oneof(
  fc.integer({ min: 200, max: 599 }),
  fc.constantFrom(200, 201, 204, 301, 302, 307, 400, 401, 403, 404, 408, 409, 422, 429, 499, 500, 501, 502, 503, 504)
)

/**
 * The headers of an answer: its content type, and half the time its length
 * (the client reads a declared length in one go, and streams otherwise).
 */
const headersOf = (
  contentType: string | undefined,
  declareLength: boolean,
  body: Uint8Array
): Record<string, string> => ({
  ...(contentType === undefined ? {} : { "content-type": contentType }),
  ...(declareLength ? { "content-length": String(body.length) } : {})
})

/** A random answer for an endpoint whose valid body is `valid`. */
const anyAnswer = (validJson: fc.Arbitrary<unknown>): fc.Arbitrary<Answer> =>
  fc.record({
    status: anyStatus,
    contentType: contentTypes,
    declareLength: fc.boolean(),
    body: fc.oneof(validJson.map(encode), randomBytes, errorBody)
  }).map(({ body, contentType, declareLength, status }) => ({
    status,
    body,
    headers: headersOf(contentType, declareLength && !nullBodyStatus.has(status), body)
  }))

/** Deeply nested bodies under any status (fewer runs: each body is up to a megabyte). */
const nestedRuns = Math.max(100, Math.round(numRuns / 20))
const nestedAnswer: fc.Arbitrary<Answer> = fc.record({
  status: anyStatus,
  body: deeplyNested,
  contentType: fc.constantFrom("application/json", undefined),
  declareLength: fc.boolean()
}).map(({ body, contentType, declareLength, status }) => ({
  status,
  body,
  headers: headersOf(contentType, declareLength && !nullBodyStatus.has(status), body)
}))

const at200 = (
  bodies: fc.Arbitrary<Uint8Array>,
  types: fc.Arbitrary<string | undefined> = contentTypes
): fc.Arbitrary<Answer> =>
  fc.record({ body: bodies, contentType: types, declareLength: fc.boolean() }).map((
    { body, contentType, declareLength }
  ) => ({
    status: 200,
    body,
    headers: headersOf(contentType, declareLength, body)
  }))

// --- The properties ---

type Endpoint = "widget" | "fdx"

const callOf = (service: SyncteraService, endpoint: Endpoint): Effect.Effect<WidgetToken | FdxToken, SyncteraError> =>
  endpoint === "widget"
    ? service.getWidgetToken({ cardId, widgetType: "SET_PIN" })
    : service.getFdxToken({ fdxTokenId })

/** Lets the event loop run (the test runner's messages) now and then. */
let ticks = 0
const breathe = async (): Promise<void> => {
  if (++ticks % 100 === 0) await new Promise((resolve) => setImmediate(resolve))
}

/** Runs a property over the in-process transport, one retry allowed (each retry waits a timer's tick). */
const inProcess = (answers: fc.Arbitrary<readonly [Endpoint, Answer]>, runCount = numRuns) =>
  Effect.promise(async () => {
    const transport = countingTransport()
    const service = serviceOver(transport.layer, { retry: { times: 1, base: "0 millis", cap: "0 millis" } })
    const seen = { values: 0, errors: 0 }
    await fc.assert(
      fc.asyncProperty(answers, async ([endpoint, answer]) => {
        await breathe()
        const valid = endpoint === "widget" ? validWidget : validFdx
        transport.state.answer = answer
        const before = transport.state.sent.length
        const exit = await Effect.runPromiseExit(observer.observe(callOf(service, endpoint)))
        const outcome = classify(exit)
        const sent = transport.state.sent.length - before
        figures.add({ calls: 1, requests: sent, defects: outcome._tag === "Defect" ? 1 : 0 })
        if (outcome._tag === "Value") seen.values++
        else seen.errors++
        const expected = expectedOutcome(answer, valid, 1)
        if (endpoint === "widget") check(outcome as Outcome<WidgetToken>, expected, sent, widgetValue)
        else check(outcome as Outcome<FdxToken>, expected, sent, fdxValue)
      }),
      { numRuns: runCount }
    )
    runs.responseRuns += runCount
    return seen
  })

const on = (endpoint: Endpoint, answers: fc.Arbitrary<Answer>) => answers.map((answer) => [endpoint, answer] as const)

describe("hostile responses, in process", () => {
  it.live(`getWidgetToken: ${numRuns} random JSON bodies under random content types`, () =>
    Effect.map(inProcess(on("widget", at200(widgetJson.map(encode)))), (seen) => {
      expect(seen.values).toBeGreaterThan(numRuns / 10)
      expect(seen.errors).toBeGreaterThan(numRuns / 10)
    }))

  it.live(`getWidgetToken: ${numRuns} bodies of random bytes`, () =>
    Effect.map(inProcess(on("widget", at200(randomBytes))), (seen) => expect(seen.errors).toBeGreaterThan(numRuns / 2)))

  it.live(`getFdxToken: ${numRuns} valid tokens, optional fields present, null or missing, unknown fields and enum values`, () =>
    Effect.map(
      inProcess(
        on(
          "fdx",
          at200(validFdxJson.map(encode), fc.constantFrom("application/json", "application/json; charset=utf-8"))
        )
      ),
      (seen) => expect(seen.values).toBe(numRuns)
    ))

  it.live(`getFdxToken: ${numRuns} broken tokens, random JSON and random bytes`, () =>
    Effect.map(
      inProcess(on("fdx", at200(fc.oneof(mutatedFdxJson.map(encode), randomBytes)))),
      (seen) => {
        expect(seen.values).toBeGreaterThan(numRuns / 50)
        expect(seen.errors).toBeGreaterThan(numRuns / 2)
      }
    ))

  it.live(`both endpoints: ${numRuns} random statuses with random bodies, retried as documented`, () =>
    Effect.map(
      inProcess(fc.oneof(on("widget", anyAnswer(widgetJson)), on("fdx", anyAnswer(validFdxJson)))),
      (seen) => {
        expect(seen.values).toBeGreaterThan(numRuns / 50)
        expect(seen.errors).toBeGreaterThan(numRuns / 2)
      }
    ))
})

describe("hostile responses, deeply nested", () => {
  it.live(`both endpoints: ${nestedRuns} bodies nested 2 to 131,072 levels deep, under random statuses`, () =>
    Effect.map(
      inProcess(fc.oneof(on("widget", nestedAnswer), on("fdx", nestedAnswer)), nestedRuns),
      (seen) => expect(seen.errors).toBe(nestedRuns)
    ))
})

describe("hostile responses, over real sockets", () => {
  it.scopedLive(`${socketRuns} random answers per endpoint through undici`, () =>
    Effect.gen(function*() {
      const state = { answer: { status: 200 } as Answer }
      const server = yield* TestServer((_, res: http.ServerResponse) => {
        const { body, headers, status } = state.answer
        // Node sends a length, or chunks, as the answer's headers say.
        res.writeHead(status, headers)
        res.end(nullBodyStatus.has(status) ? undefined : body)
      })
      const context = yield* Layer.build(NodeHttpClient.layerUndici)
      const service = serviceOver(Layer.succeedContext(context), { baseUrl: server.baseUrl })
      for (const endpoint of ["widget", "fdx"] as const) {
        const valid = endpoint === "widget" ? validWidget : validFdx
        yield* Effect.promise(() =>
          fc.assert(
            fc.asyncProperty(anyAnswer(endpoint === "widget" ? widgetJson : validFdxJson), async (answer) => {
              await breathe()
              state.answer = answer
              const before = server.requests.length
              const exit = await Effect.runPromiseExit(observer.observe(callOf(service, endpoint)))
              const outcome = classify(exit)
              const sent = server.requests.length - before
              figures.add({ calls: 1, requests: sent, defects: outcome._tag === "Defect" ? 1 : 0 })
              const expected = expectedOutcome(answer, valid, 2)
              if (endpoint === "widget") check(outcome as Outcome<WidgetToken>, expected, sent, widgetValue)
              else check(outcome as Outcome<FdxToken>, expected, sent, fdxValue)
            }),
            { numRuns: socketRuns }
          )
        )
        runs.socketRuns += socketRuns
      }
    }))

  it("the key appeared nowhere", () => {
    observer.restore()
    figures.add({ keyLeaks: observer.leaks().length, textsSearched: observer.texts() })
    figures.section("responses", runs)
    expect(observer.leaks()).toEqual([])
  })
})
