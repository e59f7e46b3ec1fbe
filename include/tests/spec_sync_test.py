#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The UAPI header and the YNL spec describe the same ABI.

Every name in the spec (commands, attribute sets, enums, flags) must exist
in include/uapi/linux/threadstat.h with the value the spec implies, checked
by the C compiler through _Static_assert; and every enum member of the
header must be in the spec. Prints "spec: N passed, N failed".
"""
import os
import re
import subprocess
import sys
import tempfile

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
UAPI = os.path.join(HERE, "..", "uapi")
HEADER = os.path.join(UAPI, "linux", "threadstat.h")
SPEC = os.path.join(UAPI, "linux", "threadstat.yaml")


def c_name(s):
    return s.upper().replace("-", "_")


def expected(spec):
    """(C name, value) pairs the spec implies."""
    fam = c_name(spec["name"])
    out = []
    for d in spec.get("definitions", []):
        prefix = f"{fam}_{c_name(d['name'])}_"
        value = d.get("value-start", 0)
        for e in d["entries"]:
            if isinstance(e, dict):
                name, value = e["name"], e.get("value", value)
            else:
                name = e
            v = (1 << value) if d["type"] == "flags" else value
            out.append((prefix + c_name(name), v))
            value += 1
    for s in spec["attribute-sets"]:
        prefix = c_name(s.get("name-prefix", f"{spec['name']}-a-{s['name']}-"))
        value = 1
        for a in s["attributes"]:
            value = a.get("value", value)
            out.append((prefix + c_name(a["name"]), value))
            value += 1
        out.append((prefix + "MAX", value - 1))
    value = 1
    for op in spec["operations"]["list"]:
        value = op.get("value", value)
        out.append((f"{fam}_CMD_{c_name(op['name'])}", value))
        value += 1
    out.append((f"{fam}_CMD_MAX", value - 1))
    return out


def main():
    spec = yaml.safe_load(open(SPEC))
    pairs = expected(spec)
    failed = 0
    src = ['#include <linux/threadstat.h>']
    src += [f'_Static_assert({n} == {v}, "{n} should be {v}");' for n, v in pairs]
    src.append(f'_Static_assert(sizeof(THREADSTAT_FAMILY_NAME) == {len(spec["name"]) + 1}, "name");')
    with tempfile.NamedTemporaryFile("w", suffix=".c") as f:
        f.write("\n".join(src) + "\n")
        f.flush()
        p = subprocess.run(["cc", "-fsyntax-only", "-I", UAPI, f.name],
                           capture_output=True, text=True)
    errors = [l for l in p.stderr.splitlines() if "error" in l]
    for e in errors:
        print("not ok", e)
    failed += len(errors) + (1 if p.returncode and not errors else 0)
    passed = len(pairs) + 1 - len(errors)

    in_spec = {n for n, _ in pairs}
    header = open(HEADER).read()
    for enum in re.findall(r"enum[^{]*\{([^}]*)\}", header):
        for name in re.findall(r"^\s*(THREADSTAT_\w+)", enum, re.M):
            if name.startswith("__"):
                continue
            if name in in_spec:
                passed += 1
            else:
                print(f"not ok {name} is in the header but not the spec")
                failed += 1
    print(f"spec: {passed} passed, {failed} failed")
    return 1 if failed else 0


sys.exit(main())
