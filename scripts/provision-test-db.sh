#!/usr/bin/env bash
# Provision PostgreSQL 17 + pgvector (and a streaming standby of it) and MariaDB 11.8 for the test
# suite without Docker.
#
# On Debian as root: builds (once) a Debian trixie root folder with debootstrap, installs the
# servers from Debian's packages inside it, and starts them on loopback ports. The root folder
# is cached outside the repository (TYPEORM_VECTOR_ROOT, default /var/cache/typeorm-vector/trixie),
# so a second run only starts the servers (a few seconds).
#
#   scripts/provision-test-db.sh start [postgres] [mariadb] [postgres-replica]
#       starts the named servers (postgres and mariadb when none is named) for one run, and prints
#       TYPEORM_VECTOR_RUN=<run id>, TEST_POSTGRES_URL=..., TEST_MARIADB_URL=... and
#       TEST_POSTGRES_REPLICA_URL=... lines. postgres-replica is a hot standby streaming from the
#       run's PostgreSQL (pg_basebackup -R into a second data folder, on a port of its own); named
#       without postgres, it streams from the server at TEST_POSTGRES_URL (a loopback one whose
#       user may replicate, as this script's servers allow).
#   scripts/provision-test-db.sh stop <run id>
#       stops the servers of that run only, and unmounts what the runs mounted once no run is left
#   scripts/provision-test-db.sh down <run id> postgres|mariadb|postgres-replica [crash]
#       stops one server of that run (a fast shutdown, or SIGKILL with `crash`), keeping its data
#   scripts/provision-test-db.sh up <run id> postgres|mariadb|postgres-replica
#       starts that server again on its port with its data (for fault tests: test/server-faults.test.ts)
#
# Several runs (two `npm test` at once, a bench beside them) share the root: each run has its own
# folder, $ROOT/srv/typeorm-vector/runs/<run id>, holding its data folders, and its own free
# loopback ports (TYPEORM_VECTOR_PG_PORT / TYPEORM_VECTOR_MARIADB_PORT pin them). A run only
# ever stops processes started in the root whose command line names its own folder, so it cannot
# stop a server it did not start. Building the root, picking ports and the proc/dev mounts happen
# under one flock ($ROOT.lock); the mounts are counted by the run folders, and the last run to stop
# unmounts what the runs mounted (never a mount someone else made).
#
# Never installs trixie packages on the host itself: only inside the root folder.
set -euo pipefail

ROOT=$(realpath -m "${TYPEORM_VECTOR_ROOT:-/var/cache/typeorm-vector/trixie}")
LOCK="$ROOT.lock"
# Inside the root (the servers run chrooted there); one folder per run.
RUNS=/srv/typeorm-vector/runs
# Mountpoints (proc, dev) the runs mounted, so the last run unmounts those and nothing else.
MOUNTED="$ROOT$RUNS/.mounted"
# The process that owns a run (Jest's main process for the test suite): while it lives, so does the run.
OWNER_PID="${TYPEORM_VECTOR_OWNER_PID:-$PPID}"
# Ports are picked below the kernel's ephemeral range (32768-60999 by default), where outgoing
# connections never take a port between the moment it is picked and the moment a server binds it.
PORT_MIN=20000
PORT_MAX=32000

# So that the EXIT traps below (unmount, stop a half-started run) also run on Ctrl-C and kill.
trap 'exit 130' INT
trap 'exit 143' TERM

log() { echo "[provision] $*" >&2; }
die() { echo "[provision] ERROR: $*" >&2; exit 1; }

debian_mirror() {
  local m
  m=$(grep -hoE '^(URIs:|deb) +https?://[^ ]+' /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null \
      | grep -v security | head -n1 | awk '{print $2}')
  echo "${m:-http://deb.debian.org/debian}"
}

# Chroot commands close the lock's descriptor: a daemon started inside would otherwise hold the lock forever.
in_root() { chroot "$ROOT" "$@" 9>&-; }

