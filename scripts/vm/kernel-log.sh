#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernel-log.sh -- the problems in a guest's kernel log that fail a VM run.
#
# usage: scripts/vm/kernel-log.sh LOG [FILTERED]
#
# Prints on stdout each line of LOG that shows a problem (oops, BUG,
# WARNING, lockup, RCU stall, KASAN, UBSAN, list corruption, ...), none
# when it is clean; on stderr the lines set aside, each saying why. The
# log as checked (set-aside parts removed) goes to FILTERED (default: a
# temporary file). run.sh fails a run (status 3) on any stdout line;
# scripts/vm/tests/kernel_log_test.sh checks what is and is not set aside.
set -uo pipefail

log=$1
filtered=${2:-}
# A guest's log holds what its threads chose (a comm in "by task NAME"):
# what goes to a terminal has every byte but printable ASCII as '?'.
printable() { LC_ALL=C tr -c '[:print:]\n' '?'; }
if [[ -z $filtered ]]; then
	filtered=$(mktemp)
	trap 'rm -f "$filtered"' EXIT
fi
pattern='Oops|BUG:|WARNING:|RCU stall|rcu_.*detected stall|soft lockup|hard LOCKUP|hung_task|blocked for more than|refcount_t:|list_add corruption|list_del corruption|general protection fault|KASAN|UBSAN|kernel BUG|Call Trace|Kernel panic'
# Known kernel bugs that are not ours are reported, not failed on: Debian's
# 6.12 sometimes WARNs in sched_cpu_dying() ("CPUn enqueued tasks") when a
# CPU goes offline, with or without threadstat loaded (reproduced on an
# untainted kernel). Only that WARNING's own block, up to its end-of-trace
# line, is set aside; anything else in the log still fails the run.
known='WARNING:.*sched_cpu_dying'
# Reports from before userspace starts ("Run /init as init process") are
# the kernel's own: no module and no test can have run yet. The debug
# kernel under TCG has one at every boot (KASAN wild-memory-access in
# do_raw_spin_lock, from an interrupt in identify_boot_cpu, swapper/0, at
# 0.02 s); they are printed, not failed on. Without that line in the log
# (its start lost) everything is checked.
boot_marker='Run /init as init process'
booted=1
grep -aq "$boot_marker" "$log" 2>/dev/null && booted=0
while IFS= read -r line; do
	[[ -n $line ]] && echo "vm: kernel log problem before userspace, the kernel's own (ignored): $line" >&2
done < <(awk -v m="$boot_marker" -v booted="$booted" 'index($0, m) { exit } !booted { print }' "$log" 2>/dev/null |
	grep -aE "$pattern" | tr -d '\r' | printable)
awk -v known="$known" -v m="$boot_marker" -v booted="$booted" '
	index($0, m) { booted = 1 }
	!booted { next }
	$0 ~ known { skip = 1 }
	!skip { print }
	skip && /---\[ end trace/ { skip = 0 }' "$log" >"$filtered" 2>/dev/null || cp "$log" "$filtered"
while IFS= read -r line; do
	[[ -n $line ]] && echo "vm: known kernel issue, not ours (ignored): $line" >&2
done < <(grep -aE "$known" "$log" 2>/dev/null | tr -d '\r' | printable)
grep -aE "$pattern" "$filtered" 2>/dev/null | tr -d '\r' | printable
exit 0
