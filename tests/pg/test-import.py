#!/usr/bin/env python3
# test-import.py: `festivals-server --import-sqlite` moves the demo festival from its SQLite file
# into PostgreSQL whole
#
# Copyright 2026 The Festivals authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage (tests/pg/meson.build runs it inside build-aux/pg-cluster.sh run, which sets
# FEST_TEST_DATABASE): test-import.py FESTIVALS_SERVER
#
# Makes the demo festival in a SQLite data directory (--demo), imports it into a new database of
# the cluster, then checks: --check passes on both sides; the ledger's hash chain head, the number
# and sum of transactions, the wallets' balances and the tickets are the same; a server on the
# database lets the demo organiser sign in and reads the same wallets and ledger; importing the
# same file again is refused and leaves the first copy as it was.

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import urllib.request

DEMO_ADMIN = "admin@demo.festivals"
DEMO_PASSWORD = "festivals-demo"

FIGURES = ("SELECT (SELECT COUNT(*) FROM transactions), (SELECT SUM(amount) FROM transactions),"
           " (SELECT SUM(balance) FROM wallets), (SELECT COUNT(*) FROM tickets),"
           " (SELECT hash FROM transactions ORDER BY seq DESC LIMIT 1)")


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def serve(server, args):
    """Starts festivals-server with ARGS on a free port; returns (process, base URL)."""
    process = subprocess.Popen([server] + args + ["--listen", "127.0.0.1:0"], stdout=subprocess.PIPE,
                               text=True)
    line = process.stdout.readline()
    match = re.match(r"listening on (\S+)", line)
    if not match:
        process.kill()
        fail("festivals-server did not start: %r" % line)
    return process, match.group(1)


def stop(process):
    process.send_signal(signal.SIGTERM)
    if process.wait(timeout=60) != 0:
        fail("festivals-server exited with %d" % process.returncode)


def api(base, method, path, token=None, body=None):
    request = urllib.request.Request(base + "/api/v1" + path, method=method,
                                     data=json.dumps(body).encode() if body is not None else None)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(request, timeout=30) as reply:
        return json.load(reply)


def run(server, args, expect=0):
    result = subprocess.run([server] + args, capture_output=True, text=True)
    if result.returncode != expect:
        fail("%s exited with %d, not %d:\n%s%s" % (" ".join(args), result.returncode, expect,
                                                     result.stdout, result.stderr))
    return result.stdout + result.stderr


def psql(url, sql):
    return subprocess.run(["psql", url, "-At", "-c", sql], check=True, capture_output=True,
                          text=True).stdout.strip()


def main():
    server = sys.argv[1]
    cluster = os.environ["FEST_TEST_DATABASE"]
    database = cluster.rsplit("/", 1)[0] + "/fest_import"
    subprocess.run(["createdb", "--maintenance-db=" + cluster, "--template=template0", "--locale=C",
                    "--encoding=UTF8", "fest_import"], check=True)

    with tempfile.TemporaryDirectory() as data_dir:
        process, base = serve(server, ["--data-dir", data_dir, "--demo"])
        stop(process)
        run(server, ["--data-dir", data_dir, "--check"])
        files = [f for f in os.listdir(data_dir) if f.startswith("festival-") and f.endswith(".db")]
        if len(files) != 1:
            fail("expected one festival database, found %r" % files)
        path = os.path.join(data_dir, files[0])
        festival_id = files[0][len("festival-"):-len(".db")]
        with sqlite3.connect(path) as db:
            before = db.execute(FIGURES).fetchone()
            wallet_ids = [row[0] for row in db.execute("SELECT id FROM wallets")]

        out = run(server, ["--database", database, "--import-sqlite", path])
        print(out)
        run(server, ["--database", database, "--check"])

        schema = '"festival_%s"' % festival_id
        after = psql(database, FIGURES.replace("FROM ", "FROM %s." % schema)).split("|")
        expected = [str(v) for v in before]
        if after != expected:
            fail("PostgreSQL has %r, the file %r" % (after, expected))
        print("same figures and chain head on both sides: %r" % (after,))

        # The copy serves: the demo organiser signs in and reads the same wallets and ledger.
        process, base = serve(server, ["--database", database])
        try:
            login = api(base, "POST", "/auth/login", body={"email": DEMO_ADMIN, "password": DEMO_PASSWORD,
                                                          "festival_id": festival_id})
            token = login["data"]["token"]
            balances = [api(base, "GET", "/wallets/" + wallet, token)["data"]["balance"] for wallet in wallet_ids]
            ledger = api(base, "GET", "/transactions?per_page=1", token)
        finally:
            stop(process)
        if sum(balances) != before[2]:
            fail("the wallets served from PostgreSQL do not add up to the file's")
        if ledger["meta"]["total"] != before[0]:
            fail("the ledger served from PostgreSQL has %d rows, the file %d" % (ledger["meta"]["total"],
                                                                                  before[0]))

        # A second import of the same festival is refused and changes nothing.
        run(server, ["--database", database, "--import-sqlite", path], expect=1)
        again = psql(database, FIGURES.replace("FROM ", "FROM %s." % schema)).split("|")
        if again != expected:
            fail("a refused second import changed the copy: %r" % (again,))
        run(server, ["--database", database, "--check"])
    print("ok")


if __name__ == "__main__":
    main()
