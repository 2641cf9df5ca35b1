// Type-checks every ```ts block of README.md against the sources, so that the
// README's examples cannot rot: a renamed export or a changed signature fails
// the build. Blocks import "effect-synctera…" as a user would; they are mapped
// to src/ here.
import { execFileSync } from "node:child_process"
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"

const root = new URL("../", import.meta.url)
const dir = new URL(".readme-check/", root)
const readme = readFileSync(new URL("README.md", root), "utf8")
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1])

rmSync(dir, { recursive: true, force: true })
mkdirSync(dir)
blocks.forEach((code, i) => {
  const mapped = code
    .replaceAll("\"effect-synctera/testing\"", "\"../src/testing.js\"")
    .replaceAll("\"effect-synctera/sandbox\"", "\"../src/sandbox.js\"")
    .replaceAll("\"effect-synctera\"", "\"../src/index.js\"")
  writeFileSync(new URL(`block${i}.ts`, dir), `export {}\n${mapped}`)
})
writeFileSync(
  new URL("tsconfig.json", dir),
  JSON.stringify({
    extends: "../tsconfig.base.json",
    compilerOptions: { noEmit: true, noUnusedLocals: false },
    include: ["block*.ts"]
  })
)
try {
  execFileSync("npx", ["tsc", "-p", new URL("tsconfig.json", dir).pathname], { stdio: "inherit" })
  process.stdout.write(`README: ${blocks.length} TypeScript examples type-check\n`)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
