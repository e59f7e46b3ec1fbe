#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
"""threadstat CLI tests, run as root in a VM with threadstat.ko loaded.

Each test runs the real binary and checks what it prints against /proc.
usage: cli_test.py THREADSTAT_BINARY [--module-missing]
Prints one "ok"/"not ok" line per test and ends with "N passed, N failed".
"""
import csv
import io
import json
import os
import subprocess
import sys
import threading
import time

from suite import Suite

BIN = sys.argv[1]
suite = Suite("cli")
test, finish = suite.test, suite.finish


def run(*args, check=True):
    p = subprocess.run([BIN, *args], capture_output=True, text=True, timeout=120)
    if check and p.returncode != 0:
        raise AssertionError(f"{args}: exit {p.returncode}: {p.stderr}")
    return p


def proc_tids(pid):
    return sorted(int(t) for t in os.listdir(f"/proc/{pid}/task"))


if "--module-missing" in sys.argv:
    @test
    def module_missing_says_how_to_load():
        p = run("threads", check=False)
        assert p.returncode == 1, p.returncode
        assert "not loaded" in p.stderr and "insmod" in p.stderr, p.stderr
    finish()


# A process of our own with named threads: this one.
stop = threading.Event()
workers = []
for i in range(20):
    t = threading.Thread(target=stop.wait, name=f"w{i}")
    t.start()
    workers.append(t)
time.sleep(0.2)
me = os.getpid()


@test
def json_lists_our_threads_like_proc():
    rows = json.loads(run("threads", "--pid", str(me), "--json").stdout)
    assert sorted(r["tid"] for r in rows) == proc_tids(me)
    for r in rows:
        assert r["tgid"] == me
        comm = open(f"/proc/{me}/task/{r['tid']}/comm").read().strip()
        assert r["comm"] == comm, (r["comm"], comm)


@test
def json_keys_are_spec_names_and_types():
    rows = json.loads(run("threads", "--pid", str(me), "--json").stdout)
    r = rows[0]
    for key in ("tid", "tgid", "comm", "state", "cpu", "nice", "policy",
                "rt-priority", "sum-exec-runtime", "nvcsw", "nivcsw"):
        assert key in r, key
    assert isinstance(r["sum-exec-runtime"], int)
    assert r["policy"] == "normal"
    assert isinstance(r["state"], str) and len(r["state"]) == 1
    assert isinstance(r["cpus-allowed"], list)


@test
def json_do_get_one_thread():
    tid = proc_tids(me)[-1]
    rows = json.loads(run("threads", "--tid", str(tid), "--json").stdout)
    assert len(rows) == 1 and rows[0]["tid"] == tid
    stat = open(f"/proc/{me}/task/{tid}/stat").read()
    fields = stat[stat.rindex(")") + 2:].split()
    assert rows[0]["state"] == fields[0], (rows[0]["state"], fields[0])
    assert rows[0]["nice"] == int(fields[16])


@test
def full_dump_has_init_and_kthreads():
    rows = json.loads(run("threads", "--json").stdout)
    tids = [r["tid"] for r in rows]
    assert len(tids) == len(set(tids))
    by = {r["tid"]: r for r in rows}
    assert by[1]["comm"] == open("/proc/1/comm").read().strip()
    kthreadd = by[2]
    assert kthreadd["comm"] == "kthreadd" and kthreadd.get("kthread") is True


@test
def table_has_header_and_a_row_per_thread():
    out = run("threads", "--pid", str(me)).stdout.splitlines()
    assert out[0].split()[:3] == ["TID", "TGID", "STATE"], out[0]
    assert out[0].split()[-1] == "COMM"
    assert len(out) - 1 == len(proc_tids(me))


@test
def csv_has_header_and_rows():
    text = run("threads", "--pid", str(me), "--csv").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(proc_tids(me))
    assert set(int(r["tid"]) for r in rows) == set(proc_tids(me))
    assert all(r["policy"] == "normal" for r in rows)


@test
def missing_tid_is_an_error():
    p = run("threads", "--tid", "4194000", check=False)
    assert p.returncode == 1 and "no such thread" in p.stderr, p.stderr


@test
def bad_arguments_exit_2():
    for args in (["threads", "--pid", "x"], ["threads", "--tid", "0"],
                 ["threads", "--fields", "bogus"], ["threads", "extra"],
                 ["nosuchcommand"], []):
        p = run(*args, check=False)
        assert p.returncode == 2, (args, p.returncode)
        assert p.stderr, args


@test
def help_and_version():
    assert "usage" in run("--help").stdout
    assert run("--version").stdout.startswith("threadstat ")


stop.set()
for t in workers:
    t.join()
finish()
