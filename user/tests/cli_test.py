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
import re
import subprocess
import sys
import threading
import time

from hostile import hostile_process, shown
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
        p = run("threads", "--source", "module", check=False)
        assert p.returncode == 1, p.returncode
        assert "not loaded" in p.stderr and "insmod" in p.stderr, p.stderr

    @test
    def module_missing_falls_back_to_proc_and_says_so():
        p = run("threads", "--pid", "1", "--json")
        assert "reading /proc" in p.stderr and "not loaded" in p.stderr, \
            p.stderr
        assert p.stderr.count("needs the module") == 1, p.stderr
        rows = json.loads(p.stdout)
        assert [r["tid"] for r in rows] == proc_tids(1), rows
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
# stack_trace_save_tsk() is exported from 6.7 on: there the kernel stack is
# /proc's (no scheduler frames) and wchan exact; 6.1 sends the scheduler
# frames first and no wchan (wchan-missing: unsupported).
EXACT_KSTACK = tuple(int(x) for x in os.uname().release.split(".")[:2]) >= (6, 7)


def first_own_frame(frames):
    """The first frame outside the scheduler (6.1 sends those first)."""
    return next(f for f in frames if "schedule" not in f)


def expect_wchan(t, name):
    if EXACT_KSTACK:
        assert t["wchan"] == name, t
    else:
        assert "wchan" not in t and t["wchan-missing"] == "unsupported", t


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
                 ["cpus", "extra"], ["cpus", "--bogus"], ["system", "x"],
                 ["nosuchcommand"], []):
        p = run(*args, check=False)
        assert p.returncode == 2, (args, p.returncode)
        assert p.stderr, args


# ---- hostile thread names: every output shows them safely ----

def run_bytes(*args):
    p = subprocess.run([BIN, *args], capture_output=True, timeout=120,
                       env={**os.environ, "LC_ALL": "C.UTF-8"})
    assert p.returncode == 0, (args, p.returncode, p.stderr)
    return p.stdout


def no_terminal_controls(out):
    # No C0 control but \n ending lines, no DEL, no raw C1, valid UTF-8.
    assert not re.search(rb"[\x00-\x09\x0b-\x1f\x7f]", out), out
    text = out.decode("utf-8")          # raises on invalid UTF-8
    assert not re.search("[\x80-\x9f]", text), text


@test
def hostile_names_are_safe_and_lossless_in_every_output():
    p, names = hostile_process()
    try:
        # JSON: strict parsing, and back to the very bytes (surrogateescape)
        raw = run_bytes("threads", "--pid", str(p.pid), "--json")
        raw.decode("utf-8")             # valid UTF-8 as a whole
        rows = json.loads(raw)
        got = {r["tid"]: r["comm"].encode("utf-8", "surrogateescape")
               for r in rows}
        assert got == names, (got, names)
        # CSV: RFC 4180 through the csv module, raw bytes when piped
        raw = run_bytes("threads", "--pid", str(p.pid), "--csv")
        text = raw.decode("utf-8", "surrogateescape")
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
        got = {int(r["tid"]): r["comm"].encode("utf-8", "surrogateescape")
               for r in rows}
        assert got == names, (got, names)
        assert raw.count(b"\r\n") == len(names) + 1     # no row split
        # Table: one line per thread, every name escaped as documented
        raw = run_bytes("threads", "--pid", str(p.pid))
        no_terminal_controls(raw)
        lines = raw.split(b"\n")[1:-1]
        assert len(lines) == len(names), lines
        for line in lines:
            tid = int(line.split()[0])
            assert line.endswith(b" " + shown(names[tid])), (line,
                                                             names[tid])
        # The detail page of each thread
        for tid, name in names.items():
            raw = run_bytes("thread", str(tid))
            no_terminal_controls(raw)
            assert b"(" + shown(name) + b")" in raw.split(b"\n")[0], raw
    finally:
        p.kill()
        p.wait()


