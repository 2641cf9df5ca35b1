/**
 * Global setup of the reliability suite: gives the test files a directory for
 * their figures, and at the end sums them into `docs/reliability-latest.json`
 * and the figures table of `docs/reliability.md` (between its
 * `<!-- figures:start -->` and `<!-- figures:end -->` markers). Nothing is
 * written unless every test file of the suite reported.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import type { TestProject } from "vitest/node"
import { type Counters, emptyCounters, type Fragment } from "./counters.js"

/** The test files that must report before the figures are published. */
export const suiteFiles = ["fault-matrix", "retry-budget-storm", "soak", "hostile-input", "hostile-responses"] as const

const root = path.resolve(import.meta.dirname, "../../..")

const table = (figures: Record<string, unknown>, counters: Counters, sections: Record<string, unknown>): string => {
  const soak = sections["soak"] as Record<string, number> | undefined
  const storm = sections["storm"] as Record<string, number> | undefined
  const faults = sections["faults"] as Record<string, number> | undefined
  const inputs = sections["inputs"] as Record<string, number> | undefined
  const responses = sections["responses"] as Record<string, number> | undefined
  const rows: Array<[string, string]> = [
    ["run", String(figures["finishedAt"])],
    ["suite wall time", `${Math.round(Number(figures["durationMs"]) / 1000)} s`],
    [
      "faults tried (fault-matrix cases, real sockets and TestClock)",
      `${faults?.["cases"] ?? "?"} cases, ${faults?.["runs"] ?? "?"} runs over ${
        faults?.["transports"] ?? "?"
      } transports and TestClock`
    ],
    ["logical calls made", String(counters.calls)],
    ["HTTP requests received by the test servers and transports", String(counters.requests)],
    [
      `soak (on ${
        String((sections["soak"] as Record<string, unknown> | undefined)?.["layer"] ?? "?")
      }; both layers in the JSON)`,
      soak === undefined
        ? "?"
        : `${soak["calls"]} widget-token calls, ${soak["inFlight"]} in flight, ${
          Math.round((soak["faultRate"] ?? 0) * 100)
        }% injected faults, ${soak["requests"]} requests, ${soak["succeeded"]} succeeded, ${
          soak["failedTyped"]
        } typed failures, ${soak["tokensIssued"]} tokens issued for ${soak["distinctKeys"]} keys, in ${
          Math.round((soak["durationMs"] ?? 0) / 100) / 10
        } s`
    ],
    [
      "oversized answers (64 MiB)",
      `stopped at the 1 MiB limit; the most a server could push before the drop: ${
        faults?.["oversizedMaxSentMiB"] ?? "?"
      } MiB`
    ],
    ["soak heap growth (after GC)", `${soak?.["heapGrowthMiB"] ?? "?"} MiB`],
    ["duplicates (a second token for one logical call)", String(counters.duplicates)],
    ["defects (a die or interruption instead of a typed error)", String(counters.defects)],
    ["hangs (calls past their deadline)", String(counters.hangs)],
    ["requests sent for invalid input", String(counters.invalidInputSent)],
    ["key leaks (texts holding the key, of all searched)", `${counters.keyLeaks} of ${counters.textsSearched}`],
    ["resource leaks (sockets, servers, fibers left open)", String(counters.resourceLeaks)],
    [
      "retries under the storm vs the budget",
      storm === undefined
        ? "?"
        : `${storm["retries"]} retries for ${storm["calls"]} failing calls (budget allows ${
          storm["budgetRetries"]
        }; without it: ${storm["unbudgetedRetries"]})`
    ],
    [
      "property runs",
      `${inputs?.["runs"] ?? "?"} random inputs (${inputs?.["refused"] ?? "?"} refused before sending), ${
        responses?.["responseRuns"] ?? "?"
      } random responses in process, ${responses?.["socketRuns"] ?? "?"} over real sockets`
    ]
  ]
  return ["| figure | last run |", "| --- | --- |", ...rows.map(([name, value]) => `| ${name} | ${value} |`)].join("\n")
}

export default function setup(project: TestProject) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "synctera-reliability-"))
  const started = Date.now()
  project.provide("reliabilityFiguresDir", dir)
  return () => {
    const fragments: Array<Fragment> = fs.readdirSync(dir)
      .filter((name) => name.endsWith(".json"))
      .map((name) => JSON.parse(fs.readFileSync(path.join(dir, name), "utf8")) as Fragment)
    fs.rmSync(dir, { recursive: true, force: true })
    const reported = new Set(fragments.map((fragment) => fragment.file))
    if (!suiteFiles.every((file) => reported.has(file))) return
    const counters = emptyCounters()
    const sections: Record<string, unknown> = {}
    for (const fragment of fragments) {
      for (const key of Object.keys(counters) as Array<keyof Counters>) counters[key] += fragment.counters[key]
      Object.assign(sections, fragment.sections)
    }
    const figures = {
      finishedAt: new Date().toISOString(),
      durationMs: Date.now() - started,
      node: process.version,
      cpus: os.cpus().length,
      ...counters,
      ...sections,
      perFile: Object.fromEntries(fragments.map((fragment) => [fragment.file, fragment.counters]))
    }
    fs.writeFileSync(path.join(root, "docs/reliability-latest.json"), `${JSON.stringify(figures, null, 2)}\n`)
    const doc = path.join(root, "docs/reliability.md")
    if (fs.existsSync(doc)) {
      const text = fs.readFileSync(doc, "utf8")
      const updated = text.replace(
        /<!-- figures:start -->[\s\S]*<!-- figures:end -->/,
        `<!-- figures:start -->\n${table(figures, counters, sections)}\n<!-- figures:end -->`
      )
      if (updated !== text) fs.writeFileSync(doc, updated)
    }
  }
}
