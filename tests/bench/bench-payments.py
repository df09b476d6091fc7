#!/usr/bin/env python3
# bench-payments.py: durable payments over HTTP against the real festivals-server
#
# Copyright 2026 The Festivals authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# For each store (--backend), starts festivals-server --no-rate-limit on a fresh store, creates a
# festival, a stand, a product and 200 wallets with large balances, then drives POST /transactions
# PAYMENT (a fresh Idempotency-Key per request, a random wallet among 200) over 32 keep-alive
# connections with wrk, and prints one table of every run. Afterwards it stops the servers and runs
# `festivals-server --check` on the store.
#
# Backends (--backend sqlite, postgresql or both; default both when the PostgreSQL server binaries
# are installed, as build-aux/pg-cluster.sh finds them, else sqlite):
#   sqlite:     --data-dir in a temporary directory, then GET /health the same way (the ceiling of
#               HTTP alone, for the payments/health ratio).
#   postgresql: a throw-away cluster (build-aux/pg-cluster.sh, PostgreSQL's default durability,
#               stopped at the end whatever happens), a database with byte-order collation per
#               run, festivals-server --database URL. With --processes 2, two servers on the same
#               database (the festival set up through the first), each driven by its own wrk with
#               half the connections and threads at the same time: the rates are summed and the
#               latency histograms merged (wrk's done() hands them over). With --processes 2x2,
#               two servers again, each paying in a festival of its own (set up through it): what
#               a second process adds when the festivals differ, for the record (no target: a
#               festival's batches take its lock one after the other). Before each run, the
#               cluster gets the WAL segment files of one that has been serving for a while
#               (pg-cluster.sh warm): a new cluster creates and zero-fills one every 16 MB of WAL,
#               and every commit waiting behind it pauses for about 50 ms. After the runs, the
#               pgbench TPC-B figure of the same cluster (tests/bench/pgbench-reference.sh), as
#               the reference for what the database alone does on this machine.
#
# Idempotency keys (--keys, run in the order given; the targets apply to the first):
#   station: time-ordered UUIDs, as the app's stations send (version 7: fest_uuid_new());
#   random:  random version 4 UUIDs, as a client of its own might send. Each one lands on a random
#            page of the two B-trees keyed by it, so this run is slower.
#
# Usage: bench-payments.py [--server PATH] [--duration SECONDS] [--connections N] [--threads N]
#                          [--keys station,random] [--backend sqlite|postgresql|both]
#                          [--processes 1,2,2x2] [--verbose]
# The server path defaults to $FESTIVALS_SERVER. Targets: SQLite (issue 3 point 9) >= 10,000
# payments/s, >= 50 % of the health rate, p99 <= 10 ms; PostgreSQL (issue 20 point 8) >= 5,000
# payments/s, p99 <= 20 ms, and two processes together at least the one-process rate.

import argparse
import glob
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid

PASSWORD = "bench-password-1"
N_WALLETS = 200
HERE = os.path.dirname(os.path.abspath(__file__))
PG_CLUSTER = os.path.join(HERE, "..", "..", "build-aux", "pg-cluster.sh")
PGBENCH_REFERENCE = os.path.join(HERE, "pgbench-reference.sh")


