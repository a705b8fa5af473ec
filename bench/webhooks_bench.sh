#!/usr/bin/env bash
# Webhooks (issue 19), two numbers from one run on the release server (build/backroom):
#   1. the sale rate with 3 busy endpoints against the rate with none — a sale must not wait
#      for a receiver (goal: within 5 %). Rounds alternate none / three endpoints on the same
#      shop, so drift in the machine's load falls on both sides;
#   2. deliveries per second to a local receiver (node, answers 204 at once), counted while
#      the sales run and while the queue drains afterwards.
# wrk posts 4-line sales (bench/sales.lua) from BENCH_CONNECTIONS connections for BENCH_SECONDS
# per round, BENCH_ROUNDS rounds each way. Env: BUILD, BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_ROUNDS.
# BENCH_PERF_DIR=dir records the server with `perf record -g` during each round (none-N.data,
# three-N.data there; perf's own cost falls on both kinds of round; BENCH_PERF_ARGS replaces
# "-g -F 499", e.g. "--call-graph dwarf -F 199" for stacks through the release build).
set -euo pipefail
export BACKROOM_RATE_LIMIT_PER_MINUTE=${BACKROOM_RATE_LIMIT_PER_MINUTE:-1000000}
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
PORT=${BENCH_WEBHOOKS_PORT:-18095}
RECEIVER_PORT=$((PORT + 1))
DURATION=${BENCH_SECONDS:-8}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
ROUNDS=${BENCH_ROUNDS:-2}
DIR=$(mktemp -d /tmp/backroom-bench-webhooks-XXXXXX)
DB=$DIR/shop.db
SERVER=""
RECEIVER=""
cleanup() { [[ -n $SERVER ]] && kill "$SERVER" 2>/dev/null; [[ -n $RECEIVER ]] && kill "$RECEIVER" 2>/dev/null; rm -rf "$DIR"; }
trap cleanup EXIT

# The receiver: 204 to every POST, counts them (GET /count).
cat >"$DIR/receiver.mjs" <<'EOF'
import http from 'node:http';
let count = 0;
http.createServer((req, res) => {
  if (req.method === 'GET') { res.end(String(count)); return; }
  req.resume();
  req.on('end', () => { count++; res.writeHead(204); res.end(); });
}).listen(Number(process.argv[2]), '127.0.0.1');
EOF
# BENCH_RECEIVER_NICE=N runs the receiver at a lower priority: on this 2-core machine it shares
# the cores with the server, which a real receiver (another machine) would not.
nice -n "${BENCH_RECEIVER_NICE:-0}" node "$DIR/receiver.mjs" "$RECEIVER_PORT" &
RECEIVER=$!
"$BUILD/backroom" init --db "$DB" --admin-password bench-admin-password >/dev/null
"$BUILD/backroom" demo --db "$DB" >/dev/null
KEY=$("$BUILD/backroom" apikey create --db "$DB" --name bench-webhooks --role admin | grep -o 'brk_[A-Za-z0-9_]*' | head -1)
"$BUILD/backroom" serve --db "$DB" --listen "127.0.0.1:$PORT" --access-log false --threads 2 >"$DIR/serve.log" 2>&1 &
SERVER=$!
until curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; do sleep 0.01; done
until curl -fs "http://127.0.0.1:$RECEIVER_PORT/count" >/dev/null 2>&1; do sleep 0.01; done
API="http://127.0.0.1:$PORT/api/v1"
AUTH="Authorization: Bearer $KEY"
json() { node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(($1)(JSON.parse(s))))"; }
LOCATION=$(curl -fs -H "$AUTH" "$API/locations" | json 'j=>j.locations.find(l=>l.kind==="store").id')
ITEMS=$(curl -fs -H "$AUTH" "$API/items?q=GRC-0000&limit=4" | json 'j=>j.items.map(i=>i.id).join(" ")')
for item in $ITEMS; do
  curl -fs -H "$AUTH" -H 'content-type: application/json' -d "{\"item_id\":\"$item\",\"location_id\":\"$LOCATION\",\"quantity\":100000000,\"reason\":\"found\"}" "$API/stock/adjustments" >/dev/null
done

