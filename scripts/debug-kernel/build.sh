#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# build.sh -- build (once) and cache the debug kernel `make check-debug` boots.
#
# usage: scripts/debug-kernel/build.sh [--print-kver]
#
# Why: the stock Debian kernels have no KASAN, lockdep, UBSAN or list
# debugging, so use-after-free, locking and RCU bugs in threadstat.ko go
# unseen.  This builds Debian's own 6.12 source (linux-source-6.12, the same
# kernel as the stock 6.12) with those checkers, small enough for a 2-core
# host: x86_64 defconfig + kvm_guest.config + kernel/configs/debug.config +
# threadstat.config (merged by scripts/kconfig/merge_config.sh).
#
# Result, under $TS_CACHE/debug-kernel (TS_CACHE default /var/cache/threadstat):
#   linux-source-6.12/   the built tree: M= module builds use it (Module.symvers)
#   KVER/vmlinuz         the bzImage scripts/vm/run.sh boots
#   KVER/build           symlink to the tree
#   KVER/modroot/lib/modules/KVER  modules.builtin, empty modules.dep
#   kver                 the cached kernel's release, e.g. 6.12.117-tsdebug
# Prints KVER on stdout at the end; progress goes to stderr, the full build
# log to $TS_CACHE/debug-kernel/build.log.  --print-kver only prints the
# cached KVER (exit 1 if none or out of date) and builds nothing.
# Env: TS_DEBUG_JOBS (make -j, default 2), runs niced (other work shares CPU).
# Needs flex, bison, bc, libelf-dev, libssl-dev (kernel build tools); they
# are installed here with apt-get when missing, not by scripts/setup.sh,
# because plain `make check` does not need them.
set -euo pipefail

here=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
cache=${TS_CACHE:-/var/cache/threadstat}/debug-kernel
tarball=/usr/src/linux-source-6.12.tar.xz
tree=$cache/linux-source-6.12
jobs=${TS_DEBUG_JOBS:-2}
log=$cache/build.log
fragment=$here/threadstat.config

say() { echo "debug-kernel: $*" >&2; }
die() { say "ERROR: $*"; exit 1; }

[[ -f $tarball ]] || die "$tarball missing (scripts/setup.sh installs linux-source-6.12)"
# The cached kernel is current when it was built from this tarball and its
# .config holds every line of sections 1-3 of the fragment (the checkers and
# what the VM and the tests need).  Content, not a hash of this script: an
# edit to the script (locking, messages) must not throw away hours of build.
# To force a rebuild, remove $cache/kver.
src_stamp=$(stat -c '%s %Y' "$tarball")

# Lines of sections 1-3 of the fragment, one per line.
required_config() {
	local line
	while IFS= read -r line; do
		[[ $line == '# --- 4.'* ]] && break
		[[ $line =~ ^(CONFIG_[A-Z0-9_]+)=(.*)$ ]] && echo "$line"
	done <"$fragment"
}

# Prints the required lines missing from the config file $1.
missing_config() {
	local line
	while IFS= read -r line; do
		grep -qxF "$line" "$1" || echo "$line"
	done < <(required_config)
}

cached_kver() {
	local k
	[[ -f $cache/kver ]] || return 1
	k=$(<"$cache/kver")
	[[ -f $cache/$k/vmlinuz && -f $tree/Module.symvers &&
	   -f $cache/$k/modroot/lib/modules/$k/modules.dep &&
	   -f $cache/$k/config && -f $tree/.ts-src-stamp &&
	   $(<"$tree/.ts-src-stamp") == "$src_stamp" &&
	   -z $(missing_config "$cache/$k/config") ]] || return 1
	echo "$k"
}

if [[ ${1:-} == --print-kver ]]; then
	cached_kver
	exit
fi

