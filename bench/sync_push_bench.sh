#!/usr/bin/env bash
# Documents pushed from a store node to head office when the link comes back (issue 21: goal
# ≥ 5,000 documents/s into PostgreSQL). Real processes over loopback: a store node (SQLite,
# the demo shop) sells BENCH_SALES 4-line sales over HTTP (wrk, bench/sales.lua) while head
# office is down, so every sale waits in its queue; then head office starts on a throwaway
# PostgreSQL 15 cluster (scripts/pg-cluster.sh) and the clock runs until head office holds
# every document (sync_documents). Prints the documents, the seconds from head office's
# first answer, documents/s, and the CPU seconds of both servers. Prints numbers only.
#   bench/sync_push_bench.sh          # env: BUILD (build), BENCH_SALES (20000), BENCH_PORT (18095)
# Head office keeps each document once by its id, posts its stock movements at the node's
# store and writes each sale into its own sales journal (docs/sync.md), so this measures the
# transport, the exactly-once store, the posting and the journal.
# Head office holds the demo catalog and the node starts as a copy of it (`backroom copy`, its
# push cursor after the copied events), as a node that pulled the catalog would: the items the
# node sells are head office's, so its documents post rather than being rejected.
set -euo pipefail
export BACKROOM_RATE_LIMIT_PER_MINUTE=${BACKROOM_RATE_LIMIT_PER_MINUTE:-1000000}
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
BIN=$BUILD/backroom
SALES=${BENCH_SALES:-20000}
PORT=${BENCH_PORT:-18095}
DIR=$(mktemp -d /tmp/backroom-sync-push-XXXXXX)
STATE=$DIR/pg.env
HQ= NODE=
cleanup() { kill $HQ $NODE 2>/dev/null || true; scripts/pg-cluster.sh stop "$STATE" >/dev/null 2>&1 || true; rm -rf "$DIR"; }
trap cleanup EXIT
scripts/pg-cluster.sh start "$STATE" >/dev/null
HQ_DB=$(scripts/pg-cluster.sh createdb "$STATE" hq)
psql_hq() { scripts/pg-cluster.sh psql "$STATE" -X -A -t -q -d "$HQ_DB" -c "$1"; }
"$BIN" init --db "$HQ_DB" --admin-password bench-admin-password >/dev/null
"$BIN" migrate --db "$HQ_DB" >/dev/null
"$BIN" demo --db "$HQ_DB" >/dev/null
HQ_URL="http://127.0.0.1:$PORT"

# Head office is not running yet: the node's pushes fail and its queue grows.
NODE_DB=$DIR/store.db
"$BIN" copy --from "$HQ_DB" --to "$NODE_DB" >/dev/null
# The node pushes what it does from here on, not head office's own history; and it has pulled
# head office's catalog up to now (its feed cursor at the copy's last change), as the comment
# above says. (Until 2026-12-07 its cursor stayed at 0, so the node pulled the whole catalog
# again, 2,000 items, while the push was being timed.)
sqlite3 "$NODE_DB" "INSERT INTO settings (key, value) VALUES ('sync_push_cursor', (SELECT CAST(COALESCE(MAX(seq), 0) AS TEXT) FROM events)) ON CONFLICT (key) DO UPDATE SET value = excluded.value"
sqlite3 "$NODE_DB" "INSERT INTO settings (key, value) VALUES ('sync_upstream_cursor', (SELECT CAST(COALESCE(MAX(seq), 0) AS TEXT) FROM catalog_changes)) ON CONFLICT (key) DO UPDATE SET value = excluded.value"
NODE_KEY_LOCAL=$("$BIN" apikey create --db "$NODE_DB" --name bench-sales --role admin | grep -o 'brk_[A-Za-z0-9_]*' | head -1)
# The node key comes from head office; head office is started once to issue it, then stopped.
"$BIN" serve --db "$HQ_DB" --listen "127.0.0.1:$PORT" --access-log false >"$DIR/hq.log" 2>&1 &
HQ=$!
until curl -fs "$HQ_URL/healthz" >/dev/null 2>&1; do sleep 0.05; done
STORE=$(psql_hq "SELECT name FROM locations WHERE kind = 'store' ORDER BY created_at LIMIT 1")
NODE_KEY=$("$BIN" node add --db "$HQ_DB" --store "$STORE" | grep -o 'brk_[A-Za-z0-9_]*' | head -1)
kill $HQ; wait $HQ 2>/dev/null || true; HQ=

