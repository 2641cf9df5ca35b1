/**
 * Input checks shared by the live client and the in-memory layer, so that
 * both refuse the same input with the same words.
 *
 * @internal
 */
import * as Result from "effect/Result"
import type * as Schema from "effect/Schema"
import * as SchemaParser from "effect/SchemaParser"
import { InvalidInput, type Operation } from "../errors/SyncteraError.js"
import { formatIssue, parseOptions } from "./parseMessage.js"

/**
 * Input check: a typed error before anything is sent.
 *
 * @since 0.3.0
 */
export const validator = <S extends Schema.ConstraintDecoder<unknown>>(schema: S, operation: Operation) => {
  const decode = SchemaParser.decodeUnknownResult(schema, parseOptions)
  return (input: unknown): Result.Result<S["Type"], InvalidInput> => {
    try {
      return Result.mapError(
        decode(input),
        (issue) => new InvalidInput({ operation, description: formatIssue(issue) })
      )
    } catch {
      // A caller's object can throw while it is read (a getter, a Proxy):
      // that is invalid input too, not a defect. Its error is not quoted: it
      // is the caller's text, not ours to put into an error.
      return Result.fail(
        new InvalidInput({
          operation,
          description: "the request could not be read: reading one of its properties threw"
        })
      )
    }
  }
}
