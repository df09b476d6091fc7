#!/usr/bin/env python3
# test-reaper.py: run one test, then end every process it left behind.
#
# Copyright 2026 The Festivals authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-reaper.py COMMAND [ARGS...]   (the default test setup's exe_wrapper)
#
# Tests start real festivals-server processes. When a test crashes or forgets to stop one, the
# orphan keeps the test's stdout open and `meson test` waits for it until the test's timeout
# (600 s and more): one crash stalls CI for half an hour. This wrapper makes itself the child
# subreaper of the test (PR_SET_CHILD_SUBREAPER), so orphans are re-parented to it instead of
# init; when the test exits it sends them SIGTERM (festivals-server shuts down cleanly), then
# SIGKILL after 5 seconds, names them on stderr, and exits with the test's own status (or
# dies of the same signal).

import ctypes
import os
import signal
import sys
import time

PR_SET_CHILD_SUBREAPER = 36


def children_of(pid):
    """Direct children of pid, with their command lines."""
    result = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read().decode("utf-8", "replace")
            # The command name is in parentheses and may contain spaces.
            fields = stat[stat.rindex(")") + 2:].split()
            if int(fields[1]) != pid:
                continue
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()
            result[int(entry)] = cmd or stat[stat.index("(") + 1:stat.rindex(")")]
        except (OSError, ValueError, IndexError):
            continue
    return result


def reap_zombies():
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def end_leftovers():
    me = os.getpid()
    reported = set()
    deadline = time.monotonic() + 5
    sig = signal.SIGTERM
    while True:
        reap_zombies()
        left = children_of(me)
        if not left:
            return
        for pid, cmd in left.items():
            if pid not in reported:
                print(f"test-reaper: the test left a process running: [{pid}] {cmd}", file=sys.stderr)
                reported.add(pid)
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        if time.monotonic() > deadline:
            sig = signal.SIGKILL
        time.sleep(0.1)


def main():
    if len(sys.argv) < 2:
        print("usage: test-reaper.py COMMAND [ARGS...]", file=sys.stderr)
        return 2

    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        # Without it orphans go to init: still run the test.
        print("test-reaper: PR_SET_CHILD_SUBREAPER failed", file=sys.stderr)

    pid = os.fork()
    if pid == 0:
        try:
            os.execvp(sys.argv[1], sys.argv[1:])
        except OSError as e:
            print(f"test-reaper: cannot run {sys.argv[1]}: {e}", file=sys.stderr)
            os._exit(127)

    # meson stops a test by signalling its process group; pass what reaches us on to the test.
    def forward(signum, frame):
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            pass

    for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(s, forward)

    while True:
        try:
            _, status = os.waitpid(pid, 0)
            break
        except InterruptedError:
            continue

    end_leftovers()
    sys.stdout.flush()
    sys.stderr.flush()

    if os.WIFSIGNALED(status):
        signum = os.WTERMSIG(status)
        signal.signal(signum, signal.SIG_DFL)
        # No core file for a signal that already produced one in the test.
        try:
            import resource
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        except (ImportError, ValueError, OSError):
            pass
        os.kill(os.getpid(), signum)
        time.sleep(1)
        return 128 + signum
    return os.WEXITSTATUS(status)


if __name__ == "__main__":
    sys.exit(main())
