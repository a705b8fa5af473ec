#!/usr/bin/env bash
# Installs every Debian package Backroom needs to build, test and demo.
# Idempotent: asks apt only for what is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev sqlite3 libpq-dev postgresql-15 postgresql-client-15 pgbouncer
  python3 procps
  libsodium-dev libjemalloc-dev libfmt-dev libspdlog-dev libcli11-dev libcurl4-openssl-dev libssl-dev openssl
  libzip-dev unzip   # "export everything": one ZIP of CSV files; unzip reads it back in the tests
  libgtest-dev libgmock-dev libbenchmark-dev
  wrk curl prometheus
  dpkg-dev systemd util-linux   # the .deb: dpkg-shlibdeps; systemd-analyze, -sysusers, -tmpfiles; setpriv
  libzint-dev libcairo2-dev zbar-tools poppler-utils imagemagick librsvg2-bin fonts-dejavu-core
  chromium
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  if [[ $(id -u) -ne 0 ]]; then SUDO=sudo; else SUDO=; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