BACKROOM_UPSTREAM=$HQ_URL BACKROOM_NODE_KEY=$NODE_KEY BACKROOM_SYNC_PULL_SECONDS=1 BACKROOM_SYNC_BACKOFF_MAX_SECONDS=1 \
  "$BIN" serve --db "$NODE_DB" --listen "127.0.0.1:$((PORT + 1))" --access-log false >"$DIR/node.log" 2>&1 &
NODE=$!
API="http://127.0.0.1:$((PORT + 1))/api/v1"
AUTH="Authorization: Bearer $NODE_KEY_LOCAL"
until curl -fs "http://127.0.0.1:$((PORT + 1))/healthz" >/dev/null 2>&1; do sleep 0.05; done
LOCATION=$(curl -fs -H "$AUTH" "$API/locations" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).locations.find(l=>l.kind==="store").id))')
ITEMS=$(curl -fs -H "$AUTH" "$API/items?q=GRC-0000&limit=4" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).items.map(i=>i.id).join(" ")))')
for item in $ITEMS; do
  curl -fs -H "$AUTH" -H 'content-type: application/json' -d "{\"item_id\":\"$item\",\"location_id\":\"$LOCATION\",\"quantity\":100000000,\"reason\":\"found\"}" "$API/stock/adjustments" >/dev/null
done
sold() { sqlite3 "$NODE_DB" "SELECT COUNT(*) FROM sales" 2>/dev/null || echo 0; }
while (( $(sold) < SALES )); do
  wrk -t2 -c16 -d2s -H "$AUTH" -s bench/sales.lua "$API/sales" -- "$LOCATION" $ITEMS >/dev/null
done
# A sale wrk sent just before it stopped may still be committing: the queue is counted once the
# sales stop changing (a run failed with 11 more documents at head office than it had counted).
before=-1
while (( $(sold) != before )); do before=$(sold); sleep 0.3; done
QUEUE="FROM events WHERE seq > (SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'sync_push_cursor') AND type IN ('sale.completed', 'sale.voided', 'return.completed', 'exchange.completed', 'stock.adjusted', 'count.approved', 'receipt.posted')"
QUEUED=$(sqlite3 "$NODE_DB" "SELECT COUNT(*) $QUEUE")
SOLD=$(sqlite3 "$NODE_DB" "SELECT COUNT(*) $QUEUE AND type = 'sale.completed'")
# The node pushes its queue in order, each batch in one transaction at head office: the clock
# stops when the queue's last document is there (a read by key, not a count of the table each
# poll); then every queued document must be there, or the run fails.
LAST=$(sqlite3 "$NODE_DB" "SELECT id $QUEUE ORDER BY seq DESC LIMIT 1")

