#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
"""bash completion (user/completion/*.bash) driven as bash drives it:
COMP_WORDS and COMP_CWORD set, the completion function called, COMPREPLY
read back. Field groups must be the spec's, columns what threadtop takes.

usage: completion_test.py THREADSTAT THREADTOP
Ends with "completion: N passed, N failed".
"""
import os
import subprocess
import sys
import threading

import yaml

from suite import Suite

STAT, TOP = (os.path.abspath(b) for b in sys.argv[1:3])
HERE = os.path.dirname(os.path.abspath(__file__))
COMPLETION = os.path.join(HERE, "..", "completion")
SPEC = os.path.join(HERE, "..", "..", "include", "uapi", "linux",
                    "threadstat.yaml")
suite = Suite("completion")
test, finish = suite.test, suite.finish

SCRIPT = r"""
source "$1"
shift
fn=$1
shift
COMP_WORDS=("$@")
COMP_CWORD=$(($# - 1))
COMP_LINE="$*"
COMP_POINT=${#COMP_LINE}
"$fn"
printf '%s\n' "${COMPREPLY[@]}"
"""


def complete(tool, *words):
    """What bash offers for the last of @words (the one being typed)."""
    binary = STAT if tool == "threadstat" else TOP
    p = subprocess.run(["bash", "-c", SCRIPT, "bash",
                        os.path.join(COMPLETION, tool + ".bash"),
                        "_" + tool, binary, *words],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0 and not p.stderr, (words, p.stderr)
    return set(line for line in p.stdout.splitlines() if line)


def bash_var(tool, name):
    p = subprocess.run(["bash", "-c", f'source "$1"; echo ${name}', "bash",
                        os.path.join(COMPLETION, tool + ".bash")],
                       capture_output=True, text=True, timeout=60)
    return p.stdout.split()


@test
def threadstat_commands_and_options():
    assert complete("threadstat", "") >= {"threads", "thread", "cpus",
                                          "system"}
    assert complete("threadstat", "thr") == {"threads", "thread"}
    assert complete("threadstat", "threads", "--fi") == {"--fields"}
    assert complete("threadstat", "cpus", "--j") == {"--json"}
    assert complete("threadstat", "--source", "p") == {"proc"}
    assert complete("threadstat", "--source", "proc", "sy") == {"system"}
    assert complete("threadstat", "threads", "--source", "") == {
        "auto", "module", "proc"}
    assert "--source" in complete("threadstat", "threads", "--")


@test
def field_groups_are_the_specs():
    with open(SPEC) as f:
        spec = yaml.safe_load(f)
    fields = next(d for d in spec["definitions"] if d["name"] == "fields")
    assert bash_var("threadstat", "_threadstat_groups") == \
        fields["entries"] + ["all"]
    assert complete("threadstat", "threads", "--fields", "k") == {"kstack"}
    assert complete("threadstat", "threads", "--fields", "sched,de") == {
        "sched,delayacct"}


@test
def pids_and_tids_from_proc():
    me = str(os.getpid())
    stop = threading.Event()
    t = threading.Thread(target=stop.wait)
    t.start()
    try:
        tid = str(t.native_id)
        assert me in complete("threadstat", "threads", "--pid", me[:-1])
        # a thread that is not a process: listed under /proc/PID/task only
        assert tid in complete("threadstat", "thread", tid[:-1])
        assert tid in complete("threadstat", "threads", "--tid", tid)
        assert tid not in complete("threadstat", "threads", "--pid", tid)
        assert me in complete("threadtop", "-p", me)
        assert f"1,{me}" in complete("threadtop", "-p", f"1,{me}")
    finally:
        stop.set()
        t.join()


@test
def threadtop_options_views_columns():
    usage = subprocess.run([TOP, "--help"], capture_output=True,
                           text=True).stdout
    offered = complete("threadtop", "-")
    for opt in ("-b", "--batch", "--view", "--source", "-p", "--columns"):
        assert opt in usage and opt in offered, (opt, offered)
    assert complete("threadtop", "--view", "c") == {"cores"}
    assert complete("threadtop", "--view", "w") == {"waits"}
    assert complete("threadtop", "--so") == {"--sort", "--source"}
    assert complete("threadtop", "-s", "mem") == {"mem-pct"}
    assert complete("threadtop", "-o", "tid,cpu-") == {"tid,cpu-pct"}


@test
def threadtop_columns_are_accepted():
    cols = bash_var("threadtop", "_threadtop_columns")
    assert len(cols) >= 19, cols
    for c in cols:
        p = subprocess.run([TOP, "-o", c, "-s", c, "-h"],
                           capture_output=True, text=True, timeout=60)
        assert p.returncode == 0, (c, p.stderr)


finish()
