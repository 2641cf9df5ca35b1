/**
 * The Effect 4 line's errors: the same tags, identifiers, fields and
 * messages as the Effect 3 line's. Each expected message below is what the
 * Effect 3 line prints for the same fields (taken from `src/`, word for
 * word); `isTransient` is the core's rule.
 */
import { describe, expect, it } from "@effect/vitest"
import { Cause, Duration, Effect, Exit, Schema } from "effect"
import { operationNames } from "../../src/core/operations.js"
import {
  BadRequest,
  Conflict,
  Forbidden,
  Internal,
  InvalidInput,
  InvalidResponse,
  isSyncteraError,
  isTransient,
  NetworkError,
  NotFound,
  Operation,
  RateLimited,
  SyncteraError,
  Timeout,
  Unauthorized,
  UnexpectedStatus,
  Unprocessable
} from "../src/index.js"

/** Each error, with the message the Effect 3 line prints for the same fields. */
const printed: ReadonlyArray<readonly [SyncteraError, string]> = [
  [
    new BadRequest({
      operation: "getWidgetToken",
      status: 400,
      code: "BAD_REQUEST_BODY",
      detail: "widget_type is invalid",
      requestId: "req-1",
      attempts: 1
    }),
    "Synctera getWidgetToken failed with 400 Bad Request BAD_REQUEST_BODY: widget_type is invalid [request id req-1] after 1 attempt"
  ],
  [
    new Unauthorized({ operation: "getFdxToken", status: 401, attempts: 1 }),
    "Synctera getFdxToken failed with 401 Unauthorized after 1 attempt"
  ],
  [
    new Forbidden({ operation: "getWidgetToken", status: 403, detail: "not your card", attempts: 2 }),
    "Synctera getWidgetToken failed with 403 Forbidden: not your card after 2 attempts"
  ],
  [
    new NotFound({ operation: "getFdxToken", status: 404, code: "RESOURCE_NOT_FOUND", attempts: 1, body: "{}" }),
    "Synctera getFdxToken failed with 404 Not Found RESOURCE_NOT_FOUND after 1 attempt"
  ],
  [
    new Conflict({ operation: "grantFdxAuthRequest", status: 409, code: "IDEMPOTENCY_CONCURRENT_USE", attempts: 3 }),
    "Synctera grantFdxAuthRequest failed with 409 Conflict IDEMPOTENCY_CONCURRENT_USE after 3 attempts"
  ],
  [
    new Unprocessable({
      operation: "getWidgetToken",
      status: 422,
      code: "IDEMPOTENCY_INVALID_REUSE",
      requestId: "r-2",
      attempts: 1
    }),
    "Synctera getWidgetToken failed with 422 Unprocessable Entity IDEMPOTENCY_INVALID_REUSE [request id r-2] after 1 attempt"
  ],
  [
    new RateLimited({ operation: "listFdxTokens", status: 429, attempts: 4, retryAfter: Duration.millis(1500) }),
    "Synctera listFdxTokens failed with 429 Too Many Requests after 4 attempts (retry after 1s 500ms)"
  ],
  [
    new RateLimited({ operation: "listFdxTokens", status: 429, code: "RATE_LIMITED", attempts: 1 }),
    "Synctera listFdxTokens failed with 429 Too Many Requests RATE_LIMITED after 1 attempt"
  ],
  [
    new Internal({ operation: "grantFdxAuthRequest", status: 502, attempts: 1, maybeApplied: true }),
    "Synctera grantFdxAuthRequest failed with 502 Server Error after 1 attempt; the request may or may not have been applied: check before repeating it"
  ],
  [
    new Internal({ operation: "getFdxToken", status: 503, detail: "maintenance", attempts: 3 }),
    "Synctera getFdxToken failed with 503 Server Error: maintenance after 3 attempts"
  ],
  [
    new UnexpectedStatus({
      operation: "getFdxToken",
      status: 302,
      location: "https://elsewhere.example/",
      attempts: 1
    }),
    "Synctera getFdxToken failed with 302 Unexpected Status after 1 attempt (redirect to https://elsewhere.example/ not followed)"
  ],
  [
    new UnexpectedStatus({ operation: "getAuthorizationTest", status: 408, attempts: 2, maybeApplied: true }),
    "Synctera getAuthorizationTest failed with 408 Unexpected Status after 2 attempts; the request may or may not have been applied: check before repeating it"
  ],
  [
    new NetworkError({ operation: "listFdxAuthRequests", attempts: 2, description: "connection reset (ECONNRESET)" }),
    "Synctera listFdxAuthRequests failed: network error: connection reset (ECONNRESET) after 2 attempts"
  ],
  [
    new NetworkError({
      operation: "grantFdxAuthRequest",
      attempts: 1,
      description: "socket hang up",
      maybeApplied: true
    }),
    "Synctera grantFdxAuthRequest failed: network error: socket hang up after 1 attempt; the request may or may not have been applied: check before repeating it"
  ],
  [
    new Timeout({ operation: "getWidgetToken", attempts: 1, limit: "attempt", after: Duration.millis(10000) }),
    "Synctera getWidgetToken failed: attempt timed out after 10s (after 1 attempt)"
  ],
  [
    new Timeout({
      operation: "listFdxTokens",
      attempts: 3,
      limit: "deadline",
      after: Duration.millis(90250),
      maybeApplied: true
    }),
    "Synctera listFdxTokens failed: deadline passed after 1m 30s 250ms (after 3 attempts); the request may or may not have been applied: check before repeating it"
  ],
  [
    new Timeout({ operation: "getFdxToken", attempts: 1, limit: "attempt", after: Duration.millis(0) }),
    "Synctera getFdxToken failed: attempt timed out after 0 (after 1 attempt)"
  ],
  [
    new InvalidResponse({
      operation: "getAuthorizationTest",
      status: 201,
      attempts: 1,
      requestId: "r-9",
      reason: "Decode",
      description: "redirect_url: Expected string",
      body: "{}"
    }),
    "Synctera getAuthorizationTest returned 201 with an unreadable body (Decode): redirect_url: Expected string [request id r-9] after 1 attempt"
  ],
  [
    new InvalidResponse({
      operation: "listFdxTokens",
      status: 200,
      attempts: 2,
      reason: "Pagination",
      description: "next_page_token a8937a0d was already given"
    }),
    "Synctera listFdxTokens returned 200 with an unreadable body (Pagination): next_page_token a8937a0d was already given after 2 attempts"
  ],
  [
    new InvalidInput({ operation: "getWidgetToken", description: "cardId: a card id must be a UUID" }),
    "Synctera getWidgetToken refused its input: cardId: a card id must be a UUID"
  ]
]

