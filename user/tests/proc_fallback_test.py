#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
"""The /proc source, end to end, on any host (no module needed): threadstat
--source proc and threadtop -b --source proc on a workload of our own with
named threads, one burning CPU, checked against /proc itself. Values that
move are bracketed by /proc reads taken before and after the tool ran.

usage: proc_fallback_test.py THREADSTAT THREADTOP
Ends with "proc-fallback: N passed, N failed".
"""
import json
import os
import re
import subprocess
import sys

from hostile import hostile_process, shown
from named_workload import (TICK_NS, Workload, cpu_list, read, schedstat,
                            status, tids)
from suite import Suite

STAT, TOP = sys.argv[1], sys.argv[2]
suite = Suite("proc-fallback")
test, finish = suite.test, suite.finish


def run(binary, *args, check=True, env=None):
    p = subprocess.run([binary, *args], capture_output=True, text=True,
                       timeout=120, env=env)
    if check and p.returncode != 0:
        raise AssertionError(f"{args}: exit {p.returncode}: {p.stderr}")
    return p


def stat_fields(pid, tid):
    """/proc/PID/task/TID/stat from field 3 on, as a list (index 0 = 3)."""
    s = read(pid, tid, "stat")
    return s[s.rindex(")") + 2:].split()


work = Workload("pf")
PID, names, burner = work.pid, work.names, work.burner


@test
def threads_json_matches_proc():
    before = {t: (schedstat(PID, t), status(PID, t, "voluntary_ctxt_switches"))
              for t in tids(PID)}
    p = run(STAT, "threads", "--source", "proc", "--pid", str(PID), "--json")
    after = {t: (schedstat(PID, t), status(PID, t, "voluntary_ctxt_switches"))
             for t in tids(PID)}
    rows = json.loads(p.stdout)
    assert sorted(r["tid"] for r in rows) == tids(PID), rows
    assert sorted(r["comm"] for r in rows) == sorted(
        ["pf-main", "pf-burn", "pf-nap-0", "pf-nap-1", "pf-nap-2"]), rows
    for r in rows:
        t = r["tid"]
        f = stat_fields(PID, t)
        assert r["comm"] == names[t], (r, names[t])
        assert r["tgid"] == PID and r["ppid"] == os.getpid(), r
        assert r["uid"] == os.getuid(), r
        assert r["start-time"] == int(f[19]) * TICK_NS, (r, f[19])
        assert r["policy"] == "normal" and r["nice"] == int(f[16]), r
        assert r["prio"] == int(f[15]) and r["static-prio"] == 120 + r["nice"]
        assert r["cpus-allowed"] == cpu_list(
            status(PID, t, "Cpus_allowed_list")), r
        assert r["nr-cpus-allowed"] == len(r["cpus-allowed"]), r
        (s0, v0), (s1, v1) = before[t], after[t]
        assert s0[0] <= r["sum-exec-runtime"] <= s1[0], (s0, r, s1)
        assert s0[1] <= r["run-delay"] <= s1[1], (s0, r, s1)
        assert int(v0) <= r["nvcsw"] <= int(v1), (v0, r, v1)
        # What /proc does not have is absent, never 0.
        for key in ("on-cpu", "withheld", "wait-sum", "stack", "regs"):
            assert key not in r, (key, r)
        if t == PID:
            assert r["process"]["nr-threads"] == 5, r
            assert r["process"]["vm-size"] == int(
                status(PID, t, "VmSize").split()[0]) * 1024, r
            assert "exited-sum-exec-runtime" not in r["process"], r
        else:
            assert "process" not in r, r
    burn = next(r for r in rows if r["comm"] == "pf-burn")
    assert burn["sum-exec-runtime"] >= 50_000_000, burn
    assert burn["utime"] + burn["stime"] >= 0, burn


@test
def notice_once_names_what_needs_the_module():
    p = run(STAT, "threads", "--source", "proc", "--pid", str(PID),
            "--fields", "all", "--json")
    assert p.stderr.count("needs the module") == 1, p.stderr
    for word in ("schedstats", "delayacct", "kstack", "regs", "on-cpu"):
        assert word in p.stderr, (word, p.stderr)
    for r in json.loads(p.stdout):
        assert "delay-blkio" not in r and "kernel-stack" not in r, r


