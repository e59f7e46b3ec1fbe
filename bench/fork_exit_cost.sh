#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# fork_exit_cost.sh -- the cost threadstat.ko adds to fork/exit and
# pthread_create/join (issue 12: the task_newtask probe must be
# unmeasurable next to fork itself). In the VM, as root, from the repo:
#
#   bench/fork_exit_cost.sh [ROUNDS] [ITERATIONS]
#
# Rounds alternate: without the module, with it loaded (no dump running:
# the probe sees an empty list), and with it loaded while a client keeps a
# dump open in another pid namespace (the probe checks that dump). Prints
# every run, then the best and median per setting, in ns per iteration.
set -euo pipefail

repo=$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")
cd "$repo"
rounds=${1:-5}
iters=${2:-2000}
bin=build/bench/fork_exit_cost
ko=build/kmod/$(uname -r)/threadstat.ko
holder=build/selftests/tree/tools/testing/selftests/threadstat/ts_dump_loop
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; rmmod threadstat 2>/dev/null || true' EXIT
[[ -x $bin ]] || { echo "fork_exit_cost.sh: $bin missing (make bench-tools)" >&2; exit 1; }

run() { # SETTING
	local line
	line=$("$bin" "$iters")
	echo "$1 $line"
	echo "$line" >>"$tmp/$1"
}

rmmod threadstat 2>/dev/null || true
for ((r = 0; r < rounds; r++)); do
	run without
	insmod "$ko"
	run loaded
	if [[ -x $holder ]]; then
		# A dump held open from a new pid namespace: the probe then
		# checks it on every task creation.
		unshare -fp --kill-child "$holder" --hold >/dev/null 2>&1 &
		h=$!
		sleep 0.5
		run dumping
		# unshare ignores SIGTERM while it waits for its child (the
		# holder would keep the dump, and the module, busy forever):
		# SIGKILL it, and --kill-child takes the holder with it.
		kill -KILL "$h" 2>/dev/null || true
		wait "$h" 2>/dev/null || true
	fi
	rmmod threadstat
done

for s in without loaded dumping; do
	[[ -f $tmp/$s ]] || continue
	for k in fork_exit_ns thread_create_join_ns; do
		sed -n "s/.*$k=\([0-9]*\).*/\1/p" "$tmp/$s" | sort -n |
		awk -v s="$s" -v k="$k" '{ v[NR] = $1 }
			END { printf "%-8s %-22s best %8d  median %8d ns\n",
			      s, k, v[1], v[int((NR + 1) / 2)] }'
	done
done
