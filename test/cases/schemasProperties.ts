/**
 * The schema tables' property tests, shared by both lines: what random
 * input each schema must survive (decoded to a value of its type, or
 * refused; never a crash), and which valid wire values must come back
 * unchanged. The generators are written once here over the few fast-check
 * functions they use, which each line passes in (Effect 3's `FastCheck`,
 * fast-check 3; Effect 4's line, fast-check 4), as it passes its schemas in
 * by `SchemaLine`.
 *
 * Which values a schema's own `Arbitrary` gives is each line's Effect API:
 * the lines run those tests themselves, on the schemas listed here.
 *
 * No Effect here, no fast-check, and nothing from either line.
 */
import { grantOwnerRule, grantStatuses } from "../../src/core/rules.js"
import type { Json } from "./behaviour.js"
import type { KnownList, SchemaName } from "./schemas.js"
import { authRequestBody, fdxTokenBody, knownLists } from "./schemas.js"
import type { SchemaLine } from "./schemasEngine.js"

/**
 * The fast-check functions the generators use, as both fast-check 3 and 4
 * have them, over the line's `Arbitrary<unknown>` (`Arb`).
 */
export interface FastCheck<Arb> {
  readonly uuid: () => Arb
  readonly string: () => Arb
  readonly jsonValue: () => Arb
  readonly constant: (value: Json) => Arb
  readonly constantFrom: (...values: Array<string>) => Arb
  readonly oneof: (...arbitraries: Array<Arb>) => Arb
  readonly option: (arbitrary: Arb, constraints: { readonly nil: null }) => Arb
  readonly array: (arbitrary: Arb, constraints: { readonly maxLength: number }) => Arb
  readonly record: (
    model: { readonly [key: string]: Arb },
    constraints: { readonly requiredKeys: Array<string> }
  ) => Arb
  readonly date: (
    constraints: { readonly min: Date; readonly max: Date; readonly noInvalidDate: true }
  ) => { readonly map: (toString: (date: Date) => string) => Arb }
}

/** A property: random input, and what must hold of it on a line. */
export interface Property {
  readonly name: string
  readonly runs: number
  readonly input: <Arb>(fc: FastCheck<Arb>) => Arb
  /** Whether the property holds of `value` on `line` (or throws, saying why not). */
  readonly holds: Holds
  /**
   * Where a line does not hold to `holds` today: what holds there instead,
   * and why. Each is a gap to close in that line, kept here so that it is
   * explicit and cannot grow unnoticed (as `behaviour.ts`'s `differs`).
   */
  readonly differs?: { readonly effect3?: Holds; readonly effect4?: Holds; readonly why: string }
}

/** What must hold of a random value on a line. */
type Holds = (line: SchemaLine, value: unknown) => boolean

/** What must hold of a random value of `property` on `line`: `holds`, or the line's known difference. */
export const holdsOn = (property: Property, line: SchemaLine) => (value: unknown): boolean =>
  (property.differs?.[line.line] ?? property.holds)(line, value)

const isRecord = (value: unknown): value is { readonly [key: string]: unknown } =>
  typeof value === "object" && value !== null

/** Through JSON text and back, as a value travels on the wire. */
const viaJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value))

/** A wire object without its `null` (and `undefined`) fields, as encoding gives it back. */
const withoutNulls = (json: unknown): unknown =>
  isRecord(json)
    ? Object.fromEntries(Object.entries(json).filter(([, value]) => value !== null && value !== undefined))
    : json

// --- generators of valid wire values ---

/** An RFC 3339 timestamp in UTC, as Synctera sends one. */
const iso = <Arb>(fc: FastCheck<Arb>): Arb =>
  fc.date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("2100-01-01T00:00:00Z"), noInvalidDate: true })
    .map((date) => date.toISOString())

/** A value of an open enum: a known one, or any string. */
const openEnum = <Arb>(fc: FastCheck<Arb>, list: KnownList): Arb =>
  fc.oneof(fc.constantFrom(...knownLists[list]), fc.string())

const stringOrNull = <Arb>(fc: FastCheck<Arb>): Arb => fc.option(fc.string(), { nil: null })