# The lock is held on descriptor 9 (opening it again first closes the old one, so never deadlocks).
take_lock() {
  mkdir -p "$(dirname "$ROOT")"
  exec 9>"$LOCK"
  # Shorter than the 20 minutes test/support/servers.ts gives the whole script.
  flock -w 900 9 || die "waited 15 minutes for $LOCK (another run building $ROOT?); check that run."
}

release_lock() { exec 9>&-; }

mount_pseudo_filesystems() { # root folder; prints the mountpoints (proc, dev) it mounted
  if ! mountpoint -q "$1/proc"; then mount -t proc proc "$1/proc"; echo proc; fi
  if ! mountpoint -q "$1/dev"; then mount --bind /dev "$1/dev"; echo dev; fi
}

unmount_pseudo_filesystems() { # root folder, mountpoints...
  local root=$1 m; shift
  for m in "$@"; do
    if mountpoint -q "$root/$m"; then umount "$root/$m" || { log "could not unmount $root/$m"; return 1; }; fi
  done
}

# Set while the root is being built, for the EXIT trap.
BUILDING=
unmount_partial() { [ -z "$BUILDING" ] || unmount_pseudo_filesystems "$BUILDING" dev proc || true; }

build_root() { # under the lock
  command -v apt-get >/dev/null || die "apt-get not found: this script needs Debian (or set TEST_POSTGRES_URL and TEST_MARIADB_URL)."
  [ -z "$(rooted_pids)" ] || die "$ROOT has processes running in it but no .typeorm-vector-ready file; stop them before it is rebuilt."
  if ! command -v debootstrap >/dev/null; then
    log "installing debootstrap on the host"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >&2
  fi
  local mirror partial="$ROOT.partial"; mirror=$(debian_mirror)
  log "building a Debian trixie root folder in $ROOT from $mirror (once; about a minute)"
  # A build killed outright (kill -9) can leave proc and a bind mount of the host's /dev in the
  # partial folder: unmount before deleting, and never let rm cross into another filesystem.
  unmount_pseudo_filesystems "$partial" dev proc
  rm -rf --one-file-system "$partial"
  debootstrap --variant=minbase trixie "$partial" "$mirror" >&2 9>&-
  BUILDING=$partial
  trap unmount_partial EXIT
  mount_pseudo_filesystems "$partial" >/dev/null
  # No package may start its service inside the root (it would outlive the build, and hold files).
  printf '#!/bin/sh\nexit 101\n' >"$partial/usr/sbin/policy-rc.d"; chmod 755 "$partial/usr/sbin/policy-rc.d"
  log "installing postgresql-17, postgresql-17-pgvector and mariadb-server inside it"
  chroot "$partial" /bin/sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-17 postgresql-17-pgvector mariadb-server mariadb-client' >&2 9>&-
  unmount_pseudo_filesystems "$partial" dev proc
  BUILDING=
  trap - EXIT
  touch "$partial/.typeorm-vector-ready"
  rm -rf --one-file-system "$ROOT"; mv "$partial" "$ROOT"
}

wait_for() { # tries, command...
  local tries=$1; shift
  for _ in $(seq "$tries"); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  return 1
}

