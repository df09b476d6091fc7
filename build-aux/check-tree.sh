#!/usr/bin/env bash
# check-tree.sh: check the build plumbing that no compiler looks at.
#
# Copyright 2026 The Festivals authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: check-tree.sh SOURCE_ROOT
#   - every shell script of build-aux/ and .ci/run parses (bash -n), every Python script of
#     build-aux/ parses, and all are executable;
#   - every ./build-aux/... command the README shows exists and is executable;
#   - the Flatpak manifest has the id, runtime, command, permissions and modules we rely on;
#   - the source tree keeps DESIGN §3's limits (check-layers.py: layers include downwards only,
#     SQLite only in the two storage folders, no file over 1,000 lines, no __has_include, weak
#     symbols or self-reading build files).

set -euo pipefail

root=$(cd "${1:-$(dirname "$0")/..}" && pwd)
status=0

fail ()
{
  echo "check-tree: $*"
  status=1
}

for script in "$root"/build-aux/*.sh "$root/.ci/run"; do
  [ -e "$script" ] || continue
  rel=${script#"$root"/}
  if ! bash -n "$script" 2>"${TMPDIR:-/tmp}/check-tree.$$"; then
    fail "$rel does not parse: $(cat "${TMPDIR:-/tmp}/check-tree.$$")"
  fi
  rm -f "${TMPDIR:-/tmp}/check-tree.$$"
  if [ ! -x "$script" ]; then
    fail "$rel is not executable (chmod +x)"
  fi
done

for script in "$root"/build-aux/*.py; do
  [ -e "$script" ] || continue
  rel=${script#"$root"/}
  # Parse only: py_compile would write __pycache__ into the source tree.
  if ! python3 -c 'import ast, sys; ast.parse(open(sys.argv[1], encoding="utf-8").read(), sys.argv[1])' \
       "$script"; then
    fail "$rel does not parse"
  fi
  if [ ! -x "$script" ]; then
    fail "$rel is not executable (chmod +x)"
  fi
done

if [ ! -f "$root/README.md" ]; then
  fail "README.md is missing"
else
  commands=$(grep -oE '\./build-aux/[A-Za-z0-9_.-]+' "$root/README.md" | sort -u || true)
  if [ -z "$commands" ]; then
    fail "README.md shows no ./build-aux/ command"
  fi
  for cmd in $commands; do
    if [ ! -x "$root/${cmd#./}" ]; then
      fail "README.md shows $cmd, which does not exist or is not executable"
    fi
  done
fi

manifest="$root/flatpak/app.festivals.Festivals.json"
if ! python3 - "$manifest" <<'EOP'
import json, sys

path = sys.argv[1]
with open(path, encoding="utf-8") as f:
    m = json.load(f)

errors = []
def need(cond, what):
    if not cond:
        errors.append(what)

need(m.get("id", m.get("app-id")) == "app.festivals.Festivals", "id is app.festivals.Festivals")
need(m.get("runtime") == "org.gnome.Platform", "runtime is org.gnome.Platform")
need(m.get("sdk") == "org.gnome.Sdk", "sdk is org.gnome.Sdk")
need(str(m.get("runtime-version", "")).isdigit() and int(m["runtime-version"]) >= 45,
     "runtime-version is a current GNOME release (>= 45)")
need(m.get("command") == "festivals", "command is festivals")
args = m.get("finish-args", [])
for a in ("--share=network", "--share=ipc", "--socket=wayland", "--socket=fallback-x11", "--device=dri"):
    need(a in args, "finish-args has " + a)
need("--talk-name=org.freedesktop.secrets" not in args,
     "no --talk-name=org.freedesktop.secrets (libsecret uses the Secret portal)")
names = [mod.get("name") for mod in m.get("modules", []) if isinstance(mod, dict)]
for dep in ("libsodium", "libqrencode", "libshumate"):
    need(dep in names, "module " + dep)
need(names and names[-1] == "festivals", "festivals is the last module")
for mod in m.get("modules", []):
    for src in mod.get("sources", []):
        if src.get("type") in ("archive", "file"):
            need(len(src.get("sha256", "")) == 64, mod["name"] + " source has a sha256")
        if src.get("type") == "git":
            need("tag" in src or "commit" in src, mod["name"] + " git source is pinned")
if names and names[-1] == "festivals":
    srcs = m["modules"][-1].get("sources", [])
    need(any(s.get("type") == "dir" and s.get("path") == ".." for s in srcs),
         "festivals builds from the tree (type dir, path ..)")
for e in errors:
    print("check-tree: flatpak manifest: expected " + e)
sys.exit(1 if errors else 0)
EOP
then
  status=1
fi

if ! python3 "$root/build-aux/check-layers.py" "$root"; then
  status=1
fi

if [ $status -eq 0 ]; then
  echo "check-tree: scripts, README commands, Flatpak manifest and layers are consistent"
fi
exit $status
