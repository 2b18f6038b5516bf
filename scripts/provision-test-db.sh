#!/usr/bin/env bash
# Provision PostgreSQL 17 + pgvector and MariaDB 11.8 for the test suite without Docker.
#
# On Debian as root: builds (once) a Debian trixie root folder with debootstrap, installs the
# servers from Debian's packages inside it, and starts them on loopback ports. The root folder
# is cached outside the repository (TYPEORM_VECTOR_ROOT, default /var/cache/typeorm-vector/trixie),
# so a second run only starts the servers (a few seconds).
#
#   scripts/provision-test-db.sh start   # prints TEST_POSTGRES_URL=... and TEST_MARIADB_URL=... lines
#   scripts/provision-test-db.sh stop    # stops the servers this script started, by pid
#
# Never installs trixie packages on the host itself: only inside the root folder.
set -euo pipefail

ROOT="${TYPEORM_VECTOR_ROOT:-/var/cache/typeorm-vector/trixie}"
PG_PORT="${TYPEORM_VECTOR_PG_PORT:-54329}"
MARIADB_PORT="${TYPEORM_VECTOR_MARIADB_PORT:-33069}"
PG_DATA=/srv/typeorm-vector/pg-$PG_PORT
MARIADB_DATA=/srv/typeorm-vector/mariadb-$MARIADB_PORT


log() { echo "[provision] $*" >&2; }
die() { echo "[provision] ERROR: $*" >&2; exit 1; }

debian_mirror() {
  local m
  m=$(grep -hoE '^(URIs:|deb) +https?://[^ ]+' /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null \
      | grep -v security | head -n1 | awk '{print $2}')
  echo "${m:-http://deb.debian.org/debian}"
}

in_root() { chroot "$ROOT" "$@"; }

mount_pseudo_filesystems() { # root folder
  mountpoint -q "$1/proc" || mount -t proc proc "$1/proc"
  mountpoint -q "$1/dev" || mount --bind /dev "$1/dev"
}

build_root() {
  [ "$(id -u)" = 0 ] || die "building the server root folder needs root (run as root, or set TEST_POSTGRES_URL and TEST_MARIADB_URL)."
  command -v apt-get >/dev/null || die "apt-get not found: this script needs Debian (or set TEST_POSTGRES_URL and TEST_MARIADB_URL)."
  if ! command -v debootstrap >/dev/null; then
    log "installing debootstrap on the host"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >&2
  fi
  local mirror; mirror=$(debian_mirror)
  log "building a Debian trixie root folder in $ROOT from $mirror (once; about a minute)"
  rm -rf "$ROOT.partial"; mkdir -p "$(dirname "$ROOT")"
  debootstrap --variant=minbase trixie "$ROOT.partial" "$mirror" >&2
  mount_pseudo_filesystems "$ROOT.partial"
  log "installing postgresql-17, postgresql-17-pgvector and mariadb-server inside it"
  chroot "$ROOT.partial" /bin/sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-17 postgresql-17-pgvector mariadb-server mariadb-client' >&2
  umount "$ROOT.partial/dev" "$ROOT.partial/proc"
  touch "$ROOT.partial/.typeorm-vector-ready"
  rm -rf "$ROOT"; mv "$ROOT.partial" "$ROOT"
}

wait_for() { # tries, command...
  local tries=$1; shift
  for _ in $(seq "$tries"); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  return 1
}

stop_pid_file() {
  local f=$1
  if [ -f "$ROOT$f" ]; then
    local pid; pid=$(head -n1 "$ROOT$f" | tr -dc 0-9)
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid"; for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$ROOT$f"
  fi
}

start_postgres() {
  local bin=/usr/lib/postgresql/17/bin
  stop_pid_file "$PG_DATA/postmaster.pid"
  rm -rf "$ROOT$PG_DATA"; mkdir -p "$ROOT$PG_DATA"
  in_root chown -R postgres:postgres "$PG_DATA"
  in_root setpriv --reuid=postgres --regid=postgres --init-groups "$bin/initdb" -A trust -U postgres -D "$PG_DATA" >/dev/null
  in_root setpriv --reuid=postgres --regid=postgres --init-groups "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w \
    -o "-p $PG_PORT -k /tmp -c listen_addresses=127.0.0.1 -c dynamic_shared_memory_type=mmap -c fsync=off -c full_page_writes=off -c synchronous_commit=off" start >/dev/null \
    || { cat "$ROOT$PG_DATA/server.log" >&2; die "PostgreSQL did not start (log above)"; }
  in_root "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc 'CREATE DATABASE typeorm_vector_test' >/dev/null
  in_root "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d typeorm_vector_test -qc 'CREATE EXTENSION IF NOT EXISTS vector' >/dev/null
}

start_mariadb() {
  stop_pid_file "$MARIADB_DATA/mariadb.pid"
  rm -rf "$ROOT$MARIADB_DATA"; mkdir -p "$ROOT$MARIADB_DATA" "$ROOT/run/mysqld"
  in_root chown -R mysql:mysql "$MARIADB_DATA" /run/mysqld
  in_root mariadb-install-db --user=mysql --datadir="$MARIADB_DATA" --skip-test-db --auth-root-authentication-method=socket >/dev/null 2>&1 \
    || die "mariadb-install-db failed"
  in_root /bin/sh -c "nohup mariadbd --user=mysql --datadir=$MARIADB_DATA --port=$MARIADB_PORT --bind-address=127.0.0.1 \
    --socket=/run/mysqld/typeorm-vector-$MARIADB_PORT.sock --pid-file=$MARIADB_DATA/mariadb.pid --skip-log-bin --innodb-flush-log-at-trx-commit=0 \
    --log-error=$MARIADB_DATA/error.log >/dev/null 2>&1 &"
  wait_for 120 in_root mariadb --socket=/run/mysqld/typeorm-vector-$MARIADB_PORT.sock -uroot -e 'SELECT 1' \
    || { cat "$ROOT$MARIADB_DATA/error.log" >&2; die "MariaDB did not start (log above)"; }
  in_root mariadb --socket=/run/mysqld/typeorm-vector-$MARIADB_PORT.sock -uroot -e \
    "CREATE DATABASE IF NOT EXISTS typeorm_vector_test; CREATE USER IF NOT EXISTS 'vector'@'%' IDENTIFIED BY 'vector'; GRANT ALL ON *.* TO 'vector'@'%' WITH GRANT OPTION;"
}

case "${1:-start}" in
  start)
    [ -f "$ROOT/.typeorm-vector-ready" ] || build_root
    [ "$(id -u)" = 0 ] || die "starting the servers in $ROOT needs root."
    mount_pseudo_filesystems "$ROOT"
    start_postgres
    start_mariadb
    echo "TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:$PG_PORT/typeorm_vector_test"
    echo "TEST_MARIADB_URL=mysql://vector:vector@127.0.0.1:$MARIADB_PORT/typeorm_vector_test"
    ;;
  stop)
    stop_pid_file "$PG_DATA/postmaster.pid"
    stop_pid_file "$MARIADB_DATA/mariadb.pid"
    ;;
  *) die "usage: $0 start|stop" ;;
esac
