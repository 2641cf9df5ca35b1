// Run by the shared harness as a child process: this line's decode, in-memory
// and page-decode figures in a fresh process (bench/micro.ts's `aloneMain`).
import { aloneMain } from "../../bench/micro.ts"
import { micro } from "./line.mjs"

await aloneMain(micro, process.argv)
