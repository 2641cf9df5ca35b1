/**
 * Our Plaid Core Exchange schemas against Synctera's published OpenAPI, as
 * copied into spec/plaid-core-exchange.openapi.yaml: when the spec and the
 * code drift apart (a field added, made required, retyped; an enum value
 * added; an operation or a schema added), this fails.
 *
 * On the wire side it compares each schema's JSON Schema with the spec's
 * (field names, required fields, JSON types); on the domain side, that each
 * field is camelCase, that every `format: date-time` field is a
 * `DateTime.Utc` and every `format: uuid` field is checked as a UUID (with
 * the exceptions listed, and why); and the known values of every enum.
 */
import { describe, expect, it } from "@effect/vitest"
import type { Schema } from "effect"
import { DateTime, JSONSchema, Schema as S, SchemaAST } from "effect"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { parse } from "yaml"
import { AuthorizationTest } from "../src/schemas/AuthorizationTest.js"
import { ErrorBody } from "../src/schemas/ErrorBody.js"
import { FdxAuthGrant, FdxAuthGrantBody, GrantStatus } from "../src/schemas/FdxAuthGrant.js"
import { FdxAuthRequest, knownFdxAuthRequestStatuses } from "../src/schemas/FdxAuthRequest.js"
import { FdxAuthRequestPage, FdxTokenPage } from "../src/schemas/FdxPages.js"
import { FdxToken, knownFdxTokenStatuses, knownFdxTokenTypes } from "../src/schemas/FdxToken.js"

const specDir = fileURLToPath(new URL("../spec/", import.meta.url))
const openApi = parse(readFileSync(`${specDir}plaid-core-exchange.openapi.yaml`, "utf8"))

/** The parts of an OpenAPI 3.0 / JSON Schema object these tests read. */
interface Json {
  readonly $ref?: string
  readonly type?: string | ReadonlyArray<string>
  readonly format?: string
  readonly enum?: ReadonlyArray<string>
  readonly items?: Json
  readonly properties?: Record<string, Json>
  readonly required?: ReadonlyArray<string>
  readonly allOf?: ReadonlyArray<Json>
}

const components: Record<string, Json> = openApi.components.schemas
const refName = (ref: string): string => ref.split("/").pop() ?? ref

/** A spec schema with its `$ref` followed. */
const specResolve = (schema: Json): Json => schema.$ref === undefined ? schema : specResolve(specComponent(schema.$ref))
const specComponent = (ref: string): Json => {
  const schema = components[refName(ref)]
  if (schema === undefined) throw new Error(`no component ${ref}`)
  return schema
}

/** A spec object schema with its `allOf` parts merged (the list responses are `allOf` a list and `paginated_response`). */
const specObject = (name: string): { properties: Record<string, Json>; required: Array<string> } => {
  const merge = (schema: Json): { properties: Record<string, Json>; required: Array<string> } => {
    const resolved = specResolve(schema)
    const parts = (resolved.allOf ?? []).map(merge)
    return {
      properties: Object.assign({}, ...parts.map((p) => p.properties), resolved.properties),
      required: [...parts.flatMap((p) => p.required), ...(resolved.required ?? [])]
    }
  }
  const merged = merge(specComponent(name))
  return { properties: merged.properties, required: [...merged.required].sort() }
}

/** Our wire shape's JSON Schema, with `$ref`s into its `$defs` followed. */
const ourObject = (schema: Schema.Schema.AnyNoContext) => {
  const root = JSONSchema.make(schema) as Json & { readonly $defs?: Record<string, Json> }
  const resolve = (json: Json): Json => {
    if (json.$ref === undefined) return json
    const target = root.$defs?.[json.$ref.replace("#/$defs/", "")]
    if (target === undefined) throw new Error(`no $def ${json.$ref}`)
    return resolve(target)
  }
  const object = resolve(root)
  return {
    properties: object.properties ?? {},
    required: [...(object.required ?? [])].sort(),
    resolve
  }
}

const typesOf = (json: Json): Array<string> => json.type === undefined ? [] : [json.type].flat()

/** The domain property (camelCase) of a schema, by name. */
const domainProperty = (schema: Schema.Schema.AnyNoContext, name: string) =>
  SchemaAST.getPropertySignatures(SchemaAST.typeAST(schema.ast)).find((p) => p.name === name)

const camel = (key: string): string => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())

const uuid = "046b6c7f-0b8a-43b9-b35d-6489e6daee91"

/**
 * Each spec schema and the schema of ours that reads or writes it.
 * `uncheckedUuids`: `format: uuid` fields we read as plain strings, on purpose.
 * `itemRefs`: for array fields, our JSON Schema identifier of the spec's item schema.
 */
