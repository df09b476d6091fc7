#!/usr/bin/env bash
# pg-cluster.sh: a throw-away PostgreSQL cluster for the tests and benchmarks.
#
# Copyright 2026 The Festivals authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: build-aux/pg-cluster.sh start DIR
#        build-aux/pg-cluster.sh stop DIR
#        build-aux/pg-cluster.sh warm DIR MEGABYTES
#        build-aux/pg-cluster.sh run DIR -- COMMAND [ARGS...]
#
#   start  initdb in DIR/data (DIR is created when missing and must be empty otherwise), start the
#          server on a free TCP port of 127.0.0.1 with its unix socket in DIR and its log in
#          DIR/server.log, create the role `festivals` (LOGIN CREATEDB, no superuser, no password)
#          and its database `festivals`, write the connection URL to DIR/url and print it, and
#          only it, on stdout:  postgresql://festivals@127.0.0.1:PORT/festivals
#          The superuser is `postgres` (psql -h DIR -p PORT -U postgres).
#   stop   stop the server (pg_ctl stop -m fast) and remove DIR. Nothing to do when DIR is missing;
#          an empty DIR is removed; anything else that `start` did not make is left alone.
#   warm   bring the cluster started in DIR to the state of one that has been serving for a while,
#          for the benchmarks: write MEGABYTES of WAL, then CHECKPOINT, which keeps those segment
#          files for reuse. A new cluster has none: every 16 MB of WAL it creates a file and
#          zero-fills it, and the commits waiting meanwhile pause for about 50 ms on this machine.
#          A running one recycles the files its checkpoints free. The next MEGABYTES of WAL reuse
#          them; nothing else changes (durability, the data, the settings).
#   run    start, run COMMAND with FEST_TEST_DATABASE=URL and PGHOST, PGPORT, PGUSER, PGDATABASE
#          set (psql and pgbench need no arguments), then stop, also when COMMAND fails or the
#          script is interrupted; exits with COMMAND's status. DIR `-` is a new directory in
#          $TMPDIR (default /tmp).
#
# The cluster is for loopback tests only: trust authentication, local and 127.0.0.1 connections
# only. Durability stays PostgreSQL's default (fsync and synchronous_commit on), so benchmarks
# measure what an operator gets. PostgreSQL refuses to run as root: as root, everything runs as
# the `postgres` system user (runuser), which then owns DIR; DIR's parents must let it in (a
# directory made by `mktemp -d` in /tmp is fine, one inside another private directory is not).
# Otherwise it runs as the current user. Nothing is installed or started system-wide.
# Needs Debian's postgresql-15 (initdb, pg_ctl, postgres, psql, pgbench) and python3 (to pick a
# free port); build-aux/install-deps.sh installs them. PG_CLUSTER_BINDIR=DIR picks the binaries
# (default: `pg_config --bindir`, else the newest /usr/lib/postgresql/*/bin).

set -euo pipefail
# `url=$(cmd_start)` in run mode: a failing step inside must still end the function.
shopt -s inherit_errexit

prog=pg-cluster.sh
bindir=

die ()
{
  echo "$prog: $*" >&2
  exit 1
}

usage ()
{
  echo "usage: $prog start DIR | stop DIR | warm DIR MEGABYTES | run DIR -- COMMAND [ARGS...]" >&2
  exit 2
}

# The directory of initdb and pg_ctl: PG_CLUSTER_BINDIR when set, else pg_config's (libpq-dev)
# when the server of that version is installed, else the newest of Debian's
# /usr/lib/postgresql/*/bin.
find_bindir ()
{
  local dir
  if [ -n "${PG_CLUSTER_BINDIR:-}" ]; then
    if [ -x "$PG_CLUSTER_BINDIR/initdb" ] && [ -x "$PG_CLUSTER_BINDIR/pg_ctl" ]; then
      echo "$PG_CLUSTER_BINDIR"
      return
    fi
    die "no initdb and pg_ctl in PG_CLUSTER_BINDIR=$PG_CLUSTER_BINDIR; run build-aux/install-deps.sh (Debian package postgresql-15)"
  fi
  if command -v pg_config >/dev/null 2>&1; then
    dir=$(pg_config --bindir 2>/dev/null || true)
    if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      echo "$dir"
      return
    fi
  fi
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      echo "$dir"
      return
    fi
  done
  die "PostgreSQL server binaries (initdb, pg_ctl) not found; run build-aux/install-deps.sh (Debian package postgresql-15)"
}

