/**
 * The API key as a canary, for both lines: after every path the client can
 * take, on every transport, it must not appear in anything a test can
 * observe — errors (inspect, JSON, toString, message, stack), log lines,
 * span names, attributes and exits, and what configuration gives. Here:
 * the canary, a server that answers each request as the current
 * {@link CanaryMode} says (echoing the credentials back where a hostile or
 * debugging server would), the calls, how a value is observed as text, and
 * what must be seen. {@link canaryRun} makes every call in every mode on a
 * line's {@link CanaryLab} (its server, and a session on one of its layers
 * with its own logger and tracer, behind promises) and checks what it saw;
 * each line's `security.test.ts` supplies the lab, and records its values
 * with {@link observeValue}.
 */
import type { IncomingHttpHeaders, ServerResponse } from "node:http"
import { inspect } from "node:util"
import type { Json } from "./behaviour.js"
import { is, type LiveCall, type LiveOptions, type Pattern, type WireJson } from "./liveEngine.js"
import { matching } from "./portsMatch.js"
import { cardId, fdxTokenBody, fdxTokenId, widgetTokenBody } from "./portsWire.js"

/** The key: long enough for the client's echo scrubbing (8 characters or more). */
export const canary = "sk_canary_7f3e9a1c5d2b4e6f8a0c"

/** The live layer's options: a short timeout (for the stalls), one quick retry. */
export const canaryOptions = {
  timeout: "200 millis",
  retry: { times: 1, base: "1 millis" }
} as const satisfies LiveOptions

/** The calls made in each mode: two valid ones, and one refused before anything is sent. */
const canaryCalls: ReadonlyArray<LiveCall> = [
  { call: "getWidgetToken", input: { cardId, widgetType: "REVEAL" } },
  { call: "getFdxToken", input: { fdxTokenId } },
  { call: "getWidgetToken", input: { cardId: "../../etc", widgetType: "REVEAL" } }
]

/** What the server does, in turn. */
const canaryModes = [
  "ok",
  "401-echo",
  "503",
  "redirect",
  "bad-2xx-echo",
  "html",
  "drop",
  "stall",
  "broken-body"
] as const

/** One of {@link canaryModes}. */
type CanaryMode = (typeof canaryModes)[number]

/** How a line's `TestServer` writes a JSON answer. */
type WriteJson = (response: ServerResponse, status: number, body: WireJson, headers?: Record<string, string>) => void

/**
 * The server's handler: each request answered as `mode()` says, with the
 * `authorization` it got echoed back in the hostile modes. Pass the line's
 * `TestServer`'s `json` as `writeJson`.
 */
const canaryHandler = (mode: () => CanaryMode, writeJson: WriteJson) =>
(
  request: { readonly path: string; readonly headers: IncomingHttpHeaders },
  res: ServerResponse
): void => {
  const echo = request.headers.authorization ?? ""
  switch (mode()) {
    case "ok":
      return writeJson(res, 200, request.path.includes("fdx") ? fdxTokenBody : widgetTokenBody)
    case "401-echo":
      return writeJson(res, 401, { code: "UNAUTHORIZED", detail: `bad key ${echo}`, status: 401 }, {
        "x-request-id": echo
      })
    case "503":
      return writeJson(res, 503, { code: "UNAVAILABLE" })
    case "redirect":
      res.writeHead(307, { location: `http://${request.headers.host}/other?key=${encodeURIComponent(echo)}` })
      return void res.end()
    case "bad-2xx-echo":
      return writeJson(res, 200, { tenant: echo, id: echo })
    case "html":
      res.writeHead(500, { "content-type": "text/html" })
      return void res.end(`<pre>${echo}</pre>`)
    case "drop":
      return void res.socket?.destroy()
    case "stall":
      return
    case "broken-body":
      res.writeHead(200, { "content-type": "application/json" })
      res.write(`{"tenant":"${echo}`)
      return void setTimeout(() => res.socket?.destroy(), 5)
  }
}

/** Records `value` as every text it can be seen as: inspected (hidden fields too), as JSON, as a string, and an error's message and stack. */
export const observeValue = (observed: Array<string>, value: unknown): void => {
  observed.push(inspect(value, { depth: 20, showHidden: true }))
  observed.push(JSON.stringify(value) ?? "")
  observed.push(String(value))
  if (value instanceof Error) observed.push(value.message, value.stack ?? "")
}

