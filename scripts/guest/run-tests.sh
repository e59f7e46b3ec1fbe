#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run-tests.sh -- the in-VM half of `make check`, for the kernel it boots.
#
# Loads threadstat.ko, runs every kselftest, the CLI tests and the threadtop
# tests (tmux-driven), unloads the module, checks nothing is left
# registered, runs the "module missing" CLI and threadtop tests and the
# install test (scripts/guest/install-test.sh). Prints
# "ok"/"not ok" per test program and ends with "guest: N passed, N failed"
# (counting individual test cases).
set -uo pipefail

repo=$(dirname "$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")")
cd "$repo" || exit 1
kver=$(uname -r)
ko=build/kmod/$kver/threadstat.ko
# lifecycle_test.sh reloads the module; TS_PROFILE=long (make stress) runs
# the hardening tests' long profile, which needs a longer time limit.
export TS_MODULE=$repo/$ko
limit=${TS_TEST_TIMEOUT:-300}
ksft=build/selftests/tree/tools/testing/selftests/threadstat
pass=0 fail=0

tally() { # NAME STATUS [PASSED FAILED]
	if [[ $2 == ok ]]; then echo "ok $1"; else echo "not ok $1"; fi
	pass=$((pass + ${3:-0})) fail=$((fail + ${4:-0}))
}

if ! insmod "$ko"; then
	tally "insmod $ko" fail 0 1
	echo "guest: $pass passed, $fail failed"
	exit 1
fi
tally "insmod" ok 1 0

# kselftest harness programs: their "# Totals:" line counts the cases.
if ! ls "$ksft"/*_test >/dev/null 2>&1; then
	tally "kselftests built in $ksft" fail 0 1
fi
run_ksft() { # NAME: one harness program, counted by its "# Totals:" line
	local out rc totals p f
	out=$(cd "$ksft" && timeout "$limit" "./$1" 2>&1)
	rc=$?
	echo "$out" | sed 's/^/    /'
	totals=$(echo "$out" | grep '^# Totals:' | tail -n 1)
	p=$(echo "$totals" | sed -n 's/^# Totals: pass:\([0-9]*\) fail:\([0-9]*\) .*/\1/p')
	f=$(echo "$totals" | sed -n 's/^# Totals: pass:\([0-9]*\) fail:\([0-9]*\) .*/\2/p')
	if [[ -z $p ]]; then p=0 f=1; fi
	if ((rc != 0 && f == 0)); then f=1; fi
	tally "$1" "$([[ $rc == 0 ]] && echo ok || echo fail)" "$p" "$f"
}
for t in $(cd "$ksft" && ls *_test); do
	run_ksft "$t"
done

# Script tests: one case each (exit 4 is a kselftest skip).
for t in $(cd "$ksft" && ls *_test.sh); do
	out=$(cd "$ksft" && timeout "$limit" "./$t" 2>&1)
	rc=$?
	echo "$out" | sed 's/^/    /'
	case $rc in
	0) tally "$t" ok 1 0 ;;
	4) echo "skip $t" ;;
	*) tally "$t" fail 0 1 ;;
	esac
done

run_counted() { # NAME LABEL LIMIT COMMAND...: a test program counted by its
	# last line "NAME: N passed, N failed", killed after LIMIT seconds
	local name=$1 label=$2 limit=$3 out rc p f
	shift 3
	out=$(timeout "$limit" "$@" 2>&1)
	rc=$?
	echo "$out" | sed 's/^/    /'
	p=$(echo "$out" | sed -n "s/^$name: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p")
	f=$(echo "$out" | sed -n "s/^$name: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p")
	if [[ -z $p ]]; then p=0 f=1; fi
	tally "$label" "$([[ $rc == 0 ]] && echo ok || echo fail)" "$p" "$f"
}
run_suite() { # NAME SCRIPT BINARY ARGS...: a python suite
	local name=$1 script=$2
	shift 2
	# threadtop's tmux tests drive ~30 screens: 600 s is too short when
	# the host is busy (qemu TCG); 1800 s still catches a hang.
	run_counted "$name" "$(basename "$script") ${*:2}" 1800 python3 "$script" "$@"
}
run_cli() { run_suite cli user/tests/cli_test.py build/asan/threadstat "$@"; }
run_top() { run_suite threadtop user/tests/threadtop_test.py build/asan/threadtop "$@"; }
run_waits() { run_suite waits user/tests/waits_test.py build/asan/threadstat \
	build/release/tests/deadlock_prog; }
# The library's fast path on the module's real messages (fastpath_live.c).
run_counted fastpath_live fastpath_live 300 build/release/tests/fastpath_live
run_cli
run_waits
run_top
# Release builds: ASan start-up costs seconds a run under TCG, and this
# suite runs the tools 20 times (the host's unit stage runs them in ASan).
run_suite proc-vs-module user/tests/proc_vs_module_test.py build/release/threadstat \
	build/release/threadtop
# threadstat exporter under a real Prometheus scraping it every second.
run_suite exporter user/tests/exporter_test.py build/asan/threadstat
# threadtop's exited rows: a pool of short-lived workers, from exit events.
run_suite exits user/tests/exits_test.py build/asan/threadtop
# threadtop --latency: a sleeper's LAT-MAX against its run_delay (~10 s).
run_suite toplat user/tests/toplat_test.py build/asan/threadtop

if rmmod threadstat; then
	tally "rmmod" ok 1 0
else
	tally "rmmod" fail 0 1
fi
if grep -q '^threadstat ' /proc/modules; then
	tally "module gone after rmmod" fail 0 1
else
	tally "module gone after rmmod" ok 1 0
fi
run_cli --module-missing
run_top --module-missing

# Installing (make install, autoload, make uninstall; the .debs with DKMS)
# is tested by `make check-install`, not here: each of its two module
# compiles costs ~15 min of TCG CPU (make install's took 32 min wall on this
# 2-core host under load; README, Installing).

# Last, because Yama's ptrace_scope=3 cannot be lowered until reboot: the
# privilege test that sets it (not named *_test, so the loop above skips it).
if insmod "$ko"; then
	run_ksft yama_scope3_final
	rmmod threadstat
else
	tally "insmod for yama_scope3_final" fail 0 1
fi

echo "guest: $pass passed, $fail failed"
((fail == 0))
