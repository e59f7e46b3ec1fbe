#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernel_log_test.sh -- what scripts/vm/kernel-log.sh fails a VM run on, and
# what it sets aside, on small kernel logs written here. Ends with
# "kernel-log: N passed, N failed" (make check's "vm log scan" stage).
set -uo pipefail

scan=$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")/kernel-log.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

# check NAME EXPECTED-PROBLEM-COUNT LOG-TEXT: the problem lines kernel-log.sh
# prints for LOG-TEXT must be EXPECTED in number.
check() {
	local name=$1 want=$2 got
	printf '%s\n' "$3" >"$tmp/log"
	got=$("$scan" "$tmp/log" 2>"$tmp/err" | grep -c .)
	if [[ $got == "$want" ]]; then
		echo "ok $name"
		pass=$((pass + 1))
	else
		echo "not ok $name: $got problem lines, expected $want"
		"$scan" "$tmp/log" 2>&1 | sed 's/^/#   /'
		fail=$((fail + 1))
	fi
}

boot='[    0.016800] ==================================================================
[    0.016800] BUG: KASAN: wild-memory-access in do_raw_spin_lock+0x122/0x270
[    0.016800] Call Trace:
[    0.016800]  do_raw_spin_lock+0x122/0x270
[    0.016800] =================================================================='
init='[   74.328419] Run /init as init process'
loaded='[   84.754705] threadstat: loading out-of-tree module taints kernel.'
dying='[  120.000000] ------------[ cut here ]------------
[  120.000001] WARNING: CPU: 1 PID: 21 at kernel/sched/core.c:8365 sched_cpu_dying+0x1b5/0x1d0
[  120.000002] Call Trace:
[  120.000003] ---[ end trace 0000000000000000 ]---'
uaf='[  130.000000] BUG: KASAN: slab-use-after-free in ts_fill_kstack+0x10/0x200 [threadstat]'

check clean_log 0 "$init
$loaded"
check report_before_userspace_is_the_kernels 0 "$boot
$init
$loaded"
check report_after_userspace_fails 1 "$init
$loaded
$uaf"
check boot_report_set_aside_but_a_later_one_fails 1 "$boot
$init
$loaded
$uaf"
check without_the_init_line_everything_is_checked 2 "$boot
$loaded"
check sched_cpu_dying_warning_is_set_aside 0 "$init
$dying"
check warning_after_the_set_aside_block_fails 2 "$init
$dying
[  121.000000] WARNING: CPU: 0 PID: 99 at kmod/thread_get.c:100 ts_dump+0x1/0x2 [threadstat]
[  121.000001] Call Trace:"
# the init line itself may not hide what a later boot-like line says
check init_line_twice_still_checks_after_the_first 1 "$init
$uaf
$init"

# a hostile thread name in a report reaches the terminal as '?'s
printf '%s\n' "$init" $'[  140.0] BUG: KASAN: use-after-free in x by task \e]0;pwn\a\e[2J\x01z' >"$tmp/log"
out=$("$scan" "$tmp/log" 2>&1)
if [[ $out == *'by task ?]0;pwn??[2J?z'* ]] && ! LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' <<<"$out"; then
	echo "ok hostile_name_in_a_report_is_printed_as_question_marks"
	pass=$((pass + 1))
else
	echo "not ok hostile_name_in_a_report_is_printed_as_question_marks: $(printf %q "$out")"
	fail=$((fail + 1))
fi

echo "kernel-log: $pass passed, $fail failed"
((fail == 0))
