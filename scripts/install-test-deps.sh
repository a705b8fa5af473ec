#!/usr/bin/env bash
# Installs what the integration tests import from npm (tests/package.json) into
# tests/node_modules. Idempotent: `npm ci` runs only when node_modules is missing or
# package-lock.json changed (the same stamp as scripts/build-web.sh).
set -euo pipefail
cd "$(dirname "$0")/../tests"

stamp=node_modules/.package-lock.sha256
if [[ ! -f package-lock.json ]]; then
  npm install --no-audit --no-fund
fi
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -d node_modules || ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
  npm ci --no-audit --no-fund
  echo "$want" > "$stamp"
fi
echo "test dependencies in $PWD/node_modules"