const tags = [
  "BadRequest",
  "Unauthorized",
  "Forbidden",
  "NotFound",
  "Conflict",
  "Unprocessable",
  "RateLimited",
  "Internal",
  "UnexpectedStatus",
  "NetworkError",
  "Timeout",
  "InvalidResponse",
  "InvalidInput"
] as const

describe("SyncteraError", () => {
  it("every error reads word for word as the Effect 3 line's", () => {
    for (const [error, message] of printed) {
      expect(error.message).toBe(message)
      expect(String(error)).toBe(`${error._tag}: ${message}`)
    }
  })

  it("covers the 13 errors, each named by its tag and identified under effect-synctera/", () => {
    const classes = [
      BadRequest,
      Unauthorized,
      Forbidden,
      NotFound,
      Conflict,
      Unprocessable,
      RateLimited,
      Internal,
      UnexpectedStatus,
      NetworkError,
      Timeout,
      InvalidResponse,
      InvalidInput
    ]
    expect(classes.map((error) => error.identifier)).toEqual(tags.map((tag) => `effect-synctera/${tag}`))
    expect([...new Set(printed.map(([error]) => error._tag))]).toEqual(tags)
    for (const [error] of printed) {
      expect(error.name).toBe(error._tag)
      expect(error).toBeInstanceOf(Error)
      expect(isSyncteraError(error)).toBe(true)
    }
  })

  it("names the operations of the core", () => {
    expect(Operation.literals).toEqual(operationNames)
    expect(Schema.is(Operation)("getWidgetToken")).toBe(true)
    expect(Schema.is(Operation)("streamFdxTokens")).toBe(false)
  })

  it("checks its fields when constructed", () => {
    // @ts-expect-error: not an operation
    expect(() => new InvalidInput({ operation: "deleteCard", description: "x" })).toThrow()
    expect(() => new BadRequest({ operation: "getFdxToken", status: 400.5, attempts: 1 })).toThrow()
    // @ts-expect-error: a duration, not a number
    expect(() => new Timeout({ operation: "getFdxToken", attempts: 1, limit: "attempt", after: 1000 })).toThrow()
  })

  it("tells its errors from anything else", () => {
    for (
      const other of [
        new Error("BadRequest"),
        { _tag: "NotFound", operation: "getFdxToken", status: 404, attempts: 1 },
        "NotFound",
        null,
        new Cause.TimeoutError()
      ]
    ) {
      expect(isSyncteraError(other)).toBe(false)
    }
  })

  it("travels as JSON and comes back as the same class", () => {
    const codec = Schema.toCodecJson(SyncteraError)
    for (const [error, message] of printed) {
      const json = JSON.parse(JSON.stringify(Schema.encodeSync(codec)(error)))
      const back = Schema.decodeUnknownSync(codec)(json)
      expect(back).toBeInstanceOf(error.constructor)
      expect(back.message).toBe(message)
      expect(back).toEqual(error)
    }
  })

  it.effect("fails an Effect, and is caught by its tag", () =>
    Effect.gen(function*() {
      const notFound = new NotFound({ operation: "getFdxToken", status: 404, attempts: 1 })
      const program: Effect.Effect<string, SyncteraError> = Effect.fail(notFound)
      const caught = yield* program.pipe(
        Effect.catchTags({ NotFound: (e) => Effect.succeed(`missing after ${e.attempts}`) })
      )
      expect(caught).toBe("missing after 1")
      const exit = yield* Effect.exit(Effect.gen(function*() {
        return yield* new RateLimited({ operation: "listFdxTokens", status: 429, attempts: 1 })
      }))
      expect(Exit.isFailure(exit) && Cause.pretty(exit.cause)).toContain(
        "RateLimited: Synctera listFdxTokens failed with 429 Too Many Requests after 1 attempt"
      )
    }))
})

