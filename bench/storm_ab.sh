#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# storm_ab.sh -- in the VM: two builds of threadstat.ko, interleaved,
# under the exit storm (bench/exit_storm.sh), in one guest.
#
# usage (as root, in the VM, module not loaded, from the repository):
#   bench/storm_ab.sh ROUNDS OLD_KO NEW_KO
#
# First the storm with no listener and no module (bench/exit_storm alone,
# per BENCH_STORM_BATCH), then ROUNDS rounds; each insmods OLD_KO and
# NEW_KO in turn (the order swapped every other round), runs
# bench/exit_storm.sh and rmmods it. BENCH_STORM_EXITS and
# BENCH_STORM_BATCH as there. Meant for a guest on an instruction-counted
# clock (TS_VM_ICOUNT=shift=0,sleep=on, --smp 1), e.g. (one word: a
# script, so the guest gets the variable)
#   TS_VM_ICOUNT=shift=0,sleep=on scripts/vm/run.sh --kernel KVER --smp 1 \
#     -- 'BENCH_STORM_EXITS=10000 bench/storm_ab.sh 3 OLD.ko NEW.ko'
set -euo pipefail

rounds=$1
kos=("$2" "$3")
names=(old new)
repo=$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")
cd "$repo"
echo "== $(uname -r): exit storm, no listener"
for b in ${BENCH_STORM_BATCH:-1 4 16}; do
	echo "  batch $b: $(build/bench/exit_storm "${BENCH_STORM_EXITS:-20000}" "$b")"
done
for ((r = 1; r <= rounds; r++)); do
	for k in 0 1; do
		i=$(((k + r + 1) % 2))
		echo "round $r: ${names[i]} (${kos[i]})"
		insmod "${kos[i]}"
		bench/exit_storm.sh
		rmmod threadstat
	done
done
