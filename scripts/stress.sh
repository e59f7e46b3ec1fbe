#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stress.sh -- `make stress`: the hardening tests' long profile, per kernel.
#
# Boots each kernel of scripts/kernels.sh in the qemu VM and runs
# scripts/guest/run-tests.sh with TS_PROFILE=long: 1M fuzzed datagrams,
# 60 s of thread churn and of CPU hotplug under dumps, 100 module
# unload/load cycles, besides every other test. A failed test or any
# oops/WARNING/lockup in the guest's log (run.sh exits 3) fails the kernel.
# TS_STRESS_GUEST_ENV: extra VAR=value words for the guest's tests
# (make check-debug relaxes the churn rate with it). TS_STRESS_VM_TIMEOUT:
# seconds per kernel's VM (default 7200; check-debug allows more).
# TS_STRESS_TEST_TIMEOUT: seconds per test program in the guest (default
# 3600; check-debug allows more).
# Ends with "stress: N passed, N failed" (kernels).
set -uo pipefail

repo=$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")
cd "$repo" || exit 1
logdir=build/stress
mkdir -p "$logdir"
pass=0 fail=0
summary=

# waits_test runs build/release/tests/deadlock_prog (make check builds it
# in its unit stage; this must too).
make -s -j"$(nproc)" user modules selftests build/release/tests/deadlock_prog \
	>"$logdir/build.log" 2>&1 || {
	cat "$logdir/build.log"; echo "stress: 0 passed, 1 failed"; exit 1; }

while IFS='	' read -r kver _ _; do
	log=$logdir/vm-$kver.log
	start=$(date +%s)
	# many_threads_test holds 100k threads, ~28 KiB of kernel memory each.
	scripts/vm/run.sh --kernel "$kver" --mem "${TS_STRESS_MEM:-5120}" --timeout "${TS_STRESS_VM_TIMEOUT:-7200}" -- \
		"${TS_STRESS_GUEST_ENV:-} TS_PROFILE=long TS_TEST_TIMEOUT=${TS_STRESS_TEST_TIMEOUT:-3600} scripts/guest/run-tests.sh" >"$log" 2>&1
	rc=$?
	grep -E '^    # (seed|fuzzed|replies|errors|many threads|[0-9.]+ s:)|^    (lifecycle|ts_dump_loop):|guest:' "$log" | sed "s/^/$kver: /"
	if ((rc == 0)); then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "---- $kver failed (status $rc); end of $log:"
		tail -n 60 "$log"
	fi
	echo "$kver: $(($(date +%s) - start)) s"
	summary+=$(scripts/hardening-summary.sh "$kver" "$log" "$rc")$'\n'
done < <(scripts/kernels.sh)
echo
scripts/hardening-summary.sh --header
printf '%s' "$summary"
echo "stress: $pass passed, $fail failed"
((fail == 0))
