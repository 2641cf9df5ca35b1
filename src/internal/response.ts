/**
 * What a response means: a decoded value, or the typed error it stands for.
 * Pure functions over a body already read (see `body.ts`).
 *
 * @internal
 */
import type * as Headers from "@effect/platform/Headers"
import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import type * as ParseResult from "effect/ParseResult"
import { causeText, excerpt } from "../core/describe.js"
import { requestIdOf, retryAfterMillis } from "../core/retry.js"
import { InvalidResponse, type Operation } from "../errors/SyncteraError.js"
import { decodeErrorBodyLenient } from "../schemas/ErrorBody.js"
import type { BoundedBody } from "./body.js"
import { formatParseError } from "./parseMessage.js"
import { type StatusError, statusError } from "./statusError.js"

/** The answer as received. */
export interface Received {
  readonly operation: Operation
  readonly attempts: number
  readonly status: number
  readonly headers: Headers.Headers
  readonly body: BoundedBody
  /** The body limit it was read with. */
  readonly limit: number
  /** Removes the API key from text that goes into an error. */
  readonly scrub: <S extends string | undefined>(text: S) => S | string
}

const parseJson = (text: string): Either.Either<unknown, unknown> => {
  try {
    return Either.right(JSON.parse(text))
  } catch (error) {
    return Either.left(error)
  }
}

/**
 * A non-2xx answer as its typed error, with the wait the server asked for;
 * `maybeApplied` when the answer leaves it unknown whether the request was
 * applied (see `src/core/retry.ts`).
 */
export const statusFailure = (
  received: Received,
  nowMillis: number,
  maybeApplied = false
): { readonly error: StatusError; readonly retryAfter: Duration.Duration | undefined } => {
  const { body, headers, scrub } = received
  // Not JSON (a proxy's HTML page, plain text) leaves the fields empty; the raw text is kept.
  const { code, detail, ...rest } = decodeErrorBodyLenient(Either.getOrUndefined(parseJson(body.text)))
  const errorBody = { ...rest, code: scrub(code), detail: scrub(detail) }
  const waitMillis = retryAfterMillis(headers, errorBody.retryAfter, nowMillis)
  const retryAfter = waitMillis === undefined ? undefined : Duration.millis(waitMillis)
  const error = statusError({
    operation: received.operation,
    status: received.status,
    attempts: received.attempts,
    body: errorBody,
    requestId: scrub(requestIdOf(headers)),
    rawBody: body.text === "" ? undefined : excerpt(scrub(body.text)),
    retryAfter,
    location: scrub(headers["location"]),
    maybeApplied
  })
  return { error, retryAfter }
}

const invalidResponse = (
  received: Received,
  reason: InvalidResponse["reason"],
  description: string
): Either.Either<never, InvalidResponse> => {
  const { body, headers, scrub } = received
  return Either.left(
    new InvalidResponse({
      operation: received.operation,
      status: received.status,
      attempts: received.attempts,
      requestId: scrub(requestIdOf(headers)),
      reason,
      description: scrub(description),
      body: body.text === "" ? undefined : excerpt(scrub(body.text))
    })
  )
}

/**
 * A 2xx answer that decoded but that its caller cannot follow: a list page
 * whose `next_page_token` was already given in the same walk through the list.
 */
export const paginationError = (received: Received, description: string): Either.Either<never, InvalidResponse> =>
  invalidResponse(received, "Pagination", description)

/** A 2xx answer decoded, or the reason it cannot be. */
export const decodeSuccess = <A>(
  received: Received,
  decode: (json: unknown) => Either.Either<A, ParseResult.ParseError>
): Either.Either<A, InvalidResponse> => {
  const { body, headers } = received
  if (!body.complete) {
    return invalidResponse(received, "TooLarge", `the body is larger than the limit of ${received.limit} bytes`)
  }
  const json = parseJson(body.text)
  if (Either.isLeft(json)) {
    if (body.text.trim() === "") return invalidResponse(received, "Empty", "the body is empty")
    const contentType = headers["content-type"]
    return contentType !== undefined && !/\bjson\b/i.test(contentType)
      ? invalidResponse(received, "ContentType", `expected JSON, got content-type ${excerpt(contentType, 100)}`)
      : invalidResponse(received, "Decode", `the body is not JSON: ${causeText(json.left)}`)
  }
  const decoded = decode(json.right)
  return Either.isRight(decoded)
    ? Either.right(decoded.right)
    : invalidResponse(received, "Decode", formatParseError(decoded.left))
}
