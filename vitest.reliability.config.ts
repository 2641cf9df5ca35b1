import { defineConfig } from "vitest/config"

/**
 * The reliability suite (`npm run test:reliability`): faults, load and
 * hostile input, with the figures of the run written to
 * `docs/reliability-latest.json` and `docs/reliability.md`.
 */
export default defineConfig({
  test: {
    include: ["test/reliability/**/*.test.ts"],
    globalSetup: ["test/reliability/support/globalSetup.ts"],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // One file at a time: the soak and the timing checks get the machine to themselves.
    fileParallelism: false,
    pool: "forks",
    poolOptions: { forks: { execArgv: ["--expose-gc"] } }
  }
})
