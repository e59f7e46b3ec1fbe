#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# check.sh -- `make check`: every test, ending with "N passed, N failed".
#
#  1. set-up (scripts/setup.sh installs what a fresh Debian 12 lacks)
#  2. build: tools (release and ASan/UBSan), module per kernel, selftests
#  3. host: lint (checkpatch, sparse, W=1), make deb and lintian, UAPI/spec
#     sync, the VM kernel-log scan's test, library unit tests under
#     ASan/UBSan and again under valgrind
#  4. per kernel (scripts/kernels.sh), all at once: a qemu VM loads the module and runs
#     scripts/guest/run-tests.sh; a failed load, a timeout or any oops, BUG,
#     WARNING or lockup in the guest's kernel log fails that kernel
#
# One line per stage and per kernel, then the total.
set -uo pipefail

repo=$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")
cd "$repo" || exit 1
export TS_CACHE=${TS_CACHE:-/var/cache/threadstat}
logdir=build/check
start=$(date +%s)
total_pass=0 total_fail=0
summary=() failures=()

scripts/setup.sh || { echo "check: set-up failed"; echo "0 passed, 1 failed"; exit 1; }
rm -rf "$logdir"
mkdir -p "$logdir"

if ! make -s -j"$(nproc)" user unit-tests modules selftests man >"$logdir/build.log" 2>&1; then
	cat "$logdir/build.log"
	echo "check: build failed"
	echo "0 passed, 1 failed"
	exit 1
fi