/** A valid wire FDX token: the required fields, and any of the optional ones, `null` or not. */
const fdxTokenWire = <Arb>(fc: FastCheck<Arb>): Arb =>
  fc.record({
    id: fc.uuid(),
    tenant: fc.string(),
    status: openEnum(fc, "knownFdxTokenStatuses"),
    token_type: openEnum(fc, "knownFdxTokenTypes"),
    token_hash: fc.string(),
    creation_time: iso(fc),
    last_updated_time: iso(fc),
    token_expiry_time: iso(fc),
    customer_id: stringOrNull(fc),
    business_id: stringOrNull(fc),
    parent_token_id: stringOrNull(fc)
  }, {
    requiredKeys: [
      "id",
      "tenant",
      "status",
      "token_type",
      "token_hash",
      "creation_time",
      "last_updated_time",
      "token_expiry_time"
    ]
  })

/** A valid wire FDX authorization request: id and status, and any of the optional fields, `null` or not. */
const authRequestWire = <Arb>(fc: FastCheck<Arb>): Arb =>
  fc.record({
    id: fc.uuid(),
    status: openEnum(fc, "knownFdxAuthRequestStatuses"),
    tenant: stringOrNull(fc),
    customer_id: stringOrNull(fc),
    business_id: stringOrNull(fc),
    code: stringOrNull(fc),
    oauth2_state: stringOrNull(fc),
    redirect_uri: stringOrNull(fc),
    creation_time: fc.option(iso(fc), { nil: null }),
    last_updated_time: fc.option(iso(fc), { nil: null }),
    expiry_time: fc.option(iso(fc), { nil: null })
  }, { requiredKeys: ["id", "status"] })

/** Any JSON, or an object of `keys` each holding any of `field`. */
const jsonOrRecord = <Arb>(fc: FastCheck<Arb>, keys: ReadonlyArray<string>, field: Arb): Arb =>
  fc.oneof(fc.jsonValue(), fc.record(Object.fromEntries(keys.map((key) => [key, field])), { requiredKeys: [] }))

// --- what must hold ---

/**
 * Decoding never throws: it gives a value of the schema's type (and of
 * `shape`), or refuses with the schema's error. The line's `decode` throws
 * on anything else.
 */
const decodesOrRefuses =
  (schema: SchemaName, shape: (value: { readonly [key: string]: unknown }) => boolean = () => true) =>
  (line: SchemaLine, json: unknown): boolean => {
    const decoded = line.decode(schema, json)
    return !("ok" in decoded) ||
      (line.is(schema, "type", decoded.ok) && isRecord(decoded.ok) && shape(decoded.ok))
  }

/** A valid wire value decodes, and encodes back to `expected` of it, to the letter (key order too). */
const comesBack =
  (schema: SchemaName, expected: (json: unknown) => unknown, also: (json: unknown, value: unknown) => boolean) =>
  (line: SchemaLine, json: unknown): boolean => {
    const decoded = line.decode(schema, json)
    if (!("ok" in decoded)) throw new Error(`${schema} refused a valid wire value: ${decoded.error}`)
    const encoded = line.encode(schema, decoded.ok)
    if (!("ok" in encoded)) throw new Error(`${schema} could not encode what it decoded: ${encoded.error}`)
    return JSON.stringify(encoded.ok) === JSON.stringify(expected(json)) && also(json, decoded.ok)
  }

/** How many of customer and business a grant body's JSON names. */
const owners = (json: unknown): number =>
  isRecord(json) ? [json.customer_id, json.business_id].filter((id) => id !== undefined).length : -1

/** A grant body's JSON names at most one owner, and one for `GRANTED`. */
const namesItsOwner = (json: unknown): boolean =>
  isRecord(json) && owners(json) <= 1 && (json.status !== "GRANTED" || owners(json) === 1)

const optionalString = (value: unknown): string | undefined => typeof value === "string" ? value : undefined

