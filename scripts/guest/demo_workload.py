#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
"""Something to look at in threadtop (make run in the VM): named threads
that spin, sleep, chatter, hop between CPUs or stay pinned to one, and a
process whose short-lived workers come and go. Runs until killed."""
import os
import threading
import time


def name(n):
    with open(f"/proc/self/task/{threading.get_native_id()}/comm", "w") as f:
        f.write(n[:15])


def spin(n, duty):
    """Busy for duty of every 100 ms."""
    name(n)
    while True:
        end = time.monotonic() + 0.1 * duty
        while time.monotonic() < end:
            pass
        time.sleep(0.1 * (1 - duty))


def pinned(n, cpu):
    os.sched_setaffinity(threading.get_native_id(), {cpu})
    spin(n, 0.6)


def sleeper(n):
    name(n)
    while True:
        time.sleep(5)


def chatty(n):
    """Wakes a thousand times a second: many voluntary switches."""
    name(n)
    while True:
        time.sleep(0.001)


def churn():
    """A second process whose workers live about a second each."""
    name("demo-churn")
    i = 0
    while True:
        def worker(k=i):
            name(f"churn-{k}")
            time.sleep(1)
        threading.Thread(target=worker, daemon=True).start()
        i += 1
        time.sleep(0.3)


if os.fork() == 0:
    churn()
name("demo-main")
cpus = sorted(os.sched_getaffinity(0))
workers = [
    (spin, ("demo-busy", 0.9)),
    (spin, ("demo-half", 0.5)),
    (pinned, ("demo-pinned", cpus[-1])),
    (chatty, ("demo-chatty",)),
] + [(sleeper, (f"demo-sleep-{i}",)) for i in range(3)]
for fn, args in workers:
    threading.Thread(target=fn, args=args, daemon=True).start()
while True:
    time.sleep(60)
