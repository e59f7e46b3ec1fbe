#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# format_bench.sh -- in the VM: what the THREAD_GET dump's message format
# costs. The production dump (a) and the BPF task iterator (f) against the
# bench-only tsfmt.ko sending the same values in other formats.
#
# usage (as root, in the VM, from the repository):
#   bench/format/format_bench.sh [N [ROUNDS]]      (default 10000 3)
#
# With N blocked threads (spawn_threads N --spinners 0: nothing runs but
# the measurement), first checks that tsfmt's format 4 sends format 0's
# bytes and that the readers' three decoders agree (format_snapshot
# --check), then each round runs once, in order:
#   a   threadstat_snapshot            production dump, default group
#   f   task_iter_snapshot             BPF task iterator, same fields
#   c   procfs_snapshot                /proc stat+status+schedstat, htop's
#                                      way (left out with FORMAT_PROCFS=0)
#   0   format_snapshot --format 0     tsfmt: production attributes, decoded
#                                      by libthreadstat's ts_thread_decode()
#   0s  format_snapshot --format 0s    the same, decoded by a switch
#   0n  format_snapshot --format 0n    the same, received, not decoded
#   4   format_snapshot --format 4     tsfmt: format 0's bytes written in
#                                      one pass, ts_thread_decode()
#   4s  format_snapshot --format 4s    the same, decoded by a switch
#   1   format_snapshot --format 1     tsfmt: a packed record per message
#   2   format_snapshot --format 2     tsfmt: packed records, many a message
#   2t  format_snapshot --format 2t    as 2, each turned into a struct ts_thread
#   3   format_snapshot --format 3     tsfmt: read every thread, send counts
#   5   format_snapshot --format 5     tsfmt: reference every thread only
#   6   format_snapshot --format 6     tsfmt: format 4's attributes, a nest
#                                      per thread, many a message; lib decode
#   6s  format_snapshot --format 6s    the same, decoded by a switch
#   7   format_snapshot --format 7     as 5, one look per batch, not two
#   4f  format_snapshot --format 4f    format 4, decoded by a fast path for
#                                      this version's attribute sequence
#   6f  format_snapshot --format 6f    format 6, the same fast path
# (the first round of each warms up once, untimed). FORMAT_SPINNERS=2
# adds make bench's two part-time spinners. Prints per method the
# best wall time of the rounds in µs per thread, the median, the user and
# system CPU time per thread (medians), and the best wall's ratio to (f),
# (a)'s to it and (c)'s to it (the goal (c)/(a) >= 30, for each format
# in (a)'s place). Meant for a guest on an instruction-counted clock
# (TS_VM_ICOUNT=shift=0,sleep=on, --smp 1: 1 µs is 1000 instructions).
# Needs build/kmod/KVER/threadstat.ko, build/bench/format/KVER/tsfmt.ko,
# build/bench/format/format_snapshot and the bench tools (make bench-format
# builds them all).
set -euo pipefail