const schemas: ReadonlyArray<{
  readonly spec: string
  readonly ours: Schema.Schema.AnyNoContext
  readonly uncheckedUuids?: ReadonlyArray<string>
  readonly itemRefs?: Record<string, string>
}> = [
  { spec: "fdx_token_response", ours: FdxToken },
  // "an opaque string to be returned to Plaid": we pass it on, never act on its form.
  { spec: "fdx_auth_request_response", ours: FdxAuthRequest, uncheckedUuids: ["oauth2_state"] },
  { spec: "fdx_token_list", ours: FdxTokenPage, itemRefs: { fdx_token_response: "FdxToken.Json" } },
  {
    spec: "fdx_auth_request_list",
    ours: FdxAuthRequestPage,
    itemRefs: { fdx_auth_request_response: "FdxAuthRequest.Json" }
  },
  { spec: "fdx_auth_grant_post", ours: FdxAuthGrantBody },
  { spec: "fdx_auth_grant_response", ours: FdxAuthGrant },
  { spec: "test_authorize_response", ours: AuthorizationTest }
]

/** Each spec enum, where it is used, and the values we know or accept. */
const enums: ReadonlyArray<{
  readonly spec: string
  readonly usedBy: ReadonlyArray<readonly [schema: string, field: string]>
  readonly values: ReadonlyArray<string>
}> = [
  { spec: "fdx_token_status", usedBy: [["fdx_token_response", "status"]], values: knownFdxTokenStatuses },
  { spec: "fdx_token_type", usedBy: [["fdx_token_response", "token_type"]], values: knownFdxTokenTypes },
  {
    spec: "fdx_auth_request_status",
    usedBy: [["fdx_auth_request_response", "status"]],
    values: knownFdxAuthRequestStatuses
  },
  { spec: "fdx_auth_grant_status", usedBy: [["fdx_auth_grant_post", "status"]], values: GrantStatus.literals }
]

/** The operations, the spec schemas they answer with, and their documented statuses. */
const operations = [
  {
    path: "/fdx_auth_requests",
    method: "get",
    operationId: "listFDXAuthRequests",
    parameters: ["limit", "page_token"],
    responses: { "200": "fdx_auth_request_list", "401": "error", "403": "error", "500": "error" }
  },
  {
    path: "/fdx_auth_requests/authorization_test",
    method: "get",
    operationId: "getAuthorizationTest",
    parameters: [],
    responses: {
      "201": "test_authorize_response",
      "400": "error",
      "401": "error",
      "403": "error",
      "409": "error",
      "500": "error"
    }
  },
  {
    path: "/fdx_auth_requests/authorize",
    method: "post",
    operationId: "grantFdxAuthRequest",
    parameters: [],
    requestBody: "fdx_auth_grant_post",
    responses: {
      "201": "fdx_auth_grant_response",
      "400": "error",
      "401": "error",
      "403": "error",
      "409": "error",
      "500": "error"
    }
  },
  {
    path: "/fdx_tokens",
    method: "get",
    operationId: "listFDXToken",
    parameters: ["limit", "page_token"],
    responses: { "200": "fdx_token_list", "401": "error", "403": "error", "500": "error" }
  },
  {
    path: "/fdx_tokens/{fdx_token_id}",
    method: "get",
    operationId: "getFDXToken",
    parameters: ["fdx_token_id"],
    responses: { "200": "fdx_token_response", "401": "error", "403": "error", "404": "error", "500": "error" }
  }
] as const

describe("plaid-core-exchange.openapi.yaml: coverage", () => {
  it("every schema of the spec is mapped here (a new one fails this test)", () => {
    const mapped = [...schemas.map((s) => s.spec), ...enums.map((e) => e.spec), "error", "paginated_response"]
    expect(Object.keys(components).sort()).toEqual(mapped.sort())
  })

  it("every operation of the spec is mapped here", () => {
    const paths: Record<string, Record<string, unknown>> = openApi.paths
    const specOperations = Object.entries(paths).flatMap(([path, item]) =>
      Object.keys(item).filter((key) => ["get", "post", "put", "patch", "delete"].includes(key)).map((method) =>
        `${method} ${path}`
      )
    )
    expect(specOperations.sort()).toEqual(operations.map((o) => `${o.method} ${o.path}`).sort())
  })
})