/** What a run over every mode saw. */
interface CanarySeen {
  /** Every text recorded. */
  readonly observed: ReadonlyArray<string>
  /** The `authorization` of each request the server got. */
  readonly authorizations: ReadonlyArray<string | undefined>
  /** The names of the spans the tracer made. */
  readonly spans: ReadonlyArray<string>
}

/**
 * The two sides of the check: what was seen, as plain JSON, and what must
 * be. The key did reach the server, so that a leak would be seen; there is
 * much to look in (spans, the call's own among them, texts, the logs of
 * failed attempts, the echoes scrubbed to `<redacted>`); no text holds the
 * key.
 */
const canaryVerdict = ({ authorizations, observed, spans }: CanarySeen) => {
  const seen: Json = {
    keyReachedServer: authorizations.includes(`Bearer ${canary}`),
    spans: spans.length,
    callSpan: spans.includes("Synctera.getWidgetToken"),
    texts: observed.length,
    attemptFailedLogged: observed.some((text) => text.includes("Synctera attempt failed")),
    echoScrubbed: observed.some((text) => text.includes("<redacted>")),
    leaks: observed.filter((text) => text.includes(canary))
  }
  const expected: Pattern = {
    keyReachedServer: true,
    spans: is.atLeast(11),
    callSpan: true,
    texts: is.atLeast(101),
    attemptFailedLogged: true,
    echoScrubbed: true,
    leaks: []
  }
  return matching(seen, expected)
}

/** Configurations that hold the canary: one the layer refuses (plain http off loopback), one it accepts. */
export const canaryEnvs = {
  refused: { SYNCTERA_API_KEY: canary, SYNCTERA_BASE_URL: "http://example.com/v1" },
  accepted: { SYNCTERA_API_KEY: canary }
} as const

/** The texts of `observed` that hold the canary: none, for a check. */
export const leaksIn = (observed: ReadonlyArray<string>): ReadonlyArray<string> =>
  observed.filter((text) => text.includes(canary))

/** A line's session on one of its layers: its calls, recorded; its spans, as text. */
export interface CanarySession {
  /** Makes `call` under a span of the caller's, with the line's recording logger (every level) and tracer, and records its exit and a log line of it. */
  readonly call: (call: LiveCall) => Promise<void>
  /** The spans made so far: each one's name, and its texts (attributes, the span inspected, its exit). */
  readonly spans: () => ReadonlyArray<{ readonly name: string; readonly texts: ReadonlyArray<string> }>
}

/** What a line gives {@link canaryRun}: its server and a session on one of its layers, behind promises. */
export interface CanaryLab {
  /** How the line's `TestServer` writes a JSON answer (its `json`). */
  readonly writeJson: WriteJson
  /** `use` of one of the line's `TestServer`s started with `handle`, stopped when `use` ends. */
  readonly withServer: <A>(
    handle: ReturnType<typeof canaryHandler>,
    use: (
      server: { readonly baseUrl: string; readonly requests: ReadonlyArray<{ readonly headers: IncomingHttpHeaders }> }
    ) => Promise<A>
  ) => Promise<A>
  /** A session on the layer at `baseUrl`, recording every text in `observed`. */
  readonly session: (baseUrl: string, observed: Array<string>) => CanarySession
}

/**
 * Every call in every mode on a lab's session, then its spans: the two
 * sides of the check (see {@link canaryVerdict}); a driver expects them equal.
 */
export const canaryRun = (lab: CanaryLab): Promise<{ readonly actual: unknown; readonly expected: Pattern }> => {
  let mode: CanaryMode = "ok"
  return lab.withServer(canaryHandler(() => mode, lab.writeJson), async (server) => {
    const observed: Array<string> = []
    const session = lab.session(server.baseUrl, observed)
    for (const current of canaryModes) {
      mode = current
      for (const call of canaryCalls) await session.call(call)
    }
    const spans = session.spans()
    for (const span of spans) {
      observed.push(span.name)
      for (const text of span.texts) observed.push(text)
    }
    return canaryVerdict({
      observed,
      authorizations: server.requests.map((request) => request.headers.authorization),
      spans: spans.map(({ name }) => name)
    })
  })
}
