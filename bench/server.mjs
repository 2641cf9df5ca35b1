// The benchmark's Synctera stand-in: a plain node:http keep-alive server in its
// own process (so its CPU is not counted as the client's), answering both
// endpoints with fixed bodies shaped like the spec. It prints its port to the
// parent over IPC and exits when the parent disconnects.
import { readFileSync } from "node:fs"
import http from "node:http"

// The bodies, also decoded alone by micro.ts.
const bodies = JSON.parse(readFileSync(new URL("./bodies.json", import.meta.url), "utf8"))
const widgetToken = JSON.stringify(bodies.widgetToken)
const fdxToken = JSON.stringify(bodies.fdxToken)

const server = http.createServer((req, res) => {
  const body = req.url.startsWith("/v1/fdx_tokens/") ? fdxToken : widgetToken
  res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) })
  res.end(body)
})
// Longer than any client's keep-alive, so connections are reused, not raced.
server.keepAliveTimeout = 120_000
server.headersTimeout = 121_000
server.listen(0, "127.0.0.1", () => process.send?.(server.address().port))
process.on("disconnect", () => server.close(() => process.exit(0)))