@test
def table_and_one_thread():
    p = run(STAT, "threads", "--source=proc", "--pid", str(PID))
    assert re.search(rf"^\s*{burner}\s+{PID}\s+\S\s.*pf-burn$", p.stdout,
                     re.M), p.stdout
    p = run(STAT, "thread", str(burner), "--json", "--source", "proc")
    one = json.loads(p.stdout)
    one = one[0] if isinstance(one, list) else one
    assert one["tid"] == burner and one["comm"] == "pf-burn", one


@test
def system_and_cpus_match_proc():
    up0 = float(open("/proc/uptime").read().split()[0])
    sysj = json.loads(run(STAT, "system", "--source", "proc", "--json").stdout)
    up1 = float(open("/proc/uptime").read().split()[0])
    btime = next(int(line.split()[1]) for line in open("/proc/stat")
                 if line.startswith("btime "))
    possible = cpu_list(open("/sys/devices/system/cpu/possible").read())
    assert sysj["boot-time"] == btime * 10**9, sysj
    assert up0 * 1e9 <= sysj["uptime"] <= up1 * 1e9 + 1e7, (up0, sysj, up1)
    assert sysj["cpus-possible"] == len(possible), sysj
    assert sysj["nr-threads"] >= 5 and "nr-running" not in sysj, sysj
    stat0 = open("/proc/stat").read()
    cpus = json.loads(run(STAT, "cpus", "--source", "proc", "--json").stdout)
    stat1 = open("/proc/stat").read()
    assert [c["cpu"] for c in cpus] == possible, cpus
    for c in cpus:
        if not c["online"]:
            continue
        u0 = int(re.search(rf"^cpu{c['cpu']} (\d+)", stat0, re.M)[1])
        u1 = int(re.search(rf"^cpu{c['cpu']} (\d+)", stat1, re.M)[1])
        assert u0 * TICK_NS <= c["user"] <= u1 * TICK_NS, (u0, c, u1)
        assert "curr-tid" not in c and "nr-running" not in c, c


@test
def threadtop_batch_shows_the_named_threads():
    before = schedstat(PID, burner)[0]
    env = dict(os.environ, COLUMNS="120",
               XDG_CONFIG_HOME=f"/tmp/pf-test-{os.getpid()}")
    p = run(TOP, "-b", "-n", "2", "-d", "5", "-H", "--source", "proc",
            "-p", str(PID), "-o", "tid,state,sum-exec-runtime,comm", env=env)
    after = schedstat(PID, burner)[0]
    assert p.stderr.count("needs the module") == 1, p.stderr
    frames = p.stdout.split("threadtop - ")
    assert len(frames) == 3, p.stdout
    last = frames[2]
    for t, n in names.items():
        assert re.search(rf"^\s*{t}\s.*{n}\s*$", last, re.M), (n, last)
    line = re.search(rf"^\s*{burner}\s+(\S)\s+(\d+):(\d+)\.(\d+)\s+pf-burn",
                     last, re.M)
    assert line, last
    ns = (int(line[2]) * 60 + int(line[3])) * 10**9 + int(line[4]) * 10**7
    # TIME is cut to hundredths: within [before - 10 ms, after].
    assert before - 10**7 <= ns <= after, (before, line[0], after)


@test
def hostile_names_from_proc_are_lossless_and_escaped():
    p, names = hostile_process()
    try:
        out = subprocess.run([STAT, "threads", "--source", "proc", "--pid",
                              str(p.pid), "--json"], capture_output=True,
                             timeout=120, check=True).stdout
        got = {r["tid"]: r["comm"].encode("utf-8", "surrogateescape")
               for r in json.loads(out)}
        assert got == names, (got, names)
        # shown() is the form in a UTF-8 locale
        out = subprocess.run([STAT, "threads", "--source", "proc", "--pid",
                              str(p.pid)], capture_output=True, timeout=120,
                             check=True,
                             env=dict(os.environ, LC_ALL="C.UTF-8")).stdout
        assert b"\x1b" not in out and b"\x9b" not in out, out
        lines = out.split(b"\n")[1:-1]
        assert len(lines) == len(names), lines
        for line in lines:
            tid = int(line.split()[0])
            assert line.endswith(b" " + shown(names[tid])), (line, names[tid])
    finally:
        p.kill()
        p.wait()


@test
def bad_source_is_a_usage_error():
    assert run(STAT, "threads", "--source", "kernel", check=False).returncode == 2
    assert run(TOP, "-b", "--source", "kernel", check=False).returncode == 2


work.stop()
finish()
