# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
"""A workload of our own for the /proc source tests: a process PREFIX-main
with a burning thread PREFIX-burn and three sleeping ones PREFIX-nap-N,
each named through /proc/self/task/TID/comm, and /proc readers for it."""
import os
import subprocess
import sys
import time

HZ = os.sysconf("SC_CLK_TCK")
TICK_NS = 10**9 // HZ

CODE = r"""
import sys, threading, time
prefix = sys.argv[1]
named = threading.Semaphore(0)
def name(n):
    with open(f"/proc/self/task/{threading.get_native_id()}/comm", "w") as f:
        f.write(prefix + n)
    named.release()
def burn():
    name("-burn")
    while True:
        pass
def nap():
    name(f"-nap-{threading.current_thread().name}")
    time.sleep(3600)
name("-main")
for t in [threading.Thread(target=burn, daemon=True)] + [
        threading.Thread(target=nap, name=str(i), daemon=True)
        for i in range(3)]:
    t.start()
# "ready" only once every thread has its name: a new thread carries
# its creator's name until it renames itself.
for _ in range(5):
    named.acquire()
print("ready", flush=True)
sys.stdin.read()
"""


def read(pid, tid, name):
    with open(f"/proc/{pid}/task/{tid}/{name}", "rb") as f:
        return f.read().decode("utf-8", "surrogateescape")


def tids(pid):
    return sorted(int(t) for t in os.listdir(f"/proc/{pid}/task"))


def schedstat(pid, tid):
    return [int(x) for x in read(pid, tid, "schedstat").split()]


def status(pid, tid, key):
    for line in read(pid, tid, "status").splitlines():
        if line.startswith(key + ":"):
            return line.split(":", 1)[1].strip()
    return None


def cpu_list(text):
    cpus = []
    for part in text.split(","):
        a, _, b = part.partition("-")
        cpus += range(int(a), int(b or a) + 1)
    return cpus


class Workload:
    """Started, named, and with 50 ms of CPU burned (a generous wait)."""

    def __init__(self, prefix):
        self.p = subprocess.Popen([sys.executable, "-c", CODE, prefix],
                                  stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True)
        assert self.p.stdout.readline().strip() == "ready"
        self.pid = self.p.pid
        self.names = {t: read(self.pid, t, "comm").strip()
                      for t in tids(self.pid)}
        self.burner = next(t for t, n in self.names.items()
                           if n == prefix + "-burn")
        deadline = time.time() + 120
        while (schedstat(self.pid, self.burner)[0] < 50_000_000 and
               time.time() < deadline):
            time.sleep(0.05)

    def stop(self):
        self.p.kill()
        self.p.wait()
