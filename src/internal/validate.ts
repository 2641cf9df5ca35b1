/**
 * Input checks shared by the live client and the in-memory layer, so that
 * both refuse the same input with the same words.
 *
 * @internal
 */
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { InvalidInput, type Operation } from "../errors/SyncteraError.js"
import { formatParseError } from "./parseMessage.js"

/** Input check: a typed error before anything is sent. */
export const validator = <A, I>(schema: Schema.Schema<A, I>, operation: Operation) => {
  const decode = Schema.decodeUnknownEither(schema)
  return (input: unknown): Either.Either<A, InvalidInput> => {
    try {
      return Either.mapLeft(
        decode(input),
        (error) => new InvalidInput({ operation, description: formatParseError(error) })
      )
    } catch {
      // A caller's object can throw while it is read (a getter, a Proxy):
      // that is invalid input too, not a defect. Its error is not quoted: it
      // is the caller's text, not ours to put into an error.
      return Either.left(
        new InvalidInput({
          operation,
          description: "the request could not be read: reading one of its properties threw"
        })
      )
    }
  }
}
