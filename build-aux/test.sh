#!/usr/bin/env bash
# test.sh: build everything and run the whole test suite.
#
# Copyright 2026 The Festivals authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: build-aux/test.sh [meson setup options...] [-- meson test options...]
#   build-aux/test.sh                               the README's command
#   build-aux/test.sh -Dwerror=true                 warnings as errors (CI)
#   build-aux/test.sh -- --suite server             one suite
#   BUILDDIR=_build-asan build-aux/test.sh -Db_sanitize=address,undefined
#
# Installs the Debian 12 dependencies, configures BUILDDIR (default _build; options given here
# are applied to an existing build directory too), compiles, and runs `meson test`; without test
# options (the whole suite), then the server suite again on PostgreSQL (`--setup postgresql`: a
# throw-away cluster per test, build-aux/pg-cluster.sh). UI tests
# wrap themselves in xvfb-run and dbus-run-session (tests/app/meson.build), so this works
# without a display. Exits non-zero when a run failed.
# Environment: BUILDDIR, SKIP_DEPS=1 to skip the dependency step, JOBS (compile and test
# parallelism, default: number of cores), TEST_TIMEOUT (e.g. 30m: stop `meson test` after that
# long even if a test's stray child process keeps meson waiting on its output).

set -euo pipefail

srcdir=$(cd "$(dirname "$0")/.." && pwd)
builddir=${BUILDDIR:-$srcdir/_build}
jobs=${JOBS:-$(nproc)}

setup_args=()
test_args=()
while [ $# -gt 0 ]; do
  if [ "$1" = "--" ]; then
    shift
    test_args=("$@")
    break
  fi
  setup_args+=("$1")
  shift
done

if [ "${SKIP_DEPS:-0}" != "1" ]; then
  "$srcdir/build-aux/install-deps.sh"
fi

if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" "$srcdir" "${setup_args[@]}"
elif [ ${#setup_args[@]} -gt 0 ]; then
  meson configure "$builddir" "${setup_args[@]}"
fi
meson compile -C "$builddir" -j "$jobs"

# A stale log from an earlier run must not be counted by .ci/run.
rm -f "$builddir/meson-logs/testlog.json"

rm -f "$builddir/meson-logs/testlog-postgresql.json"

export MESON_TESTTHREADS="$jobs"

# run_meson_test ARGS...: meson test, stopped after TEST_TIMEOUT when set.
run_meson_test ()
{
  local status=0
  if [ -n "${TEST_TIMEOUT:-}" ]; then
    timeout --kill-after=30 "$TEST_TIMEOUT" meson test -C "$builddir" --print-errorlogs "$@" || status=$?
    if [ $status -eq 124 ] || [ $status -eq 137 ]; then
      echo "test.sh: meson test still running after $TEST_TIMEOUT: stopped" >&2
    fi
  else
    meson test -C "$builddir" --print-errorlogs "$@" || status=$?
  fi
  return $status
}

status=0
run_meson_test "${test_args[@]}" || status=$?
if [ ${#test_args[@]} -eq 0 ]; then
  echo "test.sh: the server suite again, on PostgreSQL"
  run_meson_test --setup postgresql --suite server || status=$?
fi
exit $status
