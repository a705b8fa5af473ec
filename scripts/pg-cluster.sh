#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster (and a PgBouncer in front of it) for the tests.
#
#   scripts/pg-cluster.sh start    STATE   initdb + start in a new temporary folder; prints the base URI
#   scripts/pg-cluster.sh stop     STATE   stops both servers, removes the folder (idempotent)
#   scripts/pg-cluster.sh url      STATE   prints the base URI (postgresql://ROLE:PASSWORD@127.0.0.1:PORT)
#   scripts/pg-cluster.sh createdb STATE [NAME]   makes an empty database, prints its URI
#   scripts/pg-cluster.sh psql     STATE [psql args...]   psql as the test role (database postgres)
#
# STATE is a small env file the script writes (BACKROOM_TEST_PG_URL=... and friends); the
# tests read it. The cluster runs as a non-root user: the current one, or, when run as
# root, the system user backroom-pg (made on first use). It listens on a private socket
# folder inside the cluster folder and on a free TCP port on 127.0.0.1; the test role
# logs in with a password (scram-sha-256), so a wrong password is refused. fsync,
# synchronous_commit and full_page_writes stay at their defaults: the tests check
# durability. PgBouncer (transaction pooling) listens on a second free port with the same
# role and password.
set -euo pipefail

PGBIN=${BACKROOM_PGBIN:-/usr/lib/postgresql/15/bin}
PG_ROLE=backroom_test
OS_USER_FOR_ROOT=backroom-pg

die() { echo "pg-cluster: $*" >&2; exit 1; }

usage() { sed -n '4,8p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

cmd=${1:-}
state=${2:-${BACKROOM_PG_STATE:-}}
[[ -n $cmd ]] || usage
[[ -n $state ]] || die "name a state file (second argument or BACKROOM_PG_STATE)"
shift 2 || shift $#

# Runs a command as the cluster's user (PostgreSQL refuses to run as root).
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u "$BACKROOM_PG_OS_USER" -- "$@"
  else
    "$@"
  fi
}

load_state() {
  [[ -f $state ]] || return 1
  # shellcheck disable=SC1090
  source "$state"
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Stops whatever a state file describes; silent and successful when nothing runs.
stop_cluster() {
  load_state || return 0
  local dir=${BACKROOM_PG_DIR:-}
  [[ -n $dir ]] || return 0  # an empty or foreign state file: nothing of ours runs
  if [[ -f $dir/pgbouncer.pid ]]; then
    local bpid
    bpid=$(head -n1 "$dir/pgbouncer.pid" 2>/dev/null || true)
    if [[ -n $bpid ]] && kill -0 "$bpid" 2>/dev/null; then
      kill -TERM "$bpid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$bpid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$bpid" 2>/dev/null || true
    fi
  fi
  if [[ -f $dir/data/postmaster.pid ]]; then
    local ppid
    ppid=$(head -n1 "$dir/data/postmaster.pid" 2>/dev/null || true)
    # Immediate: the folder is thrown away next, so no shutdown checkpoint is worth waiting for.
    as_owner "$PGBIN/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
    if [[ -n $ppid ]] && kill -0 "$ppid" 2>/dev/null; then
      # The last resort: the postmaster and its children, by process id.
      local children
      children=$(pgrep -P "$ppid" 2>/dev/null || true)
      kill -KILL "$ppid" $children 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$ppid" 2>/dev/null || break; sleep 0.1; done
    fi
  fi
  case $dir in
    */backroom-pg.*)
      # A cluster that served a whole test run holds hundreds of databases (tens of thousands
      # of files): removing them took over two minutes on a loaded machine, longer than the
      # stop's ctest timeout. The folder is renamed at once (nothing can start in it again) and
      # removed by a detached process that holds none of the caller's output open.
      local trash="$dir.stopped"
      if mv -- "$dir" "$trash" 2>/dev/null; then
        setsid rm -rf -- "$trash" </dev/null >/dev/null 2>&1 &
      else
        rm -rf -- "$dir"
      fi
      ;;
  esac
  rm -f -- "$state"
}