# One build at a time per cache (make check-debug in two trees, say): the
# second waits, then finds the kernel cached.  A killed build resumes: make is
# incremental and the .config it regenerates is the same.
mkdir -p "$cache"
exec 9>"$cache/lock"
if ! flock -n 9; then
	say "another build holds $cache/lock; waiting"
	flock 9
fi
if k=$(cached_kver); then
	say "cached: $k ($cache/$k)"
	echo "$k"
	exit 0
fi

# --- build tools ------------------------------------------------------------
need=()
for pair in flex:flex bison:bison bc:bc; do
	command -v "${pair%%:*}" >/dev/null || need+=("${pair#*:}")
done
[[ -f /usr/include/gelf.h ]] || need+=(libelf-dev)
[[ -f /usr/include/openssl/ssl.h ]] || need+=(libssl-dev)
if [[ ${#need[@]} -gt 0 ]]; then
	[[ $(id -u) -eq 0 ]] || die "missing ${need[*]}; run as root or install them"
	say "apt-get install ${need[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}" >&2 ||
		die "apt-get install ${need[*]} failed"
fi

# --- source -----------------------------------------------------------------
mkdir -p "$cache"
if [[ ! -f $tree/.ts-src-stamp || $(<"$tree/.ts-src-stamp") != "$src_stamp" ]]; then
	say "unpacking $tarball"
	tmp=$(mktemp -d "$cache/src.XXXXXX")
	tar -C "$tmp" -xf "$tarball"
	echo "$src_stamp" >"$tmp/linux-source-6.12/.ts-src-stamp"
	rm -rf "$tree"
	mv "$tmp/linux-source-6.12" "$tree"
	rmdir "$tmp"
fi

# --- config -----------------------------------------------------------------
kmake() { nice -n 19 make -C "$tree" -j"$jobs" "$@"; }
say "configuring (defconfig + kvm_guest + debug + threadstat.config)"
: >"$log"
# (set -e does not apply inside a list tested with ||: chain with &&.)
{
	kmake defconfig &&
	(cd "$tree" && ./scripts/kconfig/merge_config.sh -m .config \
		kernel/configs/kvm_guest.config kernel/configs/debug.config "$fragment") &&
	kmake olddefconfig
} >>"$log" 2>&1 || { tail -n 30 "$log" >&2; die "configuring failed (log: $log)"; }

# Every option of sections 1-3 of the fragment must have survived olddefconfig
# (a dependency missing would silently drop it).
lost=$(missing_config "$tree/.config")
[[ -z $lost ]] || die "not in the final .config: ${lost//$'\n'/ }"

# --- build ------------------------------------------------------------------
say "building with make -j$jobs (log: $log); expect 30-90 min on 2 cores"
start=$(date +%s)
kmake all >>"$log" 2>&1 || { tail -n 40 "$log" >&2; die "kernel build failed (log: $log)"; }
[[ -f $tree/Module.symvers ]] || die "no Module.symvers after the build"
# Only now: kernelrelease reads include/config/auto.conf, written by the build.
kver=$(make -s -C "$tree" kernelrelease)
[[ $kver == *-tsdebug ]] || die "unexpected kernel release '$kver'"
say "built $kver in $(($(date +%s) - start)) s"

mkdir -p "$cache/$kver"
# modules_install with no modules still writes modules.builtin and an empty
# modules.dep (depmod): what scripts/vm/mkinitramfs.sh reads to see that
# virtio-pci, 9p and overlay are built in.
rm -rf "$cache/$kver/modroot"
kmake INSTALL_MOD_PATH="$cache/$kver/modroot" modules_install >>"$log" 2>&1 ||
	die "modules_install failed (log: $log)"
[[ -f $cache/$kver/modroot/lib/modules/$kver/modules.dep ]] || die "no modules.dep after modules_install"
cp "$tree/arch/x86/boot/bzImage" "$cache/$kver/vmlinuz"
ln -sfn "$tree" "$cache/$kver/build"
cp "$tree/.config" "$cache/$kver/config"
echo "$kver" >"$cache/kver"
echo "$kver"
