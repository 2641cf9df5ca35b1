// The Effect 4 line as its bench runs it: built with effect4's TypeScript into
// effect4/.bench-dist/ (by run.mjs, before this module is imported), where
// `effect` is Effect 4; with its decoders and in-memory loop for the figures
// measured without HTTP (bench/micro.ts, shared with the Effect 3 line).
import { Effect, ManagedRuntime, Schema } from "effect"

const dist = new URL("../.bench-dist/effect4/src/", import.meta.url)
export const library = await import(new URL("index.js", dist).href)
export const testing = await import(new URL("testing.js", dist).href)

/** This line's decoders and in-memory loop (bench/micro.ts's `Micro`). */
export const micro = {
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
