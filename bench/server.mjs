// The benchmark's Synctera stand-in: a plain node:http keep-alive server in its
// own process (so its CPU is not counted as the client's), answering with
// fixed bodies shaped like the spec: one FDX token, one widget token, and a
// list of 10,000 FDX tokens in pages of 100 (GET /v1/fdx_tokens?limit=100
// &page_token=<offset>; bench/fdxPages.mjs). Every body is made once, at
// start. It prints its port to the parent over IPC and exits when the parent
// disconnects.
import { readFileSync } from "node:fs"
import http from "node:http"
import { fdxTokenPages, PAGE, TOKENS } from "./fdxPages.mjs"

// The bodies, also decoded alone by micro.ts.
const bodies = JSON.parse(readFileSync(new URL("./bodies.json", import.meta.url), "utf8"))
const widgetToken = JSON.stringify(bodies.widgetToken)
const fdxToken = JSON.stringify(bodies.fdxToken)
/** The 100 pages, by offset ("0" for the first page, which has no page token). */
const pages = new Map(
  fdxTokenPages(bodies.fdxToken).map((page, i) => [String(i * PAGE), Buffer.from(JSON.stringify(page))])
)
const badRequest = Buffer.from(JSON.stringify({ status: 400, title: "Bad Request", detail: "unknown page" }))

const listPage = (url) => {
  const query = new URL(url, "http://127.0.0.1").searchParams
  const limit = query.get("limit") ?? String(PAGE)
  return limit === String(PAGE) ? pages.get(query.get("page_token") ?? "0") : undefined
}

const server = http.createServer((req, res) => {
  const url = req.url
  const body = url.startsWith("/v1/fdx_tokens/")
    ? fdxToken
    : url === "/v1/fdx_tokens" || url.startsWith("/v1/fdx_tokens?")
    ? listPage(url) ?? badRequest
    : widgetToken
  res.writeHead(body === badRequest ? 400 : 200, {
    "content-type": "application/json",
    "content-length": typeof body === "string" ? Buffer.byteLength(body) : body.length
  })
  res.end(body)
})
if (pages.size * PAGE !== TOKENS) throw new Error("the bench list is not 100 pages of 100")
// Longer than any client's keep-alive, so connections are reused, not raced.
server.keepAliveTimeout = 120_000
server.headersTimeout = 121_000
server.listen(0, "127.0.0.1", () => process.send?.(server.address().port))
process.on("disconnect", () => server.close(() => process.exit(0)))