# PostgreSQL's processes refuse root: run them as `postgres` then. From inside DIR, so that
# neither initdb nor the server complain about a working directory (/root) they cannot enter.
as_pg ()
{
  if [ "$(id -u)" -eq 0 ]; then
    (cd "$dir" && runuser -u postgres -- "$@")
  else
    (cd "$dir" && "$@")
  fi
}

free_port ()
{
  python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

# An absolute DIR: the server is started from inside it and writes its socket there.
absolute_dir ()
{
  case $1 in
    /*) echo "$1" ;;
    *) echo "$PWD/$1" ;;
  esac
}

cluster_running ()
{
  [ -f "$dir/data/postmaster.pid" ] && as_pg "$bindir/pg_ctl" status -D "$dir/data" >/dev/null 2>&1
}

# A start that failed half way leaves nothing behind either: show why, stop, remove DIR.
start_failed ()
{
  local log=$1
  shift
  if [ -f "$log" ]; then
    tail -n 20 "$log" >&2 || true
  fi
  if cluster_running; then
    as_pg "$bindir/pg_ctl" stop -m fast -w -D "$dir/data" >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  die "$*"
}

cmd_start ()
{
  local marker=$dir/.pg-cluster port url attempt started=false

  command -v python3 >/dev/null 2>&1 || die "python3 not found; run build-aux/install-deps.sh"
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 \
      || die "running as root but there is no 'postgres' user; run build-aux/install-deps.sh (package postgresql-15 creates it)"
    command -v runuser >/dev/null 2>&1 || die "running as root but runuser (util-linux) is missing"
  fi

  # The unix socket's path (DIR/.s.PGSQL.PORT) must fit in sockaddr_un's 108 bytes.
  if [ ${#dir} -gt 90 ]; then
    die "$dir is too long for a unix socket path (at most 90 characters); use a shorter DIR"
  fi
  mkdir -p "$dir"
  if [ -n "$(ls -A "$dir")" ]; then
    die "$dir is not empty (stop a cluster there first: $prog stop $dir)"
  fi
  # The marker lets `stop` remove DIR, and only a directory this script made.
  : >"$marker"
  if [ "$(id -u)" -eq 0 ]; then
    chown -R postgres:postgres "$dir"
    runuser -u postgres -- test -w "$dir" -a -x "$dir" \
      || start_failed "" "the postgres user cannot write $dir (is a parent directory private to root?)"
  fi

  if ! as_pg "$bindir/initdb" --pgdata="$dir/data" --username=postgres --auth=trust \
         --encoding=UTF8 --locale=C >"$dir/initdb.log" 2>&1; then
    start_failed "$dir/initdb.log" "initdb failed in $dir/data"
  fi

  # Trust, but only over the socket in DIR and loopback; the server listens on nothing else.
  as_pg tee "$dir/data/pg_hba.conf" >/dev/null <<'EOF'
# pg-cluster.sh: a throw-away test cluster. TYPE DATABASE USER ADDRESS METHOD
local   all          all                 trust
host    all          all   127.0.0.1/32  trust
local   replication  all                 trust
host    replication  all   127.0.0.1/32  trust
EOF

  # A free port can be taken between the probe and the server's bind: try again with another.
  for attempt in 1 2 3; do
    port=$(free_port)
    as_pg tee "$dir/data/pg-cluster.conf" >/dev/null <<EOF
# pg-cluster.sh: loopback only, room for 3 servers of 40 connections each plus the tests,
# PostgreSQL's default durability (spelled out: benchmarks must not measure less).
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 200
shared_buffers = 128MB
fsync = on
synchronous_commit = on
full_page_writes = on
EOF
    if ! grep -q "^include 'pg-cluster.conf'" "$dir/data/postgresql.conf"; then
      echo "include 'pg-cluster.conf'" | as_pg tee -a "$dir/data/postgresql.conf" >/dev/null
    fi
    if as_pg "$bindir/pg_ctl" start -w -t 60 -D "$dir/data" -l "$dir/server.log" >/dev/null 2>&1; then
      started=true
      break
    fi
  done
  if ! $started; then
    start_failed "$dir/server.log" "the server in $dir did not start"
  fi

  if ! as_pg "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres \
         -d postgres >/dev/null <<'EOF'
CREATE ROLE festivals LOGIN CREATEDB;
CREATE DATABASE festivals OWNER festivals;
EOF
  then
    start_failed "$dir/server.log" "could not create the festivals role and database in $dir"
  fi

  url="postgresql://festivals@127.0.0.1:$port/festivals"
  echo "$url" >"$dir/url"
  echo "$url"
}

cmd_stop ()
{
  [ -e "$dir" ] || return 0
  # What a start that never began leaves: the empty DIR of `mktemp -d`.
  if [ -d "$dir" ] && [ -z "$(ls -A "$dir")" ]; then
    rmdir "$dir"
    return 0
  fi
  [ -f "$dir/.pg-cluster" ] || die "$dir was not made by $prog start; not removing it"
  if [ -f "$dir/data/postmaster.pid" ]; then
    bindir=${bindir:-$(find_bindir)}
    if ! as_pg "$bindir/pg_ctl" stop -m fast -w -t 60 -D "$dir/data" >/dev/null 2>&1 \
       && cluster_running; then
      die "could not stop the server in $dir (log: $dir/server.log)"
    fi
  fi
  rm -rf "$dir"
}

cmd_warm ()
{
  local megabytes=$1 url port

  case $megabytes in
    '' | *[!0-9]* | 0) die "MEGABYTES must be a positive whole number, not '$megabytes'" ;;
  esac
  [ -f "$dir/url" ] || die "$dir has no cluster (start one with $prog start $dir)"
  url=$(cat "$dir/url")
  port=${url##*:}
  port=${port%%/*}
  # One message per segment, each followed by a switch to the next segment: the cheapest way to
  # make PostgreSQL create them. The checkpoint then renames them for reuse (up to max_wal_size).
  as_pg "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres -d postgres \
    >/dev/null <<EOF || die "could not warm up the WAL of the cluster in $dir"
DO \$\$
DECLARE
  target pg_lsn := pg_current_wal_insert_lsn () + $megabytes::numeric * 1048576;
BEGIN
  WHILE pg_current_wal_insert_lsn () < target LOOP
    PERFORM pg_logical_emit_message (false, 'pg-cluster', 'warm');
    PERFORM pg_switch_wal ();
  END LOOP;
END \$\$;
CHECKPOINT;
EOF
}

cmd_run ()
{
  local url port child status

  url=$(cmd_start)
  # From here on the cluster is stopped and DIR removed however the command ends.
  trap 'cmd_stop' EXIT
  port=${url##*:}
  port=${port%%/*}

  export FEST_TEST_DATABASE=$url
  export PGHOST=127.0.0.1 PGPORT=$port PGUSER=festivals PGDATABASE=festivals
  export PATH=$bindir:$PATH

  # In the background, so that a SIGTERM to this script (a test runner's timeout) is handled at
  # once and passed on, not after COMMAND ends. Bash would make a background command ignore
  # SIGINT and read /dev/null: undo both. SIGINT is not passed on: Ctrl-C already reaches the
  # whole process group, and twice in a row means "abort everything" to meson test.
  ( trap - INT QUIT; exec "$@" ) <&0 &
  child=$!
  trap 'kill -TERM "$child" 2>/dev/null || true' TERM
  trap 'kill -HUP "$child" 2>/dev/null || true' HUP
  trap ':' INT
  while :; do
    # A trapped signal interrupts wait: wait again until COMMAND has really ended.
    wait "$child" && status=0 || status=$?
    kill -0 "$child" 2>/dev/null || break
  done
  exit "$status"
}

[ $# -ge 2 ] || usage
command=$1
# run - : a new directory of its own in $TMPDIR (what tests want: no two share a cluster).
if [ "$command" = run ] && [ "$2" = - ]; then
  dir=$(mktemp -d -u "${TMPDIR:-/tmp}/fest-pg.XXXXXX")
else
  dir=$(absolute_dir "$2")
fi
shift 2

case $command in
  start)
    [ $# -eq 0 ] || usage
    bindir=$(find_bindir)
    cmd_start
    ;;
  stop)
    [ $# -eq 0 ] || usage
    cmd_stop
    ;;
  warm)
    [ $# -eq 1 ] || usage
    bindir=$(find_bindir)
    cmd_warm "$1"
    ;;
  run)
    [ "${1:-}" = "--" ] || usage
    shift
    [ $# -gt 0 ] || usage
    bindir=$(find_bindir)
    cmd_run "$@"
    ;;
  *)
    usage
    ;;
esac
