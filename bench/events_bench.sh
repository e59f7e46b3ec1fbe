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
# BENCH_HB_LOOPS (default 200): processes passing messages over sockets,
# mostly context switches. Each of BENCH_EVENTS_ROUNDS (default 3) rounds
# runs it once per mode, interleaved, and the best time of each mode is
# compared with the best baseline:
#   baseline     nothing else
#   latency on   `threadstat latency on` (n/a when the command is absent)
#   runqlat.bt   bpftrace's runqlat.bt attached (n/a without bpftrace)
#   events       one `threadstat events` listener (all types) reading
# Then the exit storm: one `threadstat events --type exit --json` listener
# while bench/exit_storm makes BENCH_STORM_EXITS (default 20000) thread
# exits as fast as it can; prints received (exits of "storm-w" threads),
# lost and the storm's exit rate.
set -uo pipefail

repo=$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")
cd "$repo" || exit 1
ts=build/release/threadstat
storm=build/bench/exit_storm
rounds=${BENCH_EVENTS_ROUNDS:-3}
hb=(hackbench -g "${BENCH_HB_GROUPS:-4}" -l "${BENCH_HB_LOOPS:-200}")
exits=${BENCH_STORM_EXITS:-20000}
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

# hackbench's time, seconds; empty if it failed.
workload() {
	"${hb[@]}" 2>&1 | awk '/^Time:/ { print $2 }'
}

# Wait up to 120 s for FILE to hold TEXT (a tool attached).
wait_for() {
	local i
	for ((i = 0; i < 1200; i++)); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# One run of MODE: prints its time, or n/a.
run_mode() {
	local t
	case $1 in
	baseline)
		workload ;;
	latency)
		if ! "$ts" latency on >"$tmp/lat.out" 2>&1; then
			echo n/a
			return
		fi
		workload
		"$ts" latency off >/dev/null 2>&1 ;;
	runqlat)
		if [[ -z $runqlat ]] || ! command -v bpftrace >/dev/null; then
			echo n/a
			return
		fi
		bpftrace "$runqlat" >"$tmp/rq.out" 2>&1 &
		bg=$!
		if ! wait_for "$tmp/rq.out" "Attaching"; then
			kill "$bg"; wait "$bg"; bg=
			echo "events_bench: runqlat.bt did not attach: $(head -c 300 "$tmp/rq.out")" >&2
			echo n/a
			return
		fi
		sleep 1	# attached: the probes are in once it says so
		t=$(workload)
		kill -INT "$bg"; wait "$bg"; bg=
		echo "$t" ;;
	events)
		"$ts" events >/dev/null 2>&1 &
		bg=$!
		sleep 1
		t=$(workload)
		kill "$bg"; wait "$bg" 2>/dev/null; bg=
		echo "$t" ;;
	esac
}

modes=(baseline latency runqlat events)
declare -A best
echo "== $(uname -r): hackbench ${hb[*]:1} under each probe (best of $rounds rounds, s)"
for ((r = 1; r <= rounds; r++)); do
	for m in "${modes[@]}"; do
		t=$(run_mode "$m")
		[[ -n $t ]] || t=n/a
		if [[ $t != n/a ]] && [[ -z ${best[$m]:-} || ${best[$m]} == n/a ||
			$(awk -v a="$t" -v b="${best[$m]}" 'BEGIN { print (a < b) }') == 1 ]]; then
			best[$m]=$t
		fi
		[[ -n ${best[$m]:-} ]] || best[$m]=$t
		echo "  round $r $m: $t"
	done
done
printf '%-12s %10s %10s\n' mode "best s" overhead
for m in "${modes[@]}"; do
	if [[ ${best[$m]} == n/a || ${best[baseline]} == n/a ]]; then
		printf '%-12s %10s %10s\n' "$m" "${best[$m]}" n/a
	else
		printf '%-12s %10s %9.1f%%\n' "$m" "${best[$m]}" \
			"$(awk -v a="${best[$m]}" -v b="${best[baseline]}" 'BEGIN { print 100 * (a - b) / b }')"
	fi
done

echo "== $(uname -r): exit storm, one 'threadstat events --type exit' listener"
"$ts" events --type exit --json >"$tmp/ev.json" 2>&1 &
bg=$!
sleep 1
"$storm" "$exits" >"$tmp/storm.out"
sleep 2
kill "$bg"; wait "$bg" 2>/dev/null; bg=
received=$(grep -c '"storm-w"' "$tmp/ev.json")
lost=$(awk -F'[:}]' '/^\{"lost":/ { n += $2 } END { print n + 0 }' "$tmp/ev.json")
echo "  $(cat "$tmp/storm.out") received=$received lost=$lost (all exits)"
