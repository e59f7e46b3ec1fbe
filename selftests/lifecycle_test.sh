#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Lifecycle: first rmmod while a dump is surely open must fail cleanly;
# then the module is unloaded and loaded again and again while a
# client (ts_dump_loop) keeps dumping every thread. rmmod must either
# succeed or fail cleanly ("in use" / EAGAIN) while a dump is open, the
# client must only ever see well-formed replies, and neither slab nor
# module memory may grow across the cycles. 20 cycles; 100 with
# TS_PROFILE=long. TS_MODULE is the threadstat.ko to load (run-tests.sh
# sets it); the module is left loaded, as it was found.
KSFT_SKIP=4
here=$(dirname "$(readlink -f "$0")")
ko=${TS_MODULE:-}
cycles=20
[[ ${TS_PROFILE:-} == long ]] && cycles=100

if [[ -z $ko || ! -f $ko ]]; then
	echo "SKIP: set TS_MODULE to the threadstat.ko to cycle"
	exit $KSFT_SKIP
fi
if [[ $(id -u) != 0 ]]; then
	echo "SKIP: needs root"
	exit $KSFT_SKIP
fi

fail() {
	echo "FAIL: $*"
	[[ -n ${loop:-} ]] && kill "$loop" 2>/dev/null
	grep -q '^threadstat ' /proc/modules || insmod "$ko"
	exit 1
}

loaded() { grep -q '^threadstat ' /proc/modules; }
module_size() { awk '$1 == "threadstat" { print $2 }' /proc/modules; }

# Unreclaimable slab and vmalloc (module text and data live there), in
# kB, with reclaimable caches dropped first so dentries and inodes of the
# module's sysfs files do not count. Threads' kernel stacks are vmalloc'ed
# too (16 kB each): they are taken out, or 4 more threads alive at the end
# than at the start would read as growth (seen: +64 kB on 6.1).
memory() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	awk '$1 == "SUnreclaim:" { s = $2 } $1 == "VmallocUsed:" { v = $2 }
	     $1 == "KernelStack:" { k = $2 }
	     END { print s, v - k }' /proc/meminfo
}

# rmmod until it works; count the clean refusals.
busy=0
unload() {
	local tries=0 err
	until err=$(rmmod threadstat 2>&1); do
		case $err in
		*"in use"* | *"temporarily unavailable"* | *busy*) ;;
		*) fail "rmmod: $err" ;;
		esac
		busy=$((busy + 1)) tries=$((tries + 1))
		((tries < 500)) || fail "rmmod refused 500 times in a row: $err"
		sleep 0.01
	done
	! loaded || fail "threadstat still listed after rmmod"
	[[ ! -e /sys/module/threadstat ]] || fail "/sys/module/threadstat left behind"
}

loaded || insmod "$ko" || fail "insmod $ko"
size=$(module_size)
# Two warm-up cycles: first-time allocations (caches for the module's
# sysfs and kallsyms data) are not growth.
for i in 1 2; do
	unload
	insmod "$ko" || fail "insmod"
done
read -r slab0 vmalloc0 < <(memory)

# A dump surely open (started, never read): rmmod must refuse cleanly, and
# succeed once the client is gone. The cycles below race rmmod against a
# live client too, but whether one of them meets an open dump is chance.
coproc HOLD { exec "$here/ts_dump_loop" --hold; }
loop=$HOLD_PID
read -r word <&"${HOLD[0]}" || word=
[[ $word == holding ]] || fail "ts_dump_loop --hold did not start a dump"
err=$(rmmod threadstat 2>&1) && fail "rmmod unloaded the module under an open dump"
case $err in
*"in use"* | *"temporarily unavailable"* | *busy*) ;;
*) fail "rmmod under an open dump: $err" ;;
esac
loaded || fail "threadstat gone after a refused rmmod"
kill -TERM "$loop"
wait "$loop" || fail "ts_dump_loop --hold failed"
loop=
unload
insmod "$ko" || fail "insmod after the held dump"
echo "lifecycle: rmmod under an open dump refused cleanly: ${err##*: }"

"$here/ts_dump_loop" > >(sed 's/^/    /') &
loop=$!
start=$(date +%s.%N)
for ((i = 1; i <= cycles; i++)); do
	# Let the client find the family again and start a dump.
	sleep 0.2
	unload
	sleep 0.05
	insmod "$ko" || fail "insmod in cycle $i"
	[[ $(module_size) == "$size" ]] || fail "module size $(module_size), was $size"
done
kill -TERM "$loop"
wait "$loop" || fail "the dumping client saw a malformed reply or a stuck dump"
loop=
elapsed=$(echo "$start $(date +%s.%N)" | awk '{ printf "%.1f", $2 - $1 }')

read -r slab1 vmalloc1 < <(memory)
echo "lifecycle: $cycles unload/load cycles in ${elapsed} s under a dumping client; rmmod refused cleanly $busy times"
echo "lifecycle: SUnreclaim ${slab0} -> ${slab1} kB, VmallocUsed less KernelStack ${vmalloc0} -> ${vmalloc1} kB, module size $size bytes"
# Tolerance: 256 kB of slab and 64 kB of vmalloc for the whole run. The
# guest's own activity moves SUnreclaim by up to ~250 kB over 20 cycles
# (measured: vm_area_struct, kernfs and inode caches, kmalloc-8k), so the
# short run catches gross leaks only (> 12 kB a cycle); the long run (100
# cycles, same bound) catches any per-cycle leak above ~2.5 kB -- one
# family registration's worth.
((slab1 - slab0 <= 256)) || fail "unreclaimable slab grew by $((slab1 - slab0)) kB"
((vmalloc1 - vmalloc0 <= 64)) || fail "vmalloc grew by $((vmalloc1 - vmalloc0)) kB"
echo "ok: $cycles cycles"
