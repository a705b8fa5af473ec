#!/usr/bin/env bash
# The change feed of a 100,000-item catalog to a new store node (issue 21: goal < 10 s),
# real processes over loopback: head office serves the bench catalog (`build/scan_bench
# --seed-only`: 100,000 items, each with a unit EAN-13 and a case GTIN-14; its rows are
# written straight to the schema, so this script notes each item in the feed as a shop
# upgraded to migration 21 would have), a store node starts on an empty file with
# --upstream, and the clock runs from the node's start until its committed cursor is head
# office's last change and it holds every item. Prints the seconds, the node's cursor and
# items, and the CPU seconds of both processes. Prints numbers; passes or fails nothing.
#   bench/sync_feed_bench.sh                 # env: BUILD (build), BENCH_DB, BENCH_PORT (18090)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
BIN=$BUILD/backroom
PORT=${BENCH_PORT:-18090}
BENCH_DB=${BENCH_DB:-/tmp/backroom-bench-100k.db}
[[ -f $BENCH_DB && -f $BENCH_DB.codes ]] || "$BUILD/scan_bench" --seed-only >/dev/null
DIR=$(mktemp -d /tmp/backroom-sync-feed-XXXXXX)
HQ_DB=$DIR/hq.db
NODE_DB=$DIR/store.db
cp "$BENCH_DB" "$HQ_DB"
"$BIN" migrate --db "$HQ_DB" >/dev/null
sqlite3 "$HQ_DB" "INSERT OR IGNORE INTO catalog_changes (entity, key, changed_at) SELECT 'item', id, updated_at FROM items ORDER BY id;"
STORE=$(sqlite3 "$HQ_DB" "SELECT name FROM locations WHERE kind = 'store' ORDER BY created_at LIMIT 1")
KEY=$("$BIN" node add --db "$HQ_DB" --store "$STORE" | grep -o 'brk_[A-Za-z0-9_]*' | head -1)
LAST=$(sqlite3 "$HQ_DB" "SELECT MAX(seq) FROM catalog_changes")
ITEMS=$(sqlite3 "$HQ_DB" "SELECT COUNT(*) FROM items")

"$BIN" serve --db "$HQ_DB" --listen "127.0.0.1:$PORT" --access-log false >"$DIR/hq.log" 2>&1 &
HQ=$!
NODE=
trap 'kill $HQ $NODE 2>/dev/null || true; rm -rf "$DIR"' EXIT
until curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; do sleep 0.01; done

cpu() { awk '{print ($14 + $15) / 100}' "/proc/$1/stat" 2>/dev/null || echo 0; }
start=$(date +%s.%N)
BACKROOM_UPSTREAM="http://127.0.0.1:$PORT" BACKROOM_NODE_KEY="$KEY" BACKROOM_SYNC_PULL_SECONDS=1 \
  "$BIN" serve --db "$NODE_DB" --listen "127.0.0.1:$((PORT + 1))" --access-log false >"$DIR/node.log" 2>&1 &
NODE=$!
cursor=0
until [[ $cursor == "$LAST" ]]; do
  sleep 0.1
  cursor=$(sqlite3 "$NODE_DB" "SELECT value FROM settings WHERE key = 'sync_upstream_cursor'" 2>/dev/null || true)
  if ! kill -0 "$NODE" 2>/dev/null; then echo "the node stopped:"; tail -5 "$DIR/node.log"; exit 1; fi
  if (( $(echo "$(date +%s.%N) - $start > 600" | bc) )); then echo "no convergence in 600 s (cursor $cursor of $LAST)"; exit 1; fi
done
end=$(date +%s.%N)
node_items=$(sqlite3 "$NODE_DB" "SELECT COUNT(*) FROM items")
printf 'feed of %d items to a new store node: %.2f s (node cursor %s = head office last %s; node holds %s items)\n' \
  "$ITEMS" "$(echo "$end - $start" | bc)" "$cursor" "$LAST" "$node_items"
printf 'CPU seconds: head office %s, node %s; load average %s\n' "$(cpu $HQ)" "$(cpu $NODE)" "$(cut -d' ' -f1-3 /proc/loadavg)"
