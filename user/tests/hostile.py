# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
"""Threads with hostile names, for the CLI and threadtop tests: escape
sequences, control characters, CSV and JSON metacharacters, "-", UTF-8 cut
mid-character and valid UTF-8. shown() is the escaped form the README
documents for tables, pages and threadtop."""
import os
import subprocess
import sys
import unicodedata

HOSTILE = [
    b"\x1b]0;pwn\x07",      # an OSC sequence: would retitle the terminal
    b"a\nb",                 # a newline: would split a row
    b"cr\rlf",
    b'q"uo"te',
    b"com,ma",
    b"-",                    # not an absent field
    b"back\\slash",
    b"\x9b" b"31mred",       # a raw C1 CSI byte
    b"cut\xe5\x90",          # UTF-8 cut mid-character (as the kernel cuts)
    "名前ü".encode(),        # valid UTF-8, shown as is
    "cafe\u0301".encode(),  # a combining mark: kept with its "e"
    "\u0301lead".encode(),  # one with no character of its own: escaped
]

CHILD = r"""
import sys, threading, time
names = [bytes.fromhex(h) for h in sys.argv[1:]]
tids = []
def named(n):
    tid = threading.get_native_id()
    with open(f"/proc/self/task/{tid}/comm", "wb") as f:
        f.write(n)
    tids.append(tid)
    time.sleep(3600)
for n in names:
    threading.Thread(target=named, args=(n,), daemon=True).start()
while len(tids) < len(names):
    time.sleep(0.01)
print("ready", flush=True)
time.sleep(3600)
"""


def hostile_process():
    """A process with a thread per HOSTILE name: (Popen, {tid: name})."""
    p = subprocess.Popen([sys.executable, "-c", CHILD,
                          *(n.hex() for n in HOSTILE)],
                         stdout=subprocess.PIPE)
    assert p.stdout.readline().strip() == b"ready"
    names = {}
    for tid in os.listdir(f"/proc/{p.pid}/task"):
        with open(f"/proc/{p.pid}/task/{tid}/comm", "rb") as f:
            names[int(tid)] = f.read()[:-1]     # the kernel adds "\n"
    assert set(HOSTILE) <= set(names.values()), names
    return p, names


NAMED = {"\a": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\v": "\\v",
         "\f": "\\f", "\r": "\\r", "\x1b": "\\e", "\\": "\\\\"}


def shown(name):
    """@name (bytes) as a UTF-8 terminal shows it, escaped (bytes)."""
    out = ""
    base = False    # a character of the name's own before: marks join it
    for ch in name.decode("utf-8", "surrogateescape"):
        o = ord(ch)
        mark = unicodedata.category(ch) in ("Mn", "Me")
        if 0xdc80 <= o <= 0xdcff:           # a byte that is not UTF-8
            out += f"\\x{o - 0xdc00:02x}"
        elif ch in NAMED:
            out += NAMED[ch]
        elif o < 0x20 or o == 0x7f:
            out += f"\\x{o:02x}"
        elif 0x80 <= o <= 0x9f or (mark and not base):
            out += f"\\u{o:04x}"
        else:
            out += ch
            base = True
            continue
        base = False
    return out.encode()
