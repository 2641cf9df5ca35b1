/**
 * The sandbox's HTTP app: bearer auth first, then the two Synctera routes
 * answered by the model, with optional faults. Kept lean: it is the hot path.
 *
 * Routes (under `/v1`, any other path answers 404 `RESOURCE_NOT_FOUND`, any
 * method but GET on these two answers 405 `METHOD_NOT_ALLOWED`):
 *
 * - `GET /v1/cards/{card_id}/widget_token?widget_type=…` (header
 *   `Idempotency-Key` optional)
 * - `GET /v1/fdx_tokens/{fdx_token_id}`
 *
 * A request without `Authorization: Bearer <the sandbox key>` answers 401
 * `UNAUTHORIZED` before anything else is looked at.
 *
 * @since 0.1.0
 */
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import type * as Random from "effect/Random"
import * as Stream from "effect/Stream"
import { timingSafeEqual } from "node:crypto"
import { failure, type InjectedFailure, type Outcome } from "../model/Outcome.js"
import { type ModelRequest, type SandboxModel, unauthorized } from "../model/SandboxModel.js"
import type { ResolvedFaults } from "./options.js"
import type { RequestLog, RequestRecord } from "./RequestLog.js"

/** What the app needs. */
export interface AppDeps {
  readonly model: SandboxModel
  readonly apiKey: string
  readonly faults: ResolvedFaults
  readonly random: Random.Random
  readonly log: RequestLog
}

type Fault = RequestRecord["fault"]

const respond = (outcome: Outcome): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.unsafeJson(outcome.body, {
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

/** Builds the app over a model. */
export const make = (deps: AppDeps): HttpApp.Default => {
  const { faults, log, model } = deps
  const expected = Buffer.from(`Bearer ${deps.apiKey}`)
  const isAuthorized = (header: string | undefined): boolean => {
    if (header === undefined) return false
    // The scheme is case-insensitive; the key is compared in constant time.
    const given = Buffer.from(header.replace(/^bearer /i, "Bearer "))
    return given.length === expected.length && timingSafeEqual(given, expected)
  }

  const unauthorizedResponse = respond(unauthorized())
  const roll: Effect.Effect<number> = faults.enabled ? deps.random.next : Effect.succeed(1)
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
  ): Effect.Effect<HttpServerResponse.HttpServerResponse> => {
    if (request.method !== "GET") {
      return Effect.succeed(
        respond(
          failure(405, "METHOD_NOT_ALLOWED", `${request.method} is not allowed here`, { headers: { allow: "GET" } })
        )
      )
    }
    return Effect.flatMap(roll, (r) => {
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
        return Effect.zipRight(
          Effect.sync(() => NodeHttpServerRequest.toIncomingMessage(request).socket.destroy()),
          Effect.never
        )
      }
      return Effect.map(model.handle(modelRequest, { latency, fault: injection(kind, r) }), (outcome) => {
        record(outcome.status)
        return kind === "stall" ? stalled(outcome) : respond(outcome)
      })
    })
  }

  const route = (
    toRequest: (
      params: Readonly<Record<string, string | undefined>>,
      search: Readonly<Record<string, string | ReadonlyArray<string> | undefined>>,
      idempotencyKey: string | undefined
    ) => ModelRequest
  ) =>
    Effect.map(
      Effect.context<
        HttpServerRequest.HttpServerRequest | HttpRouter.RouteContext | HttpServerRequest.ParsedSearchParams
      >(),
      (context) => {
        const request = Context.get(context, HttpServerRequest.HttpServerRequest)
        const modelRequest = toRequest(
          Context.get(context, HttpRouter.RouteContext).params,
          Context.get(context, HttpServerRequest.ParsedSearchParams),
          request.headers["idempotency-key"]
        )
        return api(request, modelRequest)
      }
    ).pipe(Effect.flatten)

  const router = HttpRouter.empty.pipe(
    HttpRouter.all(
      "/v1/cards/:card_id/widget_token",
      route((params, search, idempotencyKey) => ({
        operation: "getWidgetToken",
        cardId: params["card_id"] ?? "",
        widgetType: first(search["widget_type"]),
        idempotencyKey
      }))
    ),
    HttpRouter.all(
      "/v1/fdx_tokens/:fdx_token_id",
      route((params, _search, idempotencyKey) => ({
        operation: "getFdxToken",
        fdxTokenId: params["fdx_token_id"] ?? "",
        idempotencyKey
      }))
    ),
    HttpRouter.all(
      "*",
      Effect.map(
        HttpServerRequest.HttpServerRequest,
        (request) =>
          respond(failure(404, "RESOURCE_NOT_FOUND", `no route for ${request.method} ${request.url.split("?")[0]}`))
      )
    )
  )

  return Effect.flatMap(
    HttpServerRequest.HttpServerRequest,
    (request) => isAuthorized(request.headers["authorization"]) ? router : Effect.succeed(unauthorizedResponse)
  ).pipe(
    Effect.catchTag("RouteNotFound", () => Effect.succeed(respond(failure(404, "RESOURCE_NOT_FOUND", "no such route"))))
  )
}
