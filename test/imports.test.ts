/**
 * The modules of `src/` import each other without a cycle, so that imports
 * flow one way (schemas and errors at the bottom, then the model, the
 * pipeline, the layers, then the CLI and the entry points).
 */
import { describe, expect, it } from "@effect/vitest"
import { readdirSync, readFileSync } from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const src = fileURLToPath(new URL("../src/", import.meta.url))

const modules = (readdirSync(src, { recursive: true, encoding: "utf8" }))
  .filter((file) => file.endsWith(".ts"))
  .map((file) => path.join(src, file))

/** The relative imports of a module (static, type-only and dynamic), as absolute paths. */
const importsOf = (file: string): Array<string> =>
  [...readFileSync(file, "utf8").matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)\.js"/g)]
    .map((match) => path.resolve(path.dirname(file), `${match[1]}.ts`))

/** The first cycle found, as a list of modules, or undefined. */
const findCycle = (graph: ReadonlyMap<string, ReadonlyArray<string>>): Array<string> | undefined => {
  const state = new Map<string, "open" | "done">()
  const stack: Array<string> = []
  const visit = (node: string): Array<string> | undefined => {
    if (state.get(node) === "done") return undefined
    if (state.get(node) === "open") return [...stack.slice(stack.indexOf(node)), node]
    state.set(node, "open")
    stack.push(node)
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next)
      if (cycle !== undefined) return cycle
    }
    stack.pop()
    state.set(node, "done")
    return undefined
  }
  for (const node of graph.keys()) {
    const cycle = visit(node)
    if (cycle !== undefined) return cycle
  }
  return undefined
}

describe("the import graph of src/", () => {
  const graph = new Map(modules.map((file) => [file, importsOf(file)]))

  it("sees the imports (the check works)", () => {
    expect(graph.get(path.join(src, "layers/SyncteraLive.ts"))).toContain(path.join(src, "internal/options.ts"))
    expect(findCycle(new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]]]))).toEqual(["a", "b", "c", "a"])
  })

  it("has no cycle", () => {
    expect(findCycle(graph)?.map((file) => path.relative(src, file))).toBeUndefined()
  })
})
