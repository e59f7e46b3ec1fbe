#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# An independent client talks to the family: the kernel's own YNL CLI, driven
# only by our spec, dumps threads and gets one, and what it decodes agrees
# with /proc. Spec and CLI are found in the kernel tree this directory sits
# in, or through TS_SPEC and YNL_CLI.
KSFT_SKIP=4
here=$(dirname "$(readlink -f "$0")")
top=$here/../../../..
spec=${TS_SPEC:-$top/Documentation/netlink/specs/threadstat.yaml}
cli=${YNL_CLI:-$top/tools/net/ynl/cli.py}
py=${PYTHON:-python3}

if [[ ! -f $spec || ! -f $cli ]]; then
	echo "SKIP: no spec ($spec) or YNL CLI ($cli)"
	exit $KSFT_SKIP
fi
if ! $py -c 'import yaml' 2>/dev/null; then
	echo "SKIP: python3 has no yaml module"
	exit $KSFT_SKIP
fi

sleep 300 & sleeper=$!
trap 'kill $sleeper 2>/dev/null' EXIT
out=$(mktemp)

fail=0
$py "$cli" --no-schema --spec "$spec" --dump thread-get --output-json >"$out" || {
	echo "FAIL: ynl dump"; exit 1; }
$py - "$out" "$sleeper" <<'PY' || fail=1
import json, os, sys
threads = json.load(open(sys.argv[1]))
sleeper = int(sys.argv[2])
tids = [t["tid"] for t in threads]
assert len(tids) == len(set(tids)), "a tid twice"
by_tid = {t["tid"]: t for t in threads}
for pid in (1, sleeper):
    t = by_tid[pid]
    comm = open(f"/proc/{pid}/comm").read().strip()
    assert t["comm"] == comm, (t["comm"], comm)
    assert t["tgid"] == pid
for task in os.listdir("/proc/1/task"):
    assert int(task) in by_tid, f"tid {task} missing"
print(f"ok: ynl dumped {len(threads)} threads")
PY

$py "$cli" --no-schema --spec "$spec" --do thread-get \
	--json "{\"tid\": $sleeper}" --output-json >"$out" || {
	echo "FAIL: ynl do"; exit 1; }
$py - "$out" "$sleeper" <<'PY' || fail=1
import json, sys
t = json.load(open(sys.argv[1]))
assert t["tid"] == int(sys.argv[2]) and t["comm"] == "sleep", t
assert t["state"] == ord("S"), t["state"]
print("ok: ynl do-get", t["tid"], t["comm"])
PY
rm -f "$out"
exit $fail
