/**
 * Run by `run.ts` as a child process: the decode and in-memory figures in a
 * fresh process, before any other code has run through Effect's runtime and
 * Schema (which makes V8's call sites there polymorphic and slower). Prints
 * one JSON line. With `--page`, only the page decode against single decodes,
 * in a process of its own (so that it neither follows nor precedes the other
 * two).
 */
import { decodeMicros, inMemoryCallsPerSecond, pageDecode } from "./micro.js"

const quick = process.argv.includes("--quick")
if (process.argv.includes("--page")) {
  process.stdout.write(`${JSON.stringify(pageDecode(quick))}\n`)
} else {
  const decode = decodeMicros(quick)
  const inMemory = await inMemoryCallsPerSecond(quick)
  process.stdout.write(`${JSON.stringify({ decode, inMemory })}\n`)
}
