#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
"""threadtop's exited rows (issue 16): a pool spawns and reaps short-lived
named workers, one at a time, each burning a known amount of CPU; every
worker must show up in threadtop -b as a tomb with its name, its lifetime
and its CPU time (from its exit event: within 10% of what the worker
measured), and its process's TIME must hold them. The -H run records
(-w): its replay (-r) shows the same exited rows.

usage: exits_test.py THREADTOP (the module loaded)"""
import atexit
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from suite import Suite  # noqa: E402

THREADTOP = sys.argv[1]
WORKERS = 12
BURN_NS = 20 * 10**6
RECORDING = os.path.join(tempfile.mkdtemp(prefix="exits-"), "rec")
atexit.register(shutil.rmtree, os.path.dirname(RECORDING), True)

POOL = r"""
import json, os, sys, threading, time
burn, n = int(sys.argv[1]), int(sys.argv[2])
def comm(name):
    with open(f"/proc/self/task/{threading.get_native_id()}/comm", "w") as f:
        f.write(name)
comm("exw-main")
print("ready", flush=True)
sys.stdin.readline()
done = []
def work(i, rec):
    rec["entered"] = time.monotonic_ns()
    rec["tid"] = threading.get_native_id()
    comm(f"exw-w{i}")
    start = time.thread_time_ns()
    while time.thread_time_ns() - start < burn:
        pass
    rec["cpu"] = time.thread_time_ns()
    rec["left"] = time.monotonic_ns()
for i in range(n):
    rec = {"name": f"exw-w{i}", "created": time.monotonic_ns()}
    t = threading.Thread(target=work, args=(i, rec))
    t.start()
    t.join()
    # A join returns before the thread is gone: wait until /proc says.
    while os.path.exists(f"/proc/self/task/{rec['tid']}"):
        time.sleep(0.0005)
    rec["gone"] = time.monotonic_ns()
    done.append(rec)
    time.sleep(0.05)
print(json.dumps(done), flush=True)
sys.stdin.readline()
"""

NOTE = re.compile(r"^\s*(\d+)\s.*?(\S+)\s+exited: lived ([\d.]+) ms, "
                  r"CPU ([\d.]+) ms, switches (\d+)\+(\d+)")


class Top:
    """threadtop -b ARGS, its output collected as it comes."""

    def __init__(self, args):
        env = dict(os.environ, COLUMNS="400", NO_COLOR="1")
        self.p = subprocess.Popen([THREADTOP, "-b", "-d", "2", "-n", "1000"]
                                  + args, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, env=env)
        self.lines = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.p.stdout:
            self.lines.append(line)

    def wait_frame(self, timeout=120):
        end = time.time() + timeout
        while not any(x.startswith("threadtop - ") for x in self.lines):
            assert time.time() < end and self.p.poll() is None, \
                "threadtop printed no frame"
            time.sleep(0.1)

    def stop(self):
        self.p.send_signal(signal.SIGTERM)
        err = self.p.stderr.read()
        self.p.wait(timeout=120)
        self.reader.join(timeout=60)
        assert self.p.returncode == 0, f"threadtop: {self.p.returncode} {err}"
        return "".join(self.lines)


