// Bundles the `synctera` command into one file, dist/src/bin/synctera.js, with
// the Effect 3 packages it runs on (effect, @effect/cli, @effect/platform,
// @effect/platform-node, @effect/printer*) inside it, so that `npx synctera`
// works in any app: one on Effect 3, one on Effect 4 (whose `effect` the
// command must not load), or one with neither. Only `undici`, a dependency of
// the package itself, stays outside.
//
// Run by `npm run build`, after tsc (which writes the unbundled file first).
import { build } from "esbuild"
import { chmodSync } from "node:fs"

const outfile = new URL("../dist/src/bin/synctera.js", import.meta.url).pathname

await build({
  entryPoints: [new URL("../src/bin/synctera.ts", import.meta.url).pathname],
  outfile,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external: ["undici"],
  // Some of the bundled CommonJS packages call require(): give the ESM bundle one.
  banner: {
    js:
      "import { createRequire as __syncteraRequire } from \"node:module\"; const require = __syncteraRequire(import.meta.url);"
  },
  sourcemap: true,
  sourcesContent: false,
  legalComments: "linked",
  logLevel: "warning"
})
chmodSync(outfile, 0o755)
