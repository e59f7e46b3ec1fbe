#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# events_bench.sh -- run-bench.sh's section "events" (issue 16): what the
# lifecycle events and the run-queue latency histograms cost a context-
# switch-heavy workload, beside bpftrace's runqlat.bt, and how many thread
# exits per second one events listener takes without loss.
#
# usage (as root, in the VM, module loaded, from the repository):
#   bench/events_bench.sh
#
# Workload: hackbench (rt-tests) -g BENCH_HB_GROUPS (default 4) -l
# BENCH_HB_LOOPS (default 100): processes passing messages over sockets,
# mostly context switches. Each of BENCH_EVENTS_ROUNDS (default 7) rounds
# runs it once per mode, interleaved and in rotated order, so load from
# elsewhere and the order hit every mode alike:
#   baseline     nothing else
#   latency on   `threadstat latency on` (n/a when the command is absent)
#   runqlat.bt   bpftrace's runqlat.bt attached (n/a without bpftrace):
#                attached once, after half the rounds, for ROUNDS runs in
#                a row (its compilation takes minutes of TCG wall time)
#   events       one `threadstat events` listener (all types) reading
#   baseline-2   nothing else again: the control, whose "overhead" is the
#                noise floor of the table
# Then the same for `perf bench sched pipe -l BENCH_PIPE_LOOPS` (default
# 20000) pinned to CPU 0: two tasks passing a byte back and forth, a
# context switch per message and nothing else, where a sched_switch probe
# weighs the most.
# Per mode: the median time, the spread ((max - min) / median) and the
# median's overhead over baseline's. Meant for a guest on an instruction-
# counted clock (TS_VM_ICOUNT=shift=0,sleep=on: guest time counts guest
# instructions, so the host's load does not enter the numbers).
# Then the exit storm (bench/exit_storm.sh): one `threadstat events --type
# exit --json` listener while bench/exit_storm makes BENCH_STORM_EXITS
# (default 20000) thread exits, BENCH_STORM_BATCH (default "1 4 16")
# threads at a time; prints per batch the guest-time exit rate, received
# (exits of "storm-w" threads), lost, and whether received + lost = exits.
set -uo pipefail

repo=$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")
cd "$repo" || exit 1
ts=build/release/threadstat
rounds=${BENCH_EVENTS_ROUNDS:-7}
hb=(hackbench -g "${BENCH_HB_GROUPS:-4}" -l "${BENCH_HB_LOOPS:-100}")
pipe_loops=${BENCH_PIPE_LOOPS:-20000}
runqlat=
for f in /usr/sbin/runqlat.bt /usr/share/bpftrace/tools/runqlat.bt; do
	[[ -r $f ]] && { runqlat=$f; break; }
done
tmp=$(mktemp -d)
bg=
cleanup() {
	[[ -z $bg ]] || { kill "$bg" 2>/dev/null; wait "$bg" 2>/dev/null; }
	rm -rf "$tmp"
}
trap cleanup EXIT

# "HB PIPE": hackbench's time and the pinned pipe ping-pong's, seconds
# (n/a for one that failed).
workload() {
	local a b
	a=$("${hb[@]}" 2>&1 | awk '/^Time:/ { print $2 }')
	b=$(taskset -c 0 perf bench sched pipe -l "$pipe_loops" 2>&1 |
		awk '/Total time:/ { print $3 }')
	echo "${a:-n/a} ${b:-n/a}"
}

