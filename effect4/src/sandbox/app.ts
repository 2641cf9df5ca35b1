/**
 * The sandbox's HTTP app: bearer auth first, then Synctera's routes answered
 * by the model, with optional faults. Kept lean: it is the hot path.
 *
 * The API routes, under `/v1`, are those of the operation descriptions
 * (`core/operations.ts`): `GET /v1/cards/{card_id}/widget_token`,
 * `GET /v1/fdx_tokens/{fdx_token_id}`, `GET /v1/fdx_tokens`,
 * `GET /v1/fdx_auth_requests`, `POST /v1/fdx_auth_requests/authorize`,
 * `GET /v1/fdx_auth_requests/authorization_test`. Any other path answers 404
 * `RESOURCE_NOT_FOUND`; another method on one of them 405
 * `METHOD_NOT_ALLOWED`; a body over 64 KiB 413.
 *
 * Besides the API, the sandbox's own pages and controls:
 * - `GET /plaid/oauth/callback?code=…&state=…` (or `?error=…`): the page a
 *   grant's `redirect_uri` points to, in Plaid's place. With a code it
 *   completes the exchange as Plaid would (the request becomes `USED`, an
 *   `ACCESS` and a `REFRESH` token are issued) and shows where Plaid Link
 *   would go next. No key: it is opened by a browser.
 * - `POST /sandbox/fdx_tokens/{fdx_token_id}/refresh` and `…/revoke` (with
 *   the key): refresh or revoke a token, answering the tokens changed or
 *   issued as `{ fdx_tokens: [...] }`, or 409 with the reason.
 *
 * A request to `/v1` or `/sandbox` without `Authorization: Bearer <the
 * sandbox key>` answers 401 `UNAUTHORIZED` before anything else is looked at.
 *
 * @since 0.3.0
 */
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as HttpRouter from "effect/http/HttpRouter"
import * as HttpServerRequest from "effect/http/HttpServerRequest"
import * as HttpServerResponse from "effect/http/HttpServerResponse"
import type * as Random from "effect/Random"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import { timingSafeEqual } from "node:crypto"
import { type OperationName, routes } from "../../../src/core/operations.js"
import { failure, type InjectedFailure, type Outcome } from "../model/Outcome.js"
import { type ModelRequest, type SandboxModel, unauthorized } from "../model/SandboxModel.js"
import { FdxToken } from "../schemas/FdxToken.js"
import type { ResolvedFaults } from "./options.js"
import { plaidPage } from "./plaidPage.js"
import type { RequestLog, RequestRecord } from "./RequestLog.js"

/**
 * What the app needs.
 *
 * @since 0.3.0
 * @category internal
 */
export interface AppDeps {
  readonly model: SandboxModel
  readonly apiKey: string
  readonly faults: ResolvedFaults
  /** The fault dice (seeded from `randomSeed`). */
  readonly random: Random.Random
  readonly log: RequestLog
}

/**
 * The app: an HTTP effect for the server to run on each request.
 *
 * @since 0.3.0
 * @category internal
 */
export type App = Effect.Effect<
  HttpServerResponse.HttpServerResponse,
  never,
  HttpServerRequest.HttpServerRequest | Scope.Scope
>

type Fault = RequestRecord["fault"]

const respond = (outcome: Outcome): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.jsonUnsafe(outcome.body, {
    status: outcome.status,
    headers: outcome._tag === "Failure" ? outcome.headers : undefined
  })

/** Sends the status, the headers and all the body but its last two bytes, then never finishes. */
const stalled = (outcome: Outcome): HttpServerResponse.HttpServerResponse => {
  const text = JSON.stringify(outcome.body)
  return HttpServerResponse.stream(
    Stream.concat(Stream.succeed(new TextEncoder().encode(text.slice(0, -2))), Stream.never),
    {
      status: outcome.status,
      contentType: "application/json",
      headers: outcome._tag === "Failure" ? outcome.headers : undefined
    }
  )
}

const first = (value: string | ReadonlyArray<string> | undefined): string | undefined =>
  typeof value === "string" ? value : value?.[0]

const notFound = (detail: string) => respond(failure(404, "RESOURCE_NOT_FOUND", detail))

/**
 * Builds the app over a model.
 *
 * @since 0.3.0
 * @category internal
 */
