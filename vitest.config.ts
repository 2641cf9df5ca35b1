import { configDefaults, defineConfig } from "vitest/config"

const src = (file: string) => new URL(`./src/${file}`, import.meta.url).pathname

export default defineConfig({
  // The example app imports the package by name, as a user would: test it against src/, not a stale dist/.
  resolve: {
    alias: [
      { find: /^effect-synctera\/testing$/, replacement: src("testing.ts") },
      { find: /^effect-synctera\/sandbox$/, replacement: src("sandbox.ts") },
      { find: /^effect-synctera$/, replacement: src("index.ts") }
    ]
  },
  test: {
    include: ["test/**/*.test.ts", "examples/*/test/**/*.test.ts"],
    // The reliability suite has its own run: `npm run test:reliability` (vitest.reliability.config.ts).
    exclude: [...configDefaults.exclude, "test/reliability/**"],
    testTimeout: 30_000,
    hookTimeout: 30_000
  }
})
