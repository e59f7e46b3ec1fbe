#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
"""threadstat exporter tests, run as root in a VM with threadstat.ko loaded:
the exporter scraped every second by a real Prometheus (Debian's), its
answers checked through Prometheus's HTTP API, promtool and /proc.

usage: exporter_test.py THREADSTAT_BINARY
Prints one "ok"/"not ok" line per test and ends with "N passed, N failed".
"""
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

from hostile import hostile_process, shown
from suite import Skip, Suite

BIN = sys.argv[1]
suite = Suite("exporter")
test, finish = suite.test, suite.finish

# A child process whose threads burn known CPU, named (process and threads)
# after its kind before it starts any thread, so that every thread it ever
# has inherits the name. "ts_spin": one thread spinning for ever, at nice
# -20 so that it has a whole CPU. "ts_pool": threads one after the other,
# each burning POOL_BURN s of its own CPU and exiting (most live and die
# between two scrapes). Once a second it prints the CPU the whole process
# has used (CLOCK_PROCESS_CPUTIME_ID: its exited threads included).
WORKLOAD = r"""
import ctypes, os, sys, threading, time
ctypes.CDLL(None).prctl(15, sys.argv[1].encode(), 0, 0, 0)    # PR_SET_NAME
def spin():
    os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), -20)
    while True:
        pass
def worker():
    t0 = time.thread_time()
    while time.thread_time() - t0 < float(sys.argv[2]):
        pass
def pool():
    while True:
        t = threading.Thread(target=worker)
        t.start()
        t.join()
threading.Thread(target=spin if sys.argv[1] == "ts_spin" else pool,
                 daemon=True).start()
print("ready", flush=True)
while True:
    time.sleep(1)
    print(f"{time.monotonic()} {time.process_time()}", flush=True)
"""
POOL_BURN = 0.05


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url, accept=None, timeout=30):
    req = urllib.request.Request(url)
    if accept:
        req.add_header("Accept", accept)
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return r.status, r.headers.get("Content-Type"), r.read()


def wait_for(what, cond, deadline=120):
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        try:
            v = cond()
            if v:
                return v
        except (OSError, ValueError, KeyError, IndexError):
            pass
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def start_exporter(*args):
    port = free_port()
    p = subprocess.Popen([BIN, "exporter", "--listen", f"127.0.0.1:{port}",
                          *args], stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}/metrics"
    wait_for("the exporter", lambda: http_get(url)[0] == 200, 60)
    return p, url


def stop(p):
    p.send_signal(signal.SIGTERM)
    try:
        rc = p.wait(timeout=60)
    except subprocess.TimeoutExpired:
        p.kill()
        raise AssertionError("the exporter ignored SIGTERM")
    assert rc == 0, f"exporter exit status {rc}: {p.stderr.read()}"


def start_workload(kind):
    p = subprocess.Popen([sys.executable, "-c", WORKLOAD, f"ts_{kind}",
                          str(POOL_BURN)], stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "ready"
    return p


# ---- the exposition, parsed (both formats) ----

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)')


def unescape(v):
    return re.sub(r'\\(.)', lambda m: {"n": "\n"}.get(m[1], m[1]), v)


def parse(body):
    """[(name, {label: value}, float)] of every sample; asserts syntax."""
    text = body.decode("utf-8")         # strict: raises on invalid UTF-8
    out = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = SAMPLE.match(line)
        assert m, f"bad sample line {line!r}"
        labels, rest = {}, m[3] or ""
        while rest:
            lm = LABEL.match(rest)
            assert lm, f"bad labels in {line!r}"
            labels[lm[1]] = unescape(lm[2])
            rest = rest[lm.end():]
        out.append((m[1], labels, float(m[4])))
    return out


def value(samples, name, **labels):
    return sum(v for n, lab, v in samples
               if n == name and all(lab.get(k) == w
                                    for k, w in labels.items()))


# ---- Prometheus ----

