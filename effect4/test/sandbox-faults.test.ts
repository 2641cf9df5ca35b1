/**
 * The sandbox's fault injection on the Effect 4 line: the shared cases
 * (`test/cases/sandboxFaultCases.ts` at the root: each fault over raw HTTP,
 * and the live client's retries through them) on this line's sandbox, one
 * test each, as the Effect 3 line runs them (`test/sandbox-faults.test.ts`).
 */
import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Exit, Layer, Redacted, Schema, Scope } from "effect"
import { sandboxFaultCases } from "../../test/cases/sandboxFaultCases.js"
import {
  type FaultLab,
  type FaultSandbox,
  runSandboxCase,
  type SandboxCaseOptions,
  type Settled
} from "../../test/cases/sandboxLab.js"
import { Synctera, SyncteraLive } from "../src/index.js"
import { make as makeSandbox, type SandboxOptions, type SandboxService, Seed } from "../src/sandbox.js"

/** One of this line's effects, run: its success, or its failure. */
const settle = <A, E>(effect: Effect.Effect<A, E>): Promise<Settled<A, E>> =>
  Effect.runPromise(
    Effect.match(effect, { onFailure: (failure) => ({ failure }), onSuccess: (success) => ({ success }) })
  )

/** This line's sandbox behind the cases' promises: it, and the live clients on it, stop with `scope`. */
const faultSandbox = (sandbox: SandboxService, scope: Scope.Closeable): FaultSandbox => ({
  url: sandbox.url,
  port: sandbox.port,
  apiKey: Redacted.value(sandbox.apiKey),
  requests: () => Effect.runPromise(sandbox.requests),
  handle: (request) => Effect.runPromise(sandbox.model.handle(request)),
  failNext: (n, failure) => Effect.runPromise(sandbox.failNext(n, failure)),
  stop: () => Effect.runPromise(Scope.close(scope, Exit.void)),
  liveClient: (options) =>
    Effect.runPromise(
      Scope.provide(
        Layer.build(
          SyncteraLive.layer({ apiKey: sandbox.apiKey, baseUrl: sandbox.url, ...options }).pipe(
            Layer.provide(NodeHttpClient.layerUndici)
          )
        ),
        scope
      )
    ).then((context) => ({ getWidgetToken: (input) => settle(Context.get(context, Synctera).getWidgetToken(input)) }))
})

/** A case's options as this line takes them: the seed decoded from its JSON. */
const optionsOf = ({ seed, ...options }: SandboxCaseOptions): SandboxOptions =>
  seed === undefined ? options : { ...options, seed: Schema.decodeSync(Seed)(seed) }

/** This line's sandboxes, each in a scope of its own. */
const lab: FaultLab = {
  start: (options) =>
    settle(
      Effect.flatMap(Scope.make(), (scope) =>
        Effect.map(Scope.provide(makeSandbox(optionsOf(options)), scope), (sandbox) =>
          faultSandbox(sandbox, scope)))
    )
}

describe("fault injection", () => {
  for (const testCase of sandboxFaultCases) {
    it(testCase.name, async () => {
      const { expected, observed } = await runSandboxCase(lab, testCase)
      expect(observed).toEqual(expected)
    })
  }
})