# Process identity: pid plus start time (field 22 of /proc/<pid>/stat), so a reused pid is not taken for the owner.
start_time() { local s; s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1; s=${s##*) }; set -- $s; echo "${20}"; }

rooted_pids() { # processes running inside the root (chrooted into it), one pid a line
  # One find over /proc rather than a readlink per process: forks are slow on small VMs.
  find /proc -mindepth 2 -maxdepth 2 -name root -printf '%l\t%h\n' 2>/dev/null \
    | awk -F '\t' -v root="$ROOT" '$1 == root { sub("^/proc/", "", $2); print $2 }' || true
}

ARGS=()
read_args() { ARGS=(); mapfile -d '' ARGS 2>/dev/null <"/proc/$1/cmdline"; } # pid: its command line into ARGS

run_pids() { # run id: processes inside the root whose command line names the run's folder (its servers)
  local p
  for p in $(rooted_pids); do
    read_args "$p" || continue
    [[ "${ARGS[*]}" == *"$RUNS/$1/"* ]] && echo "$p"
  done
  return 0
}

run_alive() { # run id: its owner still runs, or one of its servers does
  local owner= since=
  read -r owner since 2>/dev/null <"$ROOT$RUNS/$1/owner" || true
  if [ -n "$owner" ] && [ "$(start_time "$owner" || true)" = "$since" ]; then return 0; fi
  [ -n "$(run_pids "$1")" ]
}

prune_runs() { # under the lock: deletes the folders of runs whose owner and servers are all gone
  local d
  for d in "$ROOT$RUNS"/*/; do
    [ -d "$d" ] || continue
    d=$(basename "$d")
    run_alive "$d" || { log "removing the folder of finished run $d"; rm -rf --one-file-system "${ROOT:?}$RUNS/$d"; }
  done
}

reserved_ports() { cat "$ROOT$RUNS"/*/ports 2>/dev/null | awk '{print $2}' || true; }

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pick_port() { # under the lock: a loopback port nobody listens on and no other run has reserved
  local port reserved; reserved=" $(reserved_ports | tr '\n' ' ') "
  for _ in $(seq 200); do
    port=$((PORT_MIN + RANDOM % (PORT_MAX - PORT_MIN)))
    [[ $reserved == *" $port "* ]] && continue
    port_busy "$port" && continue
    echo "$port"; return 0
  done
  die "found no free loopback port between $PORT_MIN and $PORT_MAX after 200 tries."
}

PG_BIN=/usr/lib/postgresql/17/bin

# Data folder of each PostgreSQL server of a run (neither name is a prefix of the other: server_pids matches by substring).
pg_folder() { case $2 in postgres) echo "$RUNS/$1/pg" ;; postgres-replica) echo "$RUNS/$1/standby" ;; esac; }

start_postgres() { # run id, port
  local bin=$PG_BIN data="$RUNS/$1/pg" port=$2
  mkdir -p "$ROOT$data"
  in_root chown postgres:postgres "$data"
  in_root setpriv --reuid=postgres --regid=postgres --init-groups "$bin/initdb" -A trust -U postgres -D "$data" >/dev/null
  launch_postgres "$1" "$port"
  in_root "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -qc 'CREATE DATABASE typeorm_vector_test' >/dev/null
  in_root "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d typeorm_vector_test -qc 'CREATE EXTENSION IF NOT EXISTS vector' >/dev/null
}

start_standby() { # run id, port, primary port, primary user: a hot standby of the primary, streaming
  local bin=$PG_BIN data; data=$(pg_folder "$1" postgres-replica)
  mkdir -p "$ROOT$data"
  in_root chown postgres:postgres "$data"
  chmod 700 "$ROOT$data"
  # -c fast: the primary checkpoints at once rather than spreading it; -R writes standby.signal and primary_conninfo.
  in_root setpriv --reuid=postgres --regid=postgres --init-groups "$bin/pg_basebackup" -h 127.0.0.1 -p "$3" -U "$4" -D "$data" -R -X stream -c fast \
    >"$ROOT$RUNS/$1/pg_basebackup.log" 2>&1 \
    || { cat "$ROOT$RUNS/$1/pg_basebackup.log" >&2; die "pg_basebackup from 127.0.0.1:$3 failed (its output above)"; }
  # The primary's log and socket lock file came along with its files: the standby has its own.
  rm -f "$ROOT$data/server.log" "$ROOT$data"/.s.PGSQL.*.lock
  launch_postgres "$1" "$2" postgres-replica
}

launch_postgres() { # run id, port, [postgres|postgres-replica]: starts the server on an existing data folder
  local bin=$PG_BIN data port=$2; data=$(pg_folder "$1" "${3:-postgres}")
  # The socket goes in the run's own data folder (-k), not a /tmp shared with the other runs.
  in_root setpriv --reuid=postgres --regid=postgres --init-groups "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w \
    -o "-p $port -k $data -c listen_addresses=127.0.0.1 -c dynamic_shared_memory_type=mmap -c fsync=off -c full_page_writes=off -c synchronous_commit=off -c hot_standby=on" start >/dev/null \
    || { cat "$ROOT$data/server.log" >&2; die "PostgreSQL did not start on port $port (log above)"; }
}

