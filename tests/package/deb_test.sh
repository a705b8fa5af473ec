#!/usr/bin/env bash
# The .deb (issue 22): build it with CPack from this build tree, install it with dpkg into a
# clean root (an empty directory with its own dpkg database and /etc; the maintainer scripts
# run chrootless with DPKG_ROOT, as dpkg does for such roots), check what it installed and the
# user and directories its postinst made, verify the systemd unit with systemd-analyze, start
# the binary the way the unit does (its Environment=, ExecStart, as the package's user), talk
# to it over HTTP, then remove and purge the package and check the shop's data is kept.
#   usage: deb_test.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "--- $*"; }

[[ $(id -u) == 0 ]] || fail "this test installs a package with dpkg and switches users: run it as root"
work=$(mktemp -d /tmp/backroom-deb.XXXXXX)
chmod 755 "$work"
server_pid=
cleanup() {
  [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

step "cpack"
(cd "$build" && cpack -G DEB -B "$work/out" >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; fail "cpack failed"; }
deb=$(ls "$work"/out/backroom_*.deb)
echo "built $(basename "$deb") ($(du -h "$deb" | cut -f1))"

step "package contents"
dpkg-deb --info "$deb" >"$work/info"
grep -q '^ Package: backroom$' "$work/info" || fail "control: no Package: backroom"
grep -q '^ Depends:.*libsqlite3' "$work/info" || fail "control: shlibdeps did not name libsqlite3: $(grep Depends "$work/info")"
grep -q '^ Depends:.*systemd' "$work/info" || fail "control: no dependency on systemd"
for f in postinst prerm postrm conffiles; do grep -q " $f" "$work/info" || fail "control: no $f"; done
dpkg-deb --contents "$deb" | awk '{print $6}' >"$work/contents"
for f in ./usr/bin/backroom ./lib/systemd/system/backroom.service ./usr/lib/sysusers.d/backroom.conf \
         ./usr/lib/tmpfiles.d/backroom.conf ./etc/default/backroom ./usr/share/backroom/web/index.html \
         ./usr/share/doc/backroom/operations.md; do
  grep -qx -- "$f" "$work/contents" || fail "package lacks $f"
done
dpkg-deb --field "$deb" Conffiles 2>/dev/null | grep -q /etc/default/backroom \
  || dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles | grep -qx /etc/default/backroom \
  || fail "/etc/default/backroom is not a conffile"

step "install into a clean root"
root=$work/root
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/etc"
: >"$root/var/lib/dpkg/status"
dpkg_root() { dpkg --root="$root" --force-script-chrootless --force-depends --log=/dev/null "$@"; }
dpkg_root --install "$deb" >"$work/install.log" 2>&1 || { cat "$work/install.log"; fail "dpkg --install failed"; }
grep -v -e '^ backroom depends on' -e '^  Package .* is not installed' "$work/install.log"
grep -q "backroom init" "$work/install.log" || fail "postinst did not tell the operator to init the shop"
dpkg_root --status backroom | grep -q '^Status: install ok installed' || fail "dpkg does not list backroom as installed"
[[ -x $root/usr/bin/backroom ]] || fail "no /usr/bin/backroom"
line=$(grep '^backroom:' "$root/etc/passwd") || fail "postinst made no backroom user"
uid=$(cut -d: -f3 <<<"$line"); gid=$(cut -d: -f4 <<<"$line")
[[ $uid -gt 0 && $uid -lt 1000 ]] || fail "backroom user is not a system user (uid $uid)"
[[ $(cut -d: -f7 <<<"$line") == /usr/sbin/nologin ]] || fail "backroom user can log in: $line"
[[ $(stat -c '%u %a' "$root/var/lib/backroom") == "$uid 750" ]] || fail "/var/lib/backroom is $(stat -c '%u %a' "$root/var/lib/backroom"), want $uid 750"
echo "user backroom uid $uid gid $gid; /var/lib/backroom $(stat -c '%u:%g %a' "$root/var/lib/backroom")"

step "systemd-analyze verify"
# What the package depends on, in the root as on a real system: systemd's own target units
# (the unit is ordered after network-online.target, wanted by multi-user.target) and
# procps's /bin/kill (ExecReload). The root stays otherwise empty.
mkdir -p "$root/lib/systemd/system" "$root/bin"
cp -n /lib/systemd/system/*.target "$root/lib/systemd/system/"
cp /bin/kill "$root/bin/kill"
unit=$root/lib/systemd/system/backroom.service
for want in 'User=backroom' 'NoNewPrivileges=yes' 'ProtectSystem=strict' 'StateDirectory=backroom'; do
  grep -qx "$want" "$unit" || fail "unit lacks $want"
done
systemd-analyze verify --root="$root" backroom.service 2>&1 | tee "$work/verify.log"
if grep -v -e '^$' "$work/verify.log" | grep -q .; then fail "systemd-analyze verify complained"; fi
systemd-analyze security --offline=true --root="$root" backroom.service >"$work/security.log" 2>&1 || true
tail -1 "$work/security.log"

step "start the binary the way the unit does"
# The unit's own Environment= lines and ExecStart, with its absolute paths under the root.
declare -a env_args=()
unit_env() {  # the unit's Environment= lines, with its paths under root $1
  env_args=()
  while IFS= read -r kv; do env_args+=("${kv//\/var\/lib\/backroom/$1\/var\/lib\/backroom}"); done \
    < <(sed -n 's/^Environment=//p' "$unit" | sed "s#=/usr/share/backroom#=$1/usr/share/backroom#")
}
unit_env "$root"
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
[[ $exec_start == "/usr/bin/backroom serve" ]] || fail "unexpected ExecStart: $exec_start"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
umask_of_unit=$(sed -n 's/^UMask=//p' "$unit")
[[ -n $umask_of_unit ]] || fail "the unit sets no UMask"
# as_user replaces the shell it runs in, so a background `(as_user …) &` leaves $! the
# server's own pid (a function run in the background would leave the pid of a shell that
# waits for it, and killing that shell left the server running).
as_user() { umask "$umask_of_unit"; exec setpriv --reuid="$uid" --regid="$gid" --clear-groups --no-new-privs env -i PATH=/usr/bin:/bin "${env_args[@]}" \
             ASAN_OPTIONS="${ASAN_OPTIONS:-}" LSAN_OPTIONS="${LSAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" "$@"; }
run_as() { (as_user "$@"); }
run_as "$root/usr/bin/backroom" init --db "$root/var/lib/backroom/shop.db" --shop-name "Package test" --currency EUR \
  >"$work/init.log" 2>&1 || { cat "$work/init.log"; fail "backroom init as the package's user failed"; }
grep -q "first admin" "$work/init.log" || fail "init did not show the first admin"
(as_user "$root/usr/bin/backroom" serve --listen "127.0.0.1:$port") >"$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/" -o "$work/index.html" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.log"; fail "the server stopped"; }
  sleep 0.2
done
grep -qi '<html' "$work/index.html" || fail "GET / did not serve the packaged web UI"
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/v1/items")
[[ $code == 401 ]] || fail "GET /api/v1/items without a session answered $code, want 401"
[[ $(stat -c '%u %a' "$root/var/lib/backroom/shop.db") == "$uid 640" ]] || fail "shop.db is $(stat -c '%u %a' "$root/var/lib/backroom/shop.db"), want $uid 640 (the unit's UMask)"
echo "served the UI and the API on port $port as uid $uid; shop.db $(stat -c '%u %a' "$root/var/lib/backroom/shop.db")"
kill "$server_pid"; wait "$server_pid" || true; server_pid=
! pgrep -f "^$root/usr/bin/backroom serve" >/dev/null || fail "the server still runs after it was stopped"

step "upgrade over an earlier package, with a shop at an earlier schema"
# The earlier package is this one with an earlier version in its control file (a past
# release cannot be built within the test's time): what is tested is dpkg's upgrade path —
# the maintainer scripts called as an upgrade, the operator's edited conffile kept, the user
# and the books kept — and the packaged binary, started as the unit starts it, migrating a
# shop made at an earlier schema version after a backup it can write beside the books.
mkdir -p "$work/old"
dpkg-deb --raw-extract "$deb" "$work/old/tree"
version=$(dpkg-deb --field "$deb" Version)
sed -i "s/^Version: .*/Version: 0.0.1/" "$work/old/tree/DEBIAN/control"
dpkg-deb -Znone --build "$work/old/tree" "$work/old/backroom_0.0.1_amd64.deb" >/dev/null
dpkg --compare-versions 0.0.1 lt "$version" || fail "the package's version $version is not above 0.0.1"
up=$work/upgrade
mkdir -p "$up/var/lib/dpkg/info" "$up/var/lib/dpkg/updates" "$up/etc"
: >"$up/var/lib/dpkg/status"
dpkg_up() { dpkg --root="$up" --force-script-chrootless --force-depends --log=/dev/null "$@"; }
dpkg_up --install "$work/old/backroom_0.0.1_amd64.deb" >"$work/old/install.log" 2>&1 || { cat "$work/old/install.log"; fail "installing 0.0.1 failed"; }
line=$(grep '^backroom:' "$up/etc/passwd") || fail "0.0.1 made no backroom user"
uid=$(cut -d: -f3 <<<"$line"); gid=$(cut -d: -f4 <<<"$line")
unit_env "$up"
books=$up/var/lib/backroom/shop.db
latest=$("$root/usr/bin/backroom" migrate --db "$work/probe.db" --dry-run | sed -n 's/^would apply \([0-9]*\):.*/\1/p' | tail -1)
earlier=$((latest - 3))
run_as "$up/usr/bin/backroom" migrate --db "$books" --to-version "$earlier" >"$work/old/migrate.log" 2>&1 || { cat "$work/old/migrate.log"; fail "making a shop at schema $earlier failed"; }
sqlite3 "$books" "INSERT INTO settings (key, value) VALUES ('shop_name', 'Shop from 0.0.1')"
echo "BACKROOM_ACCESS_LOG=false  # the operator's own line" >>"$up/etc/default/backroom"
edited=$(md5sum <"$up/etc/default/backroom")
dpkg_up --install "$deb" >"$work/upgrade.log" 2>&1 || { cat "$work/upgrade.log"; fail "the upgrade to $version failed"; }
dpkg_up --status backroom | grep -q "^Version: $version$" || fail "after the upgrade dpkg lists $(dpkg_up --status backroom | grep ^Version)"
! grep -q "backroom init" "$work/upgrade.log" || fail "postinst told an upgraded shop to init again"
[[ $(md5sum <"$up/etc/default/backroom") == "$edited" ]] || fail "the upgrade replaced the operator's /etc/default/backroom"
[[ $(grep '^backroom:' "$up/etc/passwd") == "$line" ]] || fail "the upgrade changed the backroom user"
(as_user "$up/usr/bin/backroom" serve --listen "127.0.0.1:$port") >"$work/upgrade-serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 150); do
  curl -fsS -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/upgrade-serve.log"; fail "the upgraded server stopped"; }
  sleep 0.2
done
kill "$server_pid"; wait "$server_pid" || true; server_pid=
[[ $(sqlite3 "$books" "SELECT MAX(version) FROM schema_migrations") == "$latest" ]] || fail "the upgraded server did not bring the shop to schema $latest"
[[ $(sqlite3 "$books" "SELECT value FROM settings WHERE key = 'shop_name'") == "Shop from 0.0.1" ]] || fail "the upgrade lost the shop's settings"
backup=$(ls "$up/var/lib/backroom/"shop-v"$earlier"-before-v"$latest"-*.brb 2>/dev/null) || { cat "$work/upgrade-serve.log"; fail "no backup before the migration beside the books"; }
[[ $(stat -c '%u' "$backup") == "$uid" && $(( 0$(stat -c '%a' "$backup") & 007 )) == 0 ]] || fail "the backup is $(stat -c '%u %a' "$backup"): not the service's own, or readable by others"
echo "upgraded 0.0.1 -> $version: schema $earlier -> $latest after $(basename "$backup"); conffile and user kept"
unit_env "$root"; line=$(grep '^backroom:' "$root/etc/passwd"); uid=$(cut -d: -f3 <<<"$line"); gid=$(cut -d: -f4 <<<"$line")

step "upgrade from a real past release's package"
# The package `./run package` made at release c9b85bd (main of 2026-12-04, schema 23), built
# by tests/upgrade/make_package.sh and kept in the repository as it came out of cpack. Its
# shop is the one that release's binary wrote itself (tests/upgrade/release-c9b85bd.*, a demo
# shop and a day of trade, as integration.upgrade_release upgrades it). The release and this
# build both call themselves 0.1.0, so the release's control file is given the version
# 0.1.0~c9b85bd (below any 0.1.0); its files are not touched. What is tested: dpkg installs the
# release, the release's own binary serves the shop as the unit starts it, dpkg upgrades to
# this package, and this binary migrates the release's books after a backup, with every sale
# and every balance of the release still there and `check` and `audit verify` holding.
release=c9b85bd
released=$here/../upgrade/backroom_0.1.0-$release.deb
[[ -f $released ]] || fail "the release's package $released is missing"
mkdir -p "$work/rel"
dpkg-deb --raw-extract "$released" "$work/rel/tree"
sed -i "s/^Version: .*/Version: 0.1.0~$release/" "$work/rel/tree/DEBIAN/control"
dpkg-deb -Znone --build "$work/rel/tree" "$work/rel/backroom_release.deb" >/dev/null
dpkg --compare-versions "0.1.0~$release" lt "$version" || fail "the release's version is not below $version"
rr=$work/release-root
mkdir -p "$rr/var/lib/dpkg/info" "$rr/var/lib/dpkg/updates" "$rr/etc"
: >"$rr/var/lib/dpkg/status"
dpkg_rel() { dpkg --root="$rr" --force-script-chrootless --force-depends --log=/dev/null "$@"; }
dpkg_rel --install "$work/rel/backroom_release.deb" >"$work/rel/install.log" 2>&1 || { cat "$work/rel/install.log"; fail "installing the release's package failed"; }
line=$(grep '^backroom:' "$rr/etc/passwd") || fail "the release's package made no backroom user"
uid=$(cut -d: -f3 <<<"$line"); gid=$(cut -d: -f4 <<<"$line")
unit=$rr/lib/systemd/system/backroom.service
unit_env "$rr"
books=$rr/var/lib/backroom/shop.db
gunzip -c "$here/../upgrade/release-$release.sqlite.sql.gz" | sqlite3 "$books"
install -m 600 -o "$uid" -g "$gid" "$here/../upgrade/release-$release.key" "$books.key"
chown "$uid:$gid" "$books"; chmod 640 "$books"
serve_until_up() {  # log file; starts $1's binary as the unit does and waits for GET /
  local bin=$1 log=$2
  (as_user "$bin" serve --listen "127.0.0.1:$port") >"$log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 150); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null && return 0
    kill -0 "$server_pid" 2>/dev/null || { cat "$log"; fail "$bin stopped"; }
    sleep 0.2
  done
  cat "$log"; fail "$bin did not answer"
}
serve_until_up "$rr/usr/bin/backroom" "$work/rel/serve.log"
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/v1/items")
[[ $code == 401 ]] || fail "the release's server answered $code to an unauthenticated GET /api/v1/items"
kill "$server_pid"; wait "$server_pid" || true; server_pid=
[[ $(sqlite3 "$books" "SELECT MAX(version) FROM schema_migrations") == 23 ]] || fail "the release changed its own shop's schema"
expected=$here/../upgrade/release-$release.json
dpkg_rel --install "$deb" >"$work/rel/upgrade.log" 2>&1 || { cat "$work/rel/upgrade.log"; fail "the upgrade from the release's package failed"; }
dpkg_rel --status backroom | grep -q "^Version: $version$" || fail "after the upgrade dpkg lists $(dpkg_rel --status backroom | grep ^Version)"
! grep -q "backroom init" "$work/rel/upgrade.log" || fail "postinst told the release's shop to init again"
unit=$rr/lib/systemd/system/backroom.service
unit_env "$rr"
serve_until_up "$rr/usr/bin/backroom" "$work/rel/upgrade-serve.log"
key=$(run_as "$rr/usr/bin/backroom" apikey create --db "$books" --name package-test --role admin | grep -o 'brk_[A-Za-z0-9_]*' | head -1)
[[ -n $key ]] || fail "no API key from the upgraded binary"
python3 - "$expected" "http://127.0.0.1:$port" "$key" <<'PY' || fail "the upgraded shop does not hold the release's books"
import json, sys, urllib.request
expected, base, key = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
def get(path):
    req = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {key}"})
    return json.load(urllib.request.urlopen(req))
for sale in expected["sales"]:
    got = get(f"/api/v1/sales/{sale['id']}")
    assert (got["receipt_number"], got["total"]) == (sale["receipt_number"], sale["total"]), (sale, got["receipt_number"], got["total"])
assert get(f"/api/v1/sales/{expected['voided']}")["status"] == "voided"
store = next(l for l in get("/api/v1/locations")["locations"] if l["name"] == expected["location"])
item_id = {row["sku"]: row["item_id"] for row in expected["kpis"]["rows"]}
for sku, on_hand in expected["on_hand"].items():
    got = get(f"/api/v1/stock?item_id={item_id[sku]}&location_id={store['id']}")["on_hand"]
    assert got == on_hand, (sku, got, on_hand)
print(f"{len(expected['sales'])} sales, the void and {len(expected['on_hand'])} balances as the release left them")
PY
kill "$server_pid"; wait "$server_pid" || true; server_pid=
latest_rel=$(sqlite3 "$books" "SELECT MAX(version) FROM schema_migrations")
[[ $latest_rel == "$latest" ]] || fail "the upgraded server left the release's shop at schema $latest_rel, not $latest"
ls "$rr/var/lib/backroom/"shop-v23-before-v"$latest"-*.brb >/dev/null 2>&1 || fail "no backup of the release's books before the migration"
run_as "$rr/usr/bin/backroom" check --db "$books" >"$work/rel/check.log" 2>&1 || { cat "$work/rel/check.log"; fail "check fails on the upgraded release's shop"; }
run_as "$rr/usr/bin/backroom" audit verify --db "$books" >"$work/rel/verify.log" 2>&1 || { cat "$work/rel/verify.log"; fail "audit verify fails on the upgraded release's shop"; }
echo "upgraded the release's package 0.1.0~$release -> $version: schema 23 -> $latest, the release's books kept, check and audit verify hold"
unit=$root/lib/systemd/system/backroom.service
unit_env "$root"; line=$(grep '^backroom:' "$root/etc/passwd"); uid=$(cut -d: -f3 <<<"$line"); gid=$(cut -d: -f4 <<<"$line")

step "remove and purge"
dpkg_root --remove backroom >"$work/remove.log" 2>&1 || { cat "$work/remove.log"; fail "dpkg --remove failed"; }
[[ ! -e $root/usr/bin/backroom ]] || fail "remove left /usr/bin/backroom"
[[ ! -e $unit ]] || fail "remove left the unit"
[[ -e $root/etc/default/backroom ]] || fail "remove deleted the conffile (only purge may)"
dpkg_root --purge backroom >"$work/purge.log" 2>&1 || { cat "$work/purge.log"; fail "dpkg --purge failed"; }
[[ ! -e $root/etc/default/backroom ]] || fail "purge left /etc/default/backroom"
[[ -f $root/var/lib/backroom/shop.db ]] || fail "purge deleted the shop's books"
echo "PASS: installed, verified, served, upgraded, removed and purged; the shop's data was kept"
