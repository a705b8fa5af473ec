#!/usr/bin/env bash
# Remakes the released package that package.deb upgrades from
# (tests/upgrade/backroom_0.1.0-<commit>.deb): builds backroom at the release commit in a
# scratch worktree the way `./run package` did there (the web UI, a RelWithDebInfo build,
# cpack), with the binary stripped by cpack (CPACK_STRIP_FILES, a cpack option: the
# release's sources and packaging files are used as they are) so that the file stays small.
# Not part of `./run test`: the committed package is the release's own output and must not
# change with this checkout.
#
#   tests/upgrade/make_package.sh c9b85bd
set -euo pipefail
release=${1:?release commit}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d /tmp/backroom-release-deb.XXXXXX)
trap 'git -C "$root" worktree remove --force "$work/src" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

git -C "$root" worktree add --detach "$work/src" "$release" >/dev/null
# Its own node_modules (build-web.sh runs `npm ci` there): a symlink to this checkout's would
# be emptied by that `npm ci`, which clears the directory it finds.
(cd "$work/src" && ./scripts/build-web.sh >/dev/null)
cmake -S "$work/src" -B "$work/src/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DBACKROOM_TESTS=OFF -DBACKROOM_BENCH=OFF >/dev/null
nice ninja -C "$work/src/build" -j2 backroom >/dev/null
(cd "$work/src/build" && cpack -G DEB -D CPACK_STRIP_FILES=ON >/dev/null)
cp "$work/src/build/"backroom_*.deb "$here/backroom_0.1.0-$release.deb"
echo "wrote $here/backroom_0.1.0-$release.deb"