class Prometheus:
    def __init__(self, target):
        self.dir = tempfile.mkdtemp(prefix="prom")
        self.port = free_port()
        cfg = os.path.join(self.dir, "prometheus.yml")
        with open(cfg, "w") as f:
            f.write("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                    "scrape_configs:\n  - job_name: threadstat\n"
                    f"    static_configs:\n      - targets: ['{target}']\n")
        self.p = subprocess.Popen(
            ["prometheus", f"--config.file={cfg}",
             f"--storage.tsdb.path={self.dir}/data",
             f"--web.listen-address=127.0.0.1:{self.port}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for("prometheus", lambda: http_get(
            f"http://127.0.0.1:{self.port}/-/ready")[0] == 200, 120)

    def query(self, q, matrix=False):
        url = (f"http://127.0.0.1:{self.port}/api/v1/query?" +
               urllib.parse.urlencode({"query": q}))
        r = json.loads(http_get(url)[2])
        assert r["status"] == "success", r
        if matrix:
            return [s["values"] for s in r["data"]["result"]]
        return [(s["metric"], float(s["value"][1]))
                for s in r["data"]["result"]]

    def range(self, q, seconds, step):
        """The values of @q over the last @seconds, every @step s."""
        end = time.time()
        url = (f"http://127.0.0.1:{self.port}/api/v1/query_range?" +
               urllib.parse.urlencode({"query": q, "start": end - seconds,
                                       "end": end, "step": step}))
        r = json.loads(http_get(url)[2])
        assert r["status"] == "success", r
        return [float(v) for s in r["data"]["result"] for _, v in s["values"]]

    def raw_rate(self, selector, seconds):
        """Per second between the first and last samples Prometheus stored
        in the last @seconds, summed over the series of @selector: no
        extrapolation, which under-counts windows that lost scrapes."""
        total = 0.0
        for s in self.query(f"{selector}[{seconds}s]", matrix=True):
            (t0, v0), (t1, v1) = s[0], s[-1]
            assert t1 - t0 >= seconds / 3, s
            total += (float(v1) - float(v0)) / (t1 - t0)
        return total

    def scalar(self, q):
        r = self.query(q)
        assert len(r) == 1, f"{q}: {r}"
        return r[0][1]

    def stop(self):
        self.p.terminate()
        self.p.wait(timeout=60)
        shutil.rmtree(self.dir, ignore_errors=True)


exporter, metrics_url = start_exporter()
target = metrics_url.split("/")[2]


@test
def help_and_bad_usage():
    p = subprocess.run([BIN, "exporter", "--help"], capture_output=True,
                       text=True, timeout=30)
    assert p.returncode == 0 and "--max-series" in p.stdout, p
    assert "restarts" in p.stdout, "--help says when counters reset"
    for bad in (["--group-by", "nope"], ["--listen", "nocolon"]):
        p = subprocess.run([BIN, "exporter", *bad], capture_output=True,
                           text=True, timeout=30)
        assert p.returncode == 2, (bad, p.returncode, p.stderr)


@test
def values_match_proc():
    """The ts_spin group's CPU seconds (every thread of the ts_spin
    process) lie between the sums of /proc's runtimes of its threads read
    before and after the scrape; the threads gauges count them."""
    w = start_workload("spin")
    try:
        def runtime():
            total = 0
            for t in os.listdir(f"/proc/{w.pid}/task"):
                with open(f"/proc/{w.pid}/task/{t}/schedstat") as f:
                    total += int(f.read().split()[0])
            return total / 1e9
        before = runtime()
        s = parse(http_get(metrics_url)[2])
        after = runtime()
        cpu = value(s, "threadstat_thread_cpu_seconds_total",
                    process="ts_spin", thread="ts_spin")
        assert before <= cpu + 1e-6 and cpu <= after + 1e-6, \
            (before, cpu, after)
        assert value(s, "threadstat_threads", process="ts_spin",
                     thread="ts_spin", state="running") == 1
        assert value(s, "threadstat_process_threads", process="ts_spin") \
            == len(os.listdir(f"/proc/{w.pid}/task")) == 2
        with open(f"/proc/{w.pid}/status") as f:
            rss = int(re.search(r"VmRSS:\s+(\d+)", f.read())[1]) * 1024
        res = sum(value(s, "threadstat_process_memory_bytes",
                        process="ts_spin", memtype=k)
                  for k in ("resident_anon", "resident_file",
                            "resident_shmem"))
        assert abs(res - rss) <= 0.1 * rss, (res, rss)
        cpus = os.cpu_count()
        assert len({lab["cpu"] for n, lab, _ in s
                    if n == "threadstat_cpu_online"}) == cpus
    finally:
        w.kill()
        w.wait()


@test
def promtool_and_hostile_names():
    """Both formats pass promtool check metrics with hostile thread names,
    are valid UTF-8, and give back each name as the tables show it."""
    p, names = hostile_process()
    try:
        for accept in (None, "application/openmetrics-text; version=1.0.0"):
            status, ctype, body = http_get(metrics_url, accept)
            assert status == 200
            om = accept is not None
            assert ctype.startswith("application/openmetrics-text" if om
                                    else "text/plain; version=0.0.4"), ctype
            if om:
                assert body.endswith(b"# EOF\n")
            else:
                lint = subprocess.run(["promtool", "check", "metrics"],
                                      input=body, capture_output=True,
                                      timeout=300)
                assert lint.returncode == 0 and not lint.stdout.strip() \
                    and not lint.stderr.strip(), (lint.stdout, lint.stderr)
            got = {lab["thread"] for n, lab, _ in parse(body)
                   if n == "threadstat_threads" and "thread" in lab}
            for tid, name in names.items():
                assert shown(name).decode() in got, (name, shown(name))
    finally:
        p.kill()
        p.wait()