def run_pool():
    pool = subprocess.Popen([sys.executable, "-c", POOL, str(BURN_NS),
                             str(WORKERS)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert pool.stdout.readline().strip() == "ready"
    threads = Top(["-H", "-p", str(pool.pid), "-w", RECORDING])
    procs = Top(["-p", str(pool.pid)])
    threads.wait_frame()    # both subscribed (ASan starts slowly)
    procs.wait_frame()
    pool.stdin.write("go\n")
    pool.stdin.flush()
    workers = json.loads(pool.stdout.readline())
    time.sleep(2)       # a sample after the last exit
    out_threads, out_procs = threads.stop(), procs.stop()
    pool.stdin.write("end\n")
    pool.stdin.flush()
    pool.wait(timeout=60)
    return pool.pid, workers, out_threads, out_procs


PID, WORKERS_SEEN, OUT_THREADS, OUT_PROCS = run_pool()
suite = Suite("exits")


def within(v, lo, hi):
    return lo * 0.9 <= v <= hi * 1.1


@suite.test
def every_worker_is_a_tomb_with_its_numbers():
    tombs = {}
    for line in OUT_THREADS.splitlines():
        m = NOTE.match(line)
        if m:
            tombs[int(m[1])] = m
    assert len(WORKERS_SEEN) == WORKERS
    for w in WORKERS_SEEN:
        m = tombs.get(w["tid"])
        assert m, f"no exited row for {w['name']} ({w['tid']}):\n" + \
            OUT_THREADS[:3000]
        assert m[2] == w["name"], (m[2], w)
        lived, cpu = float(m[3]) * 1e6, float(m[4]) * 1e6
        print(f"# {w['name']}: lived {lived / 1e6:.1f} ms (ran "
              f"{(w['left'] - w['entered']) / 1e6:.1f}, create..gone "
              f"{(w['gone'] - w['created']) / 1e6:.1f}), CPU "
              f"{cpu / 1e6:.1f} ms (measured {w['cpu'] / 1e6:.1f})")
        # CPU: at least what it measured just before returning, at most
        # that plus the time until it was gone; lifetime: at least its
        # own run, at most create..gone.
        assert within(cpu, w["cpu"], w["cpu"] + w["gone"] - w["left"]), \
            (cpu, w)
        assert within(lived, w["left"] - w["entered"],
                      w["gone"] - w["created"]), (lived, w)


def tomb_notes(out):
    """tid: (name, lived, CPU, switches) of every exited row's note."""
    return {int(m[1]): m.groups()[1:] for m in map(NOTE.match,
                                                   out.splitlines()) if m}


@suite.test
def replay_shows_the_same_exited_rows():
    env = dict(os.environ, COLUMNS="400", NO_COLOR="1")
    r = subprocess.run([THREADTOP, "-b", "-H", "-r", RECORDING],
                       capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, (r.returncode, r.stderr)
    live, replayed = tomb_notes(OUT_THREADS), tomb_notes(r.stdout)
    for w in WORKERS_SEEN:
        assert w["tid"] in replayed, \
            f"no replayed exited row for {w['name']}:\n" + r.stdout[:3000]
        assert replayed[w["tid"]] == live[w["tid"]], \
            (replayed[w["tid"]], live[w["tid"]])
    counts = [int(n) for n in re.findall(r"; exited (\d+)", r.stdout)]
    assert sum(counts) >= WORKERS, counts
    print(f"# replayed {len(replayed)} exited rows of "
          f"{os.path.getsize(RECORDING)} bytes of recording")


@suite.test
def header_counts_exits():
    counts = [int(n) for n in re.findall(r"; exited (\d+)", OUT_THREADS)]
    assert sum(counts) >= WORKERS, counts
    assert "events lost" not in OUT_THREADS


def proc_times(out):
    """(TIME in ns, CPU%) of the pool's process row, frame by frame."""
    rows, in_frame = [], False
    for line in out.splitlines():
        f = line.split()
        if line.startswith("threadtop - "):
            in_frame = True
        # The process row comes first, its threads (tid = PID) below.
        if in_frame and len(f) > 14 and f[0] == str(PID):
            mm, ss = f[13].split(":")
            rows.append(((int(mm) * 60 + float(ss)) * 1e9, float(f[7])))
            in_frame = False
    return rows


@suite.test
def process_totals_hold_the_workers():
    rows = proc_times(OUT_PROCS)
    assert rows, OUT_PROCS[-3000:]
    used = sum(w["cpu"] for w in WORKERS_SEEN)
    assert rows[-1][0] >= used * 0.9, (rows[-1], used)
    # The pool's main thread sleeps: only the workers make it busy.
    assert max(pct for _, pct in rows) >= 5, rows


suite.finish()
