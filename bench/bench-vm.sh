#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench-vm.sh -- `make bench`: run bench/run-bench.sh in a qemu VM for every
# test kernel (scripts/kernels.sh) and print its tables, headed by where the
# numbers came from.
#
# Env: BENCH_MEM (MiB, default 6144: 50k threads take ~2 GiB of kernel
# stacks, task structs and page tables), BENCH_SMP (default 2: the spinners
# get a CPU besides the measuring process; 1 under TS_VM_ICOUNT), BENCH_TIMEOUT (s per kernel,
# default 3600), TS_VM_ACCEL (default tcg,thread=single), BENCH_THREADS,
# BENCH_RUNS, BENCH_PS_ALL, BENCH_CPU_THREADS and BENCH_SECTIONS (passed to
# run-bench.sh), BENCH_EXPORTER_THREADS, _ROUNDS and _START (passed on
# to bench/exporter_bench.py). Each kernel's output is also kept in
# build/bench/results-KVER.txt, the VM's run dir in build/bench/vm-KVER.
#
# The VM is qemu TCG (no KVM here): absolute numbers are those of an
# emulated CPU, several times slower than the host, and the host is shared;
# compare the ratios within one run, which is why run-bench.sh interleaves
# the methods.
set -uo pipefail

repo=$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")
cd "$repo" || exit 1
mem=${BENCH_MEM:-6144}
# Under TS_VM_ICOUNT one vCPU: 6.1 hangs bringing up a second CPU on an
# instruction-counted clock (and the vCPUs share that one clock anyway).
if [[ -n ${TS_VM_ICOUNT:-} ]]; then smp=${BENCH_SMP:-1}; else smp=${BENCH_SMP:-2}; fi
limit=${BENCH_TIMEOUT:-3600}
out=build/bench
mkdir -p "$out"

echo "make bench: $(date -u '+%Y-%m-%d %H:%M UTC') on $(uname -n) ($(nproc) cores," \
	"$(awk '/MemTotal/ {printf "%d GiB", $2 / 1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg))"
echo "  source: $(git describe --always --dirty 2>/dev/null || echo unknown) on branch" \
	"$(git rev-parse --abbrev-ref HEAD 2>/dev/null || echo unknown)"
echo "  VM: $(qemu-system-x86_64 --version | head -n 1), -accel ${TS_VM_ACCEL:-tcg,thread=single} -cpu ${TS_VM_CPU:-max}," \
	"-smp $smp, -m $mem MiB"
echo "  tools: build/bench/* (gcc -O2), build/release/libthreadstat.a"

# The guest does not inherit our environment: settings go in its command.
cmd=bench/run-bench.sh
for v in BENCH_PS_ALL BENCH_RUNS BENCH_THREADS BENCH_CPU_THREADS BENCH_SECTIONS BENCH_FULL_MAX BENCH_EXPORTER_THREADS BENCH_EXPORTER_ROUNDS BENCH_EXPORTER_START \
	BENCH_EVENTS_ROUNDS BENCH_HB_GROUPS BENCH_HB_LOOPS BENCH_STORM_EXITS BENCH_STORM_BATCH; do
	[[ -z ${!v:-} ]] || cmd="$v=$(printf %q "${!v}") $cmd"
done

# One TCG thread runs all vCPUs (main's run.sh default too): multi-threaded
# TCG on this 2-core host is no faster, and its cross-vCPU code patching
# race can oops the guest when a static key flips (insmod's tracepoints).
export TS_VM_ACCEL=${TS_VM_ACCEL:-tcg,thread=single}
# Schedstats and delay accounting on from boot (see run-bench.sh), so the
# schedstats and delayacct groups carry data.
export TS_VM_APPEND="schedstats=enable delayacct${TS_VM_APPEND:+ $TS_VM_APPEND}"

status=0
while IFS='	' read -r kver _ _; do
	echo
	echo "#### kernel $kver"
	# The run dir lives under build/, not in the shared /tmp where another
	# session's clean-up once deleted it (and the results) mid-run.
	scripts/vm/run.sh --kernel "$kver" --smp "$smp" --mem "$mem" --timeout "$limit" \
		--out "$out/vm-$kver" -- "$cmd" 2>&1 | tee "$out/results-$kver.txt"
	rc=${PIPESTATUS[0]}
	if ((rc != 0)); then
		echo "make bench: kernel $kver: the VM run failed (exit status $rc)"
		status=1
	fi
done < <(scripts/kernels.sh)
echo
echo "make bench: load after the run $(cut -d' ' -f1-3 /proc/loadavg); tables also in $out/results-*.txt"
exit "$status"
