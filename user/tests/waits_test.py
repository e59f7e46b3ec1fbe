#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
"""Wait chains and deadlocks: `threadstat waits` and `threadstat deadlocks`
against real hung programs (deadlock_prog.c), run as root in a VM with
threadstat.ko loaded. Each test starts a scenario, waits (polling, with a
generous deadline) until its threads block, and asserts the exact graph:
tids, lock names, owners, exit status.

usage: waits_test.py THREADSTAT_BINARY DEADLOCK_PROG
Ends with "waits: N passed, N failed".
"""
import json
import os
import subprocess
import sys
import time

from hung import Hung
from suite import Suite

BIN, PROG = sys.argv[1], sys.argv[2]
suite = Suite("waits")
test, finish = suite.test, suite.finish
DEADLINE = 90


def run(*args, pre=()):
    return subprocess.run([*pre, BIN, *args], capture_output=True, text=True,
                          timeout=120)


def Scenario(*args, pre=()):
    """deadlock_prog SCENARIO, killed (with its children) at the end."""
    return Hung(PROG, *args, pre=pre)


def poll(args, ok, pre=()):
    """Run threadstat ARGS until ok(process, json) holds; return both."""
    end = time.time() + DEADLINE
    while True:
        p = run(*args, pre=pre)
        doc = json.loads(p.stdout) if p.stdout.startswith("{") else None
        if ok(p, doc) or time.time() > end:
            return p, doc
        time.sleep(0.3)


def deadlocks(pid):
    return poll(["deadlocks", "--pid", str(pid), "--json"],
                lambda p, d: p.returncode == 3)


def cycle_of(doc):
    """The one cycle: {tid: waiter} (and there is exactly one)."""
    assert len(doc["deadlocks"]) == 1, doc["deadlocks"]
    return {w["tid"]: w for w in doc["deadlocks"][0]["threads"]}


def check_cycle(s, doc, edges, kind, how):
    """edges: [(thread, lock name, owner thread)] by scenario names."""
    cyc = cycle_of(doc)
    assert sorted(cyc) == sorted(s.tids[a] for a, _, _ in edges), cyc
    for a, lock, b in edges:
        w = cyc[s.tids[a]]
        assert w["lock"] == lock, (a, w)
        assert w["owner-tid"] == s.tids[b], (a, w)
        assert w["kind"] == kind and w["owner-how"] == how, (a, w)
        assert w["tgid"] == s.pid and w["blocked-ns"] > 0, w


def abba(kind, lock_kind="mutex", how="layout"):
    with Scenario(f"abba-{kind}") as s:
        p, doc = deadlocks(s.pid)
        assert p.returncode == 3, (p.returncode, p.stdout, p.stderr)
        check_cycle(s, doc, [("t1", "lock_b", "t2"), ("t2", "lock_a", "t1")],
                    lock_kind, how)
        text = run("deadlocks", "--pid", str(s.pid))
        assert text.returncode == 3, text
        assert "deadlock 1: 2 threads" in text.stdout, text.stdout
        assert f"{s.tids['t1']} (" in text.stdout and "lock_a" in text.stdout


@test
def abba_normal_mutexes():
    abba("normal")


@test
def abba_recursive_mutexes():
    abba("recursive")


@test
def abba_errorcheck_mutexes():
    abba("errorcheck")


@test
def abba_robust_mutexes():
    abba("robust")


@test
def abba_pi_mutexes_chain_owner_from_kernel():
    """The kernel refuses the PI lock that would close the cycle (EDEADLK,
    rt_mutex chain walk) and glibc parks that thread for ever on a futex of
    its own stack: what remains is a chain, t_waiting -> t_parked, whose
    owner the kernel defines."""
    with Scenario("abba-pi") as s:
        def ready(p, d):
            return d and any(w["op"].startswith("futex_lock_pi") and
                             "owner-tid" in w for w in d["waiters"])
        p, doc = poll(["waits", "--pid", str(s.pid), "--json"], ready)
        by = {w["tid"]: w for w in doc["waiters"]}
        pi = [w for w in doc["waiters"] if w["op"].startswith("futex_lock_pi")]
        assert len(pi) == 1, doc["waiters"]
        w = pi[0]
        other = s.tids["t2"] if w["tid"] == s.tids["t1"] else s.tids["t1"]
        assert w["kind"] == "pi-futex" and w["owner-how"] == "kernel", w
        assert w["owner-tid"] == other, w
        assert w["lock"] == ("lock_b" if w["tid"] == s.tids["t1"]
                             else "lock_a"), w
        assert by[other]["op"] == "futex_wait_bitset", by[other]
        assert by[other]["owner-how"] == "unknown", by[other]


