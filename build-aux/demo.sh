#!/usr/bin/env bash
# demo.sh: build everything and start the app on the demo festival served by the bundled server.
#
# Copyright 2026 The Festivals authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: build-aux/demo.sh [festivals options...]     e.g. build-aux/demo.sh --station=cashier
#
# Installs the Debian 12 dependencies (build-aux/install-deps.sh), configures _build if needed,
# compiles, then runs the uninstalled app with `--demo`: it starts festivals-server from the
# build tree on localhost with demo data in a fresh directory and signs in as the organiser.
# Environment: BUILDDIR (default _build), SKIP_DEPS=1 to skip the dependency step, JOBS.

set -euo pipefail

srcdir=$(cd "$(dirname "$0")/.." && pwd)
builddir=${BUILDDIR:-$srcdir/_build}
jobs=${JOBS:-$(nproc)}

if [ "${SKIP_DEPS:-0}" != "1" ]; then
  "$srcdir/build-aux/install-deps.sh"
fi

if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" "$srcdir"
fi
meson compile -C "$builddir" -j "$jobs"

# Run uninstalled: translations and the GSettings schema from the build tree.
export FESTIVALS_LOCALEDIR="$builddir/po"
export GSETTINGS_SCHEMA_DIR="$builddir/data"

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "demo: no display (DISPLAY/WAYLAND_DISPLAY unset): run this from a graphical session" >&2
  exit 1
fi

exec "$builddir/src/app/festivals" --demo "$@"
