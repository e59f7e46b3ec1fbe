#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# threadtop_bench.sh -- threadtop's CPU time per refresh and memory at 1k,
# 10k and 50k threads, next to `top -H -b` in the same VM. Prints numbers;
# it asserts nothing (performance goals are read, not tested).
#
# usage: bench/threadtop_bench.sh [--kernel KVER] [--counts "1000 10000 50000"]
#        bench/threadtop_bench.sh --guest ...   (the in-VM half)
#
# On the host it builds what it needs and boots the VM (scripts/vm/run.sh,
# 4 GiB for 50k threads' kernel stacks). In the VM it loads threadstat.ko,
# raises pid_max / threads-max / max_map_count, and for each count starts
# bench/spawn_processes (100 threads per process, asleep), then measures with
# GNU time:
#   threadtop -b      a row per process (what the default view lists)
#   threadtop -b -H   a row per thread (every thread formatted, like top -H)
#   top -H -b         procps top, a row per thread
# Per refresh = (CPU of a run with K+1 refreshes - CPU of a run with 1) / K,
# so start-up cost cancels out. RSS = the larger run's maximum resident set.
# Numbers are from a TCG-emulated guest: compare them with each other, not
# with a real machine.
set -euo pipefail

repo=$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")
cd "$repo"
counts="1000 10000 50000"
# The newest test kernel (scripts/kernels.sh lists them oldest first).
kver=$(scripts/kernels.sh | tail -n 1 | cut -f1)
guest=0
while [[ $# -gt 0 ]]; do
	case $1 in
	--guest) guest=1; shift ;;
	--counts) counts=$2; shift 2 ;;
	--kernel) kver=$2; shift 2 ;;
	*) sed -n '6,7p' "${BASH_SOURCE[0]}" | sed 's/^# //' >&2; exit 2 ;;
	esac
done

if ((!guest)); then
	make -s build/release/threadtop
	mkdir -p build/bench
	gcc -O2 -Wall -Wextra -Werror -o build/bench/spawn_processes \
		bench/spawn_processes.c -lpthread
	[[ -f build/kmod/$kver/threadstat.ko ]] || make -s modules
	# The run dir stays in build/bench/vm: output.txt grows as it runs.
	# On an instruction-counted clock (TS_VM_ICOUNT, as bench-vm.sh) one
	# vCPU: 6.1 hangs bringing up a second one, and they share the clock.
	smp=()
	[[ -z ${TS_VM_ICOUNT:-} ]] || smp=(--smp 1)
	exec scripts/vm/run.sh --kernel "$kver" "${smp[@]}" --mem 4096 --timeout 7200 \
		--out build/bench/vm -- \
		bench/threadtop_bench.sh --guest --counts "$counts"
fi

top_bin=build/release/threadtop
grep -q '^threadstat ' /proc/modules || insmod "build/kmod/$(uname -r)/threadstat.ko"
sysctl -qw kernel.pid_max=4194304 kernel.threads-max=1000000 \
	vm.max_map_count=1048576
ulimit -u unlimited 2>/dev/null || true
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# cost CMD...: "user_s sys_s max_rss_kib" of one run of CMD.
cost() {
	local out=$tmp/time
	/usr/bin/time -f '%U %S %M' -o "$out" "$@" >/dev/null 2>"$tmp/err" || {
		echo "bench: $* failed: $(cat "$tmp/err")" >&2
		return 1
	}
	cat "$out"
}

# per_refresh LABEL K CMD...: CPU ms per refresh (user + system, and the
# system part: the kernel's share, /proc or netlink) and RSS MiB; @N@ in
# CMD is the number of refreshes (1, then K + 1).
per_refresh() {
	local label=$1 k=$2 u1 s1 r1 uk sk rk
	shift 2
	read -r u1 s1 r1 < <(cost "${@/@N@/1}")
	read -r uk sk rk < <(cost "${@/@N@/$((k + 1))}")
	awk -v l="$label" -v u1="$u1" -v s1="$s1" -v uk="$uk" -v sk="$sk" \
		-v k="$k" -v rk="$rk" 'BEGIN {
		printf "  %-16s %9.1f ms CPU per refresh (%7.1f in the kernel)  %6.1f MiB max RSS\n",
			l, (uk + sk - u1 - s1) * 1000 / k, (sk - s1) * 1000 / k,
			rk / 1024 }'
}

echo "threadtop benchmark on $(uname -r), $(nproc) vCPUs (TCG), $(date -u +%F)"
for n in $counts; do
	procs=$((n / 100))
	coproc spawn { build/bench/spawn_processes "$procs" 100; }
	read -r state got <&"${spawn[0]}"
	if [[ $state != ready ]]; then
		echo "bench: could only start $got of $n threads" >&2
		exit 1
	fi
	echo "$n threads in $procs processes ($(ps -eLf | wc -l) threads on the machine):"
	per_refresh "threadtop -b" 5 "$top_bin" -b -n @N@ -d 1
	per_refresh "threadtop -b -H" 5 "$top_bin" -b -H -n @N@ -d 1
	per_refresh "top -H -b" 2 top -H -b -w 200 -n @N@ -d 0.1
	if command -v htop >/dev/null; then
		echo "  (htop is installed but has no batch mode to time)"
	fi
	fd=${spawn[1]}
	exec {fd}>&-
	wait "$spawn_PID" 2>/dev/null || true
done