# stage NAME LOG -- count "<word>: N passed, N failed" from LOG's last such line
stage() {
	local name=$1 log=$2 rc=$3 line p f
	line=$(grep -E '^[a-z0-9.-]*:? ?[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	p=$(echo "$line" | sed -nE 's/^[^0-9]*([0-9]+) passed, ([0-9]+) failed.*/\1/p')
	f=$(echo "$line" | sed -nE 's/^[^0-9]*([0-9]+) passed, ([0-9]+) failed.*/\2/p')
	[[ -n $p ]] || { p=0; f=1; }
	((rc != 0 && f == 0)) && f=1
	total_pass=$((total_pass + p)) total_fail=$((total_fail + f))
	summary+=("$(printf '%-28s %4d passed, %d failed' "$name" "$p" "$f")")
	if ((f)); then
		echo "---- $name failed; its log ($log):"
		tail -n 80 "$log"
		failures+=("$name: $(failed_cases "$log")")
	fi
}

# The names of a log's failed cases, on one line: CI shows only the end of
# make check's output, so the summary repeats them there.
failed_cases() {
	grep -E '^(not ok|# FAIL|valgrind: .*(failed|leaked)|vm: )' "$1" |
		sed -E 's/^not ok [0-9]+ //; s/^not ok //' | head -n 12 | paste -sd ';' -
}

scripts/lint.sh >"$logdir/lint.log" 2>&1
stage lint "$logdir/lint.log" $?

# The two .debs (tools, DKMS module) and lintian on them: no errors
# allowed. Installing them in a guest is make check-install (minutes of
# DKMS compiling under TCG).
if make -s deb >"$logdir/deb.log" 2>&1; then
	echo "deb: 1 passed, 0 failed" >>"$logdir/deb.log"
	stage "make deb + lintian" "$logdir/deb.log" 0
else
	stage "make deb + lintian" "$logdir/deb.log" 1
fi

python3 include/tests/spec_sync_test.py >"$logdir/spec.log" 2>&1
stage "uapi/spec sync" "$logdir/spec.log" $?

# What a VM run fails on in the guest's kernel log, and what it sets aside.
scripts/vm/tests/kernel_log_test.sh >"$logdir/kernel-log.log" 2>&1
stage "vm kernel-log scan" "$logdir/kernel-log.log" $?

unit_pass=0 unit_fail=0
for t in build/asan/tests/*_test; do
	# Cases under ASan/UBSan, counted from the harness's totals line.
	out=$("$t" 2>&1)
	rc=$?
	echo "$out" >>"$logdir/unit.log"
	totals=$(echo "$out" | sed -n 's/^# Totals: pass:\([0-9]*\) fail:\([0-9]*\) .*/\1 \2/p')
	read -r p f <<<"${totals:-0 1}"
	((rc != 0 && f == 0)) && f=1
	unit_pass=$((unit_pass + p)) unit_fail=$((unit_fail + f))
	# The release build under valgrind: one more check per program.
	if valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=all \
		"build/release/tests/$(basename "$t")" >>"$logdir/unit.log" 2>&1; then
		unit_pass=$((unit_pass + 1))
	else
		echo "valgrind: $(basename "$t") failed" >>"$logdir/unit.log"
		unit_fail=$((unit_fail + 1))
	fi
done
# threadtop's early exits (not a terminal, a recording it cannot open, a
# bad option) must free what option parsing kept, the -p ids among it.
for args in "-p 1,2" "-b -r /nonexistent -p 3" "-p 1 -d x"; do
	# shellcheck disable=SC2086 # $args is a word list
	valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=all \
		--show-leak-kinds=all build/release/threadtop $args </dev/null \
		>/dev/null 2>>"$logdir/unit.log"
	if (($? != 9)); then
		unit_pass=$((unit_pass + 1))
	else
		echo "valgrind: threadtop $args leaked" >>"$logdir/unit.log"
		unit_fail=$((unit_fail + 1))
	fi
done
# Host suites in python (no module needed): the /proc source end to end,
# the man pages, bash completion.
for suite in "user/tests/proc_fallback_test.py build/asan/threadstat build/asan/threadtop" \
	"user/tests/man_test.py build/man build/release/threadstat build/release/threadtop" \
	"user/tests/completion_test.py build/release/threadstat build/release/threadtop"; do
	# shellcheck disable=SC2086 # $suite is a script and its arguments
	out=$(timeout 600 python3 $suite 2>&1)
	rc=$?
	echo "$out" >>"$logdir/unit.log"
	totals=$(echo "$out" | sed -nE 's/^[a-z0-9-]+: ([0-9]+) passed, ([0-9]+) failed$/\1 \2/p' | tail -n 1)
	read -r p f <<<"${totals:-0 1}"
	((rc != 0 && f == 0)) && f=1
	unit_pass=$((unit_pass + p)) unit_fail=$((unit_fail + f))
done
echo "unit: $unit_pass passed, $unit_fail failed" >>"$logdir/unit.log"
stage "unit (asan + valgrind)" "$logdir/unit.log" "$unit_fail"

hardening=$(scripts/hardening-summary.sh --header)
# One VM per kernel, all at once: qemu runs each guest on one host thread
# (TCG, thread=single), so on a 2-core host two guests take little longer
# than one. Their stages are then counted in kernels.sh's order.
# init_on_alloc=0 (upstream's default; Debian zeroes every allocation):
# an attribute's padding or value the module leaves unwritten then carries
# old kernel memory, which nl_strict.c's checks see in every hardening test.
mapfile -t kvers < <(scripts/kernels.sh | cut -f1)
declare -A vm_pid
for kver in "${kvers[@]}"; do
	TS_VM_APPEND="init_on_alloc=0${TS_VM_APPEND:+ $TS_VM_APPEND}" \
	scripts/vm/run.sh --kernel "$kver" --timeout 2400 -- scripts/guest/run-tests.sh \
		>"$logdir/vm-$kver.log" 2>&1 &
	vm_pid[$kver]=$!
done
for kver in "${kvers[@]}"; do
	wait "${vm_pid[$kver]}"
	rc=$?
	log=$logdir/vm-$kver.log
	stage "kernel $kver" "$log" $rc
	hardening+=$'\n'$(scripts/hardening-summary.sh "$kver" "$log" "$rc")
done
echo
printf '%s\n' "${summary[@]}"
if ((${#failures[@]})); then
	echo
	echo "failed:"
	printf '  %s\n' "${failures[@]}"
fi
echo
echo "hardening, short profile (make stress runs the long one):"
echo "$hardening"
echo
echo "check took $(($(date +%s) - start)) s"
echo "$total_pass passed, $total_fail failed"
((total_fail == 0))