@test
def csv_keeps_kernel_stacks_whole_and_absent_fields_empty():
    p, names = hostile_process()
    try:
        tid = next(t for t, n in names.items() if n == b"-")
        raw = run_bytes("threads", "--tid", str(tid), "--fields",
                        "kstack,stack", "--csv")
        row = next(csv.DictReader(io.StringIO(raw.decode(), newline="")))
        assert row["comm"] == "-"
        with open(f"/proc/{p.pid}/task/{tid}/stack") as f:
            frames = [ln.split(None, 1)[1].strip() for ln in f if ln.strip()]
        kstack = row["kernel-stack"].split(";")
        if EXACT_KSTACK:
            assert kstack == frames, (kstack, frames)
        else:   # 6.1: the scheduler's frames first, then /proc's
            assert len(kstack) > len(frames), (kstack, frames)
            assert kstack[len(kstack) - len(frames):] == frames, \
                (kstack, frames)
        # a kernel thread has no user stack: absent, an empty cell
        raw = run_bytes("threads", "--tid", "2", "--fields", "stack",
                        "--csv")
        row = next(csv.DictReader(io.StringIO(raw.decode(), newline="")))
        assert row["stack.user-sp"] == "", row
    finally:
        p.kill()
        p.wait()


def cpulist(path):
    """A sysfs CPU list ("0-2,4") as a list of numbers."""
    cpus = []
    for part in open(path).read().strip().split(","):
        if part:
            first, _, last = part.partition("-")
            cpus.extend(range(int(first), int(last or first) + 1))
    return cpus


def topology(cpu, name):
    return open(f"/sys/devices/system/cpu/cpu{cpu}/topology/{name}").read().strip()


@test
def cpus_json_matches_sysfs():
    rows = json.loads(run("cpus", "--json").stdout)
    possible = cpulist("/sys/devices/system/cpu/possible")
    online = cpulist("/sys/devices/system/cpu/online")
    assert [r["cpu"] for r in rows] == possible, rows
    for r in rows:
        cpu = r["cpu"]
        assert r["online"] is (cpu in online), r
        if cpu not in online:
            assert "package-id" not in r and "siblings" not in r, r
            continue
        assert r["package-id"] == int(topology(cpu, "physical_package_id"))
        assert r["core-id"] == int(topology(cpu, "core_id"))
        assert r["siblings"] == cpulist(
            f"/sys/devices/system/cpu/cpu{cpu}/topology/thread_siblings_list")
        for key in ("user", "nice", "system", "idle", "iowait", "irq",
                    "softirq", "steal", "guest", "guest-nice"):
            assert isinstance(r[key], int) and r[key] >= 0, (key, r)
        assert r["idle"] + r["user"] + r["system"] > 0, r
        assert r["nr-running"] <= r["nr-threads"], r


@test
def cpus_json_shows_us_running():
    # This process runs `threadstat` and waits; the tool itself is the
    # thread running on its own CPU while the kernel answers it.
    rows = json.loads(run("cpus", "--json").stdout)
    comms = [r.get("curr-comm") for r in rows]
    assert "threadstat" in comms, comms


@test
def cpus_table_has_a_row_per_cpu():
    out = run("cpus").stdout.splitlines()
    head = out[0].split()
    assert head[:3] == ["CPU", "ONLINE", "PKG"] and head[-1] == "CURR-COMM", head
    assert len(out) - 1 == len(cpulist("/sys/devices/system/cpu/possible"))
    row = out[1].split()
    share = [float(row[head.index(h)]) for h in
             ("USER%", "NICE%", "SYS%", "IRQ%", "SOFTIRQ%", "STEAL%",
              "IOWAIT%", "IDLE%")]
    assert abs(sum(share) - 100) < 1, share