# Wait up to 300 s for FILE to hold TEXT (a tool attached) while PID lives.
wait_for() {
	local i
	for ((i = 0; i < 3000; i++)); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		kill -0 "$3" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# runqlat.bt attached once (bpftrace compiles it for a minute or more of
# guest time: not once per round), then ROUNDS workload runs: their times,
# one a line; nothing when bpftrace is absent or does not attach.
runqlat_block() {
	local i pid
	[[ -n $runqlat ]] && command -v bpftrace >/dev/null || return 0
	bpftrace "$runqlat" >"$tmp/rq.out" 2>&1 &
	pid=$!
	if ! wait_for "$tmp/rq.out" "Attaching" "$pid"; then
		kill "$pid" 2>/dev/null; wait "$pid"
		echo "events_bench: runqlat.bt did not attach: $(head -c 300 "$tmp/rq.out")" >&2
		return 0
	fi
	sleep 1	# attached: the probes are in once it says so
	for ((i = 0; i < $1; i++)); do
		workload
	done
	kill -INT "$pid"; wait "$pid"
	grep -q '@usecs' "$tmp/rq.out" ||
		echo "events_bench: runqlat.bt printed no histogram" >&2
}

# One run of MODE: prints its time, or n/a.
run_mode() {
	local t
	case $1 in
	baseline | baseline-2)
		workload ;;
	latency)
		if ! "$ts" latency on >"$tmp/lat.out" 2>&1; then
			echo n/a
			return
		fi
		workload
		"$ts" latency off >/dev/null 2>&1 ;;
	events)
		"$ts" events >/dev/null 2>&1 &
		bg=$!
		sleep 1
		t=$(workload)
		kill "$bg"; wait "$bg" 2>/dev/null; bg=
		echo "$t" ;;
	esac
}

modes=(baseline latency runqlat events baseline-2)
declare -A times pipes
echo "== $(uname -r): hackbench ${hb[*]:1} / taskset -c 0 perf bench sched pipe -l $pipe_loops" \
	"under each probe ($rounds interleaved rounds, runqlat.bt's runs in one block after round" \
	"$(((rounds + 1) / 2)), s)"
# Round r starts at the r-th mode of the list (a rotation), so no mode
# always runs right after the same one.
order=(baseline latency events baseline-2)
for ((r = 1; r <= rounds; r++)); do
	line=
	for ((k = 0; k < ${#order[@]}; k++)); do
		m=${order[(r - 1 + k) % ${#order[@]}]}
		read -r a b <<<"$(run_mode "$m")"
		[[ ${a:-n/a} == n/a ]] || times[$m]+="$a "
		[[ ${b:-n/a} == n/a ]] || pipes[$m]+="$b "
		line+=" $m ${a:-n/a}/${b:-n/a}"
	done
	echo "  round $r:$line"
	if ((r == (rounds + 1) / 2)); then
		line=
		while read -r a b; do
			[[ $a == n/a ]] || times[runqlat]+="$a "
			[[ $b == n/a ]] || pipes[runqlat]+="$b "
			line+=" $a/$b"
		done < <(runqlat_block "$rounds")
		echo "  runqlat.bt:${line:- n/a}"
	fi
done

# "median min max" of the times given, or nothing.
stats() {
	tr ' ' '\n' <<<"$1" | grep . | sort -g |
		awk '{ v[NR] = $1 } END { if (NR) print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2), v[1], v[NR] }'
}

# table TITLE ARRAY: per mode the runs, median, min, max, spread and the
# median's overhead over baseline's.
table() {
	local -n tt=$2
	local m med lo hi base
	echo "$1"
	read -r base _ <<<"$(stats "${tt[baseline]:-}")"
	printf '  %-12s %5s %9s %9s %9s %8s %9s\n' mode runs "median s" "min s" "max s" spread overhead
	for m in "${modes[@]}"; do
		read -r med lo hi <<<"$(stats "${tt[$m]:-}")"
		if [[ -z ${med:-} ]]; then
			printf '  %-12s %5s %9s\n' "$m" 0 n/a
			continue
		fi
		printf '  %-12s %5d %9.4f %9.4f %9.4f %7.1f%% ' "$m" "$(wc -w <<<"${tt[$m]}")" \
			"$med" "$lo" "$hi" "$(awk -v a="$lo" -v b="$hi" -v m="$med" 'BEGIN { print 100 * (b - a) / m }')"
		if [[ $m == baseline || -z ${base:-} ]]; then
			echo "        -"
		else
			printf '%8.1f%%\n' "$(awk -v a="$med" -v b="$base" 'BEGIN { print 100 * (a - b) / b }')"
		fi
	done
}

table "== $(uname -r): hackbench ${hb[*]:1}" times
table "== $(uname -r): taskset -c 0 perf bench sched pipe -l $pipe_loops" pipes

bench/exit_storm.sh