describe("isTransient", () => {
  const response = { status: 500, attempts: 1 } as const

  it("is the core's retry rule", () => {
    const cases: ReadonlyArray<readonly [SyncteraError, boolean]> = [
      [new NetworkError({ operation: "getFdxToken", attempts: 3, description: "ECONNREFUSED" }), true],
      [
        new NetworkError({ operation: "grantFdxAuthRequest", attempts: 1, description: "reset", maybeApplied: true }),
        false
      ],
      [new Timeout({ operation: "getFdxToken", attempts: 1, limit: "attempt", after: Duration.seconds(10) }), true],
      [new Timeout({ operation: "getFdxToken", attempts: 4, limit: "deadline", after: Duration.seconds(30) }), false],
      [
        new Timeout({
          operation: "grantFdxAuthRequest",
          attempts: 1,
          limit: "attempt",
          after: Duration.seconds(10),
          maybeApplied: true
        }),
        false
      ],
      [new UnexpectedStatus({ operation: "getFdxToken", ...response, status: 408 }), true],
      [new RateLimited({ operation: "listFdxTokens", ...response, status: 429 }), true],
      [new Internal({ operation: "getFdxToken", ...response, status: 500 }), true],
      [new Internal({ operation: "getFdxToken", ...response, status: 501 }), false],
      [new Internal({ operation: "getFdxToken", ...response, status: 502 }), true],
      [new Internal({ operation: "getFdxToken", ...response, status: 503 }), true],
      [new Internal({ operation: "getFdxToken", ...response, status: 504 }), true],
      [new Internal({ operation: "getFdxToken", ...response, status: 505 }), false],
      [new Internal({ operation: "grantFdxAuthRequest", ...response, status: 502, maybeApplied: true }), false],
      [
        new Conflict({
          operation: "grantFdxAuthRequest",
          ...response,
          status: 409,
          code: "IDEMPOTENCY_CONCURRENT_USE"
        }),
        true
      ],
      [
        new Unprocessable({
          operation: "getWidgetToken",
          ...response,
          status: 422,
          code: "IDEMPOTENCY_CONCURRENT_USE"
        }),
        true
      ],
      [
        new Unprocessable({ operation: "getWidgetToken", ...response, status: 422, code: "IDEMPOTENCY_INVALID_REUSE" }),
        false
      ],
      [
        new Conflict({ operation: "grantFdxAuthRequest", ...response, status: 409, code: "RESOURCE_ALREADY_EXISTS" }),
        false
      ],
      [new BadRequest({ operation: "getWidgetToken", ...response, status: 400 }), false],
      [new Unauthorized({ operation: "getWidgetToken", ...response, status: 401 }), false],
      [new Forbidden({ operation: "getWidgetToken", ...response, status: 403 }), false],
      [new NotFound({ operation: "getFdxToken", ...response, status: 404 }), false],
      [new UnexpectedStatus({ operation: "getFdxToken", ...response, status: 302 }), false],
      [
        new InvalidResponse({ operation: "getFdxToken", status: 200, attempts: 1, reason: "Decode", description: "x" }),
        false
      ],
      [new InvalidInput({ operation: "getFdxToken", description: "fdxTokenId: an FDX token id must be a UUID" }), false]
    ]
    for (const [error, transient] of cases) expect([error._tag, isTransient(error)]).toEqual([error._tag, transient])
  })
})