@test
def pi_mutex_cycle_through_a_normal_mutex():
    """A PI cycle the kernel lets form: t2 waits in FUTEX_LOCK_PI for t1
    (owner from the kernel), t1 in FUTEX_WAIT on a normal mutex for t2
    (owner from glibc's layout). The rt_mutex chain walk follows PI waits
    only, so it sees no deadlock and t2 stays blocked."""
    with Scenario("pi-cycle") as s:
        p, doc = deadlocks(s.pid)
        assert p.returncode == 3, (p.returncode, p.stdout, p.stderr)
        cyc = cycle_of(doc)
        t1, t2 = s.tids["t1"], s.tids["t2"]
        assert sorted(cyc) == sorted([t1, t2]), cyc
        w1, w2 = cyc[t1], cyc[t2]
        assert (w1["lock"], w1["kind"], w1["owner-how"], w1["op"]) == \
            ("lock_b", "mutex", "layout", "futex_wait"), w1
        assert w1["owner-tid"] == t2, w1
        assert w2["lock"] == "lock_a" and w2["kind"] == "pi-futex", w2
        assert w2["owner-how"] == "kernel" and w2["owner-tid"] == t1, w2
        assert w2["op"].startswith("futex_lock_pi"), w2


def ns_tids(pid):
    """{tid in its own pid namespace: tid in ours} for process @pid."""
    out = {}
    for t in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{t}/status") as f:
            for line in f:
                if line.startswith("NSpid:"):
                    ids = [int(x) for x in line.split()[1:]]
                    out[ids[-1]] = ids[0]
    return out


@test
def deadlock_in_child_pid_namespace_seen_with_our_tids():
    with Scenario("abba-normal", pre=["unshare", "--pid", "--fork"]) as s:
        assert s.pid == 1, s.pid    # its own view: init of the namespace
        with open(f"/proc/{s.p.pid}/task/{s.p.pid}/children") as f:
            host = int(f.read().split()[0])
        ours = ns_tids(host)
        assert ours[1] == host and len(ours) == 3, ours
        t1, t2 = ours[s.tids["t1"]], ours[s.tids["t2"]]
        assert t1 != s.tids["t1"] and t2 != s.tids["t2"], (ours, s.tids)
        # from the parent's namespace, the whole machine: one cycle
        p, doc = poll(["deadlocks", "--json"], lambda p, d: p.returncode == 3)
        assert p.returncode == 3, (p.returncode, p.stdout, p.stderr)
        cyc = cycle_of(doc)
        assert sorted(cyc) == sorted([t1, t2]), (cyc, ours)
        assert cyc[t1]["owner-tid"] == t2 and cyc[t2]["owner-tid"] == t1, cyc
        assert cyc[t1]["lock"] == "lock_b" and cyc[t2]["lock"] == "lock_a"
        for w in cyc.values():
            assert w["tgid"] == host and w["owner-how"] == "layout", w
        text = run("deadlocks", "--pid", str(host))
        assert text.returncode == 3, (text.returncode, text.stderr)
        assert f"{t1} (deadlock_prog) of {host} (deadlock_prog)" in \
            text.stdout, text.stdout
        assert f"held by {t2} (deadlock_prog" in text.stdout, text.stdout


@test
def three_thread_cycle():
    with Scenario("cycle3") as s:
        p, doc = deadlocks(s.pid)
        assert p.returncode == 3, (p.returncode, p.stderr)
        check_cycle(s, doc, [("t1", "lock_b", "t2"), ("t2", "lock_c", "t3"),
                             ("t3", "lock_a", "t1")], "mutex", "layout")