describe("plaid-core-exchange.openapi.yaml: operations", () => {
  for (const operation of operations) {
    it(`${operation.method.toUpperCase()} ${operation.path}: parameters, body and responses`, () => {
      const spec = openApi.paths[operation.path][operation.method]
      expect(spec.operationId).toBe(operation.operationId)
      const parameters: Array<{ name: string }> = spec.parameters ?? []
      expect(parameters.map((p) => p.name)).toEqual([...operation.parameters])
      const responses = Object.fromEntries(
        Object.entries(spec.responses as Record<string, { content: { "application/json": { schema: Json } } }>).map((
          [status, response]
        ) => [status, refName(response.content["application/json"].schema.$ref ?? "")])
      )
      expect(responses).toEqual(operation.responses)
      const body: Json | undefined = spec.requestBody?.content["application/json"].schema
      expect(body === undefined ? undefined : refName(body.$ref ?? "")).toBe(
        "requestBody" in operation ? operation.requestBody : undefined
      )
    })
  }

  it("the list operations page with limit (1 to 100, default 100) and an opaque page_token", () => {
    for (const path of ["/fdx_auth_requests", "/fdx_tokens"]) {
      const [limit, pageToken] = openApi.paths[path].get.parameters
      expect(limit).toMatchObject({ in: "query", name: "limit", required: false })
      expect(limit.schema).toMatchObject({ type: "integer", minimum: 1, default: 100 })
      expect(limit.schema.description).toContain("greater than 100, then it will be set to 100")
      expect(pageToken).toMatchObject({ in: "query", name: "page_token", required: false, schema: { type: "string" } })
    }
    // The last page is the one without a next_page_token (so we read "" as absent too).
    expect(components.paginated_response?.properties?.next_page_token).toMatchObject({ type: "string" })
    expect(JSON.stringify(components.paginated_response)).toContain("Not returned if there are no more rows")
  })

  it("GET /fdx_tokens/{fdx_token_id} takes a UUID in the path", () => {
    const [id] = openApi.paths["/fdx_tokens/{fdx_token_id}"].get.parameters
    expect(id).toMatchObject({ in: "path", required: true, schema: { type: "string", format: "uuid" } })
  })

  it("error's fields are all in ErrorBody, all optional", () => {
    const ours = ourObject(ErrorBody)
    expect(ours.required).toEqual([])
    for (const name of Object.keys(components.error?.properties ?? {})) {
      expect(Object.keys(ours.properties)).toContain(name)
    }
  })
})

describe("plaid-core-exchange.openapi.yaml: schemas", () => {
  for (const { itemRefs = {}, ours, spec, uncheckedUuids = [] } of schemas) {
    describe(spec, () => {
      const specSchema = specObject(spec)
      const ourSchema = ourObject(ours)

      it("has the same wire fields, and the same required ones", () => {
        expect(Object.keys(ourSchema.properties).sort()).toEqual(Object.keys(specSchema.properties).sort())
        expect(ourSchema.required).toEqual(specSchema.required)
      })

      it("has the same JSON types (null allowed only where a field is optional)", () => {
        for (const [name, property] of Object.entries(specSchema.properties)) {
          const expected = specResolve(property)
          const actual = ourSchema.resolve(ourSchema.properties[name] ?? {})
          const types = typesOf(actual)
          const optional = !specSchema.required.includes(name)
          expect({ name, types: types.filter((t) => !(optional && t === "null")) }).toEqual({
            name,
            types: typesOf(expected)
          })
          if (expected.items !== undefined) {
            const specItem = refName(expected.items.$ref ?? "")
            expect(actual.items?.$ref).toBe(`#/$defs/${itemRefs[specItem]}`)
          }
        }
      })

      it("has every wire field camelCase on the domain side", () => {
        const domain = SchemaAST.getPropertySignatures(SchemaAST.typeAST(ours.ast)).map((p) => String(p.name))
        expect(domain.sort()).toEqual(Object.keys(specSchema.properties).map(camel).sort())
      })

      it("reads every date-time as DateTime.Utc and checks every uuid", () => {
        for (const [name, property] of Object.entries(specSchema.properties)) {
          const format = specResolve(property).format
          const field = domainProperty(ours, camel(name))
          if (field === undefined) throw new Error(`no domain field for ${name}`)
          const is = S.is(S.make(field.type))
          if (format === "date-time") {
            expect({ name, time: is(DateTime.unsafeMake(0)), text: is("2010-05-06T12:23:34.321Z") }).toEqual({
              name,
              time: true,
              text: false
            })
          }
          if (format === "uuid") {
            const checked = !uncheckedUuids.includes(name)
            expect({ name, uuid: is(uuid), other: is("not-a-uuid") }).toEqual({ name, uuid: true, other: !checked })
          }
        }
        for (const name of uncheckedUuids) expect(specResolve(specSchema.properties[name] ?? {}).format).toBe("uuid")
      })
    })
  }
})

describe("plaid-core-exchange.openapi.yaml: enums", () => {
  for (const { spec, usedBy, values } of enums) {
    it(`${spec}: the known values, where it is used`, () => {
      expect([...values]).toEqual([...(components[spec]?.enum ?? [])])
      for (const [schema, field] of usedBy) {
        expect(specObject(schema).properties[field]?.$ref).toBe(`#/components/schemas/${spec}`)
      }
    })
  }

  it("responses keep their enums open on the wire, requests close them", () => {
    const openOnTheWire = (schema: Schema.Schema.AnyNoContext, field: string) => {
      const ours = ourObject(schema)
      return ours.resolve(ours.properties[field] ?? {})
    }
    expect(openOnTheWire(FdxToken, "status")).toEqual({ type: "string" })
    expect(openOnTheWire(FdxToken, "token_type")).toEqual({ type: "string" })
    expect(openOnTheWire(FdxAuthRequest, "status")).toEqual({ type: "string" })
    expect(openOnTheWire(FdxAuthGrantBody, "status").enum).toEqual(components.fdx_auth_grant_status?.enum)
  })
})
