#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
"""threadtop tests, run as root in a VM with threadstat.ko loaded.

The interactive tests drive the real binary in tmux (send-keys, then
capture-pane) and check the screen against /proc; the batch tests check
its text frames. A workload process with named threads (sleepers and a
spinner pinned to one CPU) gives them something to find.
usage: threadtop_test.py THREADTOP_BINARY [--module-missing]
Prints one "ok"/"not ok"/"skip" line per test, ends "threadtop: N passed,
N failed".
"""
import os
import re
import shutil
import subprocess
import sys
import signal
import struct
import tempfile
import time
import unicodedata
import zlib

import hung
from hostile import hostile_process, shown
from suite import Skip, Suite

BIN = os.path.abspath(sys.argv[1])
# UTF-8 names and keys: threadtop and tmux in a UTF-8 locale.
os.environ["LC_ALL"] = "C.UTF-8"
WORK = tempfile.mkdtemp(prefix="threadtop-test.")
# Every run gets its own empty settings folder unless a test passes one:
# a test that changes the sort must not change the next test's screen.
_configs = [0]


def fresh_config():
    _configs[0] += 1
    d = os.path.join(WORK, f"config{_configs[0]}")
    os.makedirs(d)
    return d


def run(*args, check=True, env=None):
    e = dict(os.environ, XDG_CONFIG_HOME=fresh_config())
    e.update(env or {})
    p = subprocess.run([BIN, *args], capture_output=True, text=True,
                       timeout=300, env=e)
    if check and p.returncode != 0:
        raise AssertionError(f"{args}: exit {p.returncode}: {p.stderr}")
    return p


# ---- tmux ----
# Each start() gets its own tmux server (socket), session name and folder
# for its files: a server or shell that a failed test left behind, still
# dying under load, can neither refuse the next test's session ("duplicate
# session") nor write into the next test's files.

class Session:
    n = 0
    sock = None         # the current server's socket name
    name = "tt"         # its session
    dir = WORK          # its files
    dirs = []           # (socket, pid file) of every start so far


def tmux(*args):
    return subprocess.run(["tmux", "-L", Session.sock, "-f", "/dev/null",
                           *args], capture_output=True, text=True,
                          timeout=60)


def _file(name):
    return lambda: os.path.join(Session.dir, name)


# The current session's files (the names are functions: they change with
# each start()).
rc_file, err_file = _file("rc"), _file("stderr")
pid_file, stty_file = _file("pid"), _file("stty")


def start(*args, width=120, height=40, shell=None, first=True, config=None,
          prefix=""):
    """threadtop in a fresh tmux server; its exit status goes to
    rc_file(), its pid to pid_file(), its stderr to err_file(), and the
    terminal modes before and after it to stty_file() (stty -g, a line
    each). @shell: a command line instead. @first: wait for the first
    screen (True), not (False), or for what this predicate accepts.
    @config: the XDG_CONFIG_HOME to use (default: a fresh one); @prefix: a
    command to run it under (setpriv ...)."""
    stop()
    Session.n += 1
    Session.sock = f"threadtop-test-{os.getpid()}-{Session.n}"
    Session.name = f"tt{Session.n}"
    Session.dir = os.path.join(WORK, f"s{Session.n}")
    os.makedirs(Session.dir)
    Session.dirs.append((Session.sock, pid_file()))
    run_it = shell or ("sh -c 'echo $$ > %s; exec %s %s 2>%s'" %
                       (pid_file(), prefix, " ".join([BIN, *args]),
                        err_file()))
    cmd = (f"export XDG_CONFIG_HOME={config or fresh_config()}; "
           f"stty -g > {stty_file()}; {run_it}; echo $? > {rc_file()}.new; "
           f"mv {rc_file()}.new {rc_file()}; "
           f"stty -g >> {stty_file()}; sleep 600")
    p = tmux("new-session", "-d", "-s", Session.name, "-x", str(width),
             "-y", str(height), "sh", "-c", cmd)
    assert p.returncode == 0, p.stderr
    if first is True:
        first = lambda s: "PID" in s and "COMMAND" in s and "F1" in s
    if first:
        wait_for(first, "the first screen")


def exited():
    """threadtop's exit status has been written (whole: it is renamed
    into place)."""
    return os.path.exists(rc_file())


def exit_status(timeout=60):
    until(exited, "threadtop to exit", timeout)
    with open(rc_file()) as f:
        return int(f.read())


def stderr_text():
    try:
        with open(err_file(), errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def _alive(sock):
    return subprocess.run(["tmux", "-L", sock, "list-sessions"],
                          capture_output=True, timeout=60).returncode == 0


def stop():
    """End every server a test started (and a threadtop that outlived its
    terminal), and wait until they are gone: the next test starts clean
    whatever this one left."""
    for sock, pidf in Session.dirs:
        subprocess.run(["tmux", "-L", sock, "kill-server"],
                       capture_output=True, timeout=60)
        try:
            with open(pidf) as f:
                pid = int(f.read())
            # Only if that pid is still threadtop (not a reused pid).
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if f.read().split(b"\0")[0] == BIN.encode():
                    os.kill(pid, signal.SIGKILL)
        except (OSError, ValueError):
            pass
    deadline = time.time() + 30
    while time.time() < deadline and any(_alive(s) for s, _ in Session.dirs):
        time.sleep(0.2)
    Session.dirs = [d for d in Session.dirs if _alive(d[0])]


suite = Suite("threadtop", after_each=stop)


def test(fn):
    """suite.test, saying which test runs (TS_TESTS=name,name or
    TS_ONLY=WORD pick tests, see suite.py)."""
    print(f"running {fn.__name__}", flush=True)
    return suite.test(fn)


def finish():
    stop()
    shutil.rmtree(WORK, ignore_errors=True)
    suite.finish()


def screen():
    return tmux("capture-pane", "-p", "-t", Session.name).stdout


def keys(*k):
    p = tmux("send-keys", "-t", Session.name, *k)
    assert p.returncode == 0, p.stderr


def wait_for(pred, what, timeout=90):
    """The screen once @pred accepts it; on a timeout the assertion shows
    the last screen and threadtop's stderr."""
    deadline = time.time() + timeout
    s, why = "", ""
    while time.time() < deadline:
        s = screen()
        try:
            if pred(s):
                return s
        except (ValueError, IndexError, StopIteration) as e:
            why = f" ({e!r} on the last screen)"   # a screen mid-redraw
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}{why}; screen:\n{s}"
                         f"\nstderr: {stderr_text()}")


def until(pred, what, timeout=60):
    """Wait for @pred (not about the screen) with a generous deadline."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if pred():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}; screen:\n{screen()}"
                         f"\nstderr: {stderr_text()}")


# ---- the workload: named threads, a spinner pinned to the last CPU ----

SPIN_CPU = max(os.sched_getaffinity(0))
WORKLOAD = r"""
import os, signal, sys, threading, time
def name(n):
    with open(f"/proc/self/task/{threading.get_native_id()}/comm", "w") as f:
        f.write(n)
def sleeper(i):
    name(f"tt-sleep-{i}")
    time.sleep(3600)
def sigwait():
    # SIGUSR1 blocked here only: a signal sent to this thread stays
    # pending in its own set, where /proc/TID/status shows it (SigPnd).
    name("tt-sigwait")
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
    time.sleep(3600)
def spinner():
    name("tt-spin")
    os.sched_setaffinity(threading.get_native_id(), {int(sys.argv[1])})
    while True:
        pass
name("tt-workload")
for i in range(3):
    threading.Thread(target=sleeper, args=(i,), daemon=True).start()