export const properties: ReadonlyArray<Property> = [
  {
    name: "WidgetToken: random JSON decodes to strings, or is refused",
    runs: 5_000,
    input: (fc) => jsonOrRecord(fc, ["tenant", "widget_token"], fc.jsonValue()),
    holds: decodesOrRefuses(
      "WidgetToken",
      (token) => typeof token.tenant === "string" && typeof token.widgetToken === "string"
    )
  },
  {
    name: "FdxToken: random JSON decodes or is refused",
    runs: 5_000,
    input: (fc) =>
      fc.oneof(
        jsonOrRecord(
          fc,
          Object.keys(fdxTokenBody),
          fc.oneof(fc.jsonValue(), fc.string(), fc.constant(null), fc.uuid(), iso(fc))
        ),
        fdxTokenWire(fc)
      ),
    holds: decodesOrRefuses("FdxToken")
  },
  {
    name: "FdxToken: every valid wire token decodes, and encodes back to the same JSON (nulls dropped)",
    runs: 2_000,
    input: fdxTokenWire,
    holds: comesBack(
      "FdxToken",
      withoutNulls,
      (json, token) =>
        isRecord(json) && isRecord(token) && ("customerId" in token) === (typeof json.customer_id === "string")
    )
  },
  {
    name: "FdxAuthRequest: random JSON decodes or is refused",
    runs: 5_000,
    input: (fc) =>
      fc.oneof(
        jsonOrRecord(
          fc,
          Object.keys(authRequestBody),
          fc.oneof(fc.jsonValue(), fc.string(), fc.constant(null), iso(fc))
        ),
        authRequestWire(fc)
      ),
    holds: decodesOrRefuses("FdxAuthRequest")
  },
  {
    name: "FdxAuthRequest: every valid wire request decodes, and encodes back to the same JSON (nulls dropped)",
    runs: 2_000,
    input: authRequestWire,
    holds: comesBack("FdxAuthRequest", withoutNulls, () => true)
  },
  {
    name: "FdxTokenPage: random JSON decodes or is refused",
    runs: 3_000,
    input: (fc) => {
      const token = fc.oneof(
        fc.jsonValue(),
        fc.constant(fdxTokenBody),
        fdxTokenWire(fc),
        fc.record(Object.fromEntries(Object.keys(fdxTokenBody).map((key) => [key, fc.jsonValue()])), {
          requiredKeys: []
        })
      )
      return fc.oneof(
        fc.jsonValue(),
        fc.record({ fdx_tokens: fc.array(token, { maxLength: 10 }), next_page_token: fc.jsonValue() }, {
          requiredKeys: []
        })
      )
    },
    holds: decodesOrRefuses("FdxTokenPage")
  },
  {
    name: "FdxTokenPage: every valid wire page decodes, and encodes back to the same JSON",
    runs: 500,
    input: (fc) =>
      fc.record({ fdx_tokens: fc.array(fdxTokenWire(fc), { maxLength: 5 }), next_page_token: stringOrNull(fc) }, {
        requiredKeys: ["fdx_tokens"]
      }),
    holds: comesBack("FdxTokenPage", (json) => {
      if (!isRecord(json) || !Array.isArray(json.fdx_tokens)) return json
      const next = json.next_page_token
      return {
        fdx_tokens: json.fdx_tokens.map(withoutNulls),
        ...(typeof next === "string" && next !== "" ? { next_page_token: next } : {})
      }
    }, () => true)
  },
  {
    name: "FdxAuthRequestPage: random JSON decodes or is refused",
    runs: 3_000,
    input: (fc) =>
      fc.oneof(
        fc.jsonValue(),
        fc.record({
          fdx_auth_requests: fc.array(fc.oneof(fc.jsonValue(), fc.constant(authRequestBody), authRequestWire(fc)), {
            maxLength: 10
          }),
          next_page_token: fc.jsonValue()
        }, { requiredKeys: [] })
      ),
    holds: decodesOrRefuses("FdxAuthRequestPage")
  },
  {
    name: "FdxAuthGrantBody: encodes exactly the inputs the owner rule allows, and round-trips them",
    runs: 1_000,
    input: (fc) =>
      fc.record({
        authRequestId: fc.uuid(),
        status: fc.constantFrom(...grantStatuses),
        customerId: fc.uuid(),
        businessId: fc.uuid()
      }, { requiredKeys: ["authRequestId", "status"] }),
    holds: (line, body) => {
      if (!isRecord(body)) return false
      const encoded = line.encode("FdxAuthGrantBody", body)
      const rule = grantOwnerRule({
        status: String(body.status),
        customerId: optionalString(body.customerId),
        businessId: optionalString(body.businessId)
      })
      if (rule !== true) return !("ok" in encoded) && encoded.error === rule
      if (!("ok" in encoded)) return false
      const decoded = line.decode("FdxAuthGrantBody", viaJson(encoded.ok))
      return "ok" in decoded && JSON.stringify(decoded.ok) === JSON.stringify(body) && namesItsOwner(encoded.ok)
    }
  },
  {
    name: "FdxAuthGrant: random JSON decodes to a redirect_uri, or is refused",
    runs: 2_000,
    input: (fc) => jsonOrRecord(fc, ["redirect_uri"], fc.jsonValue()),
    holds: decodesOrRefuses("FdxAuthGrant", (grant) => typeof grant.redirectUri === "string")
  },
  {
    name: "AuthorizationTest: random JSON decodes or is refused",
    runs: 2_000,
    input: (fc) => jsonOrRecord(fc, ["redirect_url"], fc.jsonValue()),
    holds: decodesOrRefuses("AuthorizationTest")
  },
  {
    name: "AuthorizationTest: every redirect_url string round-trips",
    runs: 500,
    input: (fc) => fc.record({ redirect_url: fc.string() }, { requiredKeys: ["redirect_url"] }),
    holds: comesBack(
      "AuthorizationTest",
      (json) => json,
      (json, test) => isRecord(json) && isRecord(test) && test.redirectUrl === json.redirect_url
    )
  },
  {
    name: "decodeErrorBodyLenient: random JSON gives an ErrorBody, never a failure",
    runs: 2_000,
    input: (fc) =>
      fc.oneof(
        fc.jsonValue(),
        fc.record({ code: fc.jsonValue(), status: fc.jsonValue() }, { requiredKeys: ["code", "status"] })
      ),
    holds: (line, json) => {
      const body = line.exports.decodeErrorBodyLenient(json)
      return isRecord(body) && line.is("ErrorBody", "type", body)
    }
  }
]

