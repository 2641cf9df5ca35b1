/**
 * Run by `run.ts` as a child process: the decode and in-memory figures in a
 * fresh process, before any other code has run through Effect's runtime and
 * Schema (which makes V8's call sites there polymorphic and slower). Prints
 * one JSON line.
 */
import { decodeMicros, inMemoryCallsPerSecond } from "./micro.js"

const quick = process.argv.includes("--quick")
const decode = decodeMicros(quick)
const inMemory = await inMemoryCallsPerSecond(quick)
process.stdout.write(`${JSON.stringify({ decode, inMemory })}\n`)