threading.Thread(target=spinner, daemon=True).start()
threading.Thread(target=sigwait, daemon=True).start()
time.sleep(0.5)
print("ready", flush=True)
time.sleep(3600)
"""


def start_workload():
    # argv[0] "tt-workload": the process row shows the command line,
    # whose program is then the name the tests look for.
    p = subprocess.Popen(["tt-workload", "-c", WORKLOAD, str(SPIN_CPU)],
                         executable=sys.executable, stdout=subprocess.PIPE,
                         text=True)
    assert p.stdout.readline().strip() == "ready"
    return p


def threads_of(pid):
    """{comm: tid} of a process, from /proc."""
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{tid}/comm") as f:
            out[f.read().strip()] = int(tid)
    return out


def row_with(s, *words):
    """The first screen line holding every word."""
    for line in s.splitlines():
        if all(w in line for w in words):
            return line
    return None


if "--module-missing" in sys.argv:
    @test
    def module_missing_says_how_to_load():
        p = run("-b", "-n", "1", "--source", "module", check=False)
        assert p.returncode == 1, p.returncode
        assert "not loaded" in p.stderr and "insmod" in p.stderr, p.stderr
        assert not p.stdout, p.stdout

    @test
    def module_missing_falls_back_to_proc_and_says_so():
        p = run("-b", "-n", "1", "-p", "1", check=False)
        assert p.returncode == 0, (p.returncode, p.stderr)
        assert "reading /proc" in p.stderr and "not loaded" in p.stderr, \
            p.stderr
        assert re.search(r"^\s*1\s", p.stdout, re.M), p.stdout
    finish()


work = start_workload()
named = threads_of(work.pid)


@test
def processes_view_shows_named_threads():
    start("-d", "5")
    keys("-l", "\\")
    keys("-l", "tt-work")
    keys("Enter")
    s = wait_for(lambda s: row_with(s, str(work.pid), "tt-workload"),
                 "the workload process")
    line = row_with(s, str(work.pid), "tt-workload")
    n = len(named)
    assert re.search(rf"\s{n}\s", line), f"{n} threads in THR: {line!r}"
    keys("Enter")  # the selected (only) process: show its threads

    def first_thread(s):
        rows = [l for l in s.splitlines()
                if re.search(r"\btt-(spin|sleep-\d)$", l)]
        return rows[0] if rows else ""
    # Every thread with its tid, the busiest (the spinner) first beneath.
    s = wait_for(lambda s: all(row_with(s, str(tid), comm)
                               for comm, tid in named.items()) and
                 "tt-spin" in first_thread(s),
                 "every named thread with its tid, the spinner first")
    for comm in ("tt-sleep-0", "tt-sleep-1", "tt-sleep-2", "tt-spin",
                 "tt-sigwait"):
        assert row_with(s, str(named[comm]), comm), (comm, s)


@test
def cores_view_shows_pinned_spinner_under_its_cpu():
    start("-d", "5")
    keys("c")

    def spinner_block(s):
        block = None
        for line in s.splitlines():
            m = re.match(r"CPU (\d+)", line)
            if m:
                block = int(m.group(1))
            elif block is not None and "tt-spin" in line:
                return block, line
        return None
    s = wait_for(spinner_block, "the spinner in a CPU block")
    cpu, line = spinner_block(s)
    assert cpu == SPIN_CPU, f"tt-spin under CPU {cpu}, pinned to {SPIN_CPU}"
    assert str(named["tt-spin"]) in line, line
    cpu_pct = float(line.split()[line.split().index(str(named["tt-spin"])) + 2])
    assert cpu_pct > 50, line
    header = re.search(rf"(?m)^CPU {SPIN_CPU} .*$", s).group(0)
    if "no CPU data from the module" in run("-b", "-n", "1", "-d", "3").stdout:
        raise Skip("the module has no CPU_GET yet (EOPNOTSUPP): the CPU "
                   "blocks come from the threads alone; spinner placement "
                   "checked, CPU time split not")
    assert "usr" in header and "sys" in header, header


@test
def search_finds_a_thread_by_name():
    start("-d", "5")
    keys("/")
    keys("-l", "tt-sleep-1")
    keys("Enter")  # leave the prompt
    keys("Enter")  # the selection: open its detail
    tid = named["tt-sleep-1"]
    s = wait_for(lambda s: f"Thread {tid} (tt-sleep-1)" in s,
                 "the detail of tt-sleep-1")
    assert f"of process {work.pid} (tt-workload)" in s, s
    s = wait_for(lambda s: "identity" in s and "sched" in s,
                 "every field of the thread")
    assert re.search(rf"tid\s+{tid}\b", s), s
    keys("Escape")
    wait_for(lambda s: "PID" in s and "COMMAND" in s, "the list again")
    keys("n")  # the next match: none other, so the same thread
    s = screen()
    assert "not found" not in s, s


@test
def resize_to_80x24_keeps_the_screen_consistent():
    start("-d", "5", width=140, height=45)
    tmux("resize-window", "-t", Session.name, "-x", "80", "-y", "24")

    def consistent(s):
        lines = s.split("\n")
        return (len(lines) >= 24 and lines[0].startswith("threadtop -") and
                all(len(l) <= 80 for l in lines) and
                any(l.lstrip().startswith("PID") for l in lines) and
                "F1Help" in lines[23] and
                any(l.startswith("Tasks:") for l in lines))
    s = wait_for(consistent, "a whole 80x24 screen")
    head = row_with(s, "PID", "COMMAND")
    for col in ("CPU%", "WAIT%", "VCSW/s", "ICSW/s", "MIGR/s", "TIME"):
        assert col in head, (col, head)
    # And back to a bigger window: the columns given up come back.
    tmux("resize-window", "-t", Session.name, "-x", "150", "-y", "40")
    s = wait_for(lambda s: row_with(s, "PID", "USER", "POLICY"),
                 "all columns at 150 wide")
    keys("c")
    wait_for(lambda s: re.search(r"^CPU \d+", s, re.M), "the cores view")
    tmux("resize-window", "-t", Session.name, "-x", "80", "-y", "24")
    wait_for(lambda s: all(len(l) <= 80 for l in s.split("\n")) and
             re.search(r"^CPU \d+", s, re.M) and "F1Help" in s,
             "the cores view at 80x24")


@test
def q_exits_0():
    start("-d", "5")
    keys("h")
    wait_for(lambda s: "another key returns" in s, "the help screen")
    keys("Escape")
    wait_for(lambda s: "COMMAND" in s, "the list again")
    keys("q")
    assert exit_status() == 0, stderr_text()


def click(x, y):
    """A left click at column x, row y (0-based), as an xterm sends it
    (X10 mouse encoding: ESC [ M, button, x, y, each + 32, 1-based) on
    press and release: tmux hands the bytes to threadtop's terminal."""
    for button in (0, 3):
        keys("-H", *(f"{b:02x}" for b in
                     (0x1b, ord("["), ord("M"), 32 + button,
                      33 + x, 33 + y)))


def pids_listed(s):
    """The PID column of the process list, top to bottom."""
    lines = s.splitlines()
    head = next(i for i, l in enumerate(lines) if row_with(l, "PID", "COMMAND"))
    return [int(l.split()[0]) for l in lines[head + 1:]
            if re.match(r"\s*\d+\s", l)]


@test
def mouse_clicks_sort_and_switch_views():
    start("-d", "5")
    s = screen()
    lines = s.splitlines()
    y = next(i for i, l in enumerate(lines) if row_with(l, "PID", "COMMAND"))
    x = lines[y].index("PID")
    # A click on the PID title sorts by it; a second click inverts.
    click(x, y)
    s = wait_for(lambda s: len(pids_listed(s)) > 5 and
                 pids_listed(s) in (sorted(pids_listed(s)),
                                    sorted(pids_listed(s), reverse=True)),
                 "the list sorted by PID")
    first = pids_listed(s)
    click(x, y)
    wait_for(lambda s: len(pids_listed(s)) > 5 and
             pids_listed(s) == sorted(pids_listed(s),
                                      reverse=first[0] < first[-1]),
             "the PID order inverted")
    # A click on "Cores" in the footer switches to the cores view.
    lines = screen().splitlines()
    y = next(i for i, l in enumerate(lines) if "F1Help" in l)
    click(lines[y].index("Cores"), y)
    wait_for(lambda s: re.search(r"^CPU \d+", s, re.M), "the cores view")


def frames(text):
    return [f for f in re.split(r"(?m)^(?=threadtop - )", text) if f.strip()]


@test
def batch_prints_n_frames():
    p = run("-b", "-n", "3", "-d", "3", "-p", str(work.pid))
    fr = frames(p.stdout)
    assert len(fr) == 3, len(fr)
    for f in fr:
        assert re.search(r"(?m)^\s+PID .* COMMAND$", f), f
        for comm, tid in named.items():
            assert row_with(f, str(tid), comm), (comm, f)
        assert "Tasks:" in f
    p = run("-b", "-n", "2", "-d", "3", "--view", "cores")
    assert len(frames(p.stdout)) == 2
    assert re.search(rf"(?m)^CPU {SPIN_CPU}\b", p.stdout)


def command_cut(text):
    """A batch text's lines, process rows cut before COMMAND: the live
    run reads a command line when it draws the row, the recorder when it
    samples, and a process may exec in between."""
    out, cut = [], None
    for line in text.splitlines():
        if "COMMAND" in line and "PID" in line:
            cut = line.index("COMMAND")
        out.append(line[:cut] if cut and re.match(r"\s*\d", line)
                   else line)
    return out


@test
def recording_replays_to_the_same_frames():
    rec = os.path.join(WORK, "rec.tsr")
    live = run("-b", "-n", "3", "-d", "3", "-w", rec).stdout
    assert len(frames(live)) == 3
    replay = run("-b", "-r", rec).stdout
    # Meters, MEM% and every other cell as live (the Mem and Swp meters
    # and command lines travel in the recording).
    assert command_cut(replay) == command_cut(live), \
        "replay differs from the live frames:\n" + "\n".join(
            f"{a!r}\n{b!r}" for a, b in zip(command_cut(replay),
                                           command_cut(live)) if a != b)
    mem = [l for l in replay.splitlines() if "Mem[" in l]
    assert len(mem) == 3 and all("Swp[" in l for l in mem), mem
    for f in frames(replay):
        line = re.search(rf"(?m)^\s*{work.pid}\s.*$", f)
        assert line and "tt-workload -c" in line.group(0), f
    cores = run("-b", "-r", rec, "--view", "cores", "-K").stdout
    assert len(frames(cores)) == 3 and re.search(r"(?m)^CPU 0", cores)
    # Interactive replay: every view, no module needed.
    start("-r", rec, "-d", "3")
    wait_for(lambda s: "replay of" in s or "end of the recording" in s,
             "the replay marker")
    wait_for(lambda s: "Mem[" in s and "tt-workload -c" in s,
                 "the Mem meter and the workload's command line")
    keys("c")
    wait_for(lambda s: re.search(r"^CPU \d+", s, re.M), "the cores view")
    keys("q")


# ---- churn: a pool whose workers are born, burn CPU and exit ----

CHURN = r"""
import os, sys, threading, time
def name(n):
    with open(f"/proc/self/task/{threading.get_native_id()}/comm", "w") as f:
        f.write(n)
lock = threading.Lock()
def worker():
    name("tt-churn-w")
    t0 = time.thread_time()
    while time.thread_time() - t0 < 0.1:   # burn 100 ms of CPU, then exit
        pass
name("tt-churn")
print("ready", flush=True)
while True:
    threading.Thread(target=worker, daemon=True).start()
    time.sleep(0.2)
"""


def start_churn():
    p = subprocess.Popen(["tt-churn", "-c", CHURN], executable=sys.executable,
                         stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "ready"
    return p


def proc_cpu_s(pid):
    """utime + stime of a whole process (exited threads included), s."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def live_tids(pid):
    try:
        return {int(t) for t in os.listdir(f"/proc/{pid}/task")}
    except FileNotFoundError:
        return set()


def time_s(text):
    """threadtop's TIME (M:SS.hh) in seconds."""
    m, s = text.split(":")
    return int(m) * 60 + float(s)


def unbuffered_lines(fd):
    """Lines as soon as they are written (file iteration may hold them)."""
    pending = b""
    while True:
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        pending += chunk
        *done, pending = pending.split(b"\n")
        for line in done:
            yield line.decode(errors="replace")
    if pending:
        yield pending.decode(errors="replace")


def batch_frames_live(args, on_frame):
    """Run threadtop -b ARGS, calling on_frame(lines) as soon as each
    frame is printed (right after its sample, to read /proc then)."""
    p = subprocess.Popen([BIN, "-b", *args], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    lines, started = [], False
    for line in unbuffered_lines(p.stdout.fileno()):
        if line.startswith("threadtop - "):
            started = True
        if started and not line and lines and lines[-1] == "":
            continue
        if started and not line and any(
                re.match(r"\s*PID\b", x) for x in lines):
            on_frame(lines)
            lines, started = [], False
            continue
        if started:
            lines.append(line)
    if lines:
        on_frame(lines)
    err = p.stderr.read().decode(errors="replace")
    assert p.wait() == 0, err
    assert "AddressSanitizer" not in err and "runtime error" not in err, err


COLS = ["-o", "pid,state,cpu%,time,thr,command"]   # shown in this order


def rows(lines):
    """(pid, state, cpu%, time s, comm) of each list row of a frame."""
    out = []
    seen_head = False
    at = 0
    for line in lines:
        if re.match(r"\s*PID\s+S\s+CPU%", line):
            seen_head = True
            at = line.index("COMMAND")
            continue
        w = line.split()
        if w and w[0] == "*":       # the cores view's running mark
            w = w[1:]
        if not seen_head or len(w) < 5 or not w[0].isdigit():
            continue
        tm = [x for x in w[3:] if ":" in x]
        try:
            # COMMAND may carry the tree's and expansion's marks.
            # A process row's COMMAND is its command line: the first
            # word is the program (argv[0] "tt-churn").
            cmd = re.sub(r"^[\s|`+-]*", "", line[at:]).split()
            out.append((int(w[0]), w[1], float(w[2]), time_s(tm[0]),
                        cmd[0]))
        except (ValueError, IndexError) as e:
            raise AssertionError(f"unparsed row {line!r}") from e
    return out


def check_no_ghosts(frames, label):
    """frames: [(rows, tids alive in /proc right after the frame)].
    A thread gone from /proc after frame k is at most a tomb (state X)
    in frame k+1 and absent from every later frame; a tomb is listed
    once."""
    tombs = 0
    for k in range(1, len(frames)):
        gone_before = set()
        for j in range(k):
            shown = {r[0] for r in frames[j][0] if r[4] == "tt-churn-w"}
            gone_before |= shown - frames[j][1]
        for r in frames[k][0]:
            if r[4] != "tt-churn-w":
                continue
            if r[1] == "X":
                tombs += 1
                later = [x for f in frames[k + 1:] for x in f[0]
                         if x[0] == r[0]]
                assert not later, (label, "tomb listed again", r, later)
            else:
                assert r[0] not in gone_before, (label, "exited worker "
                                                 "shown as live", r)
    return tombs


class ProcPoller:
    """The pool's /proc CPU time every 10 ms, with when it was read: the
    moment the kernel's total reached a value threadtop showed is when
    threadtop sampled it, whatever the frames' printing lag."""

    def __init__(self, pid):
        import threading
        self.pid, self.log, self.stop = pid, [], False
        self.th = threading.Thread(target=self.run, daemon=True)
        self.th.start()

    def run(self):
        while not self.stop:
            try:
                self.log.append((time.monotonic(), proc_cpu_s(self.pid)))
            except (OSError, IndexError):
                return
            time.sleep(0.005)

    def reached(self, cpu_s):
        """(last read below @cpu_s, first read at or above it): when /proc
        reached it, bracketed (both truncate to 10 ms)."""
        before = None
        for t, c in list(self.log):
            if c >= cpu_s - 0.02:
                return before, t
            before = t
        return before, None

    def close(self):
        self.stop = True
        self.th.join()


@test
def churn_pool_cpu_and_time_include_exited_workers():
    pool = start_churn()
    poll = ProcPoller(pool.pid)
    try:
        seen = []

        def frame(lines):
            seen.append((rows(lines), time.monotonic(), live_tids(pool.pid)))

        time.sleep(1)
        batch_frames_live(["-d", "20", "-n", "6", "-p", str(pool.pid),
                           *COLS], frame)
        assert len(seen) == 6, len(seen)
        at = []
        for k, (rs, printed, _) in enumerate(seen):
            proc = [r for r in rs if r[0] == pool.pid]
            assert proc and proc[0][4] == "tt-churn", rs
            _, _, cpu, tm, _ = proc[0]
            # TIME (live and exited threads) is what /proc said at some
            # moment before the frame was printed.
            lo, hi = poll.reached(tm)
            # (the poller's next read may come after the print).
            assert lo is not None and hi is not None and lo <= printed, \
                (k, tm, lo, hi, printed)
            at.append((lo, hi, tm, cpu))
        tight = 0
        for k in range(1, len(at)):
            burned = at[k][2] - at[k - 1][2]
            # The sampling instants are bracketed by /proc reads.
            longest = at[k][1] - at[k - 1][0]
            shortest = max(at[k][0] - at[k - 1][1], 0.001)
            lo, hi = 100 * burned / longest, 100 * burned / shortest
            cpu = at[k][3]
            print(f"    frame {k}: CPU% {cpu:.1f}; /proc: {burned:.2f} s "
                  f"burned in {shortest:.2f}..{longest:.2f} s = "
                  f"{lo:.1f}..{hi:.1f}%")
            # ~10 workers of 0.1 s each per 2 s, each living ~0.1-0.2 s:
            # most of it in threads gone by the sample. A pool the VM
            # starved burned too little for /proc to date the samples.
            if burned < 0.3:
                continue
            assert 0.9 * lo <= cpu <= 1.1 * hi, (cpu, lo, hi)
            # On a starved VM the poller may read too rarely to judge an
            # interval to 10%; some interval must be judged that closely.
            tight += hi - lo < 0.1 * lo
        assert tight, "no interval with /proc reads close enough"
        check_no_ghosts([(f[0], f[2]) for f in seen], "-p")
    finally:
        poll.close()
        pool.kill()
        pool.wait()


@test
def churn_pool_exited_workers_leave_every_view():
    pool = start_churn()
    try:
        for label, args in (("-H", ["-H"]), ("processes", [])):
            seen = []
            batch_frames_live(["-d", "10", "-n", "5", *args, *COLS],
                              lambda lines: seen.append(
                                  (rows(lines), live_tids(pool.pid))))
            assert len(seen) == 5, (label, len(seen))
            tombs = check_no_ghosts(seen, label)
            print(f"    {label}: {tombs} tombs over 5 frames")
        # Cores view: a tomb is on no CPU; a gone worker never listed.
        seen = []

        def cores(lines):
            seen.append((rows(lines), live_tids(pool.pid)))
            for line in lines:
                if "tt-churn-w" in line:
                    assert not re.match(r"\s*\*?\s*\d+\s+X\b", line), line
        batch_frames_live(["-d", "10", "-n", "5", "--view", "cores",
                           *COLS], cores)
        check_no_ghosts(seen, "cores")
    finally:
        pool.kill()
        pool.wait()


@test
def churn_pool_tomb_on_screen_once():
    pool = start_churn()
    tomb = re.compile(r"(?m)^\s*(\d+)\s+X\s.*tt-churn-w")
    try:
        start("-d", "10", "-H", "-p", str(pool.pid), *COLS)
        s = wait_for(lambda s: tomb.search(s), "an exited worker as X")
        gone = [int(m.group(1)) for m in tomb.finditer(s)]
        for tid in gone:
            assert not os.path.exists(f"/proc/{pool.pid}/task/{tid}"), tid
        title = s.splitlines()[0]
        # The next frame (its clock moved on) lists none of them.
        s = wait_for(lambda s: s.splitlines()[0] != title, "the next frame")
        for tid in gone:
            assert not re.search(rf"(?m)^\s*{tid}\s", s), (tid, s)
        keys("q")
    finally:
        pool.kill()
        pool.wait()


@test
def corrupt_file_is_rejected_cleanly():
    rec = os.path.join(WORK, "good.tsr")
    run("-b", "-n", "2", "-d", "3", "-w", rec)
    data = open(rec, "rb").read()
    bad = os.path.join(WORK, "bad.tsr")
    cases = [
        (data[:60], "truncated"),       # inside the description
        (data[:100] + bytes([data[100] ^ 0xff]) + data[101:], "corrupt"),
        (b"TSTATRE", "truncated"),
        (b"", "empty"),
        (b"#!/bin/sh\necho not a recording\n", "not a threadtop recording"),
    ]
    for content, why in cases:
        with open(bad, "wb") as f:
            f.write(content)
        p = run("-b", "-r", bad, check=False)
        assert p.returncode == 1, (why, p.returncode, p.stderr)
        assert why in p.stderr, (why, p.stderr)
        assert "AddressSanitizer" not in p.stderr, p.stderr
        assert not p.stdout, p.stdout
    p = run("-b", "-r", os.path.join(WORK, "missing.tsr"), check=False)
    assert p.returncode == 1 and "cannot open" in p.stderr, p.stderr


@test
def bad_usage_exits_2():
    for args in (["-d", "0"], ["-n", "x"], ["--view", "nope"],
                 ["-s", "bogus"], ["-r", "a", "-w", "b"], ["extra"]):
        p = run(*args, check=False)
        assert p.returncode == 2, (args, p.returncode)
        assert p.stderr, args
    assert "usage" in run("-h").stdout
    assert run("-V").stdout.startswith("threadtop ")

# ---- actions on real threads, kernel state read back ----

def proc_status(tid, key):
    with open(f"/proc/{work.pid}/task/{tid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return line.split(":", 1)[1].strip()
    return None


def nice_of(tid):
    with open(f"/proc/{work.pid}/task/{tid}/stat") as f:
        return int(f.read().rsplit(")", 1)[1].split()[16])


def select(comm):
    """Search a thread of the workload by name: it is then selected."""
    keys("/")
    keys("-l", comm)
    keys("Enter")
    wait_for(lambda s: "Search:" not in s, "the search closed")


def top_p():
    start("-d", "5", "-p", str(work.pid))
    wait_for(lambda s: row_with(s, str(named["tt-sigwait"]), "tt-sigwait"),
             "the workload's threads")


@test
def k_sends_the_chosen_signal_to_the_selected_thread():
    top_p()
    tid = named["tt-sigwait"]
    assert int(proc_status(tid, "SigPnd"), 16) & (1 << 9) == 0
    select("tt-sigwait")
    keys("k")
    s = wait_for(lambda s: "Send signal" in s and "15 SIGTERM" in s,
                 "the signal menu")
    for _ in range(5):  # from 15 TERM up to 10 USR1
        keys("Up")
    keys("Enter")
    # tgkill: pending on that thread (SIGUSR1 = bit 9), not the process.
    until(lambda: int(proc_status(tid, "SigPnd"), 16) & (1 << 9),
          "SIGUSR1 pending on tt-sigwait")
    assert int(proc_status(tid, "ShdPnd"), 16) & (1 << 9) == 0
    wait_for(lambda s: "signal: 1 thread" in s, "the outcome in the footer")
    keys("F9")  # F9 opens the same menu; Escape closes it unsent
    wait_for(lambda s: "Send signal" in s, "the signal menu by F9")
    keys("Escape")
    wait_for(lambda s: "Send signal" not in s, "the menu closed")


@test
def f7_f8_renice_the_selected_thread():
    top_p()
    tid = named["tt-sleep-0"]
    base = nice_of(tid)
    select("tt-sleep-0")
    keys("F8")
    keys("F8")
    until(lambda: nice_of(tid) == base + 2, "nice +2")
    wait_for(lambda s: "renice: 1 thread" in s, "the outcome")
    keys("F7")
    until(lambda: nice_of(tid) == base + 1, "nice -1")
    # The row shows it too (NI column), from the next sample.
    wait_for(lambda s: re.search(rf"\b{tid}\b.*\s{base + 1}\s.*tt-sleep-0",
                                 s), "NI in the row")
    assert nice_of(named["tt-sleep-1"]) == 0


@test
def space_tags_and_an_action_applies_to_every_tagged_thread():
    top_p()
    t1, t2, t3 = (named[f"tt-sleep-{i}"] for i in (0, 1, 2))
    n1, n2, n3 = nice_of(t1), nice_of(t2), nice_of(t3)
    select("tt-sleep-1")
    keys("Space")
    select("tt-sleep-2")
    keys("Space")
    wait_for(lambda s: "[2 tagged]" in s, "two tagged")
    select("tt-sleep-0")  # selected but not tagged: not acted on
    keys("F8")
    until(lambda: nice_of(t2) == n2 + 1 and nice_of(t3) == n3 + 1,
          "both tagged threads reniced")
    assert nice_of(t1) == n1, "the untagged selection was reniced"
    keys("U")
    wait_for(lambda s: "tagged]" not in s, "untagged")
    keys("F8")
    until(lambda: nice_of(t1) == n1 + 1, "the selection, once untagged")
    assert nice_of(t2) == n2 + 1 and nice_of(t3) == n3 + 1


@test
def a_sets_cpu_affinity_from_the_cpu_picker():
    top_p()
    tid = named["tt-sleep-1"]
    cpus = sorted(os.sched_getaffinity(work.pid))
    assert len(cpus) > 1, cpus
    select("tt-sleep-1")
    keys("a")
    s = wait_for(lambda s: "Affinity" in s and f"[x] CPU {cpus[-1]}" in s,
                 "the CPU picker, every CPU allowed")
    keys("n")      # none
    keys("Space")  # CPU 0, the first item
    keys("Enter")
    until(lambda: os.sched_getaffinity(tid) == {0}, "affinity {0}")
    assert proc_status(tid, "Cpus_allowed_list") == "0"
    # Others keep theirs.
    assert os.sched_getaffinity(named["tt-sleep-0"]) == set(cpus)
    # Back to all: the picker starts from the thread's mask now.
    keys("a")
    wait_for(lambda s: "[x] CPU 0" in s and f"[ ] CPU {cpus[-1]}" in s,
             "the picker showing the mask just set")
    keys("a")
    keys("Enter")
    until(lambda: os.sched_getaffinity(tid) == set(cpus), "all CPUs again")


@test
def y_sets_policy_and_rt_priority():
    top_p()
    tid = named["tt-sleep-2"]
    select("tt-sleep-2")
    keys("Y")
    wait_for(lambda s: "Policy" in s and "fifo (RT)" in s, "policy menu")
    for _ in range(3):
        keys("Down")
    keys("Enter")
    wait_for(lambda s: "RT priority (1-99):" in s, "the priority prompt")
    keys("-l", "7")
    keys("Enter")
    until(lambda: os.sched_getscheduler(tid) == os.SCHED_FIFO, "SCHED_FIFO")
    assert os.sched_getparam(tid).sched_priority == 7
    wait_for(lambda s: row_with(s, str(tid), "fifo", "tt-sleep-2"),
             "POLICY fifo in the row")
    # A priority out of range: said in the footer, nothing changed.
    keys("Y")
    wait_for(lambda s: "Policy" in s, "policy menu")
    keys("End")
    keys("Enter")
    keys("-l", "100")
    keys("Enter")
    wait_for(lambda s: "1 to 99" in s, "the refusal")
    assert os.sched_getscheduler(tid) == os.SCHED_FIFO
    keys("Y")
    wait_for(lambda s: "Policy" in s, "policy menu")
    keys("Home")
    keys("Down")  # batch
    keys("Enter")
    until(lambda: os.sched_getscheduler(tid) == os.SCHED_BATCH, "batch")


@test
def eperm_shows_in_the_footer_and_nothing_crashes():
    # As nobody: the workload (root's) cannot be reniced up or signalled.
    if not shutil.which("setpriv"):
        raise Skip("no setpriv")
    tid = named["tt-sleep-0"]
    before = nice_of(tid)
    # A settings folder nobody can read (WORK is 0700): not the EACCES
    # warning this test is not about.
    cfg = tempfile.mkdtemp(prefix="threadtop-nobody.")
    os.chmod(cfg, 0o755)
    start("-d", "5", "-p", str(work.pid), config=cfg,
          prefix="setpriv --reuid=65534 --regid=65534 --clear-groups")
    select("tt-sleep-0")
    keys("F8")
    wait_for(lambda s: f"cannot renice {tid}: Operation not permitted" in s,
             "EPERM in the footer")
    keys("k")
    wait_for(lambda s: "Send signal" in s, "the signal menu")
    keys("Enter")  # SIGTERM
    wait_for(lambda s: "Operation not permitted" in s, "EPERM for the kill")
    assert work.poll() is None, "the workload was killed"
    assert nice_of(tid) == before, (nice_of(tid), before)
    keys("q")
    rc = exit_status()
    assert rc == 0, (rc, stderr_text())
    shutil.rmtree(cfg, ignore_errors=True)


# ---- settings, setup, filters ----

def quit_and_wait():
    """q, exit status 0, and the tmux session gone for the next start."""
    keys("q")
    rc = exit_status()
    assert rc == 0, (rc, stderr_text())
    stop()


def header_of(s):
    return row_with(s, "PID", "COMMAND") or ""


METERS = ["uptime", "load", "cpus", "mem", "swap", "tasks"]
METER_COUNT = len(METERS)


def meters_shown(s):
    """Which meters the header @s shows (the lines above the list)."""
    head = s.split("PID", 1)[0]
    return {"uptime": " up " in head.splitlines()[0],
            "load": "load average:" in head,
            "cpus": re.search(r"^\s*\d+\[", head, re.M) is not None,
            "mem": " Mem[" in head, "swap": "Swp[" in head,
            "tasks": "Tasks:" in head}


def display_col(line, text):
    """The terminal column where @text starts in @line."""
    head = line[:line.index(text)]
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1
               for ch in head)


@test
def settings_round_trip_through_threadtoprc():
    cfg = fresh_config()
    rc = os.path.join(cfg, "threadtop", "threadtoprc")
    start("-d", "5", config=cfg)
    quit_and_wait()
    assert not os.path.exists(rc), "written although nothing changed"
    start("-d", "5", config=cfg)
    keys("t")      # tree
    keys("I")      # inverted
    keys("F6")
    wait_for(lambda s: "Sort by" in s, "the sort menu")
    keys("Home")   # PID
    keys("Enter")
    keys("d")
    keys("-l", "2.5")
    keys("Enter")
    wait_for(lambda s: "updates every 2.5 s" in s, "the new delay")
    keys("c")
    wait_for(lambda s: re.search(r"^CPU \d+", s, re.M), "the cores view")
    quit_and_wait()
    text = open(rc).read()
    for want in ("sort=tid", "tree=1", "view=cores", "delay=25"):
        assert want in text.splitlines(), (want, text)
    mtime = os.stat(rc).st_mtime_ns
    # The same screen again; quitting unchanged leaves the file alone.
    start(config=cfg, first=lambda s: re.search(r"^CPU \d+", s, re.M))
    keys("p")
    s = wait_for(lambda s: "PID" in s and "COMMAND" in s, "processes")
    assert pids_listed(s)[0] in (1, 2), pids_listed(s)[:3]  # tree by PID
    keys("c")
    quit_and_wait()
    assert os.stat(rc).st_mtime_ns == mtime, "rewritten unchanged"
    # Unknown keys are ignored; a damaged file warns and gives defaults.
    with open(rc, "a") as f:
        f.write("some-future-key=42\n")
    start(config=cfg, first=lambda s: re.search(r"^CPU \d+", s, re.M))
    quit_and_wait()
    with open(rc, "wb") as f:
        f.write(b"sort=tid\n\x00\xff garbage without equals\n")
    start("-d", "5", config=cfg,  # the processes view: defaults
          first=lambda s: "PID" in s and "COMMAND" in s)
    s = wait_for(lambda s: "line 2 is damaged" in s, "the warning")
    quit_and_wait()
    assert "line 2 is damaged" in stderr_text()


@test
def f2_chooses_and_orders_columns_and_they_persist():
    cfg = fresh_config()
    start("-d", "5", config=cfg, width=160)
    s = screen()
    assert "USER" in header_of(s)
    keys("F2")
    wait_for(lambda s: "Columns" in s and "[x] USER" in s, "the setup")
    keys("Down")   # USER
    keys("Space")  # hidden
    keys("End")     # the last meter
    for _ in range(METER_COUNT + 7):
        keys("Up")  # TIME, above VIRT, RES, SHR, MEM%, LAT-MAX, LAT-P99,
        # COMMAND, the meters
    for _ in range(20):
        keys("F7")  # TIME moved up to the top (extra presses: no-ops)
    keys("Escape")
    s = wait_for(lambda s: "USER" not in header_of(s) and
                 header_of(s).split()[0] == "TIME", "TIME first, no USER")
    quit_and_wait()
    rc = open(os.path.join(cfg, "threadtop", "threadtoprc")).read()
    line = next(l for l in rc.splitlines() if l.startswith("columns="))
    assert line.startswith("columns=sum-exec-runtime,tid,state,"), line
    assert "uid" not in line, line
    start("-d", "5", config=cfg, width=160)
    s = screen()
    assert header_of(s).split()[:2] == ["TIME", "PID"], header_of(s)
    assert "USER" not in header_of(s)


@test
def f2_hides_a_meter_and_it_stays_hidden():
    cfg = fresh_config()
    start("-d", "5", config=cfg, width=160)
    s = wait_for(lambda s: all(meters_shown(s).values()), "every meter")
    keys("F2")
    wait_for(lambda s: "[x] meter: Swp" in s, "the setup's meters")
    keys("End")    # the last meter: Tasks
    keys("Up")     # Swp
    keys("Space")
    wait_for(lambda s: "[ ] meter: Swp" in s, "Swp unticked")
    keys("Escape")
    want = dict.fromkeys(METERS, True) | {"swap": False}
    wait_for(lambda s: meters_shown(s) == want, "Swp gone, the others kept")
    quit_and_wait()
    rc = open(os.path.join(cfg, "threadtop", "threadtoprc")).read()
    assert "meters=uptime,load,cpus,mem,tasks" in rc.splitlines(), rc
    start("-d", "5", config=cfg, width=160)
    s = wait_for(lambda s: meters_shown(s) == want,
                 "no Swp after a restart, the others there")
    quit_and_wait()
    # Batch frames follow the file too.
    out = run("-b", "-n", "1", env={"XDG_CONFIG_HOME": cfg}).stdout
    assert meters_shown(out) == want, out


@test
def detail_cells_align_with_wide_names():
    p, names = hostile_process()
    try:
        tid = next(t for t, n in names.items() if n == "名前ü".encode())
        start("-d", "5", "-H", "-p", str(p.pid), width=200)  # 5 cells
        keys("/")
        keys("-l", "前ü")
        keys("Enter")
        keys("Enter")
        s = wait_for(lambda s: f"Thread {tid} (名前ü)" in s and
                     "comm" in s, "the wide name's detail")
        line = next(l for l in s.splitlines()
                    if "名前ü" in l and not l.startswith("Thread"))
        starts, col = [], 0
        for i, ch in enumerate(line):
            if ch != " " and line[i - 2:i] == "  ":
                starts.append(col)
            col += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        # Cells are 38 columns: names at 2, values at 21 of each.
        assert starts and all(c % 38 in (2, 21) for c in starts), \
            (starts, line)
        print(f"# the name's detail line: {line.rstrip()}", flush=True)
        after = [c for c in starts if c > display_col(line, "名前ü")]
        assert after, ("a cell after the name", line)
        keys("q")
        assert exit_status() == 0
    finally:
        p.kill()
        p.wait()


def spawn_as_nobody(name):
    """A process of nobody's named @name (argv[0] too: a process row shows
    the command line), once it is that: setpriv, then bash, then python
    until it says so."""
    p = subprocess.Popen(["setpriv", "--reuid=65534", "--regid=65534",
                          "--clear-groups", "bash", "-c",
                          'exec -a "$0" "$@"', name, sys.executable, "-c",
                          f"import ctypes,time\n"
                          f"ctypes.CDLL(None).prctl(15, b'{name}')\n"
                          f"print('ready', flush=True)\n"
                          f"time.sleep(3600)"], stdout=subprocess.PIPE,
                         text=True)
    assert p.stdout.readline().strip() == "ready"
    return p


def users_listed(s, col):
    lines = s.splitlines()
    head = next(i for i, l in enumerate(lines) if row_with(l, "PID", "COMMAND"))
    return [l.split()[col] for l in lines[head + 1:] if re.match(r"\s*\d+\s", l)]


@test
def u_filters_by_user_and_user_sorts_by_name():
    if not shutil.which("setpriv"):
        raise Skip("no setpriv")
    p = spawn_as_nobody("tt-nobody")
    try:
        start("-d", "5")
        keys("u")
        keys("-l", "nobody")
        keys("Enter")
        s = wait_for(lambda s: row_with(s, str(p.pid), "tt-nobody") and
                     "[user nobody]" in s, "nobody's process")
        users = users_listed(s, 1)
        assert users and set(users) == {"nobody"}, users
        assert not row_with(s, "tt-workload"), s
        keys("u")
        keys("Enter")  # empty: everyone
        wait_for(lambda s: row_with(s, "tt-workload"), "everyone again")
        # -u as an option, and the batch frame; USER sorted by name.
        out = run("-b", "-n", "1", "-d", "3", "-u", "root").stdout
        assert set(users_listed(out, 1)) == {"root"}
        out = run("-b", "-n", "1", "-d", "3", "-s", "uid",
                  env={"COLUMNS": "200"}).stdout
        names = users_listed(out, 1)
        assert "nobody" in names and "root" in names, names
        assert names == sorted(names), names
        assert run("-u", "no-such-user-x", check=False).returncode == 2
    finally:
        p.kill()
        p.wait()


@test
def p_takes_a_list_and_batch_width_honors_columns():
    other = subprocess.Popen(["sleep", "3600"])
    try:
        out = run("-b", "-n", "1", "-d", "3", "-p",
                  f"{work.pid},{other.pid}").stdout
        assert set(pids_listed(out)) == {work.pid, other.pid}, out
        out = run("-b", "-n", "1", "-d", "3", env={"COLUMNS": "70"}).stdout
        lines = out.splitlines()
        assert max(len(l) for l in lines) <= 70, max(map(len, lines))
        assert "USER" not in header_of(out)  # gave way at 70 columns
        out = run("-b", "-n", "1", "-d", "3", env={"COLUMNS": "300"}).stdout
        assert "POLICY" in header_of(out)
        assert run("-p", "1,x", check=False).returncode == 2
    finally:
        other.kill()
        other.wait()


@test
def q_on_the_help_closes_the_help():
    start("-d", "5")
    keys("h")
    wait_for(lambda s: "another key returns" in s, "the help")
    keys("q")
    wait_for(lambda s: "PID" in s and "COMMAND" in s, "the list again")
    time.sleep(1)
    assert not exited(), "q on the help quit threadtop"


@test
def f_follows_the_selection_as_the_list_reorders():
    # Newest first: processes started now push the others down.
    start("-d", "3", "-s", "tid", "-I")

    def spawn(n):
        return [subprocess.Popen(["sleep", "3600"]) for _ in range(n)]
    select("tt-workload")  # a search selects and follows
    wait_for(lambda s: "[follow]" in s, "following")
    kids = spawn(3)
    try:
        wait_for(lambda s: all(row_with(s, str(k.pid)) for k in kids),
                 "the new processes above")
        keys("Enter")  # on the workload still: its threads show
        wait_for(lambda s: row_with(s, str(named["tt-spin"]), "tt-spin"),
                 "the workload expanded")
        keys("Enter")  # collapse
        keys("F")      # no longer following: the bar stays put
        s = wait_for(lambda s: "not following" in s, "follow off")
        above = pids_listed(s).index(work.pid)
        # As many new processes as rows above the workload: the bar then
        # holds what was the top row, the newest sleep.
        more = spawn(above)
        kids += more
        # Once the screen lists them, the bar (index @above) holds one of
        # the sleeps: no fixed sleep for a sample that may come late.
        pids = [k.pid for k in kids]
        wait_for(lambda s: all(row_with(s, str(k.pid)) for k in more) and
                 len(pids_listed(s)) > above and
                 pids_listed(s)[above] in pids,
                 "more new processes above, a sleep at the bar")
        keys("Enter")
        s = wait_for(lambda s: re.search(r"Thread \d+ \(sleep\)", s) or
                     row_with(s, str(named["tt-spin"]), "tt-spin"),
                     "Enter on the row at the bar")
        # Not the workload: one of the sleeps that pushed it down.
        m = re.search(r"Thread (\d+) \(sleep\)", s)
        assert m and int(m.group(1)) in pids, s
    finally:
        for k in kids:
            k.kill()
            k.wait()


# ---- memory and the command line ----

MEM_CODE = ("import sys,time;b=bytearray(48<<20);b[::4096]=b'x'*len(b[::4096]);"
            "print('ready',flush=True);time.sleep(600)")


def kib(text):
    """A RES/VIRT/SHR cell in KiB: KiB, or with an M or G suffix."""
    unit = {"M": 1024, "G": 1024 * 1024}.get(text[-1], 1)
    return float(text.rstrip("MG")) * unit


@test
def memory_columns_and_command_line():
    argv = [b"tt-mem", b"-c", MEM_CODE.encode(), b"\x1b]0;pwn\x07",
            b"two words"]
    p = subprocess.Popen(argv, executable=sys.executable,
                         stdout=subprocess.PIPE)
    try:
        assert p.stdout.readline().strip() == b"ready"
        out = run("-b", "-n", "1", "-d", "3", "-p", str(p.pid), "-o",
                  "pid,rss,vm-size,shared,mem-pct",
                  env={"COLUMNS": "400"}).stdout
        page = os.sysconf("SC_PAGE_SIZE") // 1024
        with open(f"/proc/{p.pid}/statm") as f:
            size, resident, shared = (int(x) * page
                                      for x in f.read().split()[:3])
        with open(f"/proc/{p.pid}/cmdline", "rb") as f:
            cmdline = f.read().rstrip(b"\0").replace(b"\0", b" ")
        head = next(l for l in out.splitlines() if "COMMAND" in l).split()
        assert head[:6] == ["PID", "RES", "VIRT", "SHR", "MEM%",
                            "COMMAND"], head
        row = next(l for l in out.splitlines()
                   if l.split()[:1] == [str(p.pid)])
        cells = row.split(None, 5)
        res, virt, shr = kib(cells[1]), kib(cells[2]), kib(cells[3])
        assert abs(res - resident) <= 0.1 * resident, (row, resident)
        assert abs(virt - size) <= 0.1 * size, (row, size)
        assert abs(shr - shared) <= 0.1 * shared + 1024, (row, shared)
        assert res > 48 * 1024, row     # the touched buffer is resident
        with open("/proc/meminfo") as f:
            total = int(f.readline().split()[1])
        assert abs(float(cells[4]) - 100.0 * res / total) < 0.2, row
        # COMMAND: /proc/PID/cmdline, NULs as spaces, escaped; the escape
        # sequence never reaches the terminal raw.
        assert cells[5] == shown(cmdline).decode(), (cells[5], cmdline)
        assert "\\e]0;pwn\\a two words" in cells[5], cells[5]
        # The meters: Mem used = total - available, as free says.
        mem = next(l for l in out.splitlines() if l.lstrip().startswith("Mem["))
        assert "Swp[" in mem, mem
        # Interactive: the program's name bold, the rest not.
        # With the busy workload first, tt-mem's row is not the selected
        # one (drawn in the selection's colours).
        start("-d", "5", "-p", f"{work.pid},{p.pid}", width=300)
        wait_for(lambda s: "tt-mem -c" in s, "the command line")
        s = tmux("capture-pane", "-e", "-p", "-t", Session.name).stdout
        line = next(l for l in s.splitlines() if "tt-mem" in l)
        assert re.search(r"\x1b\[[0-9;]*1[0-9;]*mtt-mem\x1b\[", line), \
            repr(line)
        assert "\\e]0;pwn\\a" in line, repr(line)
        # A thread row shows the thread's name (comm), not the command.
        with open(f"/proc/{p.pid}/comm") as f:
            comm = f.read().strip()     # python3...: not argv[0]
        keys("H")
        wait_for(lambda s: re.search(rf"^\s*{p.pid}\s.*\s{re.escape(comm)}$",
                                     s, re.M), "the thread row: comm")
        keys("q")
        assert exit_status() == 0
    finally:
        p.kill()
        p.wait()


# ---- safe output, wide characters, the terminal ----

@test
def hostile_and_wide_names_are_shown_escaped():
    p, names = hostile_process()
    try:
        # Batch frames too: a combining mark stays with its character.
        out = run("-b", "-n", "1", "-d", "3", "-H", "-p", str(p.pid)).stdout
        for n in names.values():
            assert shown(n).decode() in out, (shown(n), out)
        start("-d", "5", "-H", "-p", str(p.pid))
        s = wait_for(lambda s: all(shown(n).decode() in s
                                   for n in names.values()),
                     "every name, escaped")
        assert "?" not in "".join(l for l in s.splitlines()
                                  if "名前ü" in l), s
        # The OSC sequence never reached the terminal: the title is intact.
        title = tmux("display-message", "-p", "-t", Session.name,
                     "#{pane_title}").stdout.strip()
        assert "pwn" not in title, title
        # Wide keys: search, then filter, by a non-ASCII name.
        tid = next(t for t, n in names.items() if n == "名前ü".encode())
        keys("/")
        keys("-l", "前ü")
        keys("Enter")
        keys("Enter")
        wait_for(lambda s: f"Thread {tid} (名前ü)" in s,
                 "the detail of the thread found by a wide search")
        keys("Escape")
        wait_for(lambda s: "COMMAND" in s, "the list again")
        keys("\\")
        keys("-l", "名前")
        keys("Enter")
        s = wait_for(lambda s: "名前ü" in s and "com,ma" not in s,
                     "only the wide name left by the filter")
        assert "[名前]" in s, s
        keys("q")
        assert exit_status() == 0
    finally:
        p.kill()
        p.wait()


@test
def terminal_700_columns_wide():
    start("-d", "5", width=700, height=30)
    keys("c")
    wait_for(lambda s: re.search(r"^CPU \d+", s, re.M), "the cores view")
    keys("p")
    s = wait_for(lambda s: "COMMAND" in s, "the processes view")
    assert max(len(l) for l in s.splitlines()) <= 700
    assert not exited(), "threadtop died"
    keys("q")
    assert exit_status() == 0


def sane_after():
    """The terminal modes after threadtop are those before it."""
    def both():
        with open(stty_file()) as f:
            return f.read().count("\n") >= 2
    until(both, "the terminal modes after threadtop")
    with open(stty_file()) as f:
        lines = f.read().split()
    assert len(lines) == 2, lines
    assert lines[0] == lines[1], lines


@test
def signals_leave_the_terminal_sane():
    for sig in (signal.SIGHUP, signal.SIGTERM, signal.SIGSEGV,
                signal.SIGABRT):
        start("-d", "5")
        with open(pid_file()) as f:
            pid = int(f.read())
        os.kill(pid, sig)
        assert exit_status() == 128 + sig, (sig, exit_status())
        sane_after()
        stop()


@test
def ctrl_z_suspends_and_fg_redraws():
    start(shell="bash --norc --noprofile -i", first=False)
    wait_for(lambda s: "$" in s or "#" in s, "a shell prompt")
    keys("-l", f"stty -g > {stty_file()}; {BIN} -d 5")
    keys("Enter")
    wait_for(lambda s: "PID" in s and "COMMAND" in s, "threadtop")
    keys("C-z")
    wait_for(lambda s: "Stopped" in s, "the shell's job stopped")
    keys("-l", f"stty -g >> {stty_file()}")
    keys("Enter")
    time.sleep(1)
    sane_after()
    keys("-l", "clear; fg")
    keys("Enter")
    wait_for(lambda s: "PID" in s and "COMMAND" in s and "F1" in s,
             "threadtop redrawn after fg")
    keys("q")
    wait_for(lambda s: "COMMAND" not in s, "threadtop gone")


# ---- recordings: cut, piped, replay controls, absurd intervals ----

def rec_frames(data):
    """[(offset, kind, end)] of a recording's frames."""
    out, off = [], 20
    while off + 24 <= len(data):
        ln, kind, hl = struct.unpack_from("<IHH", data, off)
        out.append((off, kind, off + hl + ln))
        off += hl + ln
    return out


SAMPLE_BEGIN, SAMPLE_END = 2, 7


@test
def cut_recording_replays_its_complete_samples():
    rec = os.path.join(WORK, "cut.tsr")
    run("-b", "-n", "4", "-d", "3", "-w", rec)
    data = open(rec, "rb").read()
    ends = [e for _, k, e in rec_frames(data) if k == SAMPLE_END]
    assert len(ends) == 5, ends
    cut_file = os.path.join(WORK, "cut-short.tsr")
    whole = frames(run("-b", "-r", rec).stdout)
    for cut in (ends[1], ends[1] + 2, ends[2] + 30, ends[3] - 1,
                len(data) - 1):
        with open(cut_file, "wb") as f:
            f.write(data[:cut])
        p = run("-b", "-r", cut_file)
        samples = sum(e <= cut for e in ends)
        got = frames(p.stdout)
        assert got == whole[:samples - 1], (cut, len(got), samples)
        if cut in ends:
            assert not p.stderr, p.stderr
        else:
            assert "cut at byte" in p.stderr, p.stderr
            assert f"its {samples} complete samples" in p.stderr, p.stderr
    # From a pipe, the same frames as from the file.
    p = subprocess.run(f"cat {rec} | {BIN} -b -r -", shell=True,
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    assert frames(p.stdout) == whole


@test
def replay_controls_pause_step_and_go_to():
    rec = os.path.join(WORK, "steps.tsr")
    run("-b", "-n", "5", "-d", "3", "-w", rec)
    start("-r", rec, "-d", "600", width=200)
    wait_for(lambda s: "sample 1/6]" in s, "the first sample")
    keys("}")
    wait_for(lambda s: "paused replay" in s and "sample 2/6]" in s,
             "a step forward, paused")
    keys("}")
    keys("}")
    wait_for(lambda s: "sample 4/6]" in s, "two more steps")
    keys("{")
    wait_for(lambda s: "sample 3/6]" in s, "a step back")
    keys("g")
    keys("-l", "6")
    keys("Enter")
    wait_for(lambda s: "sample 6/6]" in s, "go to the last sample")
    keys("g")
    keys("-l", "+0")
    keys("Enter")
    wait_for(lambda s: "sample 1/6]" in s, "go to +0 s")
    keys("z")
    wait_for(lambda s: "[replay of" in s, "resumed")
    keys("q")
    assert exit_status() == 0
    stop()
    # Interactive from a pipe: keys come from the terminal.
    start(shell=f"cat {rec} | {BIN} -r - -d 600", width=200)
    wait_for(lambda s: "sample 1/" in s, "the piped replay")
    keys("}")
    wait_for(lambda s: "sample 2/" in s, "a step in the piped replay")
    keys("{")
    wait_for(lambda s: "sample 1/" in s, "back in the piped replay")
    keys("q")
    assert exit_status() == 0


@test
def absurd_interval_never_gives_absurd_cpu():
    rec = os.path.join(WORK, "absurd.tsr")
    run("-b", "-n", "5", "-d", "3", "-w", rec)
    data = bytearray(open(rec, "rb").read())
    fr = rec_frames(bytes(data))
    begins = [i for i, (_, k, _) in enumerate(fr) if k == SAMPLE_BEGIN]
    first_mono = struct.unpack_from("<Q", data, fr[begins[0]][0] + 8)[0]
    # Sample 2 claims 1 ns after sample 1, sample 3 a year after that
    # (and sample 4 then goes back in time): none of them has rates.
    year = 365 * 86400 * 10**9
    for s, mono in ((1, first_mono + 1), (2, first_mono + year)):
        stop_at = fr[begins[s + 1]][0] if s + 1 < len(begins) else len(data)
        for off, _, end in fr:
            if fr[begins[s]][0] <= off < stop_at:
                struct.pack_into("<Q", data, off + 8, mono)
                hl = struct.unpack_from("<H", data, off + 6)[0]
                crc = zlib.crc32(bytes(data[off:off + 16]))
                crc = zlib.crc32(bytes(data[off + 20:end]), crc)
                struct.pack_into("<I", data, off + 16, crc)
                assert hl == 24
    with open(rec, "wb") as f:
        f.write(data)
    p = run("-b", "-r", rec)
    assert "corrupt" not in p.stderr and "cut" not in p.stderr, p.stderr
    assert len(frames(p.stdout)) == 2, p.stdout    # samples 5 and 6
    for f in frames(p.stdout):
        head = next(l for l in f.splitlines() if "CPU%" in l).split()
        col = head.index("CPU%")
        for line in f.splitlines():
            cells = line.split()
            if len(cells) == len(head) and cells[0].isdigit():
                v = float(cells[col])
                assert 0 <= v <= 100 * os.cpu_count(), line


# ---- the wait view and the deadlock alarm ----
# deadlock_prog (user/tests/deadlock_prog.c), built beside the tests.
DEADLOCK_PROG = os.path.join(os.path.dirname(os.path.dirname(BIN)),
                             "release", "tests", "deadlock_prog")


def Hung(scenario):
    """deadlock_prog SCENARIO, or a skip when it is not built."""
    if not os.path.exists(DEADLOCK_PROG):
        raise Skip(f"{DEADLOCK_PROG} is not built")
    return hung.Hung(DEADLOCK_PROG, scenario)


def waits_frame(pid, ok):
    """The last batch frame of --view waits for @pid once @ok accepts it
    (the threads block a moment after the program says they are ready)."""
    deadline = time.time() + 90
    while True:
        p = run("-b", "-n", "1", "-d", "2", "--view", "waits", "-p",
                str(pid))
        f = frames(p.stdout)[-1]
        if ok(f) or time.time() > deadline:
            return f
        time.sleep(0.5)


@test
def wait_view_batch_shows_the_cycle_as_a_tree_and_the_alarm():
    with Hung("abba-normal") as h:
        t1, t2 = h.tids["t1"], h.tids["t2"]
        f = waits_frame(h.pid, lambda f: "DEADLOCK" in f)
        lines = f.splitlines()
        assert "DEADLOCK: 1 wait cycle (w: the wait chains)" in lines, f
        assert "Wait chains: 3 blocked, 2 locks waited on, 1 deadlock" in f
        rows = [l for l in lines if re.match(r"^ +(`- )?\d+ \(", l)]
        # the cycle from its lowest tid: t1, t2 beneath it, then t1 again
        assert re.match(rf"^ {t1} \(deadlock_prog\) of {h.pid}, state S: "
                        rf"blocked \d+\.\d s in futex_wait on lock_b "
                        rf"\(mutex\) held by {t2} \[layout\]$", rows[0]), rows
        assert re.match(rf"^   `- {t2} \(deadlock_prog\) of {h.pid}, state "
                        rf"S: blocked \d+\.\d s in futex_wait on lock_a "
                        rf"\(mutex\) held by {t1} \[layout\]$", rows[1]), rows
        assert rows[2] == f"     `- {t1} (deadlock_prog): the cycle closes " \
            "here", rows
        assert len(rows) == 3, rows


@test
def wait_view_batch_writer_above_its_readers_no_alarm():
    with Hung("rwlock") as h:
        w, r1, r2 = h.tids["writer"], h.tids["r1"], h.tids["r2"]
        f = waits_frame(h.pid, lambda f: f.count("on rw_lock") == 2)
        assert "DEADLOCK" not in f, f
        assert "0 deadlocks" in f, f
        rows = [l for l in f.splitlines() if re.match(r"^ +(`- )?\d+ \(", l)]
        assert rows[0].startswith(f" {w} (deadlock_prog) of {h.pid}, state "
                                  "S"), rows
        assert "on rw_lock" not in rows[0], rows
        kids = sorted(rows[1:3])
        for tid, row in zip(sorted([r1, r2], key=str), kids):
            assert re.match(rf"^   `- {tid} \(deadlock_prog\) of {h.pid}, "
                            rf"state S: blocked \d+\.\d s in "
                            rf"futex_wait_bitset on rw_lock \(rwlock\) held "
                            rf"by {w} \[layout\]$", row), (tid, rows)


@test
def wait_view_replays_from_a_recorded_hang():
    with Hung("abba-normal") as h:
        t1, t2 = h.tids["t1"], h.tids["t2"]
        waits_frame(h.pid, lambda f: "DEADLOCK" in f)
        rec = os.path.join(WORK, "hang.tsr")
        run("-b", "-n", "2", "-d", "2", "-p", str(h.pid), "-w", rec)
    # replayed after the program is gone: owners and names from the file
    p = run("-b", "-r", rec, "--view", "waits")
    fr = frames(p.stdout)
    assert len(fr) == 2, p.stdout     # 3 samples: 2 with rates
    for f in fr:
        assert "DEADLOCK: 1 wait cycle (w: the wait chains)" in f, f
        rows = [l for l in f.splitlines()
                if re.match(r"^ +(`- )?\d+ \(", l)]
        assert len(rows) == 3, rows
        assert re.match(rf"^ {t1} \(deadlock_prog\) .* on lock_b "
                        rf"\(mutex\) held by {t2} \[layout\]$", rows[0]), rows
        assert re.match(rf"^   `- {t2} \(deadlock_prog\) .* on lock_a "
                        rf"\(mutex\) held by {t1} \[layout\]$", rows[1]), rows
    # the processes view of the same replay carries the alarm too
    p = run("-b", "-r", rec)
    assert "DEADLOCK: 1 wait cycle" in p.stdout, p.stdout


@test
def wait_view_key_w_and_the_alarm_on_screen():
    with Hung("cycle3") as h:
        start("-p", str(h.pid), "-d", "5")
        wait_for(lambda s: "DEADLOCK: 1 wait cycle" in s, "the alarm")
        keys("w")
        s = wait_for(lambda s: "Wait chains:" in s and "the cycle closes"
                     in s, "the wait view")
        for name in ("t1", "t2", "t3"):
            assert f"{h.tids[name]} (deadlock_prog)" in s, s
        assert "4 blocked, 3 locks waited on, 1 deadlock" in s, s
        keys("p")
        wait_for(lambda s: "PID" in s and "COMMAND" in s, "processes")
        keys("q")
        assert exit_status() == 0


work.kill()
work.wait()
finish()