start_mariadb() { # run id, port
  local data="$RUNS/$1/mariadb" port=$2
  local socket="$data/mariadb.sock"
  mkdir -p "$ROOT$data"
  in_root chown mysql:mysql "$data"
  in_root mariadb-install-db --user=mysql --datadir="$data" --skip-test-db --auth-root-authentication-method=socket >"$ROOT$RUNS/$1/mariadb-install-db.log" 2>&1 \
    || { cat "$ROOT$RUNS/$1/mariadb-install-db.log" >&2; die "mariadb-install-db failed (its output above)"; }
  launch_mariadb "$1" "$port"
  in_root mariadb --socket="$socket" -uroot -e \
    "CREATE DATABASE IF NOT EXISTS typeorm_vector_test; CREATE USER IF NOT EXISTS 'vector'@'%' IDENTIFIED BY 'vector'; GRANT ALL ON *.* TO 'vector'@'%' WITH GRANT OPTION;"
}

launch_mariadb() { # run id, port: starts the server on an existing data folder and waits for it
  local data="$RUNS/$1/mariadb" port=$2
  local socket="$data/mariadb.sock"
  in_root /bin/sh -c "nohup mariadbd --user=mysql --datadir=$data --port=$port --bind-address=127.0.0.1 \
    --socket=$socket --pid-file=$data/mariadb.pid --skip-log-bin --innodb-flush-log-at-trx-commit=0 \
    --log-error=$data/error.log >/dev/null 2>&1 &"
  wait_for 120 in_root mariadb --socket="$socket" -uroot -e 'SELECT 1' \
    || { cat "$ROOT$data/error.log" >&2; die "MariaDB did not start on port $port (log above)"; }
}

server_pids() { # run id, server: the run's processes whose command line names that server's data folder
  local folder p
  case $2 in postgres|postgres-replica) folder=$(pg_folder "$1" "$2") ;; mariadb) folder="$RUNS/$1/mariadb" ;; esac
  for p in $(run_pids "$1"); do
    read_args "$p" || continue
    [[ "${ARGS[*]}" == *"$folder"* ]] && echo "$p"
  done
  return 0
}

