#!/usr/bin/env bash
# pgbench-reference.sh: what the PostgreSQL cluster alone does here, as a reference line for the
# benchmarks of the PostgreSQL store (issue 20 point 8).
#
# Copyright 2026 The Festivals authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: tests/bench/pgbench-reference.sh URL_OR_DIR [SECONDS [WARM_MEGABYTES]]
#   URL_OR_DIR      a postgresql:// URL, or a directory of build-aux/pg-cluster.sh (its url file)
#   SECONDS         how long the workload runs (default 10)
#   WARM_MEGABYTES  with a DIR: between loading and running, `pg-cluster.sh warm DIR
#                   WARM_MEGABYTES`, the WAL of a cluster that has been serving for a while, as
#                   bench-payments.py gives its own runs (it passes the same amount)
#
# Loads pgbench's tables at scale 10 (1,000,000 accounts) and runs its default TPC-B-like
# workload with 32 clients on 2 threads, the same concurrency as bench-payments, with the
# cluster's own durability settings. Prints one line on stdout:
#   pgbench TPC-B: 1234 tps (32 clients, scale 10, 10 s)
# and drops the pgbench_* tables again, also when pgbench fails.

set -euo pipefail

prog=pgbench-reference.sh
clients=32
threads=2
scale=10

die ()
{
  echo "$prog: $*" >&2
  exit 1
}

[ $# -ge 1 ] && [ $# -le 3 ] || { echo "usage: $prog URL_OR_DIR [SECONDS [WARM_MEGABYTES]]" >&2; exit 2; }
target=$1
seconds=${2:-10}
warm_megabytes=${3:-}
case $seconds in
  '' | *[!0-9]* | 0)
    die "SECONDS must be a positive whole number, not '$seconds'"
    ;;
esac

if [ -d "$target" ]; then
  [ -f "$target/url" ] || die "$target has no url file (start it with build-aux/pg-cluster.sh start $target)"
  url=$(cat "$target/url")
else
  url=$target
fi

# The client programs of the server's version; Debian's /usr/bin wrappers when on PATH.
find_tool ()
{
  local dir
  if command -v "$1" >/dev/null 2>&1; then
    command -v "$1"
    return
  fi
  if command -v pg_config >/dev/null 2>&1; then
    dir=$(pg_config --bindir 2>/dev/null || true)
    if [ -n "$dir" ] && [ -x "$dir/$1" ]; then
      echo "$dir/$1"
      return
    fi
  fi
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
    if [ -x "$dir/$1" ]; then
      echo "$dir/$1"
      return
    fi
  done
  die "$1 not found; run build-aux/install-deps.sh (Debian package postgresql-15)"
}

pgbench=$(find_tool pgbench)
psql=$(find_tool psql)
log=$(mktemp)

drop_tables ()
{
  "$psql" -X -q -v ON_ERROR_STOP=1 -d "$url" \
    -c 'DROP TABLE IF EXISTS pgbench_accounts, pgbench_branches, pgbench_history, pgbench_tellers' \
    >/dev/null || echo "$prog: could not drop the pgbench_* tables" >&2
  rm -f "$log"
}
trap drop_tables EXIT

if ! "$pgbench" -i -q -s "$scale" "$url" >"$log" 2>&1; then
  cat "$log" >&2
  die "pgbench -i failed"
fi

if [ -n "$warm_megabytes" ]; then
  [ -d "$target" ] || die "WARM_MEGABYTES needs the cluster's directory, not a URL"
  "$(dirname "$0")/../../build-aux/pg-cluster.sh" warm "$target" "$warm_megabytes" \
    || die "could not warm up the cluster's WAL"
fi

if ! "$pgbench" -c "$clients" -j "$threads" -T "$seconds" "$url" >"$log" 2>&1; then
  cat "$log" >&2
  die "pgbench failed"
fi

# PostgreSQL 15 prints "tps = 1234.567890 (without initial connection time)".
tps=$(awk '/^tps = / { printf "%.0f\n", $3; exit }' "$log")
if [ -z "$tps" ]; then
  cat "$log" >&2
  die "no tps line in pgbench's output"
fi
echo "pgbench TPC-B: $tps tps ($clients clients, scale $scale, $seconds s)"
