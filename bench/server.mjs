// The benchmark's Synctera stand-in: a plain node:http keep-alive server in its
// own process (so its CPU is not counted as the client's), answering both
// endpoints with fixed bodies shaped like the spec. It prints its port to the
// parent over IPC and exits when the parent disconnects.
import http from "node:http"

const widgetToken = JSON.stringify({ tenant: "abcdef_ghijkl", widget_token: "0b0319e2-d5f4-49cb-b426-9ff9b2e96969" })
const fdxToken = JSON.stringify({
  business_id: "b0d7c4f2-8a31-4c8e-9a55-1f5b0e3c2d11",
  creation_time: "2010-05-06T12:23:34.321Z",
  id: "3c90c3cc-0d44-4b50-8888-8dd25736052a",
  last_updated_time: "2010-05-06T12:23:34.321Z",
  status: "ENABLED",
  tenant: "abcdef_ghijkl",
  token_expiry_time: "2010-05-06T12:23:34.321Z",
  token_hash: "5f2b9c0e",
  token_type: "ACCESS"
})

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
