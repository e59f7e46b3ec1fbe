#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cli_ab.sh -- in the VM: two builds of the CLI and threadtop, interleaved
# against the dump they render, on the same threads.
#
# usage (as root, in the VM, from the repository):
#   bench/cli_ab.sh N ROUNDS OLD_DIR NEW_DIR
#
# OLD_DIR and NEW_DIR each hold a threadstat and a threadtop binary. With N
# blocked threads (spawn_threads N --spinners 0: nothing runs but the
# measurement), each round runs (a) (threadstat_snapshot, one dump), then
# for OLD and NEW: `threadstat threads` (table), --json, --csv, and
# threadtop -b and -b -H for 1 and 3 frames (command_snapshot, stdout on
# /dev/null). Prints, per row, the best wall and the least CPU (user+sys)
# of the rounds in ms and µs per thread, and the ratio to (a); threadtop's
# rows are CPU per refresh, (3 frames - 1 frame) / 2. Meant for a guest
# on an instruction-counted clock (TS_VM_ICOUNT=shift=0,sleep=on, --smp 1),
# where 1 µs of guest time is 1000 instructions.
set -euo pipefail

n=$1 rounds=$2 old=$3 new=$4
repo=$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")
cd "$repo"
bin=build/bench
tmp=$(mktemp -d)
spawner=
cleanup() {
	[[ -z $spawner ]] || kill "$spawner" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

grep -q '^threadstat ' /proc/modules || insmod "build/kmod/$(uname -r)/threadstat.ko"
coproc SPAWN { exec "$bin/spawn_threads" "$n" --spinners 0; }
spawner=$SPAWN_PID
read -r word _ threads <&"${SPAWN[0]}"
[[ $word == ready ]] || { echo "cli_ab: spawn_threads failed" >&2; exit 1; }
sleep 1
echo "cli_ab: kernel $(uname -r), $(nproc) vCPU, $threads threads, $rounds rounds"

# run KEY PROGRAM...: one timed run appended to $tmp/KEY
run() {
	local key=$1
	shift
	"$@" 2>/dev/null | grep '^run=' | tail -n 1 >>"$tmp/$key"
}

for ((r = 0; r < rounds; r++)); do
	run a "$bin/threadstat_snapshot" --runs 1
	for v in old new; do
		d=${!v}
		run "$v.table" "$bin/command_snapshot" --runs 1 -- "$d/threadstat" threads
		run "$v.json" "$bin/command_snapshot" --runs 1 -- "$d/threadstat" threads --json
		run "$v.csv" "$bin/command_snapshot" --runs 1 -- "$d/threadstat" threads --csv
		for m in "" -H; do
			for f in 1 3; do
				run "$v.top$m.$f" "$bin/command_snapshot" --runs 1 -- \
					"$d/threadtop" -b $m -d 1 -n $f
			done
		done
	done
done

# best KEY FIELD: the least FIELD (wall_us, cpu_us, user_us) of KEY's runs
best() {
	sed -n "s/.*$2=\\([0-9.]*\\).*/\\1/p" "$tmp/$1" | sort -g | head -n 1
}

a_wall=$(best a wall_us)
a_cpu=$(best a cpu_us)
printf '%-26s %10s %8s %8s %10s %8s\n' row "wall ms" "µs/thr" "/(a)" "CPU ms" "/(a)"
line() {
	awk -v l="$1" -v w="$2" -v c="$3" -v n="$threads" -v aw="$a_wall" -v ac="$a_cpu" 'BEGIN {
		if (w == "") printf "%-26s %10s %8s %8s", l, "-", "-", "-"
		else printf "%-26s %10.1f %8.2f %8.2f", l, w / 1000, w / n, w / aw
		printf " %10.1f %8.2f\n", c / 1000, c / ac }'
}
line "(a) dump" "$a_wall" "$a_cpu"
for v in old new; do
	for k in table json csv; do
		line "$v $k" "$(best "$v.$k" wall_us)" "$(best "$v.$k" cpu_us)"
	done
	for m in "" -H; do
		c1=$(best "$v.top$m.1" cpu_us)
		c3=$(best "$v.top$m.3" cpu_us)
		line "$v threadtop -b$m /refresh" "" "$(awk -v a="$c1" -v b="$c3" 'BEGIN { print (b - a) / 2 }')"
	done
done
