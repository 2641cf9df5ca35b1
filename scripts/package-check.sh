#!/usr/bin/env bash
# Lints what npm would publish: builds, packs the tarball once, then runs
# publint (package.json fields, the exports map, the files) and
# @arethetypeswrong/cli (every subpath resolves, with types, under TypeScript's
# node16 and bundler resolution) on that same tarball.
#
# The package is ESM only, so attw runs with the `esm-only` profile: it checks
# node16 (from ESM) and bundler, and skips the require() resolution that an
# ESM-only package does not offer.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$repo"
npm run build --silent
tarball="$work/$(npm pack --silent --pack-destination "$work" | tail -n 1)"

mkdir "$work/unpacked"
tar -xzf "$tarball" -C "$work/unpacked"
npx --no-install publint run --strict --pack false "$work/unpacked/package"
npx --no-install attw --profile esm-only --format table-flipped "$tarball"
