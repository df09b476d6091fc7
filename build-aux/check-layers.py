#!/usr/bin/env python3
# check-layers.py: the limits the tree keeps (DESIGN §3), checked on the sources themselves.
#
# Copyright 2026 The Festivals authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: check-layers.py SOURCE_ROOT
#        check-layers.py --self-test     plants each violation in a scratch tree and expects it found
#   - no source file under src/ over 1,000 lines;
#   - sqlite3.h included, and SQLite used, only under src/server/store/ and src/app/offline/;
#   - libpq-fe.h included, and libpq used (PQ*), only under src/server/store/;
#   - no include of a header of a higher layer, nor of a sibling layer (backoffice and station);
#   - no __has_include, no weak symbols, no meson.build reading its own text.
# Prints one line per violation and exits 1 if there is any.

import os
import re
import sys

MAX_LINES = 1000

# Layers, lowest first. A file may include headers of its own layer and of lower ranks only;
# layers of the same rank (the two windows) do not see each other.
LAYERS = [
    ("src/core", 0),
    ("src/server/store", 1),
    ("src/server/domain", 2),
    ("src/server/http", 3),
    ("src/server/routes", 4),
    ("src/server/demo", 5),
    ("src/server", 6),          # main.c
    ("src/app/api", 1),
    ("src/app/offline", 2),
    ("src/app/widgets", 3),
    ("src/app/backoffice", 4),
    ("src/app/station", 4),
    ("src/app", 5),             # fest-application.c, main.c
]
SQLITE_ALLOWED = ("src/server/store/", "src/app/offline/")

INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"', re.M)
SQLITE_INCLUDE = re.compile(r'^\s*#\s*include\s*<sqlite3\.h>', re.M)
SQLITE_USE = re.compile(r'\bsqlite3(_\w+)?\b|"fest-store-private\.h"')
LIBPQ_USE = re.compile(r'^\s*#\s*include\s*<libpq-fe\.h>|\bPQ[a-z]\w*\s*\(|\bPGconn\b|\bPGresult\b', re.M)
LIBPQ_ALLOWED = "src/server/store/"


def layer_of(rel):
    best = None
    for prefix, rank in LAYERS:
        if rel == prefix or rel.startswith(prefix + "/"):
            if best is None or len(prefix) > len(best[0]):
                best = (prefix, rank)
    return best


def same_tree(a, b):
    """Server and app layers never include each other's headers (core is shared)."""
    side = lambda p: "core" if p == "src/core" else p.split("/")[1]
    return side(a) == side(b) or side(b) == "core"


def check(root):
    errors = []
    headers = {}
    sources = []
    for dirpath, _dirs, files in os.walk(os.path.join(root, "src")):
        for name in sorted(files):
            rel = os.path.relpath(os.path.join(dirpath, name), root)
            if name.endswith(".h"):
                headers.setdefault(name, []).append(rel)
            if name.endswith((".c", ".h")) or name == "meson.build":
                sources.append(rel)

    for rel in sorted(sources):
        with open(os.path.join(root, rel), encoding="utf-8") as f:
            text = f.read()
        if rel.endswith("meson.build"):
            if re.search(r"\bfs\.read\s*\(|import\('fs'\)\.read", text):
                errors.append(f"{rel}: a build file reads its own text (fs.read)")
            continue
        n_lines = text.count("\n")
        if n_lines > MAX_LINES:
            errors.append(f"{rel}: {n_lines} lines (the limit is {MAX_LINES}): split it by responsibility")
        if "__has_include" in text:
            errors.append(f"{rel}: __has_include (include what the build has, unconditionally)")
        if re.search(r"__attribute__\s*\(\(\s*weak", text) or "#pragma weak" in text:
            errors.append(f"{rel}: weak symbol (call the part explicitly)")
        if not rel.startswith(SQLITE_ALLOWED):
            if SQLITE_INCLUDE.search(text):
                errors.append(f"{rel}: includes sqlite3.h (only src/server/store/ and src/app/offline/ may)")
            elif SQLITE_USE.search(text):
                errors.append(f"{rel}: uses SQLite (move the SQL into a repository of src/server/store/)")
        if not rel.startswith(LIBPQ_ALLOWED) and LIBPQ_USE.search(text):
            errors.append(f"{rel}: uses libpq (only src/server/store/ may: fest-db.h is the interface)")
        mine = layer_of(rel)
        if mine is None:
            continue
        for inc in INCLUDE.findall(text):
            if inc == "config.h":
                continue
            base = os.path.basename(inc)
            targets = headers.get(base, [])
            if not targets:
                continue   # generated (resources, enums) or a system-style header
            # A header of the same folder wins over a homonym elsewhere.
            local = [t for t in targets if os.path.dirname(t) == os.path.dirname(rel)]
            target = (local or targets)[0]
            theirs = layer_of(target)
            if theirs is None or theirs[0] == mine[0]:
                continue
            if not same_tree(mine[0], theirs[0]):
                errors.append(f"{rel}: includes {target}, from the other program")
            elif theirs[1] > mine[1]:
                errors.append(f"{rel}: includes {target}, from a higher layer ({theirs[0]})")
            elif theirs[1] == mine[1]:
                errors.append(f"{rel}: includes {target}, from a sibling layer ({theirs[0]})")

    return errors


