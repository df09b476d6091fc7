#!/usr/bin/env python3
# test-summary.py: sum the results of meson test logs (meson-logs/testlog*.json).
#
# Copyright 2026 The Festivals authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-summary.py LOG.json...  prints "PASSED FAILED SKIPPED" on one line, and on standard
# error one line per failed test: "failed: SUITE/NAME (RESULT) in LOG".
# meson writes one JSON object per test per line. OK and EXPECTEDFAIL count as passed;
# FAIL, UNEXPECTEDPASS, TIMEOUT, ERROR and anything unknown as failed; SKIP as skipped.
# A log that is missing or unreadable counts as one failure: no result is not a pass.

import json
import sys

passed = failed = skipped = 0
for path in sys.argv[1:]:
    try:
        with open(path, encoding="utf-8") as f:
            lines = [l for l in f if l.strip()]
    except OSError as e:
        print(f"test-summary: {path}: {e}", file=sys.stderr)
        failed += 1
        continue
    for line in lines:
        try:
            test = json.loads(line)
            result = test.get("result", "")
        except ValueError:
            print(f"test-summary: {path}: unreadable line", file=sys.stderr)
            failed += 1
            continue
        if result in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif result == "SKIP":
            skipped += 1
        else:
            failed += 1
            suites = "+".join(test.get("suite") or [])
            print(f"failed: {suites}/{test.get('name', '?')} ({result}) in {path}",
                  file=sys.stderr)

print(passed, failed, skipped)