cpu() { awk '{print ($14 + $15) / 100}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# PostgreSQL's CPU: the postmaster and its children (head office's connections and the
# server's own processes); the bench's polling connection has closed by the end, so its CPU
# is (almost always) not in it.
PG_PID=$(head -n1 "$(source "$STATE"; echo "$BACKROOM_PG_DIR")/data/postmaster.pid")
pg_cpu() { for p in $PG_PID $(cat /proc/"$PG_PID"/task/*/children 2>/dev/null); do awk -v p="$p" '{print p, ($14 + $15) / 100}' "/proc/$p/stat" 2>/dev/null || true; done; }
pg_cpu >"$DIR/pg_cpu_before"
node_cpu_before=$(cpu $NODE)
mkfifo "$DIR/nap"  # the polling loop's wait, below
exec {nap}<>"$DIR/nap"
"$BIN" serve --db "$HQ_DB" --listen "127.0.0.1:$PORT" --access-log false >"$DIR/hq.log" 2>&1 &
HQ=$!
until curl -fs "$HQ_URL/healthz" >/dev/null 2>&1; do sleep 0.01; done
start=$EPOCHREALTIME
last_held=0
first=
# The polls go over one connection of one psql kept open (a psql, a connection and a `bc` a
# poll every 50 ms took ~11 % of the two cores' samples away from the push being measured),
# and the loop forks nothing: `poll` sets $answer (a $(…) is a fork of this shell), and the
# 50 ms wait is a read with a timeout on a FIFO nobody writes (`sleep` is a fork and an exec).
# Forks cost here (page tables copied under the VM): with them bash and sleep were ~11 % of
# the two cores' samples (`perf record -a`) during a push.
coproc POLL { scripts/pg-cluster.sh psql "$STATE" -X -A -t -q -d "$HQ_DB" 2>&1; }
poll() { echo "$1;" >&"${POLL[1]}"; read -r -t 60 answer <&"${POLL[0]}"; }
until (( last_held == 1 )); do
  read -r -t 0.05 -u "$nap" || true
  if [[ -z $first ]]; then
    # Until the first batch lands, whether anything is there (no count).
    poll "SELECT EXISTS (SELECT 1 FROM sync_documents)"
    if [[ $answer == t ]]; then
      first=$EPOCHREALTIME
      poll "SELECT COUNT(*) FROM sync_documents"
      first_held=$answer
    fi
  fi
  poll "SELECT COUNT(*) FROM sync_documents WHERE id = '$LAST'"
  last_held=$answer
  if (( ${EPOCHREALTIME%.*} - ${start%.*} > 900 )); then echo "not all pushed in 900 s ($(psql_hq "SELECT COUNT(*) FROM sync_documents") of $QUEUED)"; exit 1; fi
done
end=$EPOCHREALTIME
echo '\q' >&"${POLL[1]}"; wait "$POLL_PID" 2>/dev/null || true
exec {nap}>&-
pg_cpu >"$DIR/pg_cpu_after"
[[ -z $first ]] && first=$end && first_held=0
held=$(psql_hq "SELECT COUNT(*) FROM sync_documents")
if (( held != QUEUED )); then echo "the last document arrived but head office holds $held of $QUEUED"; exit 1; fi
seconds=$(echo "$end - $start" | bc)
printf 'pushed %d documents from a store node into head office on PostgreSQL in %.2f s from its start: %.0f documents/s\n' \
  "$QUEUED" "$seconds" "$(echo "$QUEUED / $seconds" | bc -l)"
# The node retries after a random wait of up to BACKROOM_SYNC_BACKOFF_MAX_SECONDS (1 s here):
# the rate once the first batch has landed is the push itself.
printf 'the first batch landed after %.2f s; from then on %.0f documents/s\n' "$(echo "$first - $start" | bc)" \
  "$(echo "($QUEUED - $first_held) / ($end - $first)" | bc -l)"
printf 'CPU seconds meanwhile: head office %s, node %s, PostgreSQL %s; load average %s\n' "$(cpu $HQ)" \
  "$(echo "$(cpu $NODE) - $node_cpu_before" | bc)" \
  "$(awk 'NR == FNR { b[$1] = $2; next } { s += $2 - b[$1] } END { printf "%.2f", s }' "$DIR/pg_cpu_before" "$DIR/pg_cpu_after")" \
  "$(cut -d' ' -f1-3 /proc/loadavg)"
# The node has up to two pushes on the way (docs/sync.md, "Pushes on the way together"); one
# that reached head office before the push it follows is sent again.
printf 'pushes sent again after overtaking the one before: %s\n' "$(grep -c 'sent again' "$DIR/node.log" || true)"
printf 'at head office: %s documents posted, %s conflicts\n' "$(psql_hq "SELECT COUNT(*) FROM sync_documents WHERE status = 'posted'")" \
  "$(psql_hq "SELECT COUNT(*) FROM sync_conflicts")"
# Head office also writes each pushed sale into its own sales journal (docs/sync.md, "The
# money at head office"), in the same transaction as its document: every queued sale must be
# there (the node's register rows at head office are `node:<node>:<register>`).
JOURNAL=$(psql_hq "SELECT COUNT(*) FROM sales WHERE register_id LIKE 'node:%'")
printf "in head office's sales journal: %s of the %s sales pushed\n" "$JOURNAL" "$SOLD"
if (( JOURNAL != SOLD )); then echo "head office's journal holds $JOURNAL of the $SOLD pushed sales"; exit 1; fi
