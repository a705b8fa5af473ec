#!/usr/bin/env bash
# Scan over loopback HTTP: the release server on the 100,000-item bench catalog
# (BENCH_DB, made by `build/scan_bench --seed-only`), wrk GETting /api/v1/scan/<random code>
# with a cashier API key. Prints scans/s and p50/p99. scripts/bench.sh runs it for both
# backends in one run; by hand:
#   scripts/bench-scan.sh                                   # SQLite (BENCH_DB itself)
#   BENCH_PG_URL=postgresql://user:pw@host:port scripts/bench-scan.sh
#       # PostgreSQL: BENCH_DB copied with `backroom copy` into a new database there
#   BENCH_PG_DB=postgresql://user:pw@host:port/db scripts/bench-scan.sh
#       # PostgreSQL: a database that already holds that copy (repeated runs)
# Env: BUILD, BENCH_DB, BENCH_SECONDS, BENCH_CONNECTIONS (32), BENCH_THREADS (2), BENCH_PORT.
# Besides the rate it prints the CPU time per scan of the server and, with BENCH_PG_PID
# (the postmaster's process id of a local cluster), of that cluster's processes: on a machine shared with other work the rate moves with the load,
# the CPU per scan much less.
set -euo pipefail
# The benchmarks measure the sale and scan paths from one API key: far above the default
# rate limit of 1200 requests a minute. The limiter still runs; its bucket never empties.
export BACKROOM_RATE_LIMIT_PER_MINUTE=${BACKROOM_RATE_LIMIT_PER_MINUTE:-1000000}
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
PORT=${BENCH_PORT:-18080}
BENCH_DB=${BENCH_DB:-/tmp/backroom-bench-100k.db}
DURATION=${BENCH_SECONDS:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
SERVER_THREADS=${BENCH_THREADS:-2}
[[ -f $BENCH_DB && -f $BENCH_DB.codes ]] || "$BUILD/scan_bench" --seed-only >/dev/null

DB=${BENCH_PG_DB:-$BENCH_DB}
if [[ -z ${BENCH_PG_DB:-} && -n ${BENCH_PG_URL:-} ]]; then
  NAME=bench_scan_$$_$RANDOM
  psql -X -q -d "${BENCH_PG_URL%/}/postgres" -c "CREATE DATABASE $NAME"
  DB=${BENCH_PG_URL%/}/$NAME
  "$BUILD/backroom" copy --from "$BENCH_DB" --to "$DB" | tail -1
  # The copy (and its VACUUM) leaves hundreds of MB of WAL whose checkpoint would otherwise
  # run during the measurement (seen: 33 s, 980 files synced); SQLite's file is long settled.
  # Measure both in the same state: the copy's pages on disk first (needs pg_checkpoint,
  # which scripts/pg-cluster.sh grants its role).
  psql -X -q -d "$DB" -c CHECKPOINT || echo "(no CHECKPOINT: the role lacks pg_checkpoint; the copy's checkpoint may fall in the run)"
fi
KEY=$("$BUILD/backroom" apikey create --db "$DB" --name "bench-$RANDOM" --role cashier | grep -o 'brk_[A-Za-z0-9_]*' | head -1)
"$BUILD/backroom" serve --db "$DB" --listen "127.0.0.1:$PORT" --access-log false --threads "$SERVER_THREADS" >/dev/null 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
until curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; do sleep 0.01; done
backend=$([[ $DB == postgres* ]] && echo "PostgreSQL" || echo "SQLite")
echo "== scan on $backend: GET /api/v1/scan, ${CONNECTIONS} connections, ${DURATION}s, threads ${SERVER_THREADS}"
# utime + stime in clock ticks of the given processes (those that are gone count 0).
cpu_ticks() { local t=0 p; for p in "$@"; do [[ -r /proc/$p/stat ]] && t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo $t; }
db_pids() { [[ -n ${BENCH_PG_PID:-} ]] && echo "$BENCH_PG_PID" $(pgrep -P "$BENCH_PG_PID") || true; }
server_before=$(cpu_ticks $SERVER); db_before=$(cpu_ticks $(db_pids))
SCAN_CODES="$BENCH_DB.codes" SCAN_AUTH="Bearer $KEY" wrk -t"$(( CONNECTIONS < 2 ? 1 : 2 ))" -c"$CONNECTIONS" -d"${DURATION}s" \
  -s bench/scan.lua "http://127.0.0.1:$PORT" | sed -n '/requests\/s:/,$p' | tee "/tmp/bench-scan-$$.txt"
server_ticks=$(( $(cpu_ticks $SERVER) - server_before )); db_ticks=$(( $(cpu_ticks $(db_pids)) - db_before ))
rate=$(awk '/requests\/s:/ {print $2}' "/tmp/bench-scan-$$.txt"); rm -f "/tmp/bench-scan-$$.txt"
awk -v s="$server_ticks" -v d="$db_ticks" -v r="$rate" -v t="$DURATION" -v hz="$(getconf CLK_TCK)" -v pg="${BENCH_PG_PID:-}" \
  'BEGIN { n = r * t; if (n > 0) printf "CPU per scan: server %.0f us%s\n", s / hz / n * 1e6, (pg != "" ? sprintf(", PostgreSQL %.0f us", d / hz / n * 1e6) : "") }'
kill $SERVER; wait $SERVER 2>/dev/null || true
trap - EXIT
