#!/bin/bash
# kernels.sh -- list the kernels threadstat is built and tested against.
#
# Prints one line per kernel: KVER<TAB>KDIR<TAB>VMLINUZ
#   KVER     kernel release (uname -r in the guest)
#   KDIR     kbuild tree for `make -C KDIR M=...` (/usr/src/linux-headers-KVER,
#            else /lib/modules/KVER/build)
#   VMLINUZ  /boot/vmlinuz-KVER, booted by scripts/vm/run.sh
#
# Why: the module must build and work on both Debian 12 kernels, the stock 6.1
# and the 6.12 backport; build and test loops iterate over this list instead
# of hard-coding versions.  By default it picks the newest installed kernel of
# each series (6.1.*-amd64 and 6.12.*+deb12-amd64).  Set KVERS="v1 v2 ..." to
# choose exactly which kernels (each must be installed).
#
# The debug kernel (scripts/debug-kernel/build.sh, `make check-debug`) lives
# in $TS_CACHE/debug-kernel/KVER instead of /boot: it is listed only when
# named in KVERS (KDIR is its built source tree, VMLINUZ its bzImage), so the
# default list, and with it `make check`, stays the two Debian kernels.
#
# usage: scripts/kernels.sh            the list above
#        scripts/kernels.sh --boot KVER  prints VMLINUZ<TAB>MODDIR for one
#        kernel: what scripts/vm/run.sh boots and where mkinitramfs.sh finds
#        its modules.dep/modules.builtin (/lib/modules/KVER, or the debug
#        kernel's own); needs no headers.
set -euo pipefail

debug_dir=${TS_CACHE:-/var/cache/threadstat}/debug-kernel

boot_of() { # KVER: VMLINUZ<TAB>MODDIR
	local k=$1
	if [[ -f $debug_dir/$k/vmlinuz ]]; then
		printf '%s\t%s\n' "$debug_dir/$k/vmlinuz" "$debug_dir/$k/modroot/lib/modules/$k"
	elif [[ -f /boot/vmlinuz-$k ]]; then
		printf '%s\t%s\n' "/boot/vmlinuz-$k" "/lib/modules/$k"
	else
		echo "kernels.sh: /boot/vmlinuz-$k not found (kernel $k not installed?)" >&2
		return 1
	fi
}

kdir_of() {
	local k=$1
	if [[ -d $debug_dir/$k/build ]]; then
		readlink -f "$debug_dir/$k/build"
	elif [[ -d /usr/src/linux-headers-$k ]]; then
		echo "/usr/src/linux-headers-$k"
	elif [[ -d /lib/modules/$k/build ]]; then
		readlink -f "/lib/modules/$k/build"
	else
		return 1
	fi
}

emit() {
	local k=$1 kdir boot
	boot=$(boot_of "$k") || return 1
	if ! kdir=$(kdir_of "$k"); then
		echo "kernels.sh: no headers for $k (install linux-headers-$k)" >&2
		return 1
	fi
	printf '%s\t%s\t%s\n' "$k" "$kdir" "${boot%%$'\t'*}"
}

if [[ ${1:-} == --boot ]]; then
	boot_of "${2:?--boot needs KVER}"
	exit
fi

newest() { # GLOB: newest kernel release with /boot/vmlinuz-GLOB
	local f
	for f in /boot/vmlinuz-$1; do
		[[ -f $f ]] && echo "${f#/boot/vmlinuz-}"
	done | sort -V | tail -n 1
}

status=0
if [[ -n ${KVERS:-} ]]; then
	read -r -a list <<<"$KVERS"
	for k in "${list[@]}"; do
		emit "$k" || status=1
	done
else
	found=0
	for glob in '6.1.*-amd64' '6.12.*+deb12-amd64'; do
		k=$(newest "$glob")
		if [[ -z $k ]]; then
			echo "kernels.sh: no installed kernel matches $glob (run scripts/setup.sh)" >&2
			status=1
			continue
		fi
		if emit "$k"; then found=$((found + 1)); else status=1; fi
	done
	[[ $found -gt 0 ]] || status=1
fi
exit "$status"
