#!/bin/sh
# run-with-keyring.sh: runs a test in its own D-Bus session with an unlocked gnome-keyring, and a
# private HOME so that the keyring files never touch the real one.
#   run-with-keyring.sh COMMAND [ARGS...]
set -eu
home=$(mktemp -d "${TMPDIR:-/tmp}/fest-keyring-XXXXXX")
trap 'rm -rf "$home"' EXIT
export HOME="$home" XDG_DATA_HOME="$home/.local/share" XDG_CONFIG_HOME="$home/.config" \
       XDG_CACHE_HOME="$home/.cache" XDG_RUNTIME_DIR="$home/run"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
exec dbus-run-session -- sh -c '
  printf "test-password" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  status=0
  "$@" || status=$?
  # The daemon belongs to this session; dbus-run-session ends it with the bus.
  exit $status
' run-with-keyring "$@"