start_cluster() {
  stop_cluster  # a cluster left by an interrupted run under the same state file
  [[ -x $PGBIN/initdb ]] || die "$PGBIN/initdb not found (install postgresql-15: scripts/install-deps.sh)"
  if [[ $(id -u) -eq 0 ]]; then
    BACKROOM_PG_OS_USER=$OS_USER_FOR_ROOT
    if ! id -u "$BACKROOM_PG_OS_USER" >/dev/null 2>&1; then
      useradd --system --user-group --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin "$BACKROOM_PG_OS_USER" 2>/dev/null || id -u "$BACKROOM_PG_OS_USER" >/dev/null \
        || die "could not create the system user $BACKROOM_PG_OS_USER"
    fi
  else
    BACKROOM_PG_OS_USER=$(id -un)
  fi
  # A short path: the socket's full name must fit in 107 bytes.
  local dir
  dir=$(mktemp -d "${TMPDIR:-/tmp}/backroom-pg.XXXXXX")
  mkdir -p "$dir/sock" "$dir/bouncer"
  chmod 700 "$dir" "$dir/sock" "$dir/bouncer"
  [[ $(id -u) -ne 0 ]] || chown -R "$BACKROOM_PG_OS_USER:" "$dir"
  local password
  password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')

  # --no-sync skips only initdb's final flush of the files it wrote (a throwaway cluster);
  # the running server keeps every durability setting at its default.
  as_owner "$PGBIN/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; rm -rf -- "$dir"; die "initdb failed"; }

  local port tries=0
  while :; do
    port=$(free_port)
    cat >"$dir/data/postgresql.auto.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir/sock'
unix_socket_permissions = 0700
max_connections = 300
password_encryption = 'scram-sha-256'
EOF
    [[ $(id -u) -ne 0 ]] || chown "$BACKROOM_PG_OS_USER:" "$dir/data/postgresql.auto.conf"
    if as_owner "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start >/dev/null 2>&1; then
      break
    fi
    tries=$((tries + 1))
    if ((tries >= 5)) || ! grep -q "could not bind\|Address already in use" "$dir/postgres.log"; then
      tail -n 20 "$dir/postgres.log" >&2 || true
      as_owner "$PGBIN/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
      rm -rf -- "$dir"
      die "postgres did not start"
    fi
  done

  as_owner psql -X -q -h "$dir/sock" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
    -c "CREATE ROLE $PG_ROLE LOGIN CREATEDB PASSWORD '$password'" \
    -c "GRANT pg_checkpoint TO $PG_ROLE" >/dev/null  # benchmarks settle a fresh copy first

  # PgBouncer in transaction mode in front of the cluster, any database, same role.
  local bport
  bport=$(free_port)
  printf '"%s" "%s"\n' "$PG_ROLE" "$password" >"$dir/bouncer/userlist.txt"
  cat >"$dir/bouncer/pgbouncer.ini" <<EOF
[databases]
* = host=127.0.0.1 port=$port
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $bport
unix_socket_dir =
auth_type = scram-sha-256
auth_file = $dir/bouncer/userlist.txt
pool_mode = transaction
max_client_conn = 1000
default_pool_size = 20
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
EOF
  [[ $(id -u) -ne 0 ]] || chown -R "$BACKROOM_PG_OS_USER:" "$dir/bouncer"
  local bouncer_url=""
  if command -v pgbouncer >/dev/null 2>&1 || [[ -x /usr/sbin/pgbouncer ]]; then
    local pgb
    pgb=$(command -v pgbouncer || echo /usr/sbin/pgbouncer)
    if as_owner "$pgb" -d -q "$dir/bouncer/pgbouncer.ini" >/dev/null 2>&1; then
      bouncer_url="postgresql://$PG_ROLE:$password@127.0.0.1:$bport"
    else
      echo "pg-cluster: pgbouncer did not start (see $dir/pgbouncer.log)" >&2
    fi
  fi

  local url="postgresql://$PG_ROLE:$password@127.0.0.1:$port"
  {
    printf 'BACKROOM_PG_DIR=%q\n' "$dir"
    printf 'BACKROOM_PG_OS_USER=%q\n' "$BACKROOM_PG_OS_USER"
    printf 'BACKROOM_PG_PORT=%q\n' "$port"
    printf 'BACKROOM_PG_SOCKET_DIR=%q\n' "$dir/sock"
    printf 'BACKROOM_PG_ROLE=%q\n' "$PG_ROLE"
    printf 'BACKROOM_PG_PASSWORD=%q\n' "$password"
    printf 'BACKROOM_TEST_PG_URL=%q\n' "$url"
    printf 'BACKROOM_TEST_PGBOUNCER_URL=%q\n' "$bouncer_url"
  } >"$state.tmp"
  mv -f -- "$state.tmp" "$state"
  echo "$url"
}

case $cmd in
  start) start_cluster ;;
  stop) stop_cluster ;;
  url)
    load_state || die "no cluster ($state missing): run start first"
    echo "$BACKROOM_TEST_PG_URL"
    ;;
  createdb)
    load_state || die "no cluster ($state missing): run start first"
    name=${1:-t_$$_$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')}
    [[ $name =~ ^[a-z_][a-z0-9_]*$ ]] || die "database name '$name': use lower case letters, digits and _"
    psql -X -q "$BACKROOM_TEST_PG_URL/postgres" -v ON_ERROR_STOP=1 -c "CREATE DATABASE $name" >/dev/null
    echo "$BACKROOM_TEST_PG_URL/$name"
    ;;
  psql)
    load_state || die "no cluster ($state missing): run start first"
    exec psql -X "$BACKROOM_TEST_PG_URL/postgres" "$@"
    ;;
  *) usage ;;
esac
