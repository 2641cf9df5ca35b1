/**
 * Which Effect line an app has, so that each of the package's entry points
 * can refuse the wrong one at once, with a message that names the right
 * import, instead of failing deep inside on a module Effect 3 or Effect 4
 * does not have. The built entry points run this before they load their line
 * (see `scripts/guard-entries.mjs`).
 *
 * @since 0.3.0
 */
import { readFileSync } from "node:fs"
import { createRequire } from "node:module"

/**
 * The entry points of each line, by subpath.
 *
 * @since 0.3.0
 * @category lines
 */
export const entryPoints = {
  3: { main: "effect-synctera", testing: "effect-synctera/testing", sandbox: "effect-synctera/sandbox" },
  4: {
    main: "effect-synctera/effect4",
    testing: "effect-synctera/effect4/testing",
    sandbox: "effect-synctera/effect4/sandbox"
  }
} as const

/**
 * One of the package's entry points.
 *
 * @since 0.3.0
 * @category lines
 */
export type EntryPoint = keyof (typeof entryPoints)[3]

/**
 * The version of `effect` that a module at `from` (its `import.meta.url`)
 * imports, or `undefined` when it finds none.
 *
 * @since 0.3.0
 * @category lines
 */
export const installedEffectVersion = (from: string): string | undefined => {
  let path: string
  try {
    path = createRequire(from).resolve("effect/package.json")
  } catch {
    return undefined // no effect package where `from` looks
  }
  const manifest: unknown = JSON.parse(readFileSync(path, "utf8"))
  return typeof manifest === "object" && manifest !== null && "version" in manifest &&
      typeof manifest.version === "string"
    ? manifest.version
    : undefined
}

/**
 * Why the entry point `entry` of the Effect `line` cannot load in an app
 * whose `effect` is at `version`; `undefined` when it can.
 *
 * @since 0.3.0
 * @category lines
 */
export const wrongLine = (line: 3 | 4, entry: EntryPoint, version: string | undefined): string | undefined => {
  const wanted = line === 3 ? "effect@^3.22" : "effect@^4.1"
  const here = entryPoints[line][entry]
  if (version === undefined) {
    return `"${here}" is effect-synctera's Effect ${line} line and needs the effect package: npm install ${wanted}`
  }
  const major = Number(version.split(".")[0])
  if (major === line) return undefined
  const other = major === 3 || major === 4 ? entryPoints[major][entry] : undefined
  return other === undefined
    ? `"${here}" is effect-synctera's Effect ${line} line, but this app has effect ${version}, which neither line supports: install ${wanted} or effect@^4.1`
    : `"${here}" is effect-synctera's Effect ${line} line, but this app has effect ${version}: import "${other}" instead`
}

/**
 * Throws, with the message of {@link wrongLine}, unless the app's `effect`
 * (as seen from `from`, the entry point's `import.meta.url`) is of `line`.
 *
 * @since 0.3.0
 * @category lines
 */
export const requireEffectLine = (line: 3 | 4, entry: EntryPoint, from: string): void => {
  const refusal = wrongLine(line, entry, installedEffectVersion(from))
  if (refusal !== undefined) throw new Error(refusal)
}