children_of() { # pids: their child processes (field 4 of /proc/<pid>/stat is the parent's pid)
  local want=" $* " stat s pid
  for stat in /proc/[0-9]*/stat; do
    s=$(cat "$stat" 2>/dev/null) || continue
    pid=${s%% *}
    s=${s##*) }
    # shellcheck disable=SC2086
    set -- $s
    [[ $want == *" $2 "* ]] && echo "$pid"
  done
  return 0
}

server_down() { # run id, server, [crash]: stops one server of the run, by the pids the run started
  local pids signal
  pids=$(server_pids "$1" "$2")
  [ -n "$pids" ] || { log "run $1: $2 is not running"; return 0; }
  if [ "${3:-}" = crash ]; then
    # A crash takes the whole server: the listed processes and their children (PostgreSQL's backends), all at once.
    signal=KILL
    pids="$pids $(children_of $pids)"
  elif [ "$2" != mariadb ]; then signal=INT; else signal=TERM; fi
  # shellcheck disable=SC2086
  kill -"$signal" $pids 2>/dev/null || true
  for _ in $(seq 120); do
    local alive= p
    for p in $pids; do [ -e "/proc/$p" ] && alive=1; done
    [ -n "$alive" ] || return 0
    sleep 0.25
  done
  die "run $1: $2 (pids $pids) still runs 30 s after SIG$signal."
}

server_up() { # run id, server: starts it again on its recorded port with its data
  local port
  port=$(awk -v s="$2" '$1 == s { print $2 }' "$ROOT$RUNS/$1/ports")
  [ -n "$port" ] || die "run $1 has no $2 server (no port recorded in $ROOT$RUNS/$1/ports)."
  [ -z "$(server_pids "$1" "$2")" ] || { log "run $1: $2 already runs"; return 0; }
  # A crashed PostgreSQL leaves postmaster.pid behind; pg_ctl start copes once the process is gone.
  if [ "$2" = mariadb ]; then launch_mariadb "$1" "$port"; else launch_postgres "$1" "$port" "$2"; fi
  log "run $1: $2 up again on 127.0.0.1:$port"
}

stop_servers() { # run id: stops its processes, PostgreSQL with a fast shutdown, and waits for them
  local pids p
  pids=$(run_pids "$1")
  [ -n "$pids" ] || return 0
  for p in $pids; do
    # SIGINT is PostgreSQL's fast shutdown (SIGTERM would wait for every client to disconnect).
    read_args "$p" || continue
    if [[ "${ARGS[0]:-}" == /usr/lib/postgresql/*/bin/postgres ]]; then kill -INT "$p" 2>/dev/null || true
    else kill -TERM "$p" 2>/dev/null || true; fi
  done
  for _ in $(seq 60); do [ -n "$(run_pids "$1")" ] || return 0; sleep 0.5; done
  pids=$(run_pids "$1")
  [ -z "$pids" ] || { log "run $1: killing $pids, still running 30 s after the shutdown signal"; kill -9 $pids 2>/dev/null || true; }
}

stop_run() { # run id
  stop_servers "$1"
  take_lock
  rm -rf --one-file-system "${ROOT:?}$RUNS/$1"
  prune_runs
  # The last run out unmounts what the runs mounted, and only when nothing at all runs in the root
  # (a server started some other way may still use the mounts).
  local left; left=$(ls -A "$ROOT$RUNS" 2>/dev/null | grep -v '^\.mounted$' || true)
  if [ -z "$left" ] && [ -f "$MOUNTED" ] && [ -z "$(rooted_pids)" ]; then
    # shellcheck disable=SC2046
    unmount_pseudo_filesystems "$ROOT" $(cat "$MOUNTED") && rm -f "$MOUNTED"
  fi
  release_lock
}

# Set once a run's servers are all up; until then the EXIT trap stops what the run started.
RUN=
STARTED=
stop_unfinished_run() { [ -z "$RUN" ] || [ -n "$STARTED" ] || stop_run "$RUN" || true; }

# The port and user of the loopback PostgreSQL at TEST_POSTGRES_URL, for a standby of a primary this run did not start.
primary_from_url() {
  local url=${TEST_POSTGRES_URL:-}
  [ -n "$url" ] || die "postgres-replica without postgres streams from the server at TEST_POSTGRES_URL, which is not set; name postgres too, or set it."
  [[ $url =~ ^postgres(ql)?://([^:@/]+)(:[^@/]*)?@(127\.0\.0\.1|localhost):([0-9]+)(/|$) ]] \
    || die "TEST_POSTGRES_URL=$url is not a loopback server (postgres://user@127.0.0.1:port/db); a standby needs its primary on 127.0.0.1, so name postgres too."
  echo "${BASH_REMATCH[5]} ${BASH_REMATCH[2]}"
}

start() { # servers to start (postgres, mariadb, postgres-replica; postgres and mariadb when none)
  local want_pg= want_mariadb= want_replica= s pg_port= mariadb_port= replica_port= primary=
  [ $# -gt 0 ] || set -- postgres mariadb
  for s in "$@"; do
    case $s in
      postgres) want_pg=1 ;;
      mariadb) want_mariadb=1 ;;
      postgres-replica) want_replica=1 ;;
      *) die "unknown server '$s'; name postgres, mariadb and/or postgres-replica." ;;
    esac
  done
  [ -z "$want_replica" ] || [ -n "$want_pg" ] || primary=$(primary_from_url)
  [ "$(id -u)" = 0 ] || die "building the server root folder and starting the servers in it needs root (run as root, or set TEST_POSTGRES_URL and TEST_MARIADB_URL)."
  [ -n "$(start_time "$OWNER_PID" || true)" ] || die "TYPEORM_VECTOR_OWNER_PID=$OWNER_PID is not a running process."

  take_lock
  [ -f "$ROOT/.typeorm-vector-ready" ] || build_root
  mkdir -p "$ROOT$RUNS"
  prune_runs
  trap stop_unfinished_run EXIT
  RUN=$(basename "$(mktemp -d "$ROOT$RUNS/XXXXXXXXXX")")
  chmod 755 "$ROOT$RUNS/$RUN"
  echo "$OWNER_PID $(start_time "$OWNER_PID")" >"$ROOT$RUNS/$RUN/owner"
  mount_pseudo_filesystems "$ROOT" >>"$MOUNTED"
  if [ -n "$want_pg" ]; then
    pg_port=${TYPEORM_VECTOR_PG_PORT:-$(pick_port)}
    echo "postgres $pg_port" >>"$ROOT$RUNS/$RUN/ports"
  fi
  if [ -n "$want_mariadb" ]; then
    mariadb_port=${TYPEORM_VECTOR_MARIADB_PORT:-$(pick_port)}
    echo "mariadb $mariadb_port" >>"$ROOT$RUNS/$RUN/ports"
  fi
  if [ -n "$want_replica" ]; then
    replica_port=${TYPEORM_VECTOR_PG_REPLICA_PORT:-$(pick_port)}
    echo "postgres-replica $replica_port" >>"$ROOT$RUNS/$RUN/ports"
  fi
  release_lock

  # A pinned port someone else holds: say so, instead of a server log about a failed bind.
  for s in $pg_port $mariadb_port $replica_port; do ! port_busy "$s" || die "port $s on 127.0.0.1 is already in use; pick another (TYPEORM_VECTOR_PG_PORT / TYPEORM_VECTOR_MARIADB_PORT / TYPEORM_VECTOR_PG_REPLICA_PORT) or leave it unset."; done
  [ -z "$want_pg" ] || start_postgres "$RUN" "$pg_port"
  [ -z "$want_mariadb" ] || start_mariadb "$RUN" "$mariadb_port"
  if [ -n "$want_replica" ]; then
    # shellcheck disable=SC2086
    if [ -n "$want_pg" ]; then start_standby "$RUN" "$replica_port" "$pg_port" postgres; else start_standby "$RUN" "$replica_port" $primary; fi
  fi
  STARTED=1
  log "run $RUN:${want_pg:+ PostgreSQL on 127.0.0.1:$pg_port}${want_mariadb:+ MariaDB on 127.0.0.1:$mariadb_port}${want_replica:+ PostgreSQL standby on 127.0.0.1:$replica_port}"
  echo "TYPEORM_VECTOR_RUN=$RUN"
  [ -z "$want_pg" ] || echo "TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:$pg_port/typeorm_vector_test"
  [ -z "$want_mariadb" ] || echo "TEST_MARIADB_URL=mysql://vector:vector@127.0.0.1:$mariadb_port/typeorm_vector_test"
  [ -z "$want_replica" ] || echo "TEST_POSTGRES_REPLICA_URL=postgres://postgres@127.0.0.1:$replica_port/typeorm_vector_test"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop)
    [ $# -eq 2 ] && [[ $2 =~ ^[A-Za-z0-9]+$ ]] || die "usage: $0 stop <run id> (the TYPEORM_VECTOR_RUN that start printed); it stops that run's servers only."
    [ "$(id -u)" = 0 ] || die "stopping the servers in $ROOT needs root."
    [ -d "$ROOT$RUNS/$2" ] || log "run $2 has no folder in $ROOT$RUNS (already stopped?)"
    stop_run "$2"
    ;;
  down|up)
    [ $# -ge 3 ] && [[ $2 =~ ^[A-Za-z0-9]+$ ]] && [[ $3 =~ ^(postgres|mariadb|postgres-replica)$ ]] || die "usage: $0 down <run id> postgres|mariadb|postgres-replica [crash] | $0 up <run id> postgres|mariadb|postgres-replica"
    [ "$(id -u)" = 0 ] || die "controlling the servers in $ROOT needs root."
    [ -d "$ROOT$RUNS/$2" ] || die "run $2 has no folder in $ROOT$RUNS; start one with: $0 start"
    if [ "$1" = down ]; then server_down "$2" "$3" "${4:-}"; else server_up "$2" "$3"; fi
    ;;
  *) die "usage: $0 start [postgres] [mariadb] [postgres-replica] | stop <run id> | down <run id> postgres|mariadb|postgres-replica [crash] | up <run id> postgres|mariadb|postgres-replica" ;;
esac
