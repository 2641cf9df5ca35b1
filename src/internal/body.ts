/**
 * Reading a response body without trusting its size.
 *
 * @internal
 */
import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"

/** A body read up to a limit. */
export interface BoundedBody {
  /** The text of the first `limit` bytes at most. */
  readonly text: string
  /** False when the body went past the limit and reading stopped there. */
  readonly complete: boolean
}

interface Accumulator {
  readonly chunks: Array<Uint8Array>
  size: number
}

const decoder = new TextDecoder()

const empty: BoundedBody = { text: "", complete: true }

const concat = (chunks: ReadonlyArray<Uint8Array>, size: number): Uint8Array => {
  if (chunks.length === 1 && chunks[0] !== undefined) return chunks[0]
  const all = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    all.set(chunk, offset)
    offset += chunk.length
  }
  return all
}

/**
 * Reads at most `limit` bytes. A body that declares a length within the limit
 * is read in one go (the fast path); otherwise it is streamed and the
 * connection is dropped as soon as the limit is passed, so a hostile or broken
 * server cannot make the client buffer without end.
 */
export const readBounded = (
  response: HttpClientResponse.HttpClientResponse,
  limit: number
): Effect.Effect<BoundedBody, HttpClientError.ResponseError> => {
  const declared = response.headers["content-length"]
  if (declared !== undefined && /^\d+$/.test(declared) && Number(declared) <= limit) {
    return Effect.map(response.text, (text) => ({ text, complete: true }))
  }
  const initial: Accumulator = { chunks: [], size: 0 }
  return response.stream.pipe(
    Stream.runFoldWhile(
      initial,
      (acc) => acc.size <= limit,
      (acc, chunk) => {
        acc.chunks.push(chunk)
        acc.size += chunk.length
        return acc
      }
    ),
    Effect.map((acc) => {
      const bytes = concat(acc.chunks, acc.size)
      const complete = acc.size <= limit
      return { text: decoder.decode(complete ? bytes : bytes.subarray(0, limit)), complete }
    }),
    // A web `Response` without a body has no stream at all: that is an empty body.
    Effect.catchIf((error) => error.reason === "EmptyBody", () => Effect.succeed(empty))
  )
}
