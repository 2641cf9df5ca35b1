/**
 * Run by the harness as a child process: this line's decode, in-memory and
 * page-decode figures in a fresh process (`aloneMain`, `micro.ts`).
 */
import { micro } from "./dist.js"
import { aloneMain } from "./micro.js"

await aloneMain(micro, process.argv)
