#!/usr/bin/env bash
# Benchmarks that print numbers (never pass/fail on time). Run through `./run bench`.
#   scan: catalog::scan in process, then GET /api/v1/scan over loopback with wrk,
#         100,000 items; first answered request after start; server peak RSS.
# Other benches (bench/*_bench binaries, scripts/bench-*.sh) run after it when present.
set -euo pipefail
# The benchmarks measure the sale and scan paths from one API key: far above the default
# rate limit of 1200 requests a minute. The limiter still runs; its bucket never empties.
export BACKROOM_RATE_LIMIT_PER_MINUTE=${BACKROOM_RATE_LIMIT_PER_MINUTE:-1000000}
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
PORT=${BENCH_PORT:-18080}
export BENCH_DB=${BENCH_DB:-/tmp/backroom-bench-100k.db}
DURATION=${BENCH_SECONDS:-10}

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "== scan: in process ($BUILD/scan_bench)"
[[ -f $BENCH_DB && -z ${BENCH_FRESH:-} ]] || rm -f "$BENCH_DB" "$BENCH_DB"-* "$BENCH_DB.codes"
"$BUILD/scan_bench" --seed-only
"$BUILD/scan_bench" --benchmark_counters_tabular=true

echo "== scan: over loopback HTTP (wrk, 2 threads, 32 connections, ${DURATION}s)"
AUTH=""
if "$BUILD/backroom" apikey --help >/dev/null 2>&1; then
  KEY=$("$BUILD/backroom" apikey create --db "$BENCH_DB" --name "bench-$RANDOM" --role cashier | grep -o 'brk_[A-Za-z0-9_]*' | head -1)
  AUTH="Bearer $KEY"
fi
start=$(date +%s%N)
"$BUILD/backroom" serve --db "$BENCH_DB" --listen "127.0.0.1:$PORT" --access-log false --threads 2 >/dev/null 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
until curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; do sleep 0.002; done
first=$(( ($(date +%s%N) - start) / 1000000 ))
echo "first answered request: ${first} ms after start (includes process start and migrations check)"
echo "server RSS after start: $(grep VmRSS /proc/$SERVER/status | awk '{print $2/1024 " MiB"}')"
SCAN_CODES="$BENCH_DB.codes" SCAN_AUTH="$AUTH" wrk -t2 -c32 -d"${DURATION}s" -s bench/scan.lua "http://127.0.0.1:$PORT" | sed -n '/requests\/s:/,$p'
echo "server peak RSS: $(grep VmHWM /proc/$SERVER/status | awk '{print $2/1024 " MiB"}')"
kill $SERVER; wait $SERVER 2>/dev/null || true
trap - EXIT

for bench in "$BUILD"/*_bench; do
  [[ $bench == */scan_bench ]] && continue
  echo "== $(basename "$bench")"
  "$bench"
done
for script in scripts/bench-*.sh; do
  [[ -f $script && $script != */bench-scan.sh ]] || continue  # the scan ran above (and runs below)
  echo "== $script"
  BUILD=$BUILD "$script"
done

echo "== holds under 32 clients (bench/holds_bench.mjs), SQLite"
node bench/holds_bench.mjs --bin "$BUILD/backroom" --seconds "${BENCH_SECONDS:-10}"

# PostgreSQL: the same benches on a throwaway cluster (scripts/pg-cluster.sh, as the tests
# use), in the same run, so the ratios compare like with like. BENCH_PG=0 skips this part.
if [[ ${BENCH_PG:-1} != 0 ]]; then
  PGSTATE_DIR=$(mktemp -d /tmp/backroom-bench-pg-XXXXXX)
  PGSTATE=$PGSTATE_DIR/cluster.env
  trap 'scripts/pg-cluster.sh stop "$PGSTATE" >/dev/null 2>&1 || true; rm -rf "$PGSTATE_DIR"' EXIT
  scripts/pg-cluster.sh start "$PGSTATE" >/dev/null
  PGURL=$(scripts/pg-cluster.sh url "$PGSTATE")
  echo "== PostgreSQL 15 (local cluster, TCP loopback, fsync and synchronous_commit on)"
  echo "== ledger_bench on PostgreSQL: the raw libpq bound for the rows of one 4-line sale"
  BENCH_PG_URL=$(scripts/pg-cluster.sh createdb "$PGSTATE" ledger_bench) \
    "$BUILD/ledger_bench" --benchmark_filter='BatchedSales/(64|256)|OneTransactionPerSale'
  for servers in 1 2; do
    BENCH_PG_URL=$PGURL BENCH_SERVERS=$servers BUILD=$BUILD scripts/bench-sales.sh
  done
  echo "== register latency on PostgreSQL: 1 and 32 clients"
  for c in 1 32; do
    BENCH_PG_URL=$PGURL BENCH_CONNECTIONS=$c BUILD=$BUILD scripts/bench-sales.sh | grep -E '^== |sales/s'
  done
  echo "== register latency on SQLite: 1 and 32 clients (same run)"
  for c in 1 32; do
    BENCH_CONNECTIONS=$c BUILD=$BUILD scripts/bench-sales.sh | grep -E '^== |sales/s'
  done
  echo "== holds under 32 clients (bench/holds_bench.mjs), PostgreSQL"
  node bench/holds_bench.mjs --bin "$BUILD/backroom" --seconds "${BENCH_SECONDS:-10}" --db "$(scripts/pg-cluster.sh createdb "$PGSTATE" holds_bench)"
  echo "== scan, both backends back to back: the PostgreSQL shop is the 100,000-item one moved with \`backroom copy\`"
  BUILD=$BUILD scripts/bench-scan.sh
  BENCH_PG_URL=$PGURL BUILD=$BUILD scripts/bench-scan.sh
fi