export const make = (deps: AppDeps): Effect.Effect<App> =>
  Effect.gen(function*() {
    const { faults, log, model, random } = deps
    const expected = Buffer.from(`Bearer ${deps.apiKey}`)
    const isAuthorized = (header: string | undefined): boolean => {
      if (header === undefined) return false
      // The scheme is case-insensitive; the key is compared in constant time.
      const given = Buffer.from(header.replace(/^bearer /i, "Bearer "))
      return given.length === expected.length && timingSafeEqual(given, expected)
    }

    const unauthorizedResponse = respond(unauthorized())
    const roll: Effect.Effect<number> = faults.enabled
      ? Effect.sync(() => random.nextDoubleUnsafe())
      : Effect.succeed(1)
    const fault = (r: number): Fault =>
      r < faults.drop
        ? "drop"
        : r < faults.rateLimit
        ? "rateLimit"
        : r < faults.fail
        ? "fail"
        : r < faults.stall
        ? "stall"
        : undefined
    const midFail = (faults.rateLimit + faults.fail) / 2
    const injection = (kind: Fault, r: number): InjectedFailure | undefined =>
      kind === "rateLimit"
        ? { status: 429, retryAfter: faults.retryAfterSeconds }
        : kind === "fail"
        ? { status: r < midFail ? 500 : 503 }
        : undefined
    const latency = faults.latency

    /** Runs one API request through faults and the model. */
    const api = (
      request: HttpServerRequest.HttpServerRequest,
      modelRequest: ModelRequest
    ): Effect.Effect<HttpServerResponse.HttpServerResponse> =>
      Effect.flatMap(roll, (r) => {
        const kind = fault(r)
        const record = (status: number | undefined) =>
          log.push({
            method: request.method,
            url: request.url,
            idempotencyKey: modelRequest.idempotencyKey,
            status,
            fault: kind
          })
        if (kind === "drop") {
          record(undefined)
          // The server interrupts this fiber when the socket closes.
          return Effect.andThen(
            Effect.sync(() => NodeHttpServerRequest.toIncomingMessage(request).socket.destroy()),
            Effect.never
          )
        }
        return Effect.map(model.handle(modelRequest, { latency, fault: injection(kind, r) }), (outcome) => {
          record(outcome.status)
          return kind === "stall" ? stalled(outcome) : respond(outcome)
        })
      })

    const maxBodyBytes = 64 * 1024
    const tooLarge = respond(failure(413, "PAYLOAD_TOO_LARGE", `the body is larger than ${maxBodyBytes} bytes`))
    const unreadable = respond(failure(400, "BAD_REQUEST_BODY", "the request body could not be read"))

    /** A request's body text (POST only), or the answer that refuses it. */
    const bodyOf = (
      request: HttpServerRequest.HttpServerRequest
    ): Effect.Effect<string | undefined | HttpServerResponse.HttpServerResponse> => {
      if (request.method !== "POST") return Effect.succeed(undefined)
      const declared = Number(request.headers["content-length"] ?? "0")
      if (declared > maxBodyBytes) return Effect.succeed(tooLarge)
      return request.text.pipe(
        Effect.map((text) => (text.length > maxBodyBytes ? tooLarge : text)),
        Effect.orElseSucceed(() => unreadable)
      )
    }

    /** The route of one described operation: its method, then the model. */
    const route = (operation: OperationName, method: "GET" | "POST") =>
      Effect.flatMap(
        Effect.context<
          HttpServerRequest.HttpServerRequest | HttpRouter.RouteContext | HttpServerRequest.ParsedSearchParams
        >(),
        (context) => {
          const request = Context.get(context, HttpServerRequest.HttpServerRequest)
          if (request.method !== method) {
            return Effect.succeed(
              respond(
                failure(405, "METHOD_NOT_ALLOWED", `${request.method} is not allowed here`, {
                  headers: { allow: method }
                })
              )
            )
          }
          const search = Context.get(context, HttpServerRequest.ParsedSearchParams)
          const query: Record<string, string | undefined> = {}
          for (const name in search) query[name] = first(search[name])
          const params: Record<string, string> = {}
          const routeParams = Context.get(context, HttpRouter.RouteContext).params
          for (const name in routeParams) params[name] = routeParams[name] ?? ""
          return Effect.flatMap(bodyOf(request), (body) =>
            typeof body === "object"
              ? Effect.succeed(body)
              : api(request, {
                operation,
                params,
                query,
                body,
                idempotencyKey: request.headers["idempotency-key"]
              }))
        }
      )

    /** A sandbox control on one FDX token: its changed and issued tokens, or 409 with the reason. */
    const tokenControl = (
      run: (id: string) => Effect.Effect<ReadonlyArray<unknown>, { readonly reason: string }>
    ) =>
      Effect.flatMap(HttpRouter.params, (params) =>
        run(params["fdx_token_id"] ?? "").pipe(
          Effect.map((tokens) => HttpServerResponse.jsonUnsafe({ fdx_tokens: tokens })),
          Effect.catch((refused) => Effect.succeed(respond(failure(409, "REFUSED", refused.reason))))
        ))

    const encodeTokens = Schema.encodeEffect(Schema.Array(FdxToken))

    const apiRouter = yield* HttpRouter.make
    for (const spec of routes) {
      yield* apiRouter.add("*", `/v1${spec.path.replace(/\{(\w+)\}/g, ":$1")}`, route(spec.name, spec.method))
    }
    yield* apiRouter.add(
      "POST",
      "/sandbox/fdx_tokens/:fdx_token_id/refresh",
      tokenControl((id) => Effect.flatMap(model.refreshFdxToken(id), (tokens) => Effect.orDie(encodeTokens(tokens))))
    )
    yield* apiRouter.add(
      "POST",
      "/sandbox/fdx_tokens/:fdx_token_id/revoke",
      tokenControl((id) => Effect.flatMap(model.revokeFdxToken(id), (token) => Effect.orDie(encodeTokens([token]))))
    )
    yield* apiRouter.add(
      "*",
      "*",
      (request) => Effect.succeed(notFound(`no route for ${request.method} ${request.url.split("?")[0]}`))
    )

    const pagesRouter = yield* HttpRouter.make
    yield* pagesRouter.add("GET", "/plaid/oauth/callback", plaidPage(model))

    // A router fails only when no route matches (the handlers never fail).
    const noSuchRoute = Effect.succeed(notFound("no such route"))
    const apiApp = Effect.catch(apiRouter.asHttpEffect(), () => noSuchRoute)
    const pagesApp = Effect.catch(pagesRouter.asHttpEffect(), () => noSuchRoute)

    return HttpServerRequest.HttpServerRequest.use((request) =>
      request.url.startsWith("/plaid/")
        ? pagesApp
        : isAuthorized(request.headers["authorization"])
        ? apiApp
        : Effect.succeed(unauthorizedResponse)
    )
  })