@test
def system_json_matches_proc():
    s = json.loads(run("system", "--json").stdout)
    assert s["cpus-possible"] == len(cpulist("/sys/devices/system/cpu/possible"))
    assert s["cpus-online"] == len(cpulist("/sys/devices/system/cpu/online"))
    uptime = float(open("/proc/uptime").read().split()[0])
    assert 0 <= uptime - s["uptime"] / 1e9 < 5, (uptime, s["uptime"])
    btime = int(next(line.split()[1] for line in open("/proc/stat")
                     if line.startswith("btime ")))
    assert abs(s["boot-time"] // 10**9 - btime) <= 1, (s["boot-time"], btime)
    threads = 0
    for p in filter(str.isdigit, os.listdir("/proc")):
        try:
            threads += len(os.listdir(f"/proc/{p}/task"))
        except FileNotFoundError:  # exited meanwhile
            pass
    assert abs(s["nr-threads"] - threads) <= 5, (s["nr-threads"], threads)
    for key in ("load-1", "load-5", "load-15", "nr-processes", "nr-running",
                "nr-blocked"):
        assert isinstance(s[key], int), key


@test
def system_text_has_every_line():
    out = run("system").stdout
    for label in ("cpus:", "boot time:", "uptime:", "load average:",
                  "processes:", "threads:"):
        assert label in out, (label, out)


@test
def system_text_load_and_uptime_read_as_proc():
    # Load averages move every 5 s: /proc read before and after must
    # bracket the same reading; threadtop's header uses the same text.
    for _ in range(5):
        before = open("/proc/loadavg").read().split()[:3]
        out = run("system").stdout
        after = open("/proc/loadavg").read().split()[:3]
        if before == after:
            break
    line = next(x for x in out.splitlines() if x.startswith("load average:"))
    assert line.split()[2:] == before, (line, before)
    up = next(x for x in out.splitlines() if x.startswith("uptime:"))
    h, m, sec = up.split()[-1].split(":")
    shown = int(h) * 3600 + int(m) * 60 + int(sec)
    proc = float(open("/proc/uptime").read().split()[0])
    assert 0 <= proc - shown < 3, (up, proc)


@test
def process_set_on_the_leader_matches_proc():
    """The per-process set rides on the leader's record: live threads
    and exited threads' CPU add up to /proc/PID/stat's total."""
    def burn():
        t0 = time.thread_time()
        while time.thread_time() - t0 < 0.3:
            pass
    for _ in range(3):  # threads that exit: their time is "exited"
        t = threading.Thread(target=burn)
        t.start()
        t.join()
    def stat_s():
        with open(f"/proc/{me}/stat") as f:
            st = f.read().rsplit(")", 1)[1].split()
        return (int(st[11]) + int(st[12])) / os.sysconf("SC_CLK_TCK")
    proc_s0 = stat_s()
    rows = json.loads(run("threads", "--pid", str(me), "--json").stdout)
    proc_s = stat_s()
    leader = [r for r in rows if r["tid"] == me]
    assert len(leader) == 1 and "process" in leader[0], leader
    proc = leader[0]["process"]
    assert all("process" not in r for r in rows if r["tid"] != me)
    assert proc["nr-threads"] == len(proc_tids(me)), proc
    assert proc["exited-sum-exec-runtime"] >= 0.9 * 0.3 * 3 * 1e9, proc
    total = (proc["exited-sum-exec-runtime"] +
             sum(r["sum-exec-runtime"] for r in rows)) / 1e9
    # Our main thread runs on between the dump and the /proc read.
    assert -0.05 <= proc_s - total < 0.3, (proc_s, total)
    # The whole process summed at one instant, within /proc's bracket
    # (utime + stime are truncated to ticks, twice).
    tick = 1 / os.sysconf("SC_CLK_TCK")
    assert proc_s0 <= proc["sum-exec-runtime"] / 1e9 <= proc_s + 2 * tick, \
        (proc_s0, proc, proc_s)
    assert proc["nvcsw"] >= proc["exited-nvcsw"], proc
    rss = int(open(f"/proc/{me}/statm").read().split()[1]) * os.sysconf(
        "SC_PAGE_SIZE")
    got = proc["rss-anon"] + proc["rss-file"] + proc["rss-shmem"]
    assert abs(got - rss) < rss * 0.1, (got, rss)


@test
def help_and_version():
    assert "usage" in run("--help").stdout
    assert run("--version").stdout.startswith("threadstat ")


# A thread of ours blocked in read(fd, buf, 1234) on a pipe.
reader_fd, reader_wfd = os.pipe()
reader_tid = []


def reader():
    reader_tid.append(threading.get_native_id())
    os.read(reader_fd, 1234)


reader_thread = threading.Thread(target=reader, name="reader")
reader_thread.start()
time.sleep(0.3)
RTID = str(reader_tid[0])
NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
          "--inh-caps=-all", "--bounding-set=-all"]


