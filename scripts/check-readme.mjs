// Type-checks every ```ts block of README.md against the sources, so that the
// README's examples cannot rot: a renamed export or a changed signature fails
// the build. Blocks import "effect-synctera…" as a user would; they are mapped
// to the sources here: a block that imports "effect-synctera/effect4…" to
// effect4/src/, checked by the Effect 4 line's TypeScript against Effect 4
// (effect4/node_modules); every other block to src/, against Effect 3.
import { execFileSync } from "node:child_process"
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"

const root = new URL("../", import.meta.url)
const readme = readFileSync(new URL("README.md", root), "utf8")
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1])

const lines = [
  {
    name: "Effect 3",
    dir: new URL(".readme-check/", root),
    base: "../tsconfig.base.json",
    tsc: new URL("node_modules/typescript/bin/tsc", root),
    blocks: blocks.filter((code) => !code.includes("\"effect-synctera/effect4")),
    map: (code) =>
      code
        .replaceAll("\"effect-synctera/testing\"", "\"../src/testing.js\"")
        .replaceAll("\"effect-synctera/sandbox\"", "\"../src/sandbox.js\"")
        .replaceAll("\"effect-synctera\"", "\"../src/index.js\"")
  },
  {
    name: "Effect 4",
    dir: new URL("effect4/.readme-check/", root),
    base: "../../tsconfig.base.json",
    tsc: new URL("effect4/node_modules/typescript/bin/tsc", root),
    blocks: blocks.filter((code) => code.includes("\"effect-synctera/effect4")),
    map: (code) =>
      code
        .replaceAll("\"effect-synctera/effect4/testing\"", "\"../src/testing.js\"")
        .replaceAll("\"effect-synctera/effect4/sandbox\"", "\"../src/sandbox.js\"")
        .replaceAll("\"effect-synctera/effect4\"", "\"../src/index.js\"")
  }
]

for (const line of lines) {
  rmSync(line.dir, { recursive: true, force: true })
  mkdirSync(line.dir)
  line.blocks.forEach((code, i) => writeFileSync(new URL(`block${i}.ts`, line.dir), `export {}\n${line.map(code)}`))
  writeFileSync(
    new URL("tsconfig.json", line.dir),
    JSON.stringify({
      extends: line.base,
      compilerOptions: { noEmit: true, noUnusedLocals: false },
      include: ["block*.ts"]
    })
  )
  try {
    execFileSync(process.execPath, [line.tsc.pathname, "-p", new URL("tsconfig.json", line.dir).pathname], {
      stdio: "inherit"
    })
    process.stdout.write(`README: ${line.blocks.length} TypeScript examples type-check (${line.name})\n`)
  } finally {
    rmSync(line.dir, { recursive: true, force: true })
  }
}
