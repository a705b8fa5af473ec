#!/usr/bin/env bash
# Sales throughput over HTTP: the real release server (build/backroom from `./run build`)
# on a demo shop, wrk posting 4-line sales (fresh UUIDv7 ids) from 32 connections, durable
# commits (synchronous=FULL, group commit). Then `backroom check` on the result.
# Prints sales/s and p50/p99. Env: BUILD, BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_THREADS.
# BENCH_PG_URL=postgresql://user:pw@host:port (a server URL, no database): the same run on a
# new PostgreSQL database there; BENCH_SERVERS=2 then runs two server processes on it, each
# driven by its own wrk with half the connections (sales/s summed, latencies per process).
set -euo pipefail
# The benchmarks measure the sale and scan paths from one API key: far above the default
# rate limit of 1200 requests a minute. The limiter still runs; its bucket never empties.
export BACKROOM_RATE_LIMIT_PER_MINUTE=${BACKROOM_RATE_LIMIT_PER_MINUTE:-1000000}
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
PORT=${BENCH_SALES_PORT:-18090}
DURATION=${BENCH_SECONDS:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
SERVER_THREADS=${BENCH_THREADS:-2}
SERVERS=${BENCH_SERVERS:-1}
DIR=$(mktemp -d /tmp/backroom-bench-sales-XXXXXX)
DB=$DIR/shop.db
if [[ -n ${BENCH_PG_URL:-} ]]; then
  NAME=bench_sales_$$_$RANDOM
  psql -X -q -d "${BENCH_PG_URL%/}/postgres" -c "CREATE DATABASE $NAME"
  DB=${BENCH_PG_URL%/}/$NAME
fi
count_sales() {
  if [[ -n ${BENCH_PG_URL:-} ]]; then psql -X -A -t -q -d "$DB" -c 'SELECT COUNT(*) FROM sales'
  else sqlite3 "$DB" 'SELECT COUNT(*) FROM sales' 2>/dev/null || echo 0; fi
}
SERVER=""
SERVER2=""
cleanup() { [[ -n $SERVER ]] && kill "$SERVER" 2>/dev/null; [[ -n $SERVER2 ]] && kill "$SERVER2" 2>/dev/null; rm -rf "$DIR"; }
trap cleanup EXIT

"$BUILD/backroom" init --db "$DB" --admin-password bench-admin-password >/dev/null
"$BUILD/backroom" demo --db "$DB" >/dev/null
KEY=$("$BUILD/backroom" apikey create --db "$DB" --name bench-sales --role admin | grep -o 'brk_[A-Za-z0-9_]*' | head -1)
${BENCH_PRELOAD:+env LD_PRELOAD=$BENCH_PRELOAD} "$BUILD/backroom" serve --db "$DB" --listen "127.0.0.1:$PORT" --access-log false --threads "$SERVER_THREADS" >"$DIR/serve.log" 2>&1 &
SERVER=$!
until curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; do sleep 0.01; done
if [[ $SERVERS == 2 ]]; then
  "$BUILD/backroom" serve --db "$DB" --listen "127.0.0.1:$((PORT + 1))" --access-log false --threads "$SERVER_THREADS" >"$DIR/serve2.log" 2>&1 &
  SERVER2=$!
  until curl -fs "http://127.0.0.1:$((PORT + 1))/healthz" >/dev/null 2>&1; do sleep 0.01; done
fi
API="http://127.0.0.1:$PORT/api/v1"
AUTH="Authorization: Bearer $KEY"
LOCATION=$(curl -fs -H "$AUTH" "$API/locations" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).locations.find(l=>l.kind==="store").id))')
ITEMS=$(curl -fs -H "$AUTH" "$API/items?q=GRC-0000&limit=4" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).items.map(i=>i.id).join(" ")))')
for item in $ITEMS; do  # enough stock that no sale goes negative
  curl -fs -H "$AUTH" -H 'content-type: application/json' -d "{\"item_id\":\"$item\",\"location_id\":\"$LOCATION\",\"quantity\":100000000,\"reason\":\"found\"}" "$API/stock/adjustments" >/dev/null
done
before=$(count_sales)
# utime + stime in clock ticks of the given processes: the server's CPU per sale is steadier
# than the rate on a machine shared with other work.
cpu_ticks() { local t=0 p; for p in "$@"; do [[ -r /proc/$p/stat ]] && t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo $t; }
cpu_before=$(cpu_ticks $SERVER $SERVER2)
backend=$([[ -n ${BENCH_PG_URL:-} ]] && echo "PostgreSQL" || echo "SQLite synchronous=FULL")
echo "== sales on $backend: POST /api/v1/sales, 4 lines, ${CONNECTIONS} connections, ${DURATION}s, $SERVERS server process(es), threads ${SERVER_THREADS} each"
if [[ $SERVERS == 2 ]]; then
  half=$(( CONNECTIONS / 2 > 0 ? CONNECTIONS / 2 : 1 ))
  wrk -t1 -c"$half" -d"${DURATION}s" --latency -H "$AUTH" -s bench/sales.lua "$API/sales" -- "$LOCATION" $ITEMS >"$DIR/wrk1.txt" &
  W1=$!
  wrk -t1 -c"$half" -d"${DURATION}s" --latency -H "$AUTH" -s bench/sales.lua "http://127.0.0.1:$((PORT + 1))/api/v1/sales" -- "$LOCATION" $ITEMS >"$DIR/wrk2.txt"
  wait $W1
  grep -hE "sales/s" "$DIR/wrk1.txt" "$DIR/wrk2.txt" | sed 's/^/process: /'
  grep -hE "^sales/s" "$DIR/wrk1.txt" "$DIR/wrk2.txt" | awk '{s += $2} END {printf "sales/s %.0f (both processes)\n", s}'
else
  wrk -t"$(( CONNECTIONS < 2 ? 1 : 2 ))" -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "$AUTH" -s bench/sales.lua "$API/sales" -- "$LOCATION" $ITEMS | \
    grep -E "sales/s|Latency|requests in|Non-2xx|Socket errors|50%|99%"
fi
after=$(count_sales)
cpu_after=$(cpu_ticks $SERVER $SERVER2)
echo "sales in the database: $((after - before)) new"
if (( after > before )); then
  echo "server CPU per sale: $(( (cpu_after - cpu_before) * 1000000 / $(getconf CLK_TCK) / (after - before) )) us (user + system, all server processes)"
fi
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
if [[ -n $SERVER2 ]]; then kill "$SERVER2"; wait "$SERVER2" 2>/dev/null || true; SERVER2=""; fi
grep -h "writer:" "$DIR"/serve*.log || true
"$BUILD/backroom" check --db "$DB"
