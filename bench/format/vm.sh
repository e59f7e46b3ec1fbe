#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm.sh -- the host half of `make bench-format`: bench/format/format_bench.sh
# in a VM per test kernel (scripts/kernels.sh), on an instruction-counted
# guest clock (TS_VM_ICOUNT, default shift=0,sleep=on: 1 µs of guest time
# is 1000 guest instructions, whatever else loads the host), one vCPU (6.1
# hangs bringing up a second under -icount), schedstats and delayacct on
# from the kernel command line as `make bench` has them.
#
# usage: bench/format/vm.sh [N [ROUNDS]]   (default 10000 5)
# Output: $O/bench/format/results-N-KVER.txt (O defaults to build).
# FORMAT_SPINNERS and FORMAT_PROCFS are passed on to format_bench.sh.
set -uo pipefail

n=${1:-10000} rounds=${2:-5}
repo=$(dirname "$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")")
cd "$repo" || exit 1
out=${O:-build}/bench/format
mkdir -p "$out"
export TS_VM_ICOUNT=${TS_VM_ICOUNT:-shift=0,sleep=on}
export TS_VM_APPEND="schedstats=enable delayacct${TS_VM_APPEND:+ $TS_VM_APPEND}"

status=0
while IFS='	' read -r kver _ _; do
	echo "#### kernel $kver: format_bench.sh $n $rounds (icount $TS_VM_ICOUNT)"
	scripts/vm/run.sh --kernel "$kver" --smp 1 --mem 6144 --timeout 3600 \
		--out "$out/vm-$n-$kver" -- \
		"FORMAT_SPINNERS=${FORMAT_SPINNERS:-0} FORMAT_PROCFS=${FORMAT_PROCFS:-1} bench/format/format_bench.sh $n $rounds" \
		2>&1 | tee "$out/results-$n-$kver.txt"
	((PIPESTATUS[0] == 0)) || { echo "bench-format: kernel $kver: the VM run failed"; status=1; }
done < <(scripts/kernels.sh)
exit "$status"
