/**
 * The package's entry points: the client entry and `./testing` must not pull
 * in Node-only or CLI packages; `./sandbox` and the `synctera` bin are wired
 * in package.json.
 */
import { describe, expect, it } from "@effect/vitest"
import { readFileSync } from "node:fs"
import { dirname, resolve } from "node:path"

const root = new URL("..", import.meta.url).pathname

/**
 * Every bare package an entry reaches through its relative imports (comments
 * ignored), split into those imported at load time and those only imported
 * lazily with `import()` (loaded when a feature that needs them is used).
 */
const reachedFrom = (entry: string): { readonly eager: Set<string>; readonly lazy: Set<string> } => {
  const seen = new Set<string>()
  const eager = new Set<string>()
  const lazy = new Set<string>()
  const visit = (file: string, lazily: boolean) => {
    if (seen.has(`${file}:${lazily}`)) return
    seen.add(`${file}:${lazily}`)
    const source = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "")
    for (const match of source.matchAll(/\b(from|import)\s*(\(?)\s*["']([^"']+)["']/g)) {
      const isLazy = lazily || (match[1] === "import" && match[2] === "(")
      const specifier = match[3]!
      if (specifier.startsWith(".")) {
        visit(resolve(dirname(file), specifier.replace(/\.js$/, ".ts")), isLazy)
      } else {
        const name = specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0]!
        ;(isLazy ? lazy : eager).add(name)
      }
    }
  }
  visit(resolve(root, entry), false)
  for (const name of eager) lazy.delete(name)
  return { eager, lazy }
}

const packagesReachedFrom = (entry: string): Set<string> => reachedFrom(entry).eager

describe("entry points", () => {
  it("the client entry needs only effect and @effect/platform (undici only once layerNode is built)", () => {
    const { eager, lazy } = reachedFrom("src/index.ts")
    expect([...eager].sort()).toEqual(["@effect/platform", "effect"])
    expect([...lazy]).toEqual(["undici"])
  })

  it("effect-synctera/testing needs only effect and @effect/platform", () => {
    expect([...packagesReachedFrom("src/testing.ts")].sort()).toEqual(["@effect/platform", "effect"])
  })

  it("effect-synctera/sandbox adds @effect/platform-node, and nothing of the CLI", () => {
    const reached = packagesReachedFrom("src/sandbox.ts")
    expect(reached).toContain("@effect/platform-node")
    expect(reached).not.toContain("@effect/cli")
  })

  it("the Effect 4 line's entries need only effect (undici once layerNode is built; @effect/platform-node for the sandbox)", () => {
    const main = reachedFrom("effect4/src/index.ts")
    expect([...main.eager].sort()).toEqual(["effect"])
    expect([...main.lazy]).toEqual(["undici"])
    expect([...packagesReachedFrom("effect4/src/testing.ts")].sort()).toEqual(["effect"])
    const sandbox = [...packagesReachedFrom("effect4/src/sandbox.ts")].filter((name) => !name.startsWith("node:"))
    expect(sandbox.sort()).toEqual(["@effect/platform-node", "effect"])
  })

  it("the bin reaches the CLI", () => {
    expect(packagesReachedFrom("src/bin/synctera.ts")).toContain("@effect/cli")
    expect(readFileSync(resolve(root, "src/bin/synctera.ts"), "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true)
  })

  it("package.json exposes the subpaths, the bin and a start script that runs the demo", () => {
    const pkg = JSON.parse(readFileSync(resolve(root, "package.json"), "utf8"))
    expect(pkg.exports["./testing"]).toEqual({ types: "./dist/src/testing.d.ts", default: "./dist/src/testing.js" })
    expect(pkg.exports["./sandbox"]).toEqual({ types: "./dist/src/sandbox.d.ts", default: "./dist/src/sandbox.js" })
    expect(pkg.bin).toEqual({ synctera: "./dist/src/bin/synctera.js" })
    expect(pkg.scripts.start).toContain("src/bin/synctera.ts demo")
    for (const entry of ["", "/testing", "/sandbox"]) {
      const file = entry === "" ? "index" : entry.slice(1)
      expect(pkg.exports[`./effect4${entry}`]).toEqual({
        types: `./dist/effect4/src/${file}.d.ts`,
        default: `./dist/effect4/src/${file}.js`
      })
    }
  })

  it("asks an app only for effect (3 or 4): the Effect 3 packages are optional peers, and the command brings its own", () => {
    const pkg = JSON.parse(readFileSync(resolve(root, "package.json"), "utf8"))
    expect(pkg.peerDependencies.effect).toBe("^3.22.0 || ^4.1.0")
    expect(Object.keys(pkg.dependencies)).toEqual(["undici"])
    for (const name of Object.keys(pkg.peerDependencies).filter((name: string) => name !== "effect")) {
      expect(pkg.peerDependenciesMeta[name]).toEqual({ optional: true })
    }
    // The bundled command (scripts/bundle-cli.mjs) carries @effect/cli and the printers.
    for (const name of ["@effect/cli", "@effect/printer", "@effect/printer-ansi"]) {
      expect(pkg.peerDependencies[name]).toBeUndefined()
    }
    expect(readFileSync(resolve(root, "scripts/build.mjs"), "utf8")).toContain("scripts/bundle-cli.mjs")
  })
})