def self_test():
    import tempfile
    planted = {
        "src/server/store/fest-a.h": "#pragma once\n",
        "src/server/store/fest-a.c": "#include <sqlite3.h>\n#include \"fest-a.h\"\n",
        "src/server/domain/fest-b.h": "#pragma once\n#include \"fest-c.h\"\n",
        "src/server/domain/fest-b.c": "#include \"fest-a.h\"\nstatic int x (void) { return sqlite3_changes (0); }\n",
        "src/server/http/fest-c.h": "#pragma once\n#include <libpq-fe.h>\n",
        "src/server/http/fest-c.c": "#if __has_include(\"fest-d.h\")\n#endif\n",
        "src/server/routes/fest-d.c": "__attribute__((weak)) int f (void);\n" + "int y;\n" * 1001,
        "src/app/station/fest-e.h": "#pragma once\n",
        "src/app/backoffice/fest-f.c": "#include \"fest-e.h\"\n#include \"fest-c.h\"\n",
        "src/app/meson.build": "x = import('fs').read('meson.build')\n",
    }
    expected = [
        "src/server/domain/fest-b.c: uses SQLite",
        "src/server/domain/fest-b.h: includes src/server/http/fest-c.h, from a higher layer",
        "src/server/http/fest-c.c: __has_include",
        "src/server/http/fest-c.h: uses libpq",
        "src/server/routes/fest-d.c: 1002 lines",
        "src/server/routes/fest-d.c: weak symbol",
        "src/app/backoffice/fest-f.c: includes src/app/station/fest-e.h, from a sibling layer",
        "src/app/backoffice/fest-f.c: includes src/server/http/fest-c.h, from the other program",
        "src/app/meson.build: a build file reads its own text",
    ]
    with tempfile.TemporaryDirectory() as root:
        for rel, text in planted.items():
            os.makedirs(os.path.dirname(os.path.join(root, rel)), exist_ok=True)
            with open(os.path.join(root, rel), "w", encoding="utf-8") as f:
                f.write(text)
        errors = check(root)
    missed = [e for e in expected if not any(err.startswith(e) for err in errors)]
    extra = [err for err in errors if not any(err.startswith(e) for e in expected)]
    for e in missed:
        print("check-layers: self-test: not found: " + e)
    for e in extra:
        print("check-layers: self-test: unexpected: " + e)
    if not missed and not extra:
        print(f"check-layers: self-test: all {len(expected)} planted violations found, nothing else")
    return 1 if missed or extra else 0


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), ".."))
    errors = check(root)
    for e in errors:
        print("check-layers: " + e)
    if not errors:
        print("check-layers: layers, file sizes and includes are as DESIGN §3 says")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
