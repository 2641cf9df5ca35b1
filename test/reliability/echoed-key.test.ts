/**
 * A regression test for a bug this suite found: the client scrubbed an echoed
 * API key from the errors it builds only in its plain form, so a server that
 * echoed it percent-encoded (in a redirect's `Location`, the usual place)
 * leaked a key with URL-special characters (`/`, `+`, `=`) into
 * `UnexpectedStatus.location` and the error message.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { expect, it } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import { Synctera, SyncteraLive } from "../../src/index.js"
import { cardId } from "../support/fixtures.js"
import { TestServer } from "../support/TestServer.js"

const key = "sk_canary/AbC+dEf==9876543210"

it("a percent-encoded echo of the key in a redirect's Location is scrubbed", () =>
  Effect.runPromise(
    Effect.scoped(Effect.gen(function*() {
      const server = yield* TestServer((request, res) => {
        res.writeHead(302, {
          location: `https://elsewhere.example/?k=${encodeURIComponent(request.headers.authorization ?? "")}`
        })
        res.end()
      })
      const layer = SyncteraLive.layer({ apiKey: Redacted.make(key), baseUrl: server.baseUrl }).pipe(
        Layer.provide(NodeHttpClient.layerUndici)
      )
      const error = yield* Effect.flip(
        Synctera.getWidgetToken({ cardId, widgetType: "REVEAL" }).pipe(Effect.provide(layer))
      )
      expect(error._tag).toBe("UnexpectedStatus")
      expect(error.message).not.toContain(encodeURIComponent(key))
      expect(error._tag === "UnexpectedStatus" && error.location).toBe(
        "https://elsewhere.example/?k=Bearer%20<redacted>"
      )
    }))
  ))
