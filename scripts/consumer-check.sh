#!/usr/bin/env bash
# Packs the library and installs the tarball into a fresh Effect 3 app outside
# the repository, then type-checks and runs a program against it: proof that
# what npm would publish works for a user, exports map and types included.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$repo"
npm run build --silent
tarball="$(npm pack --silent --pack-destination "$work" | tail -n 1)"

mkdir "$work/app" && cd "$work/app"
cat > package.json <<'JSON'
{ "name": "consumer-app", "private": true, "type": "module" }
JSON
cat > tsconfig.json <<'JSON'
{
  "compilerOptions": {
    "target": "ES2022", "module": "NodeNext", "moduleResolution": "NodeNext",
    "strict": true, "exactOptionalPropertyTypes": true, "noEmit": true, "skipLibCheck": false,
    "lib": ["ES2022", "DOM"], "types": ["node"]
  },
  "include": ["main.ts"]
}
JSON
cat > main.ts <<'TS'
import { FetchHttpClient } from "@effect/platform"
import { Effect, Layer, Redacted } from "effect"
import { type FdxToken, type SyncteraError, Synctera, SyncteraLive, WidgetToken } from "effect-synctera"

const layer = SyncteraLive.layer({ apiKey: Redacted.make("key"), baseUrl: "http://127.0.0.1:9/v1", retry: false })
  .pipe(Layer.provide(FetchHttpClient.layer))

const program: Effect.Effect<string, never, Synctera> = Synctera.getWidgetToken({
  cardId: "not-a-uuid",
  widgetType: "REVEAL"
}).pipe(
  Effect.map((token: WidgetToken) => token.widgetToken),
  Effect.catchAll((error: SyncteraError) => Effect.succeed(error._tag))
)
const status = (token: FdxToken): string => token.status

Effect.runPromise(program.pipe(Effect.provide(layer))).then((tag) => {
  if (tag !== "InvalidInput") throw new Error(`expected InvalidInput, got ${tag}`)
  process.stdout.write(`consumer app ran: ${tag} ${typeof status}\n`)
})
TS
npm install --silent --no-audit --no-fund --prefer-offline \
  "$work/$tarball" "effect@^3.22" "@effect/platform@^0.97" "typescript@^5.9" "@types/node@^20" tsx >/dev/null
npx tsc -p tsconfig.json
npx tsx main.ts