@test
def series_cap_counts_drops():
    e, url = start_exporter("--max-series", "40")
    try:
        s = parse(http_get(url)[2])
        s = parse(http_get(url)[2])
        own = [x for x in s if not x[0].startswith("threadstat_exporter_")]
        assert 0 < len(own) <= 40, len(own)
        assert value(s, "threadstat_exporter_series") == len(own)
        assert value(s, "threadstat_exporter_series_dropped_total") > 0
    finally:
        stop(e)


@test
def group_by_tid():
    e, url = start_exporter("--group-by", "tid,thread", "--pid",
                            str(os.getpid()))
    try:
        s = parse(http_get(url)[2])
        tids = {lab["tid"] for n, lab, _ in s
                if n == "threadstat_thread_migrations_total"}
        assert tids == set(os.listdir("/proc/self/task")), tids
    finally:
        stop(e)


stop(exporter)    # SIGTERM: exit status 0 (ASan: no leak)

# Prometheus scrapes the release build: under qemu TCG the ASan build's
# scrape can exceed the 1 s scrape timeout (a failed scrape is a gap).
RELEASE = BIN.replace("/asan/", "/release/")
if os.path.exists(RELEASE):
    BIN = RELEASE
fast, fast_url = start_exporter()
prom = Prometheus(fast_url.split("/")[2])
# Both workloads run at once while Prometheus scrapes: one wait for both.
spin = start_workload("spin")
pool = start_workload("pool")
began = time.monotonic()
burn = []       # (monotonic, CPU the pool's workers burned so far)
while time.monotonic() - began < 40:
    burn.append([float(x) for x in pool.stdout.readline().split()])
# Scrapes that made Prometheus's 1 s timeout in the last 30 s. On a host
# so loaded that the guest cannot answer within it, there is nothing to
# measure a rate from: the two tests below skip, saying so.
good = prom.query('sum_over_time(up[30s])')
good = good[0][1] if good else 0


def enough_scrapes():
    print(f"# {good:.0f} good scrapes in 30 s", file=sys.stderr)
    if good < 5:
        raise Skip(f"Prometheus got {good:.0f} of ~30 scrapes within its "
                   "1 s timeout: the guest is too slow to measure rates")


@test
def spinning_thread_rate_is_one():
    enough_scrapes()
    # rate[10s] every 2 s of the last 30: a loaded TCG guest misses some
    # 1 s scrape timeouts, and a window without two samples has no rate.
    rates = prom.range('sum(rate(threadstat_thread_cpu_seconds_total'
                       '{thread="ts_spin"}[10s]))', 30, 2)
    raw = prom.raw_rate('threadstat_thread_cpu_seconds_total'
                        '{thread="ts_spin"}', 30)
    print(f"# ts_spin rate[10s]: {' '.join(f'{r:.3f}' for r in rates)}; "
          f"between its first and last samples of 30 s: {raw:.3f}",
          file=sys.stderr)
    assert 0.9 <= raw <= 1.1, raw
    # rate() extrapolates a window's samples only part of the way to its
    # ends: with every scrape in, it is the same; with lost ones, lower.
    if good >= 27:
        assert len(rates) >= 3, rates
        assert 0.9 <= statistics.median(rates) <= 1.1, rates


@test
def churning_pool_rate_without_resets():
    enough_scrapes()
    t1, b1 = burn[-1]
    t0, b0 = next((t, b) for t, b in burn if t >= t1 - 30)
    burned = (b1 - b0) / (t1 - t0)
    rate = prom.raw_rate('threadstat_thread_cpu_seconds_total'
                         '{thread="ts_pool"}', 30)
    print(f"# the pool process used {burned:.3f} CPU/s over {t1 - t0:.1f} s, "
          f"Prometheus's samples {rate:.3f}; scrapes took at most "
          f"{prom.scalar('max_over_time(scrape_duration_seconds[30s])'):.3f}"
          " s", file=sys.stderr)
    assert abs(rate - burned) <= 0.1 * burned, (rate, burned)
    for name in ("threadstat_thread_cpu_seconds_total",
                 "threadstat_thread_context_switches_total",
                 "threadstat_thread_page_faults_total",
                 "threadstat_thread_migrations_total"):
        r = prom.query(f'resets({name}{{thread="ts_pool"}}[35s])')
        assert r and all(v == 0 for _, v in r), (name, r)


for w in (spin, pool):
    w.kill()
    w.wait()
prom.stop()
stop(fast)
finish()
