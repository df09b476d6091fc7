#!/usr/bin/env bash
# install-deps.sh: install every Debian 12 package needed to build and test Festivals.
#
# Copyright 2026 The Festivals authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Idempotent: packages already installed are skipped, `apt-get update` runs only when a
# package is missing and the package lists cannot provide it, and the fr_FR/en_US UTF-8
# locales are generated only when absent. Uses sudo when not run as root.
#
# Usage: build-aux/install-deps.sh [--check]
#   --check  only report what is missing; exit 1 if anything is.

set -euo pipefail

# Keep this list in one place: README.md and .ci/run rely on it.
PACKAGES=(
  # toolchain and build system
  build-essential meson ninja-build pkg-config gettext
  # libraries (the -dev packages pull in the runtime libraries)
  libglib2.0-dev libglib2.0-bin libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev libjson-glib-dev
  libsqlite3-dev sqlite3 libsecret-1-dev libshumate-dev libsodium-dev libqrencode-dev libjemalloc-dev
  libcairo2-dev libpango1.0-dev
  # GStreamer: station sounds, webcam QR scanning (zbar element in -bad), gst-inspect for tests
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev gstreamer1.0-plugins-base
  gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-tools gstreamer1.0-alsa
  gstreamer1.0-pulseaudio
  # data file validators (tests in suite 'data')
  desktop-file-utils appstream python3
  # headless UI tests: X server, session bus, keyring, input and window tools
  xvfb xauth dbus dbus-x11 gnome-keyring xdotool x11-utils
  # memory checking, load testing, PDF inspection, HTTP probing
  valgrind wrk poppler-utils curl
  # fuzzing (build-aux/fuzz.sh): clang and its libFuzzer and sanitizer runtimes
  clang libclang-rt-14-dev
  # PostgreSQL store: libpq to build against; the server (initdb, pg_ctl, psql and pgbench) for
  # the throw-away test clusters of build-aux/pg-cluster.sh
  libpq-dev postgresql-15
  # fr_FR.UTF-8 / en_US.UTF-8 for locale-aware formatting tests
  locales
)

LOCALES=(fr_FR.UTF-8 en_US.UTF-8)

check_only=false
if [ "${1:-}" = "--check" ]; then
  check_only=true
fi

export DEBIAN_FRONTEND=noninteractive

as_root ()
{
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo -E "$@"
  else
    echo "install-deps: need root or sudo to run: $*" >&2
    exit 1
  fi
}

is_installed ()
{
  local status
  status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null || true)
  [ "${status:0:2}" = "ii" ]
}

# `locale -a` prints fr_FR.utf8 for fr_FR.UTF-8.
has_locale ()
{
  local want
  want=$(printf '%s' "$1" | sed 's/\.UTF-8$/.utf8/')
  locale -a 2>/dev/null | grep -qx "$want"
}

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! is_installed "$pkg"; then
    missing+=("$pkg")
  fi
done

missing_locales=()
for loc in "${LOCALES[@]}"; do
  if ! has_locale "$loc"; then
    missing_locales+=("$loc")
  fi
done

if $check_only; then
  status=0
  if [ ${#missing[@]} -gt 0 ]; then
    echo "install-deps: missing packages: ${missing[*]}"
    status=1
  fi
  if [ ${#missing_locales[@]} -gt 0 ]; then
    echo "install-deps: missing locales: ${missing_locales[*]}"
    status=1
  fi
  [ $status -eq 0 ] && echo "install-deps: everything is installed"
  exit $status
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  # Debian's postgresql-15 creates a system-wide cluster "main" on install and starts it as a
  # service. Tests start their own clusters in temporary directories (pg-cluster.sh) and nothing
  # should run system-wide: postgresql-common's createcluster.conf reads createcluster.d.
  if [[ " ${missing[*]} " == *" postgresql-15 "* ]]; then
    as_root mkdir -p /etc/postgresql-common/createcluster.d
    echo "create_main_cluster = false" \
      | as_root tee /etc/postgresql-common/createcluster.d/festivals.conf >/dev/null
  fi
  # Only refresh the package lists when they cannot provide every missing package: an empty
  # list directory (fresh container) or a package without an install candidate.
  need_update=false
  if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
    need_update=true
  else
    for pkg in "${missing[@]}"; do
      candidate=$(apt-cache policy "$pkg" 2>/dev/null | awk '/Candidate:/ { print $2 }')
      if [ -z "$candidate" ] || [ "$candidate" = "(none)" ]; then
        need_update=true
        break
      fi
    done
  fi
  if $need_update; then
    as_root apt-get update -q
  fi
  apt_install=(apt-get install -y -q --no-install-recommends)
  if ! as_root "${apt_install[@]}" "${missing[@]}"; then
    # Stale lists point at package versions the mirror no longer has: refresh once and retry.
    as_root apt-get update -q
    as_root "${apt_install[@]}" "${missing[@]}"
  fi
else
  echo "install-deps: all ${#PACKAGES[@]} packages already installed"
fi

if [ ${#missing_locales[@]} -gt 0 ]; then
  echo "install-deps: generating locales ${missing_locales[*]}"
  for loc in "${missing_locales[@]}"; do
    # Uncomment "fr_FR.UTF-8 UTF-8" in /etc/locale.gen, or append it when absent.
    if grep -Eq "^#? *${loc//./\\.} UTF-8" /etc/locale.gen 2>/dev/null; then
      as_root sed -i -E "s/^# *(${loc//./\\.} UTF-8)/\\1/" /etc/locale.gen
    else
      echo "$loc UTF-8" | as_root tee -a /etc/locale.gen >/dev/null
    fi
  done
  as_root locale-gen
  for loc in "${missing_locales[@]}"; do
    if ! has_locale "$loc"; then
      echo "install-deps: locale $loc is still missing after locale-gen" >&2
      exit 1
    fi
  done
else
  echo "install-deps: locales ${LOCALES[*]} present"
fi