n=${1:-10000} rounds=${2:-3}
here=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
repo=$(dirname "$(dirname "$here")")
cd "$repo"
kver=$(uname -r)
bin=build/bench
tmp=$(mktemp -d)
spawner=
cleanup() {
	if [[ -n $spawner ]]; then
		kill "$spawner" 2>/dev/null || true
		wait "$spawner" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

grep -q '^threadstat ' /proc/modules || insmod "build/kmod/$kver/threadstat.ko"
grep -q '^tsfmt ' /proc/modules || insmod "build/bench/format/$kver/tsfmt.ko"
want=$((n + 10000))
(($(</proc/sys/kernel/threads-max) >= want)) || echo "$want" >/proc/sys/kernel/threads-max
(($(</proc/sys/kernel/pid_max) >= 4 * want)) || echo $((4 * want)) >/proc/sys/kernel/pid_max
(($(</proc/sys/vm/max_map_count) >= 2 * want + 65536)) || echo $((2 * want + 65536)) >/proc/sys/vm/max_map_count

coproc SPAWN { exec "$bin/spawn_threads" "$n" --spinners "${FORMAT_SPINNERS:-0}"; }
spawner=$SPAWN_PID
read -r word _ threads <&"${SPAWN[0]}"
[[ $word == ready ]] || { echo "format_bench: spawn_threads failed" >&2; exit 1; }
sleep 1
echo "format_bench: kernel $kver, $(nproc) vCPU, $threads threads spawned (${FORMAT_SPINNERS:-0} spinners), $rounds rounds," \
	"schedstats $(</proc/sys/kernel/sched_schedstats), delayacct $(</proc/sys/kernel/task_delayacct)"

# key | label | program and arguments
methods=(
	"a|(a) threadstat dump (production)|threadstat_snapshot"
	"f|(f) BPF task iterator|task_iter_snapshot"
	"c|(c) procfs, htop's way|procfs_snapshot"
	"0|fmt 0 attrs, lib decode (control)|format/format_snapshot --format 0"
	"0s|fmt 0 attrs, switch decode|format/format_snapshot --format 0s"
	"0n|fmt 0 attrs, not decoded|format/format_snapshot --format 0n"
	"4|fmt 4 attrs bulk-written, lib|format/format_snapshot --format 4"
	"4s|fmt 4 attrs bulk-written, switch|format/format_snapshot --format 4s"
	"4f|fmt 4 attrs bulk-written, fast path|format/format_snapshot --format 4f"
	"6|fmt 6 attr nests batched, lib|format/format_snapshot --format 6"
	"6s|fmt 6 attr nests batched, switch|format/format_snapshot --format 6s"
	"6f|fmt 6 attr nests batched, fast path|format/format_snapshot --format 6f"
	"1|fmt 1 packed, msg/thread|format/format_snapshot --format 1"
	"2|fmt 2 packed array|format/format_snapshot --format 2"
	"2t|fmt 2 -> struct ts_thread|format/format_snapshot --format 2t"
	"3|fmt 3 walk+read, counts sent|format/format_snapshot --format 3"
	"5|fmt 5 walk+reference only|format/format_snapshot --format 5"
	"7|fmt 7 as 5, one look per batch|format/format_snapshot --format 7"
)
[[ ${FORMAT_PROCFS:-1} != 0 ]] || methods=("${methods[@]:0:2}" "${methods[@]:3}")
"$bin/format/format_snapshot" --check || { echo "format_bench: format 4 is not format 0's bytes" >&2; exit 1; }
start=$(date +%s)
for ((r = 0; r < rounds; r++)); do
	for m in "${methods[@]}"; do
		IFS='|' read -r key _ cmd <<<"$m"
		read -r -a argv <<<"$cmd"
		if ! "$bin/${argv[0]}" "${argv[@]:1}" --runs 1 --warmup $((r == 0)) \
			>>"$tmp/$key.runs" 2>>"$tmp/$key.err"; then
			echo "format_bench: $cmd failed:" >&2
			cat "$tmp/$key.err" >&2
			exit 1
		fi
	done
done
echo "format_bench: $(($(date +%s) - start)) s (guest clock) for $rounds rounds"
echo "raw runs (method: wall_us cpu_us user_us sys_us threads):"
for m in "${methods[@]}"; do
	key=${m%%|*}
	sed -n 's/.*wall_us=\([0-9.]*\) cpu_us=\([0-9.]*\) user_us=\([0-9.]*\) sys_us=\([0-9.]*\) threads=\([0-9]*\).*/\1 \2 \3 \4 \5/p' \
		"$tmp/$key.runs" | awk -v k="$key" '{ print "  " k ": " $0 }'
done
grep -h 'checksum' "$tmp"/*.err | sed 's/^/  /' || true

# summary RUNS-FILE: "best_wall median_wall median_user median_sys threads",
# per thread (threads: of the last run)
summary() {
	sed -n 's/.*wall_us=\([0-9.]*\) cpu_us=[0-9.]* user_us=\([0-9.]*\) sys_us=\([0-9.]*\) threads=\([0-9]*\).*/\1 \2 \3 \4/p' "$1" |
		awk 'function sort(a, n,   i, j, x) {
			for (i = 2; i <= n; i++) {
				x = a[i]
				for (j = i - 1; j > 0 && a[j] > x; j--) a[j + 1] = a[j]
				a[j + 1] = x
			}
		}
		function med(a, n) { return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
		{ w[NR] = $1 / $4; u[NR] = $2 / $4; s[NR] = $3 / $4; t = $4 }
		END {
			sort(w, NR); sort(u, NR); sort(s, NR)
			printf "%.3f %.3f %.3f %.3f %d\n", w[1], med(w, NR), med(u, NR), med(s, NR), t
		}'
}

declare -A best
for m in "${methods[@]}"; do
	key=${m%%|*}
	read -r b _ <<<"$(summary "$tmp/$key.runs")"
	best[$key]=$b
done
echo
echo "== $kver: N = $n blocked threads, best of $rounds rounds; µs per thread (guest clock)"
printf '%-36s %8s %8s %8s %8s %7s %8s %8s %8s\n' method best median user sys threads "/(f)" "(a)/" "(c)/"
for m in "${methods[@]}"; do
	IFS='|' read -r key label _ <<<"$m"
	read -r b med u s t <<<"$(summary "$tmp/$key.runs")"
	awk -v l="$label" -v b="$b" -v med="$med" -v u="$u" -v s="$s" -v t="$t" \
		-v f="${best[f]}" -v a="${best[a]}" -v c="${best[c]:-}" 'BEGIN {
		printf "%-36s %8.2f %8.2f %8.2f %8.2f %7d %8.2f %8.2f %8s\n", l, b, med, u, s, t, b / f, a / b,
			(c == "" ? "-" : sprintf("%.1f", c / b)) }'
done
