/**
 * The modules of `src/` import each other without a cycle, so that imports
 * flow one way (schemas and errors at the bottom, then the model, the
 * pipeline, the layers, then the CLI and the entry points); and `src/core/`,
 * the Effect-free core both Effect lines share, imports nothing but itself
 * and Node's builtins, with one exception: `import type` from `undici`
 * (whose `Dispatcher` types the core's exchange over it; a type-only import
 * is erased, so the core still loads nothing but itself and Node's builtins:
 * the lines load undici).
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

/** A module a text names, and whether it names it in an `import type` statement. */
interface Specifier {
  readonly specifier: string
  readonly typeOnly: boolean
}

/**
 * Every module a text names in an import or re-export (static, type-only,
 * dynamic, `typeof import(…)`), relative or not, as written: after `from`,
 * after `import(`, or after an `import` that starts a line (a side-effect
 * import). It may also catch such words in a comment: a false alarm there is
 * cheap.
 */
const specifiersIn = (text: string): Array<Specifier> => {
  // Where the quote of each `import type … from "…"` statement's module opens.
  const typeOnlyQuotes = new Set(
    [...text.matchAll(/\bimport\s+type\s[^"';]*?\bfrom\s*["']/g)].map((match) => match.index + match[0].length - 1)
  )
  return [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^[ \t]*import\s*)(["'])([^"']+)\1/gm)].flatMap((match) => {
    const specifier = match[2]
    if (specifier === undefined) return []
    const quote = match.index + match[0].length - specifier.length - 2
    return [{ specifier, typeOnly: typeOnlyQuotes.has(quote) }]
  })
}

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

describe("the imports of src/core/", () => {
  const core = path.join(src, "core") + path.sep
  const coreModules = modules.filter((file) => file.startsWith(core))

  /**
   * What a core module imports from outside the core: neither a core module,
   * nor a `node:` builtin, nor `undici` in an `import type`.
   */
  const outsideImports = (file: string, text: string): Array<string> =>
    specifiersIn(text).flatMap(({ specifier, typeOnly }) =>
      specifier.startsWith("node:") ||
        (specifier.startsWith(".") && path.resolve(path.dirname(file), specifier).startsWith(core)) ||
        (typeOnly && specifier === "undici")
        ? []
        : [specifier]
    )

  it("sees the core's modules and every kind of import (the check works)", () => {
    expect(coreModules).toContain(path.join(core, "model/Machine.ts"))
    const file = path.join(core, "model/Example.ts")
    const text = [
      `import * as Schema from "effect/Schema"`,
      `import type { Layer } from 'effect'`,
      `export * from "../../model/Seed.js"`,
      `export { x } from "@effect/platform"`,
      `const lazy = () => import("../../index.js")`,
      `type T = typeof import("effect/Option")`,
      `import "side-effect"`,
      `import { Buffer } from "node:buffer"`,
      `import { isUuid } from "../rules.js"`,
      `import type { Outcome } from "./Outcome.js"`,
      `import type { Dispatcher } from "undici"`,
      `import type {`,
      `  Agent,`,
      `  Dispatcher as D`,
      `} from 'undici'`,
      `import { Agent } from "undici"`,
      `import { type Agent as A } from "undici"`,
      `export type { Dispatcher } from "undici"`,
      `const load = () => import("undici")`,
      `type U = typeof import("undici")`,
      `const message = \`import "\${other}" instead\``
    ].join("\n")
    expect(outsideImports(file, text)).toEqual([
      "effect/Schema",
      "effect",
      "../../model/Seed.js",
      "@effect/platform",
      "../../index.js",
      "effect/Option",
      "side-effect",
      "undici",
      "undici",
      "undici",
      "undici",
      "undici"
    ])
  })

  it("imports only core modules and node: builtins (nothing of Effect)", () => {
    const found = coreModules.flatMap((file) =>
      outsideImports(file, readFileSync(file, "utf8")).map((specifier) => `${path.relative(src, file)}: ${specifier}`)
    )
    expect(found).toEqual([])
  })
})
