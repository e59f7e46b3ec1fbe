#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
"""cpu_charge.py -- does a guest charge host starvation to the thread that
was running? (README, "Lifecycle events": an exit event once said 2342 ms
of CPU for a worker that burned 41 ms.)

usage: cpu_charge.py THREADSTAT [WORKERS] (in the VM, module loaded)

WORKERS (default 30) threads named stv-N, one at a time, each spin reading
its own CPU clock (CLOCK_THREAD_CPUTIME_ID: the kernel's sum-exec-runtime
plus the running slice, what /proc/PID/task/TID/schedstat shows) and
CLOCK_MONOTONIC until the CPU clock grew 41 ms, recording the biggest single
step of the CPU clock between two reads (a few microseconds of work) and
the monotonic step beside it. One `threadstat events --type exit --json`
listener takes their exit events. Prints per worker its CPU clock at the
end, the exit event's sum-exec-runtime and the biggest steps: a step of
tens of ms in a loop that does microseconds of work is time the vCPU did
not run (the host preempted qemu) charged to the running thread by the
guest kernel itself, and the exit event then carries what the kernel's own
clock says."""
import json
import subprocess
import sys
import threading
import time

BURN_NS = 41 * 10**6


def worker(i, res):
    name = f"stv-{i}"
    with open(f"/proc/self/task/{threading.get_native_id()}/comm", "w") as f:
        f.write(name)
    c0 = pc = time.thread_time_ns()
    pm = time.monotonic_ns()
    big = (0, 0)
    while True:
        c, m = time.thread_time_ns(), time.monotonic_ns()
        if c - pc > big[0]:
            big = (c - pc, m - pm)
        pc, pm = c, m
        if c - c0 >= BURN_NS:
            break
    res[name] = (c0, c, big)


def main():
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    ev = subprocess.Popen([sys.argv[1], "events", "--json", "--type", "exit"],
                          stdout=subprocess.PIPE, text=True)
    time.sleep(1)
    res = {}
    for i in range(n):
        t = threading.Thread(target=worker, args=(i, res))
        t.start()
        t.join()
    time.sleep(2)
    ev.terminate()
    evs = {}
    for line in ev.communicate()[0].splitlines():
        o = json.loads(line)
        if o.get("comm", "").startswith("stv-"):
            evs[o["comm"]] = o
    for i in range(n):
        name = f"stv-{i}"
        c0, c, big = res[name]
        se = evs[name]["sum-exec-runtime"] if name in evs else -1
        print(f"{name}: cpu clock at start {c0 / 1e6:.1f} ms, at end "
              f"{c / 1e6:.1f} ms, exit event {se / 1e6:.1f} ms, biggest "
              f"step {big[0] / 1e6:.2f} ms (monotonic {big[1] / 1e6:.2f} ms)")


main()