// --- the schemas' own Arbitrary, which each line draws from ---

/**
 * The schemas whose own `Arbitrary` each line checks (Effect 3's
 * `Arbitrary.make`, Effect 4's `Arbitrary.schema`): every value it gives
 * encodes, goes through JSON, and decodes to an equivalent value (and its
 * JSON passes `wire`).
 */
export const arbitraries: ReadonlyArray<{
  readonly schema: SchemaName
  readonly runs: number
  readonly wire?: (json: unknown) => boolean
}> = [
  { schema: "FdxToken", runs: 2_000 },
  { schema: "FdxAuthRequest", runs: 2_000 },
  { schema: "FdxTokenPage", runs: 300 },
  { schema: "FdxAuthRequestPage", runs: 300 },
  { schema: "FdxAuthGrantBody", runs: 1_000, wire: namesItsOwner },
  { schema: "AuthorizationTest", runs: 1_000 }
]

/**
 * Whether a value of a schema's own `Arbitrary` comes back from JSON
 * equivalent (by the line's `equivalent`, the schema's `Equivalence`).
 */
export const roundTripsViaJson = (
  line: SchemaLine,
  { schema, wire = () => true }: (typeof arbitraries)[number],
  equivalent: (a: unknown, b: unknown) => boolean
) =>
(value: unknown): boolean => {
  const encoded = line.encode(schema, value)
  if (!("ok" in encoded)) throw new Error(`${schema} could not encode a value of its Arbitrary: ${encoded.error}`)
  const decoded = line.decode(schema, viaJson(encoded.ok))
  return "ok" in decoded && equivalent(decoded.ok, value) && wire(encoded.ok)
}

/** The open fields a schema's own `Arbitrary` must fill with known values and unrecognized ones. */
export const arbitraryOpenFields: ReadonlyArray<{
  readonly schema: SchemaName
  readonly field: string
  readonly list: KnownList
}> = [
  { schema: "FdxToken", field: "status", list: "knownFdxTokenStatuses" },
  { schema: "FdxToken", field: "tokenType", list: "knownFdxTokenTypes" },
  { schema: "FdxAuthRequest", field: "status", list: "knownFdxAuthRequestStatuses" }
]

/** Whether some of `values` hold a known value in `field`, and some an unrecognized one. */
export const knownAndUnrecognized = (
  line: SchemaLine,
  values: ReadonlyArray<unknown>,
  { field, list }: (typeof arbitraryOpenFields)[number]
): { readonly known: boolean; readonly unrecognized: boolean } => {
  const known = values.map((value) => isRecord(value) ? value[field] : undefined)
    .filter((value): value is string => typeof value === "string")
    .map((value) => line.isKnown(list, value))
  return { known: known.includes(true), unrecognized: known.includes(false) }
}
