# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
"""What the python test suites share: every test runs even when one fails,
each gets an "ok"/"not ok"/"skip" line, and the last line is "NAME: N
passed, N failed" (scripts/guest/run-tests.sh counts it)."""
import os
import sys
import time

# TS_TESTS=name,name: run only these tests (for a quick rerun by hand).
ONLY = [n for n in os.environ.get("TS_TESTS", "").split(",") if n]


class Skip(Exception):
    """Raised by a test that cannot run here; it says why."""


class Suite:
    def __init__(self, name, after_each=None):
        self.name = name
        self.after_each = after_each
        self.results = []

    def test(self, fn):
        """Decorator: run @fn now and record how it went. TS_TESTS=a,b
        runs only the named tests, TS_ONLY=WORD only those whose name holds
        WORD (developers' shortcuts)."""
        if ONLY and fn.__name__ not in ONLY:
            return fn
        if os.environ.get("TS_ONLY", "") not in fn.__name__:
            return fn
        began = time.time()
        try:
            fn()
            self.results.append((fn.__name__, None))
        except Skip as e:
            print(f"skip {fn.__name__}: {e}")
        except Exception as e:  # report every failure, keep going
            self.results.append((fn.__name__, e))
        finally:
            if self.after_each:
                self.after_each()
            # Progress as it happens (the verdicts come at the end).
            print(f"# {fn.__name__}: {time.time() - began:.1f} s",
                  file=sys.stderr, flush=True)
        return fn

    def finish(self):
        failed = 0
        for name, err in self.results:
            if err is None:
                print(f"ok {name}")
            else:
                failed += 1
                print(f"not ok {name}: {err!r}")
        print(f"{self.name}: {len(self.results) - failed} passed, "
              f"{failed} failed")
        sys.exit(1 if failed else 0)
