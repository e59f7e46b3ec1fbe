#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
"""threadtop --latency (issue 16): a busy thread and a sleeper that wakes
every 1 ms share one CPU; threadtop -b --latency must show the sleeper's
LAT-MAX above 0 and at most what its /proc schedstat run_delay grew over
the whole run (the longest wait is part of that sum), LAT-P99 at most
LAT-MAX (batch frames come with rates: each has an interval); and in a
tmux screen, the sleeper's detail page shows its histogram, whose log2
buckets add up to the count shown beside them; in the cores view the
CPU's line shows the longest wait of its threads, at least the sleeper's.
A run recorded with -w --latency replays (-r, no options) with the same
LAT-MAX and LAT-P99 for the sleeper in every frame, and its detail page
shows the recorded histogram.

usage: toplat_test.py THREADTOP (the module loaded, as root)"""
import os
import re
import subprocess
import sys
import time
from contextlib import contextmanager

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from suite import Suite  # noqa: E402

THREADTOP = sys.argv[1]
CPU = min(os.sched_getaffinity(0))
SPIN = f"import os\nos.sched_setaffinity(0, {{{CPU}}})\nwhile True: pass\n"
SLEEP = (f"import os, time\nos.sched_setaffinity(0, {{{CPU}}})\n"
         "print('ready', flush=True)\n"
         "while True: time.sleep(0.001)\n")
UNIT = {"n": 1, "u": 10**3, "m": 10**6, "s": 10**9}
s = Suite("toplat")


def run_delay(pid):
    with open(f"/proc/{pid}/schedstat") as f:
        return int(f.read().split()[1])


def ns(cell):
    m = re.fullmatch(r"(\d+)([nums])", cell)
    if not m:
        raise AssertionError(f"not a wait: {cell!r}")
    return int(m.group(1)) * UNIT[m.group(2)]


@contextmanager
def workload():
    """The busy thread and the 1 ms sleeper on CPU; yields the sleeper's
    pid once it sleeps."""
    spin = subprocess.Popen([sys.executable, "-c", SPIN])
    sleeper = subprocess.Popen([sys.executable, "-c", SLEEP],
                               stdout=subprocess.PIPE, text=True)
    try:
        assert sleeper.stdout.readline().strip() == "ready"
        yield sleeper.pid
    finally:
        for p in (spin, sleeper):
            p.kill()
            p.wait()


@s.test
def sleeper_lat_max_within_run_delay():
    with workload() as pid:
        time.sleep(0.5)
        before = run_delay(pid)
        out = subprocess.run(
            [THREADTOP, "-b", "--latency", "-n", "3", "-d", "10", "-H",
             "-p", str(pid), "-o", "tid,max-wait,wait-p99,comm"],
            capture_output=True, text=True, timeout=300)
        grown = run_delay(pid) - before
    assert out.returncode == 0, out.stderr
    assert "cannot turn" not in out.stderr, out.stderr
    rows = [line.split() for line in out.stdout.splitlines()
            if line.split()[:1] == [str(pid)]]
    print(f"# run_delay grew {grown} ns; rows {rows}")
    assert len(rows) == 3, out.stdout
    for row in rows:
        lat_max, p99 = ns(row[1]), ns(row[2])
        assert 0 < lat_max <= grown, (row, grown)
        assert p99 <= lat_max, row


CPU_LINE = re.compile(r"^CPU (\d+)\b.* lat max (\d+[nums]) avg (\d+[nums]) "
                      r"n (\d+)")


@s.test
def cores_view_cpu_latency_covers_its_threads():
    with workload() as pid:
        out = subprocess.run(
            [THREADTOP, "-b", "--latency", "-n", "2", "-d", "10",
             "--view", "cores", "-o", "tid,max-wait,wait-p99,comm"],
            capture_output=True, text=True, timeout=300,
            env=dict(os.environ, COLUMNS="200"))
    assert out.returncode == 0, out.stderr
    seen, cpu = 0, None
    for line in out.stdout.splitlines():
        m = CPU_LINE.match(line)
        if line.startswith("CPU "):
            cpu = m.groups() if m else None
            continue
        f = line.replace("*", " ").split()
        if f[:1] != [str(pid)] or f[1] == "-":
            continue
        print(f"# CPU {cpu}; sleeper {f[:3]}")
        assert cpu and int(cpu[0]) == CPU, (cpu, line)
        assert ns(cpu[1]) >= ns(f[1]) > 0, (cpu, f)
        assert ns(cpu[2]) <= ns(cpu[1]) and int(cpu[3]) >= 1, cpu
        seen += 1
    assert seen >= 1, out.stdout