def api(base, method, path, token=None, body=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + "/api/v1" + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def expect(result, statuses, what):
    status, body = result
    if status not in statuses:
        sys.exit(f"bench-payments: {what} failed: {status} {body}")
    return body["data"] if body else None


LUA = r"""
local wallets = { %(wallets)s }
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  thread_id = tid
  math.randomseed(os.time() + thread_id * 7919 + %(seed)d)
end

-- The request text is assembled from constant pieces: wrk's load generator shares the two cores
-- with the server, so it must not spend them on wrk.format or on a response() callback (which
-- makes wrk hand every response's headers and body to Lua).
-- Time-ordered keys interleave the threads' counters after a prefix fixed for the run (and for
-- this wrk: with two servers, each wrk has a prefix of its own).
local key_prefix = "Idempotency-Key: %(key_prefix)s"
local n_threads = %(threads)d

local function r16()
  return math.random(0, 65535)
end

local head = "POST /api/v1/transactions HTTP/1.1\r\n" ..
             "Host: %(host)s\r\n" ..
             "Authorization: Bearer %(token)s\r\n" ..
             "Content-Type: application/json\r\n"
local body_head = '{"type":"PAYMENT","wallet_id":"'
local body_tail = '","stand_id":"%(stand)s","lines":[{"product_id":"%(product)s","quantity":1}]}'

function request()
  counter = counter + 1
  local body = body_head .. wallets[math.random(#wallets)] .. body_tail
  local key = ""
  %(key_line)s
  return head .. key .. "Content-Length: " .. #body .. "\r\n\r\n" .. body
end

-- Once, after the run: the latency histogram (microseconds, count), so that the runs of two wrk
-- at once can be merged into one distribution.
function done(summary, latency, requests)
  local out = {}
  -- #latency is the number of distinct values, latency(i) the i-th one and its count.
  for i = 1, #latency do
    local us, n = latency(i)
    out[#out + 1] = string.format("%%d:%%d", us, n)
  end
  io.write("latency-histogram " .. table.concat(out, " ") .. "\n")
end
"""


KEY_LINES = {
    "station": 'key = key_prefix .. string.format("%012x\\r\\n", counter * n_threads + thread_id)',
    "random": 'key = string.format("Idempotency-Key: %04x%04x-%04x-4%03x-%04x-%04x%04x%04x\\r\\n", r16(), r16(), '
              'r16(), r16() % 4096, 32768 + r16() % 16384, r16(), r16(), r16())',
}


def parse_wrk(output):
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors:(.*)", output)
    total = int(re.search(r"(\d+) requests in", output).group(1))
    histogram = {}
    match = re.search(r"^latency-histogram (.*)$", output, re.M)
    if match:
        for pair in match.group(1).split():
            us, count = pair.split(":")
            histogram[int(us)] = histogram.get(int(us), 0) + int(count)

    def percentile(p):
        m = re.search(r"^\s+%s%%\s+([\d.]+)(us|ms|s)\s*$" % p, output, re.M)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    return {
        "rate": rate,
        "total": total,
        "p50": percentile(50),
        "p99": percentile(99),
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": errors.group(1).strip() if errors else "",
        "socket_error_count": sum(int(n) for n in re.findall(r"\d+", errors.group(1))) if errors else 0,
        "histogram": histogram,
    }


def histogram_percentile(histogram, p):
    """wrk's own rule (stats_percentile): the smallest latency whose rank reaches p %, in ms."""
    count = sum(histogram.values())
    rank = round(p / 100 * count + 0.5)
    seen = 0
    for us in sorted(histogram):
        seen += histogram[us]
        if seen >= rank:
            return us / 1000
    return 0.0


def merge_wrk(results):
    """One result for several wrk run at once: rates and counts add up, the latency histograms
    merge (else, without them, the worst of the percentiles)."""
    if len(results) == 1:
        return results[0]
    merged = {
        "rate": sum(r["rate"] for r in results),
        "total": sum(r["total"] for r in results),
        "non2xx": sum(r["non2xx"] for r in results),
        "socket_errors": "; ".join(r["socket_errors"] for r in results if r["socket_errors"]),
        "socket_error_count": sum(r["socket_error_count"] for r in results),
        "histogram": {},
    }
    for r in results:
        for us, count in r["histogram"].items():
            merged["histogram"][us] = merged["histogram"].get(us, 0) + count
    if all(r["histogram"] for r in results):
        merged["p50"] = histogram_percentile(merged["histogram"], 50)
        merged["p99"] = histogram_percentile(merged["histogram"], 99)
        merged["latency"] = "merged"
    else:
        merged["p50"] = max(r["p50"] for r in results)
        merged["p99"] = max(r["p99"] for r in results)
        merged["latency"] = "max of the wrk"
    return merged


def proc_stat(pid):
    with open(f"/proc/{pid}/stat") as f:
        stat = f.read()
    name = stat[stat.index("(") + 1:stat.rindex(")")]
    return name, stat[stat.rindex(")") + 2:].split()


def thread_cpu(pid):
    """CPU seconds (user + system) used so far by each thread of @pid, by thread name."""
    ticks = os.sysconf("SC_CLK_TCK")
    usage = {}
    task_dir = f"/proc/{pid}/task"
    for tid in os.listdir(task_dir):
        try:
            name, fields = proc_stat(f"{pid}/task/{tid}")
        except OSError:
            continue
        usage[name] = usage.get(name, 0) + (int(fields[11]) + int(fields[12])) / ticks
    return usage


def written_bytes(pid):
    """Bytes @pid has caused to be written to storage so far (WAL, database and checkpoints)."""
    try:
        with open(f"/proc/{pid}/io") as f:
            for line in f:
                if line.startswith("write_bytes:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def machine_cpu():
    """CPU seconds all processes of the machine have used so far, and the elapsed core-seconds."""
    with open("/proc/stat") as f:
        fields = [int(v) for v in f.readline().split()[1:]]
    ticks = os.sysconf("SC_CLK_TCK")
    # user nice system idle iowait irq softirq steal...: idle and iowait are not work.
    return (sum(fields[:8]) - fields[3] - fields[4]) / ticks, sum(fields[:8]) / ticks


class Cluster:
    """A throw-away PostgreSQL cluster of build-aux/pg-cluster.sh."""

    def __init__(self, bindir):
        self.bindir = bindir
        # In /tmp, made by mkdtemp: the postgres user (which pg-cluster.sh runs it as, under root)
        # can enter it, and its path stays short enough for the unix socket.
        self.dir = tempfile.mkdtemp(prefix="fest-bench-pg-")
        self.url = None

    def start(self):
        env = dict(os.environ, PG_CLUSTER_BINDIR=self.bindir)
        self.url = subprocess.run([PG_CLUSTER, "start", self.dir], check=True, capture_output=True, text=True,
                                  timeout=120, env=env).stdout.strip()

    def stop(self):
        env = dict(os.environ, PG_CLUSTER_BINDIR=self.bindir)
        result = subprocess.run([PG_CLUSTER, "stop", self.dir], capture_output=True, text=True, timeout=120,
                                env=env)
        if result.returncode != 0:
            print(f"bench-payments: stopping the cluster in {self.dir} failed: {result.stderr.strip()}",
                  file=sys.stderr)

    def warm(self, seconds):
        """The WAL of a cluster that has been serving for a while (pg-cluster.sh warm): segment
        files to reuse for a run of @seconds, at up to 40 MB of WAL a second."""
        env = dict(os.environ, PG_CLUSTER_BINDIR=self.bindir)
        subprocess.run([PG_CLUSTER, "warm", self.dir, str(wal_megabytes(seconds))], check=True, capture_output=True,
                       text=True, timeout=120, env=env)

    def create_database(self, name):
        """A database for one run, with the byte-order collation the store requires."""
        subprocess.run([os.path.join(self.bindir, "createdb"), f"--maintenance-db={self.url}", "--template=template0",
                        "--locale=C", "--encoding=UTF8", name], check=True, capture_output=True, text=True,
                       timeout=60)
        return self.url.rsplit("/", 1)[0] + "/" + name

    def processes(self):
        """The postmaster's pid and its children's, each with what it is (backend, walwriter...)."""
        try:
            with open(os.path.join(self.dir, "data", "postmaster.pid")) as f:
                postmaster = int(f.readline())
        except (OSError, ValueError):
            return {}
        found = {postmaster: "postmaster"}
        for stat_path in glob.glob("/proc/[0-9]*/stat"):
            pid = int(stat_path.split("/")[2])
            try:
                _, fields = proc_stat(pid)
                if int(fields[1]) != postmaster:
                    continue
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    title = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
            except (OSError, ValueError, IndexError):
                continue
            title = title.removeprefix("postgres:").strip()
            # Backends show "USER DATABASE HOST(PORT) STATE"; the others their role.
            found[pid] = "backends" if "(" in title else title
        return found

    def usage(self):
        """CPU seconds and bytes written so far by the cluster's processes, CPU by kind."""
        ticks = os.sysconf("SC_CLK_TCK")
        cpu, written = {}, {}
        for pid, kind in self.processes().items():
            try:
                _, fields = proc_stat(pid)
            except OSError:
                continue
            cpu[pid] = (kind, (int(fields[11]) + int(fields[12])) / ticks)
            written[pid] = written_bytes(pid)
        return cpu, written

    def database_stats(self, url):
        """Counters of @url's database (transactions committed and rolled back, rows inserted,
        updated, deleted, read by index and read by sequential scans, deadlocks) and of the cluster
        (WAL bytes, WAL flushes) so far: how many payments share a commit and its fsync, and what a
        payment costs the database."""
        result = subprocess.run([os.path.join(self.bindir, "psql"), "-X", "-A", "-t", "-q", "-d", url, "-c",
                                 "SELECT d.xact_commit, d.xact_rollback, d.tup_inserted, d.tup_updated,"
                                 "       d.tup_deleted, d.tup_fetched, d.deadlocks, pg_current_wal_lsn() - '0/0',"
                                 "       w.wal_sync,"
                                 "       (SELECT coalesce (sum (seq_tup_read), 0) FROM pg_stat_user_tables)"
                                 "  FROM pg_stat_database d, pg_stat_wal w WHERE d.datname = current_database()"],
                                capture_output=True, text=True, timeout=60)
        if result.returncode != 0:
            return None
        return [float(v) for v in result.stdout.strip().split("|")]

    def log_problems(self):
        try:
            with open(os.path.join(self.dir, "server.log"), errors="replace") as f:
                return [line.rstrip() for line in f
                        if re.search(r"\b(ERROR|FATAL|PANIC|WARNING)\b|deadlock", line)]
        except OSError as error:
            return [f"(cannot read the cluster's log: {error})"]


def wal_megabytes(seconds):
    """WAL to prepare for a run of @seconds: 40 MB a second (10,000 payments/s at 4 KiB), at most
    480 MB: more would start a checkpoint of its own (at about half of max_wal_size, 1 GB)."""
    return min(40 * seconds, 480)


def pg_bindir():
    """The PostgreSQL server binaries, as build-aux/pg-cluster.sh looks for them, or None."""
    if os.environ.get("PG_CLUSTER_BINDIR"):
        candidates = [os.environ["PG_CLUSTER_BINDIR"]]
    else:
        candidates = []
        if shutil.which("pg_config"):
            result = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
            if result.returncode == 0:
                candidates.append(result.stdout.strip())
        candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                             key=lambda d: [int(n) for n in re.findall(r"\d+", d)], reverse=True)
    for directory in candidates:
        if all(os.access(os.path.join(directory, tool), os.X_OK) for tool in ("initdb", "pg_ctl", "createdb")):
            return directory
    return None


def start_server(args, store, log_path):
    log = open(log_path, "a")
    server = subprocess.Popen([args.server] + store + ["--listen", "127.0.0.1:0", "--no-rate-limit"],
                              stdout=subprocess.PIPE, stderr=log, text=True)
    log.close()
    line = server.stdout.readline().strip()
    match = re.match(r"listening on (http://\S+)", line)
    if not match:
        server.kill()
        server.wait()
        sys.exit(f"bench-payments: unexpected first line from the server: {line!r} (log: {log_path})")
    return server, match.group(1)


def stop_servers(servers):
    for server in servers:
        server.send_signal(signal.SIGTERM)
    for server in servers:
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def set_up_festival(base):
    login = expect(api(base, "POST", "/auth/login", body={"email": "bench@example.org", "password": PASSWORD}),
                   (200,), "login")
    token = login["token"]
    festival = expect(api(base, "POST", "/festivals", token, {
        "name": "Bench Fest", "starts_at": "2026-07-01T10:00:00Z", "ends_at": "2026-07-04T02:00:00Z",
        "timezone": "Europe/Paris", "currency_name": "Jetons", "exchange_rate_cents": 10,
        "location": {"lat": 45.75, "lng": 4.85},
        "max_wallet_balance": 100_000_000_000}), (201,), "create festival")
    expect(api(base, "POST", "/auth/festival", token, {"festival_id": festival["id"]}), (200,), "switch festival")
    stand = expect(api(base, "POST", "/stands", token, {"name": "Bar", "type": "BAR"}), (201,), "create stand")
    product = expect(api(base, "POST", "/products", token, {"stand_id": stand["id"], "name": "Beer",
                                                              "price": 100, "vat_rate": 20}),
                     (201,), "create product")
    wallets = []
    for i in range(N_WALLETS):
        wallet = expect(api(base, "POST", "/wallets", token, {"holder_name": f"Bench {i}"}), (201,),
                        "create wallet")
        expect(api(base, "POST", "/transactions", token,
                   {"type": "RECHARGE", "wallet_id": wallet["id"], "amount": 100_000_000_000},
                   {"Idempotency-Key": str(uuid.uuid4())}), (201,), "recharge")
        wallets.append(wallet["id"])
    return {"token": token, "stand": stand["id"], "product": product["id"], "wallets": wallets}


def run_wrk(args, urls, scripts, pids, cluster=None, database=None):
    """wrk against each of @urls at once (the connections and threads shared out), with the CPU
    that the server processes @pids, the cluster and wrk spent per request."""
    n = len(urls)
    commands = []
    for url, script in zip(urls, scripts):
        command = ["wrk", "-t", str(max(1, args.threads // n)), "-c", str(args.connections // n),
                   "-d", f"{args.duration}s", "--latency", "--timeout", "5s"]
        if script:
            command += ["-s", script]
        commands.append(command + [url])
    # As a cluster that has been serving for a while (a new one pauses every 16 MB of WAL).
    if cluster:
        cluster.warm(args.duration)
    before = [thread_cpu(pid) for pid in pids]
    written = sum(written_bytes(pid) for pid in pids)
    pg_before = cluster.usage() if cluster else ({}, {})
    stats_before = cluster.database_stats(database) if cluster else None
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    machine_before = machine_cpu()
    running = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for command in commands]
    outputs = []
    try:
        for process in running:
            stdout, stderr = process.communicate(timeout=args.duration + 60)
            if process.returncode != 0:
                sys.exit(f"bench-payments: wrk failed ({process.returncode}): {stderr.strip()}")
            outputs.append(stdout)
    finally:
        for process in running:
            if process.poll() is None:
                process.kill()
                process.wait()
    machine_after = machine_cpu()
    results = [parse_wrk(output) for output in outputs]
    result = merge_wrk(results)
    total = max(result["total"], 1)
    after_children = resource.getrusage(resource.RUSAGE_CHILDREN)
    result["wrk_us"] = ((after_children.ru_utime + after_children.ru_stime) - (children.ru_utime + children.ru_stime)) \
        * 1e6 / total
    # µs of server CPU per request, by thread (summed over the processes): where a request's cost
    # goes.
    result["cpu_us"] = {}
    for pid, usage_before in zip(pids, before):
        for name, seconds in thread_cpu(pid).items():
            spent = seconds - usage_before.get(name, 0)
            if spent > 0:
                result["cpu_us"][name] = result["cpu_us"].get(name, 0) + spent * 1e6 / total
    written_after = sum(written_bytes(pid) for pid in pids)
    result["written_kb"] = (written_after - written) / 1024 / total
    # The cores are shared: what the rest of the machine took meanwhile (from the same 2 cores)
    # tells a slow run from a slow server.
    ours = (sum(result["cpu_us"].values()) + result["wrk_us"]) * total / 1e6
    if cluster:
        cpu_after, written_after = cluster.usage()
        cpu_before, pg_written_before = pg_before
        result["pg_cpu_us"] = {}
        for pid, (kind, seconds) in cpu_after.items():
            spent = seconds - cpu_before.get(pid, (kind, 0))[1]
            if spent > 0:
                result["pg_cpu_us"][kind] = result["pg_cpu_us"].get(kind, 0) + spent * 1e6 / total
        # What the cluster wrote (WAL, data, checkpoints): the festivals servers write nothing.
        result["written_kb"] = sum(b - pg_written_before.get(pid, 0) for pid, b in written_after.items()) \
            / 1024 / total
        result["pg_written_kb"] = {}
        for pid, b in written_after.items():
            kind = cpu_after.get(pid, ("?", 0))[0]
            result["pg_written_kb"][kind] = result["pg_written_kb"].get(kind, 0) \
                + (b - pg_written_before.get(pid, 0)) / 1024 / total
        # PostgreSQL's statistics reach the shared counters when a backend has been idle for a
        # second: wait for them.
        time.sleep(1.5)
        stats_after = cluster.database_stats(database)
        if stats_before and stats_after:
            result["pg_per_payment"] = [(a - b) / total for a, b in zip(stats_after, stats_before)]
        ours += sum(result["pg_cpu_us"].values()) * total / 1e6
    busy, elapsed = machine_after[0] - machine_before[0], machine_after[1] - machine_before[1]
    result["others_pct"] = max(0.0, busy - ours) * 100 / elapsed if elapsed else 0.0
    result["busy_pct"] = busy * 100 / elapsed if elapsed else 0.0
    return result, outputs


def write_script(args, work_dir, name, base, fest, keys, n_threads):
    nonce = uuid.uuid4().hex
    script = os.path.join(work_dir, f"payments-{name}-{keys}.lua")
    with open(script, "w") as f:
        f.write(LUA % {"wallets": ",".join(f'"{w}"' for w in fest["wallets"]), "token": fest["token"],
                       "stand": fest["stand"], "product": fest["product"],
                       "host": base.split("//", 1)[1], "threads": n_threads,
                       "seed": int(nonce[:6], 16),
                       "key_prefix": f"{nonce[:8]}-{nonce[8:12]}-7{nonce[12:15]}-8{nonce[15:18]}-",
                       "key_line": "" if args.no_key else KEY_LINES[keys]})
    return script


def bench_store(args, backend, store, n_processes, work_dir, cluster=None, n_festivals=1):
    """One festival (or one per server, @n_festivals = @n_processes) on a fresh @store served by
    @n_processes servers: the payment runs (and the health run on SQLite), the ledger's count,
    then --check once the servers are stopped."""
    label = f"{backend}-{n_processes}-{n_festivals}"
    subprocess.run([args.server] + store + ["--create-superadmin", "bench@example.org"],
                   input=PASSWORD + "\n", text=True, check=True, capture_output=True, timeout=60)
    servers, bases = [], []
    logs = [os.path.join(work_dir, f"server-{label}-{i}.log") for i in range(n_processes)]
    runs = []
    try:
        for log in logs:
            server, base = start_server(args, store, log)
            servers.append(server)
            bases.append(base)
        fests = [set_up_festival(bases[i]) for i in range(n_festivals)]
        pids = [server.pid for server in servers]
        for keys in args.keys:
            scripts = [write_script(args, work_dir, f"{label}-{i}", base, fests[i % n_festivals], keys,
                                    max(1, args.threads // len(bases)))
                       for i, base in enumerate(bases)]
            result, outputs = run_wrk(args, bases, scripts, pids, cluster, store[1] if cluster else None)
            runs.append((f"payments, {keys} keys", result))
            if args.verbose:
                print("\n".join(re.sub(r"^latency-histogram .*$", "", o, flags=re.M) for o in outputs))
        if backend == "sqlite":
            health, outputs = run_wrk(args, [bases[0] + "/api/v1/health"], [None], pids[:1])
            runs.append(("GET /health", health))
            if args.verbose:
                print(outputs[0])
        recorded = 0
        for fest in fests:
            status, body = api(bases[0], "GET", "/transactions?type=PAYMENT&per_page=1", fest["token"])
            recorded = recorded + body["meta"]["total"] if status == 200 and recorded >= 0 else -1
    finally:
        stop_servers(servers)
    exits = [server.returncode for server in servers]
    check = subprocess.run([args.server] + store + ["--check"], capture_output=True, text=True, timeout=600)
    problems = []
    for log in logs:
        with open(log, errors="replace") as f:
            # GLib's messages (starting, stopping) are the normal course; the rest is news.
            problems += [line.rstrip() for line in f if line.strip() and "-Message:" not in line]
    return {"backend": backend, "processes": n_processes, "festivals": n_festivals, "runs": runs,
            "recorded": recorded, "check": check, "exits": exits, "server_log": problems}


def describe(store):
    """"postgresql, 2 process(es)", and the festivals when more than one."""
    name = f"{store['backend']}, {store['processes']} process(es)"
    return name + (f", {store['festivals']} festivals" if store["festivals"] > 1 else "")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", default=os.environ.get("FESTIVALS_SERVER"))
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--verbose", action="store_true")
    # Diagnostic: send the payments without Idempotency-Key, so that every one is refused with 400
    # before any write job: the HTTP/routing/JSON ceiling of the same request.
    parser.add_argument("--no-key", action="store_true")
    parser.add_argument("--keys", default="station,random",
                        help="comma-separated idempotency key kinds, run in this order: station, random")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"),
                        help="the stores to measure (default: both when PostgreSQL is installed, else sqlite)")
    parser.add_argument("--processes", default="1,2,2x2",
                        help="comma-separated servers on one PostgreSQL database: 1, 2 (one festival), "
                             "2x2 (a festival each)")
    args = parser.parse_args()
    args.keys = [k.strip() for k in args.keys.split(",") if k.strip()]
    if not args.keys or any(k not in KEY_LINES for k in args.keys):
        sys.exit("bench-payments: --keys takes station and/or random")
    layouts = {"1": (1, 1), "2": (2, 1), "2x2": (2, 2)}
    args.processes = [p.strip() for p in args.processes.split(",") if p.strip()]
    if not args.processes or any(p not in layouts for p in args.processes):
        sys.exit("bench-payments: --processes takes 1, 2 and/or 2x2")
    args.processes = [layouts[p] for p in args.processes]
    if not args.server:
        sys.exit("bench-payments: give --server or set FESTIVALS_SERVER")
    if shutil.which("wrk") is None:
        sys.exit("bench-payments: wrk is not installed")
    bindir = pg_bindir()
    if args.backend is None:
        args.backend = "both" if bindir else "sqlite"
        if not bindir:
            print("bench-payments: PostgreSQL's server binaries are not installed (build-aux/install-deps.sh): "
                  "measuring SQLite only")
    if args.backend != "sqlite" and not bindir:
        sys.exit("bench-payments: PostgreSQL's server binaries (initdb, pg_ctl, createdb) are not installed; "
                 "run build-aux/install-deps.sh")
    # A test runner's timeout sends SIGTERM: unwind, so that the servers and the cluster stop.
    signal.signal(signal.SIGTERM,
                  lambda signum, frame: sys.exit("bench-payments: terminated, stopping the servers and the cluster"))

    work_dir = tempfile.mkdtemp(prefix="fest-bench-payments-")
    stores = []
    cluster = None
    pgbench = None
    pg_problems = []
    try:
        if args.backend in ("sqlite", "both"):
            data_dir = os.path.join(work_dir, "data")
            stores.append(bench_store(args, "sqlite", ["--data-dir", data_dir], 1, work_dir))
        if args.backend in ("postgresql", "both"):
            cluster = Cluster(bindir)
            cluster.start()
            for n, festivals in args.processes:
                url = cluster.create_database(f"bench_payments_{n}_{festivals}")
                stores.append(bench_store(args, "postgresql", ["--database", url], n, work_dir, cluster, festivals))
            reference = subprocess.run([PGBENCH_REFERENCE, cluster.dir, str(args.duration),
                                        str(wal_megabytes(args.duration))],
                                       capture_output=True, text=True, timeout=args.duration + 300)
            pgbench = reference.stdout.strip() if reference.returncode == 0 else \
                f"pgbench-reference.sh failed ({reference.returncode}): {reference.stderr.strip()}"
            pg_problems = cluster.log_problems()
    finally:
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(work_dir, ignore_errors=True)

    print()
    print(f"festivals-server payments benchmark: {args.connections} keep-alive connections, "
          f"{args.threads} wrk threads (shared out between the wrk of several servers), {args.duration} s each, "
          f"{N_WALLETS} wallets, a fresh Idempotency-Key per payment; SQLite in WAL + synchronous=FULL, "
          f"PostgreSQL with its default durability (fsync, synchronous_commit on)")
    print()
    print(f"| {'backend':<10} | {'proc/fest':>9} | {'load':<23} | {'req/s':>8} | {'p50 ms':>7} | {'p99 ms':>7} "
          f"| {'requests':>8} | {'failed':>6} | {'--check':<7} | targets")
    print(f"|{'-' * 12}|{'-' * 11}|{'-' * 25}|{'-' * 10}|{'-' * 9}|{'-' * 9}|{'-' * 10}|{'-' * 8}|{'-' * 9}|{'-' * 30}")
    one_process = {}
    for s in stores:
        first = s["runs"][0][1]
        if s["backend"] == "postgresql" and s["processes"] == 1:
            one_process = first
    goals = []
    for s in stores:
        check = "pass" if s["check"].returncode == 0 else f"FAIL {s['check'].returncode}"
        for i, (load, r) in enumerate(s["runs"]):
            targets = []
            # The targets apply to the first kind of keys.
            if i == 0 and s["backend"] == "sqlite":
                health = dict(s["runs"])["GET /health"]
                ratio = r["rate"] / health["rate"] if health["rate"] else 0
                targets = [(">= 10000/s", r["rate"] >= 10000), ("p99 <= 10 ms", r["p99"] <= 10),
                           (f">= 50 % of health ({ratio * 100:.0f} %)", ratio >= 0.5)]
            # One festival: the workload. A festival per server shows what processes add
            # when their festivals differ (each festival's batches take a lock of their own).
            elif i == 0 and s["backend"] == "postgresql" and s["festivals"] == 1:
                targets = [(">= 5000/s", r["rate"] >= 5000), ("p99 <= 20 ms", r["p99"] <= 20)]
                if s["processes"] == 2 and one_process:
                    targets.append((">= 1 process", r["rate"] >= one_process["rate"]))
            goals += [(f"{describe(s)}, {load}: {goal}", met) for goal, met in targets]
            failed = r["non2xx"] + r["socket_error_count"]
            print(f"| {s['backend']:<10} | {s['processes']:>4}/{s['festivals']:<4} | {load:<23} | {r['rate']:>8.0f} "
                  f"| {r['p50']:>7.2f} | {r['p99']:>7.2f} | {r['total']:>8} | {failed:>6} | {check:<7} | "
                  + ", ".join(f"[{'x' if met else ' '}] {goal}" for goal, met in targets))
    if pgbench:
        print()
        print(f"Same cluster, after the festivals runs: {pgbench}")
    print()
    for s in stores:
        name = describe(s)
        for load, r in s["runs"]:
            threads = ", ".join(f"{thread} {us:.0f}"
                                for thread, us in sorted(r["cpu_us"].items(), key=lambda t: -t[1]))
            line = (f"CPU per request, {name}, {load} (µs): festivals-server by thread: {threads}; "
                    f"wrk {r['wrk_us']:.0f}")
            if "pg_cpu_us" in r:
                kinds = ", ".join(f"{kind} {us:.0f}"
                                  for kind, us in sorted(r["pg_cpu_us"].items(), key=lambda t: -t[1]) if us >= 0.5)
                line += f"; PostgreSQL {sum(r['pg_cpu_us'].values()):.0f} ({kinds})"
            # What the run's own processes spend per request bounds its rate on these cores, however
            # idle the machine.
            spent = sum(r["cpu_us"].values()) + r["wrk_us"] + sum(r.get("pg_cpu_us", {}).values())
            line += (f"; all {spent:.0f}, so at most {os.cpu_count() * 1e6 / spent:.0f}/s on {os.cpu_count()} cores"
                     f"; the machine's cores {r['busy_pct']:.0f} % busy, {r['others_pct']:.0f} % of them outside the "
                     f"run's processes (others' work, kernel threads)")
            print(line)
            if load.startswith("payments"):
                line = f"  written to disk per payment: {r['written_kb']:.1f} KiB"
                if "pg_written_kb" in r:
                    line += " (" + ", ".join(f"{kind} {kb:.1f}"
                                             for kind, kb in sorted(r["pg_written_kb"].items(), key=lambda t: -t[1])
                                             if kb >= 0.05) + ")"
                if "pg_per_payment" in r:
                    (commits, rollbacks, inserted, updated, deleted, fetched, deadlocks, wal,
                     syncs, scanned) = r["pg_per_payment"]
                    line += (f"\n  PostgreSQL per payment: {commits:.3f} commits, {rollbacks:.3f} rollbacks, "
                             f"rows {inserted:.1f} inserted, {updated:.1f} updated, {deleted:.1f} deleted, "
                             f"{fetched:.1f} read by index, {scanned:.1f} by sequential scans, "
                             f"{wal / 1024:.2f} KiB of WAL, {syncs:.3f} WAL flushes "
                             f"(payments per flush: {1 / syncs if syncs else 0:.1f}); "
                             f"deadlocks in the run: {deadlocks * r['total']:.0f}")
                if "latency" in r:
                    line += f"; latency of the {s['processes']} wrk: {r['latency']}"
                print(line)
        sent = sum(r["total"] for load, r in s["runs"] if load.startswith("payments"))
        failed = sum(r["non2xx"] for load, r in s["runs"] if load.startswith("payments"))
        socket_errors = "; ".join(r["socket_errors"] for load, r in s["runs"] if r["socket_errors"])
        print(f"{name}: payments recorded in the ledger: {s['recorded']} (wrk sent {sent}, non-2xx {failed}, "
              f"socket errors: {socket_errors or 'none'}); server exits {s['exits']}")
        print(f"{name}: festivals-server --check: exit {s['check'].returncode} {s['check'].stdout.strip()} "
              f"{s['check'].stderr.strip()}")
        if s["server_log"]:
            print(f"{name}: the servers logged {len(s['server_log'])} warning or error line(s), the first ones:")
            for line in s["server_log"][:10]:
                print(f"    {line}")
    if cluster is not None:
        print(f"PostgreSQL log: {len(pg_problems)} ERROR/FATAL/WARNING/deadlock line(s)"
              + (", the first ones:" if pg_problems else ""))
        for line in pg_problems[:10]:
            print(f"    {line}")
    print()
    failed = sum(r["non2xx"] + r["socket_error_count"] for s in stores for load, r in s["runs"]
                 if load.startswith("payments"))
    checks_pass = all(s["check"].returncode == 0 for s in stores)
    goals += [("no failed payment", failed == 0), ("--check passes after every run", checks_pass)]
    for goal, met in goals:
        print(f"  [{'x' if met else ' '}] {goal}")
    # A benchmark reports; it fails only when the server misbehaved, not when it is slow.
    if args.no_key:
        return 0
    return 0 if failed == 0 and checks_pass else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        # The finally clauses have stopped the servers and the cluster by now.
        sys.exit("bench-payments: interrupted")
