// `npm run build`: both Effect lines into dist/, which mirrors the tree
// (dist/src/… for Effect 3 and the shared core, dist/effect4/src/… for
// Effect 4), then the bundled `synctera` command and the entry points'
// line guards.
//
// Each line is compiled by its own TypeScript against its own `effect`: the
// root's for Effect 3, effect4/'s (`npm run effect4:install`) for Effect 4.
// Both emit the shared core (src/core/) to the same files, identically.
import { execFileSync } from "node:child_process"
import { existsSync, rmSync } from "node:fs"

const root = new URL("..", import.meta.url).pathname
const run = (command, args, cwd = root) => execFileSync(command, args, { cwd, stdio: "inherit" })

if (!existsSync(`${root}effect4/node_modules/effect`)) {
  process.stderr.write("build: the Effect 4 line is not installed: run `npm run effect4:install` first\n")
  process.exit(1)
}
rmSync(`${root}dist`, { recursive: true, force: true })
run(process.execPath, [`${root}node_modules/typescript/bin/tsc`, "-p", "tsconfig.build.json"])
run(process.execPath, [`${root}effect4/node_modules/typescript/bin/tsc`, "-p", "tsconfig.build.json"], `${root}effect4`)
run(process.execPath, [`${root}scripts/bundle-cli.mjs`])
run(process.execPath, [`${root}scripts/guard-entries.mjs`])
