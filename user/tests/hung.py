# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
"""A hung program for the wait-chain tests: deadlock_prog SCENARIO
(user/tests/deadlock_prog.c), killed with its process group at the end."""
import json
import os
import signal
import subprocess


class Hung:
    """PROG ARGS (under PRE, e.g. unshare); .pid and .tids as it reports
    them once every thread is in place, .p the process started."""

    def __init__(self, prog, *args, pre=()):
        self.p = subprocess.Popen([*pre, prog, *args], stdout=subprocess.PIPE,
                                  text=True, start_new_session=True)
        line = self.p.stdout.readline()
        if not line:
            raise AssertionError(f"{args}: no report, exit {self.p.wait()}")
        info = json.loads(line)
        self.pid, self.tids = info["pid"], info["tids"]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        os.killpg(self.p.pid, signal.SIGKILL)
        self.p.wait()
