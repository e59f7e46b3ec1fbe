#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# hardening-summary.sh -- one kernel's row of the hardening table (README):
# what the guest log of a `make check` or `make stress` VM run says of
# fuzzing, churn, lifecycle, hotplug, concurrent clients and many threads
# (held while nobody requests CPUs and the system summary; worst request).
#
# usage: scripts/hardening-summary.sh --header
#        scripts/hardening-summary.sh KVER LOG STATUS
#
# "failed" counts failed test cases, plus the VM's STATUS if it is not 0
# (3: a problem in the guest's kernel log).
set -euo pipefail

if [[ ${1:-} == --header ]]; then
	echo "kernel                 datagrams fuzzed  threads churned     lifecycle cycles  hotplug cycles  clients  threads held     failed"
	exit 0
fi
[[ $# -eq 3 ]] || { sed -n 7,8p "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
awk -v k="$1" -v rc="$3" '
/# fuzzed [0-9]+ datagrams/ { for (i = 1; i <= NF; i++) if ($i == "fuzzed") f = $(i + 1) }
/threads created and destroyed/ { c = $4; r = $9; gsub(/[(\/s);]/, "", r) }
/^    lifecycle: [0-9]+ unload\/load cycles/ { l = $2 }
/CPU offline\+online cycles/ { h = $4 }
/[0-9]+ clients served/ { for (i = 1; i <= NF; i++) if ($i == "clients") n = $(i - 1); sub(/.*:/, "", n) }
/# many threads: [0-9]+ held/ { m = $4 " (" $11 " ms)" }
/^guest: [0-9]+ passed, [0-9]+ failed/ { x = $4 }
END {
	printf "%-22s %-17s %-19s %-17s %-15s %-8s %-16s %s\n", k, f, c " (" r "/s)", l, h, n, m,
		(x == "" ? "?" : x) (rc ? " (vm status " rc ")" : "")
}' "$2"
