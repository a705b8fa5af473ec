#!/usr/bin/env bash
# Planning's daily demand read (issue 17), the two table layouts side by side in the sqlite3
# shell: 20,000 items x 120 days written day by day (as a shop writes them), read back in key
# order as planning::store::each_demand_at did, from a rowid table and from the same table
# WITHOUT ROWID (migration 20), each ungrouped and grouped. Prints the wall time of each read.
# History: since migration 29 the days are packed by month (demand_months), not a row a day.
# Env: ITEMS (20000), DAYS (120). Needs the sqlite3 shell (apt-get install sqlite3).
set -euo pipefail
ITEMS=${ITEMS:-20000}
DAYS=${DAYS:-120}
DIR=$(mktemp -d /tmp/backroom-demand-layout-XXXXXX)
trap 'rm -rf "$DIR"' EXIT
DB=$DIR/demand.db
LOC=0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b
COLUMNS="location_id TEXT, item_id TEXT, day TEXT, source TEXT, units INTEGER, censored INTEGER, promo INTEGER, PRIMARY KEY (location_id, item_id, day, source)"
sqlite3 "$DB" "
CREATE TABLE with_rowid ($COLUMNS);
CREATE TABLE without_rowid ($COLUMNS) WITHOUT ROWID;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $ITEMS - 1),
               d(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM d WHERE k < $DAYS - 1)
INSERT INTO with_rowid SELECT '$LOC', printf('0190a1b2-c3d4-7e5f-8a9b-%012d', (i * 7919) % $ITEMS),
  date('2025-01-01', '+' || k || ' days'), 'ledger', 3, 0, 0 FROM d, n;
INSERT INTO without_rowid SELECT * FROM with_rowid;"
echo "$((ITEMS * DAYS)) demand rows, written day by day"
for table in with_rowid without_rowid; do
  for read in ungrouped grouped; do
    if [[ $read == ungrouped ]]; then
      sql="SELECT item_id, day, units, censored, promo FROM $table WHERE location_id = '$LOC' AND day >= '2025-01-01' ORDER BY item_id, day"
    else
      sql="SELECT item_id, day, SUM(units), MAX(censored), MAX(promo) FROM $table WHERE location_id = '$LOC' AND day >= '2025-01-01' GROUP BY item_id, day ORDER BY item_id, day"
    fi
    start=$(date +%s.%N)
    sqlite3 "$DB" "$sql" >/dev/null
    printf '%-14s %-10s %6.2f s\n' "$table" "$read" "$(echo "$(date +%s.%N) - $start" | bc)"
  done
done
