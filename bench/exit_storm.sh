#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# exit_storm.sh -- how many thread exits per second one events listener
# takes without loss (issue 16): the exit-storm part of events_bench.sh,
# also run alone by storm_ab.sh.
#
# usage (as root, in the VM, module loaded, from the repository):
#   bench/exit_storm.sh
#
# Per BENCH_STORM_BATCH (default "1 4 16"): one `threadstat events --type
# exit --json` listener while bench/exit_storm makes BENCH_STORM_EXITS
# (default 20000) thread exits, that many threads created and joined at a
# time; prints the guest-time exit rate, received (exits of "storm-w"
# threads), lost, and whether received + lost = exits.
set -uo pipefail

repo=$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")
cd "$repo" || exit 1
ts=build/release/threadstat
storm=build/bench/exit_storm
exits=${BENCH_STORM_EXITS:-20000}
batches=${BENCH_STORM_BATCH:-1 4 16}
tmp=$(mktemp -d)
# The listener of an interrupted run goes with it.
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT

echo "== $(uname -r): exit storm, one 'threadstat events --type exit --json' listener"
for b in $batches; do
	"$ts" events --type exit --json >"$tmp/ev.json" 2>&1 &
	sleep 1
	"$storm" "$exits" "$b" >"$tmp/storm.out"
	sleep 2	# the last events: a jiffy's gathering, the listener's writes
	kill "$!" 2>/dev/null
	wait "$!" 2>/dev/null
	received=$(grep -c '"storm-w"' "$tmp/ev.json")
	lost=$(awk -F'[:,}]' '/"lost":/ { for (i = 1; i < NF; i++) if ($i ~ /"lost"$/) n += $(i + 1) } END { print n + 0 }' "$tmp/ev.json")
	sum=$((received + lost))
	echo "  batch $b: $(cat "$tmp/storm.out") received=$received lost=$lost" \
		"received+lost=$sum $([[ $sum == "$exits" ]] && echo '(= exits)' || echo "(!= $exits exits)")"
done
