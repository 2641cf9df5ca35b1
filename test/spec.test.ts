/**
 * Our schemas against Synctera's published documents, as copied into spec/: when
 * the spec and the code drift apart, this fails.
 */
import { describe, expect, it } from "@effect/vitest"
import type { Schema } from "effect"
import { SchemaAST } from "effect"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { parse } from "yaml"
import {
  CardWidgetType,
  ErrorBody,
  FdxToken,
  knownFdxTokenStatuses,
  knownFdxTokenTypes,
  SyncteraLive,
  WidgetToken
} from "../src/index.js"

const specDir = fileURLToPath(new URL("../spec/", import.meta.url))
const openApi = parse(readFileSync(`${specDir}widget-token.openapi.yaml`, "utf8"))
const fdxReference = readFileSync(`${specDir}fdx-token.reference.txt`, "utf8")

/** The wire (encoded) property names of a schema, split into required and optional. */
const wireFields = (schema: Schema.Schema.AnyNoContext) => {
  const ast = SchemaAST.encodedAST(schema.ast)
  const signatures = SchemaAST.getPropertySignatures(ast)
  return {
    required: signatures.filter((p) => !p.isOptional).map((p) => String(p.name)).sort(),
    optional: signatures.filter((p) => p.isOptional).map((p) => String(p.name)).sort()
  }
}

const literals = (schema: Schema.Schema.AnyNoContext): Array<string> =>
  SchemaAST.isUnion(schema.ast)
    ? schema.ast.types.flatMap((t) => (SchemaAST.isLiteral(t) ? [String(t.literal)] : []))
    : SchemaAST.isLiteral(schema.ast)
    ? [String(schema.ast.literal)]
    : []

/** The "Available options:" list that follows a field's heading in the reference text. */
const referenceOptions = (field: string): Array<string> => {
  const match = new RegExp(`\\n${field}\\nenum<string>[\\s\\S]*?Available options:\\n([A-Z_,\\n]+)`).exec(fdxReference)
  return (match?.[1] ?? "").split(/[,\n]/).map((s) => s.trim()).filter((s) => s !== "")
}

/** Fields of the reference text, with whether each is required. */
const referenceFields = () => {
  const response = fdxReference.slice(fdxReference.indexOf("\nResponse\n"))
  const fields = [...response.matchAll(/\n([a-z_]+)\n(?:string|enum<string>)(?:<[a-z-]+>)?\n(required\n)?/g)]
  return {
    required: fields.filter((m) => m[2] !== undefined).map((m) => m[1]).sort(),
    optional: fields.filter((m) => m[2] === undefined).map((m) => m[1]).sort()
  }
}

describe("widget-token.openapi.yaml", () => {
  const schemas = openApi.components.schemas

  it("card_widget_type matches CardWidgetType", () => {
    expect(literals(CardWidgetType).sort()).toEqual([...schemas.card_widget_type.enum].sort())
  })

  it("widget_token's fields match WidgetToken", () => {
    expect(wireFields(WidgetToken).required).toEqual([...schemas.widget_token.required].sort())
    expect(Object.keys(schemas.widget_token.properties).sort()).toEqual(wireFields(WidgetToken).required)
  })

  it("error's fields are all in ErrorBody, all optional", () => {
    const fields = wireFields(ErrorBody)
    expect(fields.required).toEqual([])
    for (const name of Object.keys(schemas.error.properties)) expect(fields.optional).toContain(name)
  })

  it("the servers match the environments", () => {
    const urls = openApi.servers.map((s: { url: string }) => s.url).sort()
    expect(Object.values(SyncteraLive.environmentUrls).sort()).toEqual(urls)
  })

  it("the endpoint, its parameters and its documented statuses are the ones we map", () => {
    const operation = openApi.paths["/cards/{card_id}/widget_token"].get
    expect(Object.keys(operation.responses).sort()).toEqual(["200", "400", "401", "403", "422", "500"])
    const parameters = operation.parameters.map((p: { $ref: string }) => p.$ref.split("/").pop())
    expect(parameters).toEqual(["card_id", "card_widget_type_query", "idempotency_key"])
    expect(openApi.components.parameters.idempotency_key.name).toBe("Idempotency-Key")
    expect(openApi.components.parameters.card_widget_type_query.name).toBe("widget_type")
  })
})

describe("fdx-token.reference.txt", () => {
  it("the reference is parsed (guards this test itself)", () => {
    expect(referenceFields().required.length).toBeGreaterThanOrEqual(8)
  })

  it("required and optional fields match FdxToken", () => {
    expect(wireFields(FdxToken)).toEqual(referenceFields())
  })

  it("status and token_type options are the known values", () => {
    expect(referenceOptions("status")).toEqual([...knownFdxTokenStatuses])
    expect(referenceOptions("token_type")).toEqual([...knownFdxTokenTypes])
  })
})
