#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run.sh -- `make run`: threadtop on threadstat.ko, live.
#
# usage: scripts/run.sh [THREADTOP OPTIONS...]
#
# Here, when this kernel can load modules and we are root (/proc/modules
# exists, kernel.modules_disabled is 0, the kernel's kbuild tree is
# installed): build the module for the running kernel, insmod it (unless
# loaded), run threadtop, and rmmod the module afterwards if we loaded it.
#
# Elsewhere (no module support, not root, no kbuild tree): boot Debian's
# 6.12 kernel in a VM with this terminal as its console
# (scripts/vm/run.sh --interactive), start a small demo workload there
# (scripts/guest/demo_workload.py: spinning, sleeping, chatty, pinned and
# short-lived named threads), insmod, then threadtop. Quitting threadtop
# (q) powers the VM off; Ctrl-A X kills it. TS_KVER picks another kernel.
set -euo pipefail

repo=$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")
cd "$repo"

if [[ ${1:-} == --guest ]]; then	# in the VM
	shift
	insmod "build/kmod/$(uname -r)/threadstat.ko"
	python3 scripts/guest/demo_workload.py &
	demo=$!
	sleep 1
	rc=0
	build/release/threadtop "$@" || rc=$?
	pkill -P "$demo" 2>/dev/null || true	# its churn process
	kill "$demo" 2>/dev/null || true
	exit "$rc"
fi

kdir_here() {
	local k
	k=$(uname -r)
	for d in "/usr/src/linux-headers-$k" "/lib/modules/$k/build"; do
		[[ -d $d ]] && { echo "$d"; return 0; }
	done
	return 1
}

can_load_here() {
	[[ $EUID -eq 0 && -r /proc/modules ]] || return 1
	if [[ -r /proc/sys/kernel/modules_disabled ]]; then
		[[ $(</proc/sys/kernel/modules_disabled) == 0 ]] || return 1
	else
		return 1	# no module support at all
	fi
	kdir_here >/dev/null
}

make -s user
if can_load_here; then
	kver=$(uname -r)
	scripts/build-module.sh "$kver" "$(kdir_here)" "build/kmod/$kver"
	loaded=0
	if ! grep -q '^threadstat ' /proc/modules; then
		insmod "build/kmod/$kver/threadstat.ko"
		loaded=1
	fi
	rc=0
	build/release/threadtop "$@" || rc=$?
	((loaded)) && rmmod threadstat
	exit "$rc"
fi

echo "run: this kernel cannot load modules here (or not as this user);" \
	"booting the 6.12 kernel in a VM with a demo workload." >&2
line=$(scripts/kernels.sh | awk -F'\t' -v k="${TS_KVER:-}" \
	'(k != "" && $1 == k) || (k == "" && $1 ~ /^6\.12\./) { print; exit }')
[[ -n $line ]] || { echo "run: no 6.12 kernel found (scripts/kernels.sh)" >&2; exit 1; }
IFS=$'\t' read -r kver kdir _ <<<"$line"
scripts/build-module.sh "$kver" "$kdir" "build/kmod/$kver" >/dev/null
exec scripts/vm/run.sh --kernel "$kver" --interactive -- \
	scripts/run.sh --guest "$@"