@test
def relocking_own_mutex_is_a_cycle_of_one():
    with Scenario("self") as s:
        p, doc = deadlocks(s.pid)
        assert p.returncode == 3, (p.returncode, p.stderr)
        check_cycle(s, doc, [("t1", "lock_a", "t1")], "mutex", "layout")
        text = run("deadlocks", "--pid", str(s.pid)).stdout
        assert "1 thread waiting for itself" in text, text


@test
def process_shared_cycle_across_two_processes():
    with Scenario("pshared") as s:
        # the child process is in the cycle too: look at every process
        p, doc = poll(["deadlocks", "--json"], lambda p, d: p.returncode == 3)
        assert p.returncode == 3, (p.returncode, p.stderr)
        cyc = cycle_of(doc)
        t1, t2 = s.tids["t1"], s.tids["t2"]
        assert sorted(cyc) == sorted([t1, t2]), cyc
        assert cyc[t1]["tgid"] == s.pid and cyc[t2]["tgid"] != s.pid, cyc
        assert cyc[t1]["owner-tid"] == t2 and cyc[t2]["owner-tid"] == t1
        # two mutexes at offsets 0 and 40 of the shm file
        assert cyc[t1]["lock"] == "ts_waits_test+0x28", cyc[t1]
        assert cyc[t2]["lock"] == "ts_waits_test+0x0", cyc[t2]


@test
def rwlock_writer_holds_readers_wait_no_cycle():
    with Scenario("rwlock") as s:
        p, doc = poll(["waits", "--pid", str(s.pid), "--json"],
                      lambda p, d: d and sum(w.get("lock") == "rw_lock"
                                             for w in d["waiters"]) == 2)
        assert p.returncode == 0, p
        readers = {w["tid"]: w for w in doc["waiters"]
                   if w.get("lock") == "rw_lock"}
        assert sorted(readers) == sorted([s.tids["r1"], s.tids["r2"]])
        for w in readers.values():
            assert w["kind"] == "rwlock" and w["owner-how"] == "layout", w
            assert w["owner-tid"] == s.tids["writer"], w
        assert doc["deadlocks"] == 0
        top = doc["locks"][0]
        assert top["lock"] == "rw_lock" and top["waiters"] == 2, top
        d = run("deadlocks", "--pid", str(s.pid))
        assert d.returncode == 0, (d.returncode, d.stdout, d.stderr)


@test
def contention_condvar_semaphore_no_cycle():
    with Scenario("contend", "1000") as s:
        p, doc = poll(["waits", "--pid", str(s.pid), "--json"],
                      lambda p, d: d and d["locks"] and
                      d["locks"][0]["lock"] == "hot_lock" and
                      d["locks"][0]["waiters"] >= 100)
        top = doc["locks"][0]
        # owned only in passing: "mutex" when a waiter saw the owner
        assert top["lock"] == "hot_lock", top
        assert top["kind"] in ("mutex", "futex"), top
        assert top["waiters"] >= 100, top
        assert doc["deadlocks"] == 0, doc["deadlocks"]
        by_tid = {w["tid"]: w for w in doc["waiters"]}
        cw, sw = by_tid[s.tids["condw"]], by_tid[s.tids["semw"]]
        for w in (cw, sw):
            assert w["owner-how"] == "unknown" and "owner-tid" not in w, w
        assert cw["lock"].startswith("cond_var"), cw
        assert sw["lock"].startswith("sem_var"), sw
        d = run("deadlocks", "--pid", str(s.pid))
        assert d.returncode == 0, (d.returncode, d.stdout, d.stderr)


@test
def without_cap_sys_ptrace_withheld_and_exit_1():
    nocap = ["setpriv", "--inh-caps=-sys_ptrace", "--bounding-set=-sys_ptrace",
             "--"]
    with Scenario("abba-normal") as s:
        deadlocks(s.pid)
        p = run("deadlocks", "--pid", str(s.pid), "--json", pre=nocap)
        assert p.returncode == 1, (p.returncode, p.stdout, p.stderr)
        assert p.stdout.startswith("{"), (p.stdout, p.stderr)
        doc = json.loads(p.stdout)
        assert doc["deadlocks"] == [] and doc["withheld"] == 3, doc
        assert "withheld" in p.stderr and "CAP_SYS_PTRACE" in p.stderr, p


finish()
