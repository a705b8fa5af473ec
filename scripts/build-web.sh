#!/usr/bin/env bash
# Builds the browser UI into web/dist (served by `backroom serve --static-dir web/dist`).
# Idempotent: `npm ci` runs only when node_modules is missing or package-lock.json changed;
# the bundle is rebuilt only when a source file is newer than web/dist/index.html.
set -euo pipefail
cd "$(dirname "$0")/../web"

if ! command -v npm >/dev/null; then
  echo "build-web: npm is missing (install nodejs/npm, Node >= 20.19)" >&2
  exit 1
fi

stamp=node_modules/.package-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -d node_modules || ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
  npm ci --no-audit --no-fund
  echo "$want" > "$stamp"
fi

newest=$(find src scripts index.html public vite.config.ts tsconfig.json eslint.config.mjs package.json package-lock.json -type f -newer dist/index.html 2>/dev/null | head -1 || true)
if [[ ! -f dist/index.html || -n $newest ]]; then
  npm run build --silent
fi
echo "web UI in $PWD/dist"
