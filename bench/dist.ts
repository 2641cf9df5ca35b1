/**
 * The Effect 3 line as the bench runs it: the built package (`npm run bench`
 * builds it first), which is what users run; the types are the sources'.
 * (Run from the sources, every closure also pays for tsx's `__name` wrapper:
 * ≈ 10–30% more CPU on the in-memory layer.) With its decoders and in-memory
 * loop for the figures measured without HTTP (`micro.ts`).
 */
import { Effect, ManagedRuntime, Schema } from "effect"
import type * as Library from "../src/index.js"
import type * as LibraryTesting from "../src/testing.js"
import type { Micro } from "./micro.js"

const dist = new URL("../dist/src/", import.meta.url)
export const library: typeof Library = await import(new URL("index.js", dist).href)
export const testing: typeof LibraryTesting = await import(new URL("testing.js", dist).href)

/** This line's decoders and in-memory loop. */
export const micro: Micro = {
  decodeToken: Schema.decodeUnknownSync(library.FdxToken),
  decodePage: Schema.decodeUnknownSync(library.FdxTokenPage),
  inMemory: () => {
    const runtime = ManagedRuntime.make(testing.SyncteraTest.layer())
    const call = library.Synctera.getFdxToken({ fdxTokenId: testing.sandboxIds.fdxTokens.enabledAccess })
    return {
      loop: (count) =>
        runtime.runPromise(Effect.gen(function*() {
          for (let i = 0; i < count; i++) yield* call
        })),
      dispose: () => runtime.dispose()
    }
  }
}