@test
def thread_json_has_stack_regs_syscall():
    t = json.loads(run("thread", RTID, "--json").stdout)
    assert t["tid"] == reader_tid[0] and t["tgid"] == me
    assert t["syscall"]["nr"] == 0, t["syscall"]  # __NR_read
    args = t["syscall"]["args"]
    assert len(args) == 6 and args[0] == reader_fd and args[2] == 1234, args
    assert t["regs"]["stable"] is True
    assert t["regs"]["sp"] == t["stack"]["user-sp"]
    st = t["stack"]
    assert st["user-start"] <= st["user-sp"] < st["user-end"]
    assert st["user-depth"] == st["user-end"] - st["user-sp"]
    assert st["user-used"] >= st["user-depth"]
    assert 0 < st["kernel-used"] <= st["kernel-size"]
    expect_wchan(t, "pipe_read")
    assert first_own_frame(t["kernel-stack"]).startswith("pipe_read+0x"), \
        t["kernel-stack"]
    assert "withheld" not in t


@test
def thread_page_has_every_section():
    out = run("thread", RTID).stdout
    lines = out.splitlines()
    assert lines[0] == f"thread {RTID} (python3) of process {me}", lines[0]
    sections = [l for l in lines[1:] if l and not l.startswith(" ")]
    assert sections == ["identity", "scheduling", "schedstats",
                        "delay accounting", "stack", "kernel stack",
                        "registers", "syscall", "wait"], sections
    # blocked in read(2) on the pipe: the wait section names its fd
    wait = lines[lines.index("wait") + 1:]
    assert any(l.split()[:1] == ["fd"] and
               l.split()[-1] in (str(reader_fd), hex(reader_fd))
               for l in wait), wait
    assert any(l.split() == ["wchan", "pipe_read"] for l in lines) or \
        not EXACT_KSTACK, out
    assert any(l.strip().startswith("#0  pipe_read+0x") for l in lines) or \
        (not EXACT_KSTACK and any(" pipe_read+0x" in l for l in lines)), out
    args = [l.split() for l in lines if l.split()[:1] == ["args"]]
    assert len(args) == 1 and len(args[0]) == 7, args
    assert args[0][1] == hex(reader_fd) and args[0][3] == "0x4d2", args
    assert "withheld" not in out


