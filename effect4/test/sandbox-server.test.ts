/**
 * The sandbox server on the Effect 4 line: the shared cases
 * (`test/cases/sandboxServerCases.ts` at the root: raw HTTP to 127.0.0.1,
 * auth first, routes, validation answers, idempotency on the wire, options,
 * lifecycle, the Plaid pages and controls, the live client against it) on
 * this line's sandbox, one test each, as the Effect 3 line runs them
 * (`test/sandbox-server.test.ts`); and what only this line's Effect API
 * says: its `Redacted` key, its layers, its tracer, its schemas.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Exit, Layer, Redacted, Schema, Scope, Stream } from "effect"
import type { SandboxAddress } from "../../test/cases/sandboxHttp.js"
import {
  type LiveOptions,
  type RunningSandbox,
  runSandboxCase,
  type SandboxCaseOptions,
  type SandboxLab,
  type Settled,
  type StartedBy,
  type StartFailure
} from "../../test/cases/sandboxLab.js"
import { apiAndPlaidPageStatuses, sandboxServerCases } from "../../test/cases/sandboxServerCases.js"
import { Synctera, SyncteraLive } from "../src/index.js"
import {
  defaultSeed,
  make as makeSandbox,
  Sandbox,
  SandboxError,
  sandboxIds,
  type SandboxOptions,
  type SandboxService,
  Seed
} from "../src/sandbox.js"
import { recordingTracer } from "./support/recordingTracer.js"

/** One of this line's effects, run: its success, or its failure. */
const settle = <A, E>(effect: Effect.Effect<A, E>): Promise<Settled<A, E>> =>
  Effect.runPromise(
    Effect.match(effect, { onFailure: (failure) => ({ failure }), onSuccess: (success) => ({ success }) })
  )

/** A case's options as this line takes them: the seed decoded from its JSON. */
const optionsOf = ({ seed, ...options }: SandboxCaseOptions): SandboxOptions =>
  seed === undefined ? options : { ...options, seed: Schema.decodeSync(Seed)(seed) }

/** Where a sandbox listens, and its key revealed: what raw HTTP needs. */
const addressOf = (sandbox: SandboxService): SandboxAddress => ({
  url: sandbox.url,
  port: sandbox.port,
  apiKey: Redacted.value(sandbox.apiKey)
})

/** The live layer (undici) on a sandbox's URL and key. */
const liveOn = (sandbox: SandboxService, options: LiveOptions) =>
  SyncteraLive.layer({ apiKey: sandbox.apiKey, baseUrl: sandbox.url, ...options }).pipe(
    Layer.provide(NodeHttpClient.layerUndici)
  )

/** This line's sandbox behind the cases' promises: it, and the live clients on it, stop with `scope`. */
const running = (sandbox: SandboxService, scope: Scope.Closeable): RunningSandbox => ({
  ...addressOf(sandbox),
  requests: () => Effect.runPromise(sandbox.requests),
  handle: (request) => Effect.runPromise(sandbox.model.handle(request)),
  failNext: (n, failure) => Effect.runPromise(sandbox.failNext(n, failure)),
  addCards: (cards) => Effect.runPromise(sandbox.model.addCards(cards)),
  setUris: (uris) => Effect.runPromise(sandbox.setUris(uris)),
  refreshFdxToken: (id) => settle(sandbox.refreshFdxToken(id)),
  revokeFdxToken: (id) => settle(sandbox.revokeFdxToken(id)),
  stop: () => Effect.runPromise(Scope.close(scope, Exit.void)),
  liveClient: (options) =>
    Effect.runPromise(Scope.provide(Layer.build(liveOn(sandbox, options)), scope)).then((context) => {
      const synctera = Context.get(context, Synctera)
      return {
        getWidgetToken: (input) => settle(synctera.getWidgetToken(input)),
        getFdxToken: (input) => settle(synctera.getFdxToken(input)),
        streamFdxTokens: () => settle(Stream.runCollect(synctera.streamFdxTokens())),
        getAuthorizationTest: () => settle(synctera.getAuthorizationTest()),
        grantFdxAuthRequest: (input) => settle(synctera.grantFdxAuthRequest(input))
      }
    })
})

/** Why a sandbox did not start, as the cases look at it. */
const startFailure = (error: SandboxError): StartFailure => ({
  _tag: error._tag,
  reason: error.reason,
  message: error.message,
  isSandboxError: error instanceof SandboxError
})

/** A sandbox started as `by` says: with `make`, or from its layer. */
const started = (options: SandboxOptions, by: StartedBy) =>
  by === "make" ? makeSandbox(options) : Effect.map(Layer.build(Sandbox.layer(options)), Context.get(Sandbox))

/** This line's sandboxes, each in a scope of its own. */
const lab: SandboxLab = {
  start: (options, by) =>
    settle(
      Effect.flatMap(Scope.make(), (scope) =>
        Scope.provide(started(optionsOf(options), by), scope).pipe(
          Effect.map((sandbox) => running(sandbox, scope)),
          Effect.mapError(startFailure)
        ))
    )
}

describe("the sandbox server", () => {
  for (const testCase of sandboxServerCases) {
    it(testCase.name, async () => {
      const { expected, observed } = await runSandboxCase(lab, testCase)
      expect(observed).toEqual(expected)
    })
  }
})

// What only this line's Effect API says.
describe("the sandbox server on Effect 4", () => {
  it.live("keeps its key Redacted, and serves defaultSeed unless given one", () =>
    Effect.gen(function*() {
      const sandbox = yield* makeSandbox()
      expect(String(sandbox.apiKey)).not.toContain(Redacted.value(sandbox.apiKey))
      expect(sandbox.seed).toBe(defaultSeed)
    }))

  it.live("Sandbox.layer and the live layer in one layer", () =>
    Effect.gen(function*() {
      const token = yield* Synctera.getWidgetToken({ cardId: sandboxIds.cards.active, widgetType: "SET_PIN" })
      expect(token.tenant).toBe(sandboxIds.tenant)
      const sandbox = yield* Sandbox
      expect((yield* sandbox.requests).length).toBe(1)
    }).pipe(
      Effect.provide(
        Layer.unwrap(Effect.map(Sandbox, (sandbox) => liveOn(sandbox, { retry: { times: 1, base: "1 millis" } })))
          .pipe(Layer.provideMerge(Sandbox.layer()))
      )
    ))

  it.live("makes no server spans, even under a tracer", () =>
    Effect.gen(function*() {
      const { spans, tracer } = recordingTracer()
      const statuses = yield* Effect.flatMap(makeSandbox(), (sandbox) =>
        Effect.promise(() => apiAndPlaidPageStatuses(addressOf(sandbox)))).pipe(Effect.withTracer(tracer))
      expect(statuses).toEqual([200, 200])
      expect(spans.map((span) =>
        span.name
      )).toEqual([])
    }))
})

describe("sandbox ids", () => {
  it("are UUIDs, so the live client accepts them", () => {
    const isUuid = Schema.is(Schema.String.check(Schema.isUUID()))
    for (const id of [...Object.values(sandboxIds.cards), ...Object.values(sandboxIds.fdxTokens)]) {
      expect(isUuid(id)).toBe(true)
    }
  })
})
