/**
 * Reading a response body without trusting its size.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import type * as HttpClientError from "effect/http/HttpClientError"
import type * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as Stream from "effect/Stream"

/**
 * A body read up to a limit.
 *
 * @since 0.3.0
 */
export interface BoundedBody {
  /** The text of the first `limit` bytes at most. */
  readonly text: string
  /** False when the body went past the limit and reading stopped there. */
  readonly complete: boolean
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
 * connection is dropped as soon as the limit is passed (ending the stream
 * early aborts the request), so a hostile or broken server cannot make the
 * client buffer without end.
 *
 * @since 0.3.0
 */
export const readBounded = (
  response: HttpClientResponse.HttpClientResponse,
  limit: number
): Effect.Effect<BoundedBody, HttpClientError.HttpClientError> => {
  const declared = response.headers["content-length"]
  if (declared !== undefined && /^\d+$/.test(declared) && Number(declared) <= limit) {
    return Effect.map(response.text, (text) => ({ text, complete: true }))
  }
  return Effect.suspend(() => {
    const chunks: Array<Uint8Array> = []
    let size = 0
    return response.stream.pipe(
      Stream.runForEachWhile((chunk) =>
        Effect.sync(() => {
          chunks.push(chunk)
          size += chunk.length
          return size <= limit
        })
      ),
      Effect.map((): BoundedBody => {
        const bytes = concat(chunks, size)
        const complete = size <= limit
        return { text: decoder.decode(complete ? bytes : bytes.subarray(0, limit)), complete }
      }),
      // A web `Response` without a body has no stream at all: that is an empty body.
      Effect.catchIf((error) => error.reason._tag === "EmptyBodyError", () => Effect.succeed(empty))
    )
  })
}