ENDPOINTS=()
add_endpoints() {
  ENDPOINTS=()
  for n in 1 2 3; do
    ENDPOINTS+=("$(curl -fs -H "$AUTH" -H 'content-type: application/json' \
      -d "{\"url\":\"http://127.0.0.1:$RECEIVER_PORT/hook-$n\",\"event_types\":[\"sale.completed\",\"stock.changed\"],\"owner\":\"bench\"}" \
      "$API/webhooks/endpoints" | json 'j=>j.id')")
  done
}
pending() {  # messages still queued on the endpoints
  local total=0 id
  for id in "${ENDPOINTS[@]}"; do total=$((total + $(curl -fs -H "$AUTH" "$API/webhooks/endpoints/$id" | json 'j=>j.pending'))); done
  echo $total
}
backlog() {  # stored messages and outbox events not yet looked at, on all endpoints
  local total=0 id
  for id in "${ENDPOINTS[@]}"; do total=$((total + $(curl -fs -H "$AUTH" "$API/webhooks/endpoints/$id" | json 'j=>j.pending+j.behind'))); done
  echo $total
}
remove_endpoints() {
  local id
  for id in "${ENDPOINTS[@]}"; do curl -fs -X DELETE -H "$AUTH" "$API/webhooks/endpoints/$id" >/dev/null; done
  ENDPOINTS=()
}
cpu() {  # CPU seconds used so far by process $1 (user + system)
  awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$1/stat"
}
round() {  # prints sales/s; $1 names the round for BENCH_PERF_DIR
  local perf=""
  if [[ -n ${BENCH_PERF_DIR:-} ]]; then
    mkdir -p "$BENCH_PERF_DIR"
    perf record -q ${BENCH_PERF_ARGS:--g -F 499} -p "$SERVER" -o "$BENCH_PERF_DIR/$1.data" -- sleep "$DURATION" >/dev/null 2>&1 &
    perf=$!
  fi
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -H "$AUTH" -s bench/sales.lua "$API/sales" -- "$LOCATION" $ITEMS |
    awk '/^sales\/s/ {print $2}'
  [[ -n $perf ]] && wait "$perf" || true
}

echo "== receiver at nice ${BENCH_RECEIVER_NICE:-0}"
echo "== webhooks: sales with 0 and with 3 busy endpoints (sale.completed + stock.changed), $CONNECTIONS connections, ${DURATION}s x $ROUNDS rounds each"
none=() three=()
for r in $(seq "$ROUNDS"); do
  none+=("$(round "none-$r")")
  add_endpoints
  received_before=$(curl -fs "http://127.0.0.1:$RECEIVER_PORT/count")
  start=$(date +%s.%N)
  cpu_server=$(cpu "$SERVER") cpu_receiver=$(cpu "$RECEIVER")
  three+=("$(round "three-$r")")
  cpu_server=$(echo "$(cpu "$SERVER") - $cpu_server" | bc) cpu_receiver=$(echo "$(cpu "$RECEIVER") - $cpu_receiver" | bc)
  during=$(( $(curl -fs "http://127.0.0.1:$RECEIVER_PORT/count") - received_before ))
  left=$(pending) behind=$(backlog) ended=$(date +%s.%N)
  # Drained when nothing waits for a retry and every endpoint's cursor is at the end of the
  # outbox (before 2026-12-04 only the first was waited for; the stream has no rows).
  until [[ $(pending) == 0 && $(backlog) == 0 ]]; do sleep 0.1; done
  seconds=$(echo "$(date +%s.%N) - $start" | bc)
  drain=$(echo "$(date +%s.%N) - $ended" | bc)
  total=$(( $(curl -fs "http://127.0.0.1:$RECEIVER_PORT/count") - received_before ))
  echo "round $r: none ${none[-1]} sales/s, three endpoints ${three[-1]} sales/s; deliveries: $during during the sales (${DURATION}s), $left queued at the end (backlog with the stream $behind, drained $(printf %.1f "$drain") s after the round), $total in $(printf %.1f "$seconds") s = $(echo "$total / $seconds" | bc) deliveries/s; CPU during the sales with endpoints: server ${cpu_server} s, receiver ${cpu_receiver} s of $((2 * DURATION)) core-seconds"
  remove_endpoints
done
mean() { printf '%s\n' "$@" | awk '{s += $1} END {printf "%.0f", s / NR}'; }
m0=$(mean "${none[@]}")
m3=$(mean "${three[@]}")
echo "sales/s: none $m0, three endpoints $m3 -> ratio $(echo "scale=3; $m3 / $m0" | bc) (goal >= 0.95)"
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
"$BUILD/backroom" check --db "$DB"
