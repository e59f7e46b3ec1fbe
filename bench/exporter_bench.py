#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
"""exporter_bench.py -- `make bench`'s exporter section, in the VM as root
with threadstat.ko loaded: threadstat exporter beside Debian's
prometheus-process-exporter (threads on, every process grouped by name),
scraping the same threads, for each N of BENCH_EXPORTER_THREADS (default
"1000 10000 50000" threads of build/bench/spawn_threads).

Per exporter and N: wall time of a scrape (GET /metrics, body read), CPU
the exporter spent on it (the sum of its threads' schedstat runtimes,
before and after: ns, not ticks) and its RSS afterwards (VmRSS, and its
peak VmHWM). Scrapes are interleaved, one of each per round, after one
untimed warm-up scrape each; reported: the median over the rounds, and
process-exporter / threadstat ratios.

usage: bench/exporter_bench.py [THREADSTAT_BINARY]
"""
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

BIN = sys.argv[1] if len(sys.argv) > 1 else "build/release/threadstat"
SPAWN = "build/bench/spawn_threads"
COUNTS = [int(n) for n in os.environ.get("BENCH_EXPORTER_THREADS",
                                         "1000 10000 50000").split()]
ROUNDS = {1000: 5, 10000: 3, 50000: 2}
# BENCH_EXPORTER_ROUNDS=R: R rounds at every N (process-exporter takes
# minutes per scrape at 10k threads under TCG).
if os.environ.get("BENCH_EXPORTER_ROUNDS"):
    ROUNDS = {n: int(os.environ["BENCH_EXPORTER_ROUNDS"]) for n in COUNTS}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_ns(pid):
    total = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                total += int(f.read().split()[0])
        except OSError:
            pass
    return total


def status_kib(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


# process-exporter reads all of /proc before it listens: at 10k threads
# in a TCG guest on a loaded host that took over 300 s (connection
# refused until then). BENCH_EXPORTER_START (s) bounds the wait.
START = float(os.environ.get("BENCH_EXPORTER_START", "1800"))


def scrape(url):
    # process-exporter answers only once it has read all of /proc: ~14 min
    # at 50k threads under TCG, so a reply may take as long as start-up.
    with urllib.request.urlopen(url, timeout=START) as r:
        body = r.read()
    assert r.status == 200
    return body


def wait_up(url, p, err):
    end = time.monotonic() + START
    last = None
    while time.monotonic() < end and p.poll() is None:
        try:
            return scrape(url)
        except OSError as e:
            last = f"{e} {e.read()!r}" if hasattr(e, "read") else e
            time.sleep(0.3)
    err.seek(0)
    raise SystemExit(f"exporter_bench: {url}: {last}; exit status "
                     f"{p.poll()}; stderr: {err.read()[-2000:]!r}")


class Exporter:
    def __init__(self, name, argv, port):
        self.name = name
        self.url = f"http://127.0.0.1:{port}/metrics"
        self.err = tempfile.TemporaryFile("w+")
        self.p = subprocess.Popen(argv, stdout=subprocess.DEVNULL,
                                  stderr=self.err)
        wait_up(self.url, self.p, self.err)     # also the warm-up scrape
        self.wall, self.cpu = [], []

    def measure(self):
        c0 = cpu_ns(self.p.pid)
        t0 = time.monotonic()
        body = scrape(self.url)
        self.wall.append(time.monotonic() - t0)
        self.cpu.append((cpu_ns(self.p.pid) - c0) / 1e9)
        return len(body)

    def stop(self):
        self.rss = status_kib(self.p.pid, "VmRSS") / 1024
        self.hwm = status_kib(self.p.pid, "VmHWM") / 1024
        self.p.send_signal(signal.SIGTERM)
        try:
            self.p.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()


def run(n, cfg):
    spawn = subprocess.Popen([SPAWN, str(n)], stdout=subprocess.PIPE,
                             text=True)
    line = spawn.stdout.readline().split()
    assert line and line[0] == "ready", line
    try:
        ts_port = free_port()
        pe_port = ts_port + 1 if ts_port < 65535 else ts_port - 1
        ts = Exporter("threadstat", [BIN, "exporter", "--listen",
                                     f"127.0.0.1:{ts_port}"], ts_port)
        pe = Exporter("process-exporter",
                      ["prometheus-process-exporter", "-threads=true",
                       "-config.path", cfg, "-web.listen-address",
                       f"127.0.0.1:{pe_port}"], pe_port)
        sizes = {}
        for _ in range(ROUNDS.get(n, 3)):
            for e in (ts, pe):
                sizes[e.name] = e.measure()
        for e in (ts, pe):
            e.stop()
        return ts, pe, sizes
    finally:
        spawn.send_signal(signal.SIGTERM)
        spawn.wait()


def main():
    cfg = tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False)
    # Every process, grouped by its name, as threadstat's default grouping.
    cfg.write('process_names:\n  - name: "{{.Comm}}"\n    cmdline:\n'
              '    - \'.*\'\n')
    cfg.close()
    print("exporter scrape cost: threadstat exporter (release) vs "
          "prometheus-process-exporter -threads=true (every process, by "
          "name); medians over the rounds")
    print(f"{'N':>6} {'exporter':<17} {'scrape ms':>10} {'CPU ms':>9} "
          f"{'RSS MiB':>8} {'peak MiB':>9} {'body KiB':>9}")
    ratios = []
    for n in COUNTS:
        ts, pe, sizes = run(n, cfg.name)
        for e in (ts, pe):
            print(f"{n:>6} {e.name:<17} "
                  f"{statistics.median(e.wall) * 1e3:>10.1f} "
                  f"{statistics.median(e.cpu) * 1e3:>9.1f} "
                  f"{e.rss:>8.1f} {e.hwm:>9.1f} "
                  f"{sizes[e.name] / 1024:>9.1f}", flush=True)
        ratios.append((n, statistics.median(pe.wall) /
                       statistics.median(ts.wall),
                       statistics.median(pe.cpu) / statistics.median(ts.cpu),
                       pe.hwm / ts.hwm))
    os.unlink(cfg.name)
    print("process-exporter / threadstat:")
    print(f"{'N':>6} {'scrape time':>12} {'CPU/scrape':>11} {'peak RSS':>9}")
    for n, w, c, r in ratios:
        print(f"{n:>6} {w:>12.1f} {c:>11.1f} {r:>9.1f}")


main()
