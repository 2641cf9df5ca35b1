/**
 * Calls an operation of the service with input the type system would refuse,
 * as a JavaScript caller (or a value read from JSON) may: the client must
 * refuse it at run time, with `InvalidInput`.
 */
import type * as Effect from "effect/Effect"
import { Synctera, type SyncteraError, type SyncteraService } from "../../src/index.js"

/** The operations that take one request and answer with an `Effect`. */
export type EffectOperation =
  | "getWidgetToken"
  | "getFdxToken"
  | "listFdxTokens"
  | "listFdxAuthRequests"
  | "grantFdxAuthRequest"

/** `Synctera[name](input)` for any `input`. */
export const callUntyped = <K extends EffectOperation>(
  name: K,
  input: unknown
): Effect.Effect<Effect.Success<ReturnType<SyncteraService[K]>>, SyncteraError, Synctera> =>
  Synctera.use((service) => Reflect.apply(service[name], service, [input]))
