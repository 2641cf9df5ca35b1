// Type-checks every ```ts example in the TSDoc of the Effect 4 line
// (effect4/src/), as `npm run docgen` does for the Effect 3 line's: examples
// import "effect-synctera/effect4…" as a user would, mapped here to
// effect4/src/, and are checked by effect4's TypeScript against Effect 4.
import { execFileSync } from "node:child_process"
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"

const root = new URL("../", import.meta.url)
const src = new URL("effect4/src/", root)
const dir = new URL("effect4/.examples-check/", root)

/** Every .ts file under effect4/src/, as a path relative to it. */
const files = readdirSync(src, { recursive: true }).filter((file) => String(file).endsWith(".ts")).map(String)

const examples = files.flatMap((file) => {
  const text = readFileSync(new URL(file, src), "utf8")
  return [...text.matchAll(/^\s*\* ```ts\n([\s\S]*?)^\s*\* ```/gm)].map((match, i) => ({
    name: `${file.replaceAll("/", "_").replace(/\.ts$/, "")}_${i}.ts`,
    code: match[1].split("\n").map((line) => line.replace(/^\s*\* ?/, "")).join("\n")
  }))
})

rmSync(dir, { recursive: true, force: true })
mkdirSync(dir)
for (const { code, name } of examples) {
  const mapped = code
    .replaceAll("\"effect-synctera/effect4/testing\"", "\"../src/testing.js\"")
    .replaceAll("\"effect-synctera/effect4/sandbox\"", "\"../src/sandbox.js\"")
    .replaceAll("\"effect-synctera/effect4\"", "\"../src/index.js\"")
  writeFileSync(new URL(name, dir), `export {}\n${mapped}`)
}
writeFileSync(
  new URL("tsconfig.json", dir),
  JSON.stringify({
    extends: "../../tsconfig.base.json",
    compilerOptions: { noEmit: true, noUnusedLocals: false, noUnusedParameters: false },
    include: ["*.ts"]
  })
)
try {
  execFileSync(process.execPath, [
    new URL("effect4/node_modules/typescript/bin/tsc", root).pathname,
    "-p",
    new URL("tsconfig.json", dir).pathname
  ], {
    stdio: "inherit"
  })
  process.stdout.write(`effect4: ${examples.length} TSDoc examples type-check (Effect 4)\n`)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
