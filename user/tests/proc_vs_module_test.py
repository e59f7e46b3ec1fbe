#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
"""The /proc source against the module, in the VM with threadstat.ko
loaded: the same threads, CPUs and machine read module, /proc, module.
Fields that do not move must be equal; counters that only grow must lie
between the two module reads (less /proc's rounding: USER_HZ ticks for
times, whole seconds for btime, hundredths for uptime and load).

usage: proc_vs_module_test.py THREADSTAT THREADTOP
Ends with "proc-vs-module: N passed, N failed".
"""
import json
import os
import re
import subprocess
import sys

from named_workload import TICK_NS, Workload
from suite import Suite

STAT, TOP = sys.argv[1], sys.argv[2]
suite = Suite("proc-vs-module")
test, finish = suite.test, suite.finish

EQUAL = ("tid", "tgid", "ppid", "comm", "uid", "kthread", "policy", "nice",
         "prio", "static-prio", "rt-priority", "cpus-allowed",
         "nr-cpus-allowed")
GROWING = ("sum-exec-runtime", "run-delay", "pcount", "nvcsw", "nivcsw",
           "nr-migrations", "min-flt", "maj-flt")
TICKED = ("utime", "stime")


def run(binary, *args, env=None):
    p = subprocess.run([binary, *args], capture_output=True, text=True,
                       timeout=300, env=env)
    assert p.returncode == 0, (args, p.returncode, p.stderr)
    return p


def three(*args):
    """module, proc, module: the /proc read between two module reads."""
    out = []
    for src in ("module", "proc", "module"):
        p = run(STAT, *args, "--source", src, "--json")
        assert ("reading /proc" in p.stderr) == (src == "proc"), p.stderr
        out.append(json.loads(p.stdout))
    return out


def between(name, lo, v, hi, slack=0):
    assert lo - slack <= v <= hi, f"{name}: {lo} <= {v} <= {hi} (-{slack})"


work = Workload("pm")


@test
def module_is_what_auto_uses():
    p = run(STAT, "threads", "--pid", str(work.pid), "--json")
    assert "reading /proc" not in p.stderr, p.stderr
    rows = json.loads(p.stdout)
    leader = next(r for r in rows if r["tid"] == work.pid)
    assert "exited-utime" in leader["process"], leader


@test
def threads_agree():
    m0, pr, m1 = (sorted(x, key=lambda r: r["tid"])
                  for x in three("threads", "--pid", str(work.pid)))
    assert [r["tid"] for r in m0] == [r["tid"] for r in pr] == \
        [r["tid"] for r in m1] == sorted(work.names), (m0, pr)
    for a, p, b in zip(m0, pr, m1):
        for k in EQUAL:
            assert a.get(k) == p.get(k) == b.get(k), (k, a, p, b)
        # /proc counts start time in ticks: the module's, rounded down.
        between("start-time", a["start-time"] - TICK_NS + 1, p["start-time"],
                a["start-time"])
        for k in GROWING:
            between(k, a[k], p[k], b[k])
        for k in TICKED:
            between(k, a[k], p[k], b[k], TICK_NS)
        if p["comm"].endswith("-nap-0"):
            assert a["state"] == p["state"] == b["state"] == "S", (a, p, b)
        if p["tid"] == work.pid:
            pa, pp, pb = a["process"], p["process"], b["process"]
            for k in ("nr-threads", "vm-size", "rss-shmem", "swap"):
                assert pa[k] == pp[k] == pb[k], (k, pa, pp, pb)
            for k in ("rss-anon", "rss-file"):
                between(k, min(pa[k], pb[k]), pp[k], max(pa[k], pb[k]))
            assert "exited-utime" in pa and "exited-utime" not in pp, pp
    burn = next(p for p in pr if p["comm"] == "pm-burn")
    assert burn["sum-exec-runtime"] >= 50_000_000, burn


@test
def one_thread_agrees():
    t = work.burner
    a, p, b = (x if isinstance(x, dict) else x[0]
               for x in three("thread", str(t)))
    assert a["tid"] == p["tid"] == b["tid"] == t, (a, p)
    for k in EQUAL:
        assert a.get(k) == p.get(k) == b.get(k), (k, a, p, b)
    between("sum-exec-runtime", a["sum-exec-runtime"], p["sum-exec-runtime"],
            b["sum-exec-runtime"])


def load_between(a, p, b):
    """/proc's load (hundredths) within the module's reads around it; the
    load moves every 5 s, up or down, so a read that straddles a turn is
    taken again."""
    return all(min(a[k], b[k]) - 10 <= p[k] <= max(a[k], b[k]) + 10
               for k in ("load-1", "load-5", "load-15"))


@test
def system_agrees():
    for _ in range(5):
        a, p, b = three("system")
        if load_between(a, p, b):
            break
    assert load_between(a, p, b), (a, p, b)
    for k in ("cpus-possible", "cpus-online"):
        assert a[k] == p[k] == b[k], (k, a, p, b)
    between("boot-time", a["boot-time"] - 10**9 + 1, p["boot-time"],
            a["boot-time"])
    between("uptime", a["uptime"], p["uptime"], b["uptime"], 10**7)
    for k in ("nr-processes", "nr-threads"):
        # our own runs come and go between the reads
        assert abs(p[k] - a[k]) <= 5, (k, a, p, b)
    assert "nr-running" in a and "nr-running" not in p, p


@test
def cpus_agree():
    a, p, b = three("cpus")
    assert [c["cpu"] for c in a] == [c["cpu"] for c in p], (a, p)
    for ca, cp, cb in zip(a, p, b):
        for k in ("online", "package-id", "die-id", "core-id", "siblings"):
            assert ca.get(k) == cp.get(k) == cb.get(k), (k, ca, cp, cb)
        if not cp["online"]:
            continue
        for k in ("user", "nice", "system", "idle", "iowait", "irq",
                  "softirq", "steal"):
            between(f"cpu{cp['cpu']} {k}", ca[k], cp[k], cb[k], TICK_NS)
        assert "nr-running" in ca and "nr-running" not in cp, cp


@test
def threadtop_rows_agree():
    rows = {}
    env = dict(os.environ, COLUMNS="120",
               XDG_CONFIG_HOME=f"/tmp/pm-test-{os.getpid()}")
    for src in ("module", "proc"):
        out = run(TOP, "-b", "-n", "1", "-H", "--source", src, "-p",
                  str(work.pid), "-o", "tid,policy,prio,nice,threads,comm",
                  env=env).stdout
        rows[src] = sorted(line.split() for line in out.splitlines()
                           if re.match(r"\s*\d+\s", line))
    assert len(rows["proc"]) == len(work.names), rows
    assert rows["module"] == rows["proc"], rows


work.stop()
finish()
