#!/usr/bin/env bash
# fuzz.sh: build the libFuzzer harnesses of tests/fuzz and run each for a bounded time.
#
# Copyright 2026 The Festivals authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: build-aux/fuzz.sh [SECONDS] [HARNESS...]
#   SECONDS  how long each harness runs (default 60)
#   HARNESS  e.g. ticket-code sync (default: every tests/fuzz/fuzz-*.c)
#
# Configures FUZZ_BUILDDIR (default _build-fuzz) with clang, -Dfuzzing=true and
# -Db_sanitize=address,undefined, builds only the harnesses, then runs each from a copy of its
# seed corpus (tests/fuzz/corpus/NAME, in a temporary directory: the source tree is never
# written) with its dictionary (tests/fuzz/NAME.dict) when there is one. On a crash, a leak, a
# sanitizer report, a broken invariant or an input that hangs, it prints the input's path (kept
# in FUZZ_BUILDDIR/fuzz-artifacts/NAME/) and its base64, and exits 1 once every harness has run.
# Reproduce with: FUZZ_BUILDDIR/tests/fuzz/fuzz-NAME PATH
# Writes one meson-style result line per harness to FUZZ_BUILDDIR/meson-logs/fuzzlog.json, which
# .ci/run counts. Needs clang and libclang-rt-14-dev (build-aux/install-deps.sh installs them).

set -euo pipefail

srcdir=$(cd "$(dirname "$0")/.." && pwd)
builddir=${FUZZ_BUILDDIR:-$srcdir/_build-fuzz}
seconds=${1:-60}
[ $# -gt 0 ] && shift

case $seconds in
  '' | *[!0-9]*)
    echo "fuzz.sh: SECONDS must be a whole number, not '$seconds'" >&2
    exit 2
    ;;
esac

if ! command -v clang >/dev/null 2>&1; then
  echo "fuzz.sh: clang not found (build-aux/install-deps.sh installs it)" >&2
  exit 2
fi

harnesses=("$@")
if [ ${#harnesses[@]} -eq 0 ]; then
  for src in "$srcdir"/tests/fuzz/fuzz-*.c; do
    name=$(basename "$src" .c)
    harnesses+=("${name#fuzz-}")
  done
fi

# The longest input worth trying: a little above what each parser accepts or a body needs.
max_len_for ()
{
  case $1 in
    ticket-code) echo 4200 ;;    # QR codes: 4096 characters at most
    wallet-code) echo 128 ;;
    wedge) echo 1024 ;;
    ical) echo 2048 ;;
    sync) echo 16384 ;;
    *) echo 8192 ;;
  esac
}

if [ ! -f "$builddir/build.ninja" ]; then
  CC=clang meson setup "$builddir" "$srcdir" -Dfuzzing=true -Db_sanitize=address,undefined \
    -Db_lundef=false -Dapp=false -Dwerror=true
fi
meson compile -C "$builddir" -j "${JOBS:-$(nproc)}" fuzzers

# Runtime options as tests/meson.build gives the sanitizer builds; UBSan stops at its first
# report so that libFuzzer sees it as a crash.
export ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0:strict_string_checks=1
export LSAN_OPTIONS=suppressions=$srcdir/build-aux/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export G_SLICE=always-malloc

workdir=$(mktemp -d "${TMPDIR:-/tmp}/festivals-fuzz.XXXXXX")
trap 'rm -rf "$workdir"' EXIT

log="$builddir/meson-logs/fuzzlog.json"
mkdir -p "$builddir/meson-logs"
: > "$log"

passed=0
failed=0
for name in "${harnesses[@]}"; do
  exe="$builddir/tests/fuzz/fuzz-$name"
  artifacts="$builddir/fuzz-artifacts/$name"
  corpus="$workdir/$name"
  echo
  echo "=== fuzz-$name (${seconds}s)"
  rm -rf "$artifacts"
  mkdir -p "$artifacts" "$corpus"
  if [ -d "$srcdir/tests/fuzz/corpus/$name" ]; then
    cp -R "$srcdir/tests/fuzz/corpus/$name/." "$corpus/"
  fi
  args=(-max_total_time="$seconds" -max_len="$(max_len_for "$name")" -timeout=25
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts/")
  if [ -f "$srcdir/tests/fuzz/$name.dict" ]; then
    args+=(-dict="$srcdir/tests/fuzz/$name.dict")
  fi

  start=$SECONDS
  rc=0
  if [ ! -x "$exe" ]; then
    echo "fuzz.sh: no harness $exe" >&2
    rc=127
  else
    # The outer timeout only guards against libFuzzer itself stalling.
    timeout --kill-after=30 $((seconds + 120)) "$exe" "${args[@]}" "$corpus" \
      > "$workdir/$name.log" 2>&1 || rc=$?
  fi
  duration=$((SECONDS - start))
  grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb)' \
    "$workdir/$name.log" 2>/dev/null || true

  if [ $rc -eq 0 ]; then
    passed=$((passed + 1))
    result=OK
    echo "--- fuzz-$name: no crash in ${duration}s"
  else
    failed=$((failed + 1))
    result=FAIL
    echo "--- fuzz-$name: FAILED (exit status $rc); the end of its log:"
    tail -n 100 "$workdir/$name.log" 2>/dev/null || true
    for input in "$artifacts"/*; do
      [ -f "$input" ] || continue
      case $(basename "$input") in slow-unit-*) continue ;; esac
      echo "--- crashing input: $input"
      echo "--- reproduce: $exe $input"
      echo "--- base64:"
      base64 -w 76 "$input"
    done
  fi
  printf '{"name": "fuzz-%s", "result": "%s", "duration": %d}\n' "$name" "$result" "$duration" \
    >> "$log"
done

echo
echo "fuzz.sh: $passed passed, $failed failed"
[ $failed -eq 0 ]
