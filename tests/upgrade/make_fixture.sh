#!/usr/bin/env bash
# Remakes the released shop that `integration.upgrade_release` upgrades
# (tests/upgrade/release-<commit>.*): builds backroom at the release commit in a scratch
# worktree, lets that binary make a demo shop with a day of trade (make_fixture.mjs), copies
# it to PostgreSQL with the same old binary, and dumps both. Not part of `./run test`: the
# committed dumps are the release's own output and must not change with this checkout.
#
#   tests/upgrade/make_fixture.sh c9b85bd postgresql://user:pass@127.0.0.1:PORT
#   (the URL of a PostgreSQL 15 server where the role may CREATE DATABASE, for example
#    BACKROOM_TEST_PG_URL from `scripts/pg-cluster.sh start STATE`)
set -euo pipefail
release=${1:?release commit}
pg=${2:?postgresql:// URL of a server, without a database name}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d /tmp/backroom-release.XXXXXX)
trap 'git -C "$root" worktree remove --force "$work/src" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

git -C "$root" worktree add --detach "$work/src" "$release" >/dev/null
cmake -S "$work/src" -B "$work/src/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DBACKROOM_TESTS=OFF -DBACKROOM_BENCH=OFF >/dev/null
nice ninja -C "$work/src/build" -j2 backroom >/dev/null
ln -s "$root/tests/node_modules" "$work/src/tests/node_modules"
cp "$here/make_fixture.mjs" "$work/src/tests/integration/"
(cd "$work/src" && BACKROOM_BIN=build/backroom node tests/integration/make_fixture.mjs "$work/shop.db")

out="$here/release-$release"
sqlite3 "$work/shop.db" .dump | gzip -9n > "$out.sqlite.sql.gz"
db="release_$release"
psql -X -q -d "$pg/postgres" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
"$work/src/build/backroom" copy --from "$work/shop.db" --to "$pg/$db"
pg_dump --no-owner --no-privileges "$pg/$db" | gzip -9n > "$out.pg.sql.gz"
psql -X -q -d "$pg/postgres" -c "DROP DATABASE $db"
cp "$work/shop.db.json" "$out.json"
cp "$work/shop.db.key" "$out.key"
echo "wrote $out.{sqlite.sql.gz,pg.sql.gz,json,key}"
