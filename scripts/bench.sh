#!/usr/bin/env bash
# Benchmarks that print numbers (never pass/fail on time). Run through `./run bench`.
#   scan: catalog::scan in process, then GET /api/v1/scan over loopback with wrk,
#         100,000 items; first answered request after start; server peak RSS.
# Other benches (bench/*_bench binaries, scripts/bench-*.sh) run after it when present.
set -euo pipefail
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
  [[ -f $script ]] || continue
  echo "== $script"
  BUILD=$BUILD "$script"
done
