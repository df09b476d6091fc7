#!/usr/bin/env bash
# test-pg-cluster.sh: the throw-away PostgreSQL cluster of build-aux/pg-cluster.sh works and
# leaves nothing behind.
#
# Copyright 2026 The Festivals authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: tests/pg/test-pg-cluster.sh PG_CLUSTER_SH   (meson test --suite pg)
#
# start: a URL on stdout and in DIR/url that psql connects to as `festivals`, which owns its
# database; PostgreSQL's default durability (fsync, synchronous_commit on). run: the command sees
# FEST_TEST_DATABASE and the PG* variables, its exit status comes back, the cluster is gone after,
# and it runs beside the other cluster on another port. warm: WAL segment files ready for reuse,
# nothing else changed. stop: DIR removed, no server process
# left, a second stop is fine. Fails, not skips, without PostgreSQL: CI installs it.

set -euo pipefail

pg_cluster=${1:?usage: test-pg-cluster.sh PG_CLUSTER_SH}
scratch=$(mktemp -d)
cluster=$(mktemp -d)
cluster2=$(mktemp -d -u)

cleanup ()
{
  "$pg_cluster" stop "$cluster" >/dev/null 2>&1 || true
  "$pg_cluster" stop "$cluster2" >/dev/null 2>&1 || true
  rm -rf "$scratch"
}
trap cleanup EXIT

fail ()
{
  echo "FAIL: $*" >&2
  exit 1
}

if ! command -v psql >/dev/null 2>&1; then
  fail "psql not found: PostgreSQL is not installed (run build-aux/install-deps.sh)"
fi

# The live server and its children (their command lines do not name DIR); zombies, which init
# reaps in its own time, are not running.
server_processes ()
{
  ps -e -o pid=,ppid=,stat=,args= \
    | awk -v pm="$1" '($1 == pm || $2 == pm) && $3 !~ /^Z/'
}

processes_naming ()
{
  ps -e -o pid=,stat=,args= | awk -v dir="$1" '$2 !~ /^Z/ && index($0, dir) && !/awk -v dir=/'
}

# --- start ---
url=$("$pg_cluster" start "$cluster") || fail "pg-cluster.sh start $cluster failed"
[[ $url =~ ^postgresql://festivals@127\.0\.0\.1:[0-9]+/festivals$ ]] \
  || fail "start printed '$url', not one postgresql://festivals@127.0.0.1:PORT/festivals URL"
[ "$(cat "$cluster/url")" = "$url" ] || fail "$cluster/url does not hold $url"

query ()
{
  psql -X -A -t -v ON_ERROR_STOP=1 -d "$url" -c "$1"
}

[ "$(query 'select 1')" = 1 ] || fail "select 1 over $url"
[ "$(query 'show fsync')" = on ] || fail "fsync is not on"
[ "$(query 'show synchronous_commit')" = on ] || fail "synchronous_commit is not on"
[ "$(query 'select current_user')" = festivals ] || fail "not connected as festivals"
[ "$(query "select pg_get_userbyid(datdba) from pg_database where datname = 'festivals'")" = festivals ] \
  || fail "the festivals database is not owned by festivals"
[ "$(query "select rolsuper from pg_roles where rolname = 'festivals'")" = f ] \
  || fail "festivals is a superuser; the store must work without"
# The store creates a schema per festival.
query 'create schema festival_1; drop schema festival_1' >/dev/null \
  || fail "festivals cannot create a schema in its database"
[ "$(query 'show listen_addresses')" = 127.0.0.1 ] || fail "the server listens beyond 127.0.0.1"

postmaster=$(head -n 1 "$cluster/data/postmaster.pid")
[ -n "$(server_processes "$postmaster")" ] || fail "no server process under pid $postmaster"
[ -n "$(processes_naming "$cluster")" ] || fail "no process names $cluster (the checks below see nothing)"

# --- run, beside the first cluster ---
status=0
"$pg_cluster" run "$cluster2" -- bash -c '
  set -e
  echo "$FEST_TEST_DATABASE" >"$1/url"
  echo "$PGHOST $PGPORT $PGUSER $PGDATABASE" >"$1/pg"
  psql -X -A -t -c "select 1" >"$1/select"
  exit 7' run "$scratch" >"$scratch/stdout" || status=$?
[ $status -eq 7 ] || fail "run exited $status, not the command's 7"
inner=$(cat "$scratch/url" 2>/dev/null || true)
[[ $inner =~ ^postgresql://festivals@127\.0\.0\.1:([0-9]+)/festivals$ ]] \
  || fail "FEST_TEST_DATABASE inside run was '$inner'"
[ "$inner" != "$url" ] || fail "two clusters got the same URL $url"
[ "$(cat "$scratch/pg")" = "127.0.0.1 ${BASH_REMATCH[1]} festivals festivals" ] \
  || fail "PGHOST PGPORT PGUSER PGDATABASE inside run were '$(cat "$scratch/pg")'"
[ "$(cat "$scratch/select")" = 1 ] || fail "psql with the PG* variables inside run"
[ ! -s "$scratch/stdout" ] || fail "run printed on stdout: $(cat "$scratch/stdout")"
[ ! -e "$cluster2" ] || fail "run left $cluster2 behind"
[ -z "$(processes_naming "$cluster2")" ] \
  || fail "run left processes behind: $(processes_naming "$cluster2")"

# The first cluster is untouched by the second's stop.
[ "$(query 'select 1')" = 1 ] || fail "the first cluster died with the second"

# --- warm: segment files ready past the one being written, the data untouched ---
query 'create table kept (n int); insert into kept values (42)' >/dev/null
"$pg_cluster" warm "$cluster" 64 || fail "pg-cluster.sh warm $cluster 64 failed"
current=$(query 'select pg_walfile_name (pg_current_wal_insert_lsn ())')
ahead=$(ls "$cluster/data/pg_wal" | awk -v current="$current" 'length ($0) == 24 && /^[0-9A-F]+$/ && ($0 "") > (current "")' | wc -l)
[ "$ahead" -ge 4 ] || fail "after warm 64, $ahead WAL segment file(s) wait past $current, not 4 (64 MB)"
[ "$(query 'select n from kept')" = 42 ] || fail "warm changed the data"
[ "$(query 'show synchronous_commit')" = on ] || fail "warm changed synchronous_commit"
mkdir "$scratch/empty"
if "$pg_cluster" warm "$cluster" 0 2>/dev/null || "$pg_cluster" warm "$scratch/empty" 16 2>/dev/null; then
  fail "warm took 0 megabytes, or a directory without a cluster"
fi

# --- stop ---
"$pg_cluster" stop "$cluster" || fail "pg-cluster.sh stop $cluster failed"
[ ! -e "$cluster" ] || fail "stop left $cluster behind"
left=$(processes_naming "$cluster")
[ -z "$left" ] || fail "processes naming $cluster are still running: $left"
left=$(server_processes "$postmaster")
[ -z "$left" ] || fail "server processes still running: $left"
"$pg_cluster" stop "$cluster" || fail "a second stop of $cluster failed"

echo "ok: pg-cluster start, run, warm, stop"