@test
def thread_page_of_running_thread_has_no_registers():
    # The CLI asks about itself (exec keeps the shell's pid): it is on a
    # CPU while the kernel answers, so no registers, no syscall, and why.
    p = subprocess.run(["sh", "-c", f'exec "{BIN}" thread $$'],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    regs = lines[lines.index("registers") + 1]
    assert regs.strip() == "(none: the thread is running)", p.stdout
    assert lines[lines.index("syscall") + 1].strip() == regs.strip(), p.stdout
    assert not any(l.split()[:1] == ["r12"] for l in lines), p.stdout
    p = subprocess.run(["sh", "-c", f'exec "{BIN}" thread $$ --json'],
                       capture_output=True, text=True, timeout=60)
    t = json.loads(p.stdout)
    assert "regs" not in t and "syscall" not in t, t
    assert t["regs-missing"] == "running", t


@test
def thread_page_unprivileged_says_withheld():
    p = subprocess.run([*NOBODY, BIN, "thread", RTID], capture_output=True,
                       text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    assert p.stdout.count("withheld: /proc would refuse it too") == 5, p.stdout
    assert "state " in p.stdout and "pipe_read" not in p.stdout
    p = subprocess.run([*NOBODY, BIN, "thread", RTID, "--json"],
                       capture_output=True, text=True, timeout=60)
    t = json.loads(p.stdout)
    # delayacct: its administrator-only delays are left out as well
    assert t["withheld"] == ["delayacct", "stack", "kstack", "regs",
                             "wait"], \
        t["withheld"]
    for key in ("stack", "regs", "syscall", "kernel-stack", "wchan"):
        assert key not in t, key
    assert t["state"] == "S"


@test
def thread_kernel_thread_has_no_registers():
    out = run("thread", "2").stdout
    assert "(none: a kernel thread)" in out, out
    assert "(no user stack: a kernel thread)" in out, out
    assert any(l.split() == ["wchan", "kthreadd"] for l in out.splitlines()) \
        or not EXACT_KSTACK, out


@test
def thread_errors():
    p = run("thread", "4194000", check=False)
    assert p.returncode == 1 and "no such thread" in p.stderr, p.stderr
    for args in (["thread"], ["thread", "x"], ["thread", "1", "2"],
                 ["thread", "1", "--bogus"]):
        p = run(*args, check=False)
        assert p.returncode == 2, (args, p.returncode)


@test
def threads_table_and_csv_with_stack_regs_kstack():
    out = run("threads", "--pid", str(me), "--fields",
              "stack,regs,kstack").stdout.splitlines()
    head = out[0].split()
    for col in ("STACK.KERNEL-USED", "STACK.USER-USED", "WCHAN", "REGS.IP",
                "SYSCALL.NR"):
        assert col in head, (col, head)
    assert len(out) - 1 == len(proc_tids(me))
    text = run("threads", "--pid", str(me), "--fields", "stack,regs,kstack",
               "--csv").stdout
    rows = {int(r["tid"]): r for r in csv.DictReader(io.StringIO(text))}
    r = rows[reader_tid[0]]
    assert r["wchan"] == ("pipe_read" if EXACT_KSTACK else ""), r
    assert "pipe_read+0x" in r["kernel-stack"], r["kernel-stack"]
    assert r["syscall.nr"] == "0" and r["regs.dx"] == "1234", r


def rename_self(name):
    with open(f"/proc/self/task/{threading.get_native_id()}/comm", "w") as f:
        f.write(name)


@test
def events_stream_our_threads_exit_and_rename():
    # Rename a thread of ours until the stream shows it (then the
    # subscription is in place), then one thread named "ev-cli\x1b" exits.
    p = subprocess.Popen([BIN, "events", "--json", "--pid", str(me),
                          "--type", "rename,exit"], stdout=subprocess.PIPE,
                         text=True)
    lines = []
    try:
        ready = threading.Event()

        def reader():
            for line in p.stdout:
                lines.append(json.loads(line))
                ready.set()
        rt = threading.Thread(target=reader)
        rt.start()
        deadline = time.time() + 60
        while not ready.is_set() and time.time() < deadline:
            th = threading.Thread(target=rename_self, args=("ev-probe",))
            th.start()
            th.join()
            ready.wait(0.2)
        assert ready.is_set(), "no event in 60 s"
        tid = []
        with open(f"/proc/self/task/{threading.get_native_id()}/comm") as f:
            main_comm = f.read().rstrip("\n")

        def child():
            tid.append(threading.get_native_id())
            rename_self("ev-cli\x1b")
        th = threading.Thread(target=child)
        th.start()
        th.join()
        deadline = time.time() + 60
        while time.time() < deadline and not any(
                e.get("tid") == tid[0] and e["type"] == 4 for e in lines):
            time.sleep(0.1)
    finally:
        p.terminate()
        p.wait(30)
    mine = [e for e in lines if e.get("tid") == tid[0]]
    assert [e["type"] for e in mine] == [3, 4], mine
    assert mine[0]["old-comm"] == main_comm and mine[0]["comm"] == "ev-cli\x1b", mine
    ex = mine[1]
    assert ex["comm"] == "ev-cli\x1b" and ex["tgid"] == me, ex
    assert ex["ppid"] == os.getppid(), ex
    # CPU time is what the scheduler had accounted at exit: without the
    # slice since its last tick or switch (README), so 0 is possible for
    # a thread this short; never more than it lived.
    assert 0 < ex["lifetime"] < 60e9, ex
    assert ex["sum-exec-runtime"] <= ex["lifetime"], ex
    assert all(e["tgid"] == me for e in lines if "tgid" in e), lines


@test
def events_bad_type_is_usage_error():
    p = run("events", "--type", "start,bogus", check=False)
    assert p.returncode == 2 and "bogus" in p.stderr, (p.returncode, p.stderr)


def as_nobody():
    os.setgroups([])
    os.setgid(65534)
    os.setuid(65534)


@test
def latency_on_status_threads_off():
    me = os.getpid()
    run("latency", "off")
    st = json.loads(run("latency", "status", "--json").stdout)
    assert st["enabled"] is False and st["holders"] == 0, st
    t = json.loads(run("threads", "--fields", "latency", "--json",
                       "--tid", str(me)).stdout)[0]
    assert "latency" not in t and t["latency-missing"] == "off", t
    out = run("latency", "on").stdout
    assert out.startswith("latency: on (persistent, 0 sockets)"), out
    try:
        for _ in range(20):
            time.sleep(0.005)	# leave the CPU, come back: waits
        st = json.loads(run("latency", "status", "--json").stdout)
        assert st["enabled"] is True and st["persistent"] is True, st
        assert 0 < st["tracked"] <= st["capacity"] == 16384, st
        t = json.loads(run("threads", "--fields", "latency", "--json",
                           "--tid", str(me)).stdout)[0]
        lat = t["latency"]
        assert lat["count"] > 0 and lat["sum"] >= lat["max-wait"] > 0, lat
        assert len(lat["hist"]) == 32 and sum(lat["hist"]) == lat["count"], lat
        top = max(i for i, n in enumerate(lat["hist"]) if n)
        assert 2 ** top <= lat["max-wait"] < 2 ** (top + 1), lat
        table = run("threads", "--fields", "latency", "--tid", str(me)).stdout
        head = table.splitlines()[0].split()
        assert head[:5] == ["TID", "TGID", "LATENCY.COUNT", "LATENCY.SUM",
                            "LATENCY.MAX-WAIT"], head
        p = subprocess.run([BIN, "latency", "off"], capture_output=True,
                           text=True, timeout=120, preexec_fn=as_nobody)
        assert p.returncode == 1 and "CAP_NET_ADMIN" in p.stderr, (p.returncode, p.stderr)
        p = subprocess.run([BIN, "latency", "status"], capture_output=True,
                           text=True, timeout=120, preexec_fn=as_nobody)
        assert p.returncode == 0 and p.stdout.startswith("latency: on"), p
    finally:
        run("latency", "off")
    st = json.loads(run("latency", "status", "--json").stdout)
    assert st["enabled"] is False and st["tracked"] == 0, st
    p = run("latency", "sideways", check=False)
    assert p.returncode == 2 and "usage" in p.stderr, p


os.write(reader_wfd, b"x")
reader_thread.join()
stop.set()
for t in workers:
    t.join()
finish()
