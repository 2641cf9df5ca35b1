/**
 * The figures of a reliability run. Each test file adds to its own fragment
 * (written when the file ends); the global teardown (`globalSetup.ts`) sums
 * them into `docs/reliability-latest.json` and the table of
 * `docs/reliability.md`.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, inject } from "vitest"
import { type Counters, emptyCounters, type Fragment } from "./counters.js"

/** The figures of one test file; written when the file's tests are over. */
export const makeFigures = (file: string) => {
  const fragment: Fragment = { file, counters: emptyCounters(), sections: {} }
  afterAll(() => {
    const dir = inject("reliabilityFiguresDir")
    fs.mkdirSync(dir, { recursive: true })
    fs.writeFileSync(path.join(dir, `${file}.json`), JSON.stringify(fragment, null, 2))
  })
  return {
    counters: fragment.counters,
    add: (counters: Partial<Counters>): void => {
      for (const [key, value] of Object.entries(counters) as Array<[keyof Counters, number]>) {
        fragment.counters[key] += value
      }
    },
    section: (name: string, value: unknown): void => {
      fragment.sections[name] = value
    }
  }
}
