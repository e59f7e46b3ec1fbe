#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
"""The man pages (make man) say what the tools and the spec have: every
name of the YNL spec (operations, attribute sets, attributes, definitions
and their entries) in threadstat(7); every command and option of
`threadstat --help` (and of each command's --help) in threadstat(8); every
option of `threadtop --help` in threadtop(1); and `MANWIDTH=80 man
--warnings -l` renders every page in MANDIR without a warning.

usage: man_test.py MANDIR THREADSTAT THREADTOP
Ends with "man: N passed, N failed".
"""
import glob
import os
import re
import subprocess
import sys

import yaml

from suite import Suite

MANDIR, STAT, TOP = sys.argv[1:4]
SPEC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                    "include", "uapi", "linux", "threadstat.yaml")
suite = Suite("man")
test, finish = suite.test, suite.finish


def page_text(name, width="4000"):
    """A page as man renders it; wide, so that no word is hyphenated."""
    p = subprocess.run(["man", "-l", os.path.join(MANDIR, name)],
                       capture_output=True, text=True, timeout=60,
                       env=dict(os.environ, MANWIDTH=width, LANG="C.UTF-8"))
    assert p.returncode == 0, (name, p.stderr)
    return p.stdout.replace("\u2010", "-").replace("\u2212", "-")


def words(text):
    return set(re.findall(r"[A-Za-z0-9][A-Za-z0-9_-]*", text))


def helps(binary, *args):
    p = subprocess.run([binary, *args], capture_output=True, text=True,
                       timeout=60)
    return p.stdout + p.stderr


def missing(names, text):
    have = words(text)
    return sorted(n for n in names if n not in have)


@test
def every_spec_name_is_in_section_7():
    with open(SPEC) as f:
        spec = yaml.safe_load(f)
    names = {op["name"] for op in spec["operations"]["list"]}
    for s in spec["attribute-sets"]:
        names.add(s["name"])
        names |= {a["name"] for a in s["attributes"] if a["type"] != "pad"}
    for d in spec["definitions"]:
        names.add(d["name"])
        names |= {e["name"] if isinstance(e, dict) else e
                  for e in d["entries"]}
    assert len(names) > 150, len(names)
    gone = missing(names, page_text("threadstat.7"))
    assert not gone, f"not in threadstat(7): {gone}"


@test
def every_threadstat_command_and_option_is_in_section_8():
    top = helps(STAT, "--help")
    block = top.split("commands:", 1)[1].split("\noptions:", 1)[0]
    commands = re.findall(r"^  ([a-z][a-z0-9-]*)", block, re.M)
    assert {"threads", "thread", "cpus", "system"} <= set(commands), commands
    options = set(re.findall(r"(--[a-z][a-z-]*)", top))
    for c in commands:
        options |= set(re.findall(r"(--[a-z][a-z-]*)", helps(STAT, c, "--help")))
    text = page_text("threadstat.8")
    gone = missing(commands, text)
    gone += sorted(o for o in options if o not in text)
    assert not gone, f"not in threadstat(8): {gone}"


@test
def every_threadtop_option_is_in_section_1():
    usage = helps(TOP, "--help")
    options = set(re.findall(r"(?:^|\s|,)(--[a-z][a-z-]*|-[a-zA-Z])\b", usage))
    assert {"-b", "--batch", "--source", "--view"} <= options, options
    text = page_text("threadtop.1")
    gone = sorted(o for o in options if not re.search(
        rf"(?<![\w-]){re.escape(o)}(?![\w-])", text))
    assert not gone, f"not in threadtop(1): {gone}"


@test
def pages_render_without_warnings():
    pages = sorted(glob.glob(os.path.join(MANDIR, "*.[1-8]")))
    names = [os.path.basename(p) for p in pages]
    assert {"threadstat.7", "threadstat.8", "threadtop.1"} <= set(names), names
    for page in pages:
        p = subprocess.run(["man", "--warnings", "-l", page],
                           capture_output=True, text=True, timeout=60,
                           env=dict(os.environ, MANWIDTH="80"))
        assert p.returncode == 0 and not p.stderr.strip(), (page, p.stderr)
        assert len(p.stdout.splitlines()) > 20, (page, p.stdout)


finish()