def tmux(sock, *args):
    return subprocess.run(["tmux", "-L", sock, "-f", "/dev/null", *args],
                          capture_output=True, text=True, timeout=60)


def wait_screen(sock, pred, what, timeout=120):
    deadline, screen = time.time() + timeout, ""
    while time.time() < deadline:
        screen = tmux(sock, "capture-pane", "-p", "-t", "lat").stdout
        if pred(screen):
            return screen
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}:\n{screen}")


def detail_histogram(cmd, pid, ready):
    """Run threadtop CMD in tmux, wait for READY and the thread's LAT
    columns, open its detail page; check its histogram's buckets add up
    to its count and return the count."""
    sock = f"toplat-{os.getpid()}"
    try:
        p = tmux(sock, "new-session", "-d", "-s", "lat", "-x", "120",
                 "-y", "60", f"{cmd}; sleep 600")
        assert p.returncode == 0, p.stderr
        wait_screen(sock, lambda t: ready in t and re.search(
            rf"^\s*{pid}\s.*\d+[nums]\s", t, re.M),
            "the thread's LAT columns")
        tmux(sock, "send-keys", "-t", "lat", "Enter")
        screen = wait_screen(
            sock, lambda t: "run-queue waits since measured" in t and
            re.search(r"^\s+\d+[nums] \.\. \d+[nums]\s+\d+ #", t,
                      re.M),
            "the detail page's histogram")
    finally:
        tmux(sock, "kill-server")
    print("# " + "\n# ".join(screen.splitlines()))
    count = int(re.search(r"\bcount\s+(\d+)", screen).group(1))
    buckets = [int(n) for n in re.findall(
        r"^\s+\d+[nums] \.\. \d+[nums]\s+(\d+) #", screen, re.M)]
    assert count > 0 and sum(buckets) == count, (count, buckets)
    assert re.search(r"LAT-MAX\s+\d+[nums]", screen), screen
    return count


@s.test
def detail_page_histogram_adds_up():
    with workload() as pid:
        detail_histogram(f"{THREADTOP} --latency -d 5 -H -p {pid}", pid, "")


def lat_cells(stdout, pid):
    """The sleeper's (LAT-MAX, LAT-P99) in each batch frame, found by the
    header's column names."""
    cells, head = [], None
    for line in stdout.splitlines():
        f = line.split()
        if "LAT-MAX" in f:
            head = f
        elif head and f[:1] == [str(pid)]:
            cells.append((f[head.index("LAT-MAX")], f[head.index("LAT-P99")]))
    return cells


@s.test
def replay_shows_recorded_latency():
    rec = f"/tmp/toplat-{os.getpid()}.tsr"
    try:
        with workload() as pid:
            live = subprocess.run(
                [THREADTOP, "-b", "--latency", "-n", "3", "-d", "10", "-H",
                 "-p", str(pid), "-w", rec],
                capture_output=True, text=True, timeout=300)
        assert live.returncode == 0, live.stderr
        replay = subprocess.run([THREADTOP, "-b", "-H", "-p", str(pid),
                                 "-r", rec],
                                capture_output=True, text=True, timeout=300)
        assert replay.returncode == 0, replay.stderr
        want, got = lat_cells(live.stdout, pid), lat_cells(replay.stdout, pid)
        print(f"# live {want}; replayed {got}")
        assert len(want) == 3 and all(m != "-" for m, _ in want), live.stdout
        assert got == want, replay.stdout
        # the detail page of the replay's last sample: its histogram
        count = detail_histogram(f"{THREADTOP} -r {rec} -H -p {pid}",
                                 pid, "")
        assert count > 0
    finally:
        if os.path.exists(rec):
            os.unlink(rec)


s.finish()
