#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# install-test.sh -- in the VM: threadstat installs, autoloads, uninstalls.
#
# Run by scripts/check-install.sh (`make check-install`) in a VM per kernel,
# as root, module not loaded. The guest's / is the host's userland under a
# tmpfs overlay, so installing here is safe.
#  1. make install from a clean copy of the tree (the one `make deb` made
#     with scripts/copy-tree.sh and built the tools in, on the host), then `threadstat threads`, as nobody, with the module not loaded: the
#     family lookup makes the kernel modprobe it (MODULE_ALIAS_GENL_FAMILY);
#     make uninstall leaves the file list as it was.
#  2. dpkg -i the two packages of `make deb` (built on the host before the
#     VM: build/deb): DKMS builds the module for this kernel, modprobe loads
#     it, threadtop -b runs; dpkg --purge leaves the file list as it was.
# usage: install-test.sh [make] [deb]   (default: both)
# Both parts compile the module here, under TCG: ~15 min of qemu CPU each
# (README, Installing), hence not part of make check.
# Ends with "install: N passed, N failed".
set -uo pipefail
parts=" ${*:-make deb} "

repo=$(dirname "$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")")
cd "$repo" || exit 1
kver=$(uname -r)
pass=0 fail=0
ok() { echo "ok $1"; pass=$((pass + 1)); }
bad() { echo "not ok $1"; fail=$((fail + 1)); }
check() { # NAME COMMAND...: one case, passed when COMMAND succeeds
	if "${@:2}"; then ok "$1"; else bad "$1"; fi
}
elapsed() { echo "    ($1: $((SECONDS - t0)) s)"; t0=$SECONDS; }
loaded() { grep -q '^threadstat ' /proc/modules; }

# Where an install or a package can put files, and what it may change in
# place (depmod's indexes, dpkg's and DKMS's own state files). Big trees
# (/usr/src's kernel headers, every man page and doc directory, the
# kernel's own modules: ~80k entries, many minutes over 9p under TCG) are
# listed one level deep: a new file or directory shows there.
snapshot() {
	{
		find /usr/local /usr/bin /usr/sbin /etc /var/lib/dkms \
			/usr/share/bash-completion/completions /usr/share/zsh \
			/usr/lib/x86_64-linux-gnu/pkgconfig /lib/modules/"$kver"/updates -xdev
		find /usr/src /usr/share/doc /usr/share/man \
			/lib/modules/"$kver" /var/lib/dpkg/info -xdev -maxdepth 1
		# 18k pages in man1 alone: only names a page of ours could have.
		find /usr/share/man -xdev -maxdepth 2 -name 'thread*'
	} 2>/dev/null | sort -u
}
same_files() { # BEFORE AFTER: nothing added, nothing removed
	local d
	d=$(diff "$1" "$2")
	[[ -z $d ]] && return 0
	echo "$d" | head -n 40 | sed 's/^/    /'
	return 1
}

# The threads of this shell's own process, through threadstat, match /proc.
own_threads_listed() { # THREADSTAT [setpriv args]
	local out
	out=$("$@" threads --pid $$ --json) || return 1
	python3 -c '
import json, os, sys
rows = json.loads(sys.argv[1])
tids = sorted(int(t) for t in os.listdir("/proc/%s/task" % sys.argv[2]))
got = sorted(r["tid"] for r in rows)
assert got == tids, (got, tids)
assert all(r["tgid"] == int(sys.argv[2]) for r in rows)
' "$out" $$
}

t0=$SECONDS
tmp=$(mktemp -d /tmp/install-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
if loaded; then rmmod threadstat; fi

# ---- 1. make install / uninstall ----
test_make_install() {
	snapshot >"$tmp/before"
	# The clean copy `make deb` made and built its tools in on the host (TCG
	# would take minutes to compile them); make install runs kbuild for this
	# kernel (with make check, the host built the module there too).
	local debsrc=(build/deb/threadstat-*/)
	if ! cp -a "${debsrc[0]}" "$tmp/src"; then
		bad "a clean copy built by make deb on the host in build/deb"
		return
	fi
	elapsed "file list, copy of the tree"
	if make -C "$tmp/src" -s -j4 install >"$tmp/install.log" 2>&1; then
		ok "make install"
	else
		tail -n 30 "$tmp/install.log" | sed 's/^/    /'
		bad "make install"
	fi
	elapsed "make install"
	check "module in updates/" test -f "/lib/modules/$kver/updates/threadstat.ko"
	check "modules.alias names the family" \
		grep -q '^alias net-pf-16-proto-16-family-threadstat threadstat$' "/lib/modules/$kver/modules.alias"
	check "module not loaded before first use" bash -c '! grep -q "^threadstat " /proc/modules'
	# As nobody: autoload needs no privilege (the kernel runs modprobe).
	check "threadstat threads autoloads the module, as nobody" \
		own_threads_listed setpriv --reuid=65534 --regid=65534 --clear-groups /usr/local/bin/threadstat
	check "module loaded by the lookup" loaded
	check "pkg-config finds the library" \
		env PKG_CONFIG_PATH=/usr/local/lib/pkgconfig pkg-config --exact-version="$(sed -n 's/^#define TS_VERSION "\(.*\)"/\1/p' user/lib/threadstat.h)" threadstat
	cat >"$tmp/client.c" <<-'C'
	#include <stdio.h>
	#include <threadstat.h>
	int main(void)
	{
		struct ts_client *c;
		struct ts_error err;

		if (ts_open(&c, &err)) {
			fprintf(stderr, "%s\n", err.msg);
			return 1;
		}
		ts_close(c);
		puts(TS_VERSION);
		return 0;
	}
	C
	# shellcheck disable=SC2046 # pkg-config prints a word list
	check "a program builds against the installed library and opens the family" \
		bash -c "gcc -o '$tmp/client' '$tmp/client.c' \$(PKG_CONFIG_PATH=/usr/local/lib/pkgconfig pkg-config --cflags --libs threadstat) && '$tmp/client'"
	rmmod threadstat
	if make -C "$tmp/src" -s uninstall >"$tmp/uninstall.log" 2>&1; then
		ok "make uninstall"
	else
		sed 's/^/    /' "$tmp/uninstall.log"
		bad "make uninstall"
	fi
	snapshot >"$tmp/after"
	check "make uninstall leaves the file list as before" same_files "$tmp/before" "$tmp/after"
	check "modprobe no longer finds it" bash -c '! modprobe -n threadstat 2>/dev/null'
	elapsed "autoload and uninstall"
}

# ---- 2. the Debian packages ----
# Debian's DKMS postinst (/usr/lib/dkms/common.postinst) builds for the
# running kernel and for the newest kernel with a /boot/config-* file. The
# guest's / is the host's, which has both test kernels: the 6.1 guest would
# compile for 6.12 too (minutes under TCG), and that build proves nothing
# the 6.12 guest does not. So for the packages' part the guest looks like a
# machine with one kernel: a tmpfs /boot holding only this kernel's config.
# What the package does on a real machine is unchanged.
one_kernel_boot() {
	mkdir -p "$tmp/boot"
	cp "/boot/config-$kver" "$tmp/boot/" && mount --bind "$tmp/boot" /boot
}
test_debs() {
	local debs=(build/deb/threadstat_*.deb build/deb/threadstat-dkms_*.deb)
	snapshot >"$tmp/before-deb"
	one_kernel_boot
	elapsed "file list"
	if ! [[ -f ${debs[0]} && -f ${debs[1]} ]]; then
		bad "packages built on the host (make deb) in build/deb"
	else
		if dpkg -i "${debs[@]}" >"$tmp/dpkg.log" 2>&1; then
			ok "dpkg -i threadstat threadstat-dkms"
		else
			tail -n 30 "$tmp/dpkg.log" | sed 's/^/    /'
			bad "dpkg -i threadstat threadstat-dkms"
		fi
		elapsed "dpkg -i (DKMS build)"
		check "DKMS built and installed it for $kver" \
			bash -c "dkms status threadstat -k '$kver' | grep -q ': installed'"
		check "DKMS built it for this kernel only" \
			bash -c "dkms status threadstat | grep -v '$kver' | grep . | sed 's/^/    other: /'; [[ \$(dkms status threadstat | wc -l) == 1 ]]"
		check "modprobe threadstat" modprobe threadstat
		check "threadstat (package) lists our threads" own_threads_listed /usr/bin/threadstat
		# One batch frame: it must name this shell's pid in its rows.
		check "threadtop -b runs" bash -c "TERM=dumb timeout 60 /usr/bin/threadtop -b -n 1 -p $$ | grep -qw $$"
		rmmod threadstat
		dpkg --purge threadstat threadstat-dkms >"$tmp/purge.log" 2>&1 ||
			tail -n 20 "$tmp/purge.log"
		# DKMS's signing key (made on its first build, when absent) is
		# the machine's MOK for every DKMS module, not ours: it stays.
		snapshot | grep -vx '/var/lib/dkms/mok\.\(key\|pub\)' >"$tmp/after-deb"
		check "dpkg --purge leaves the file list as before" same_files "$tmp/before-deb" "$tmp/after-deb"
		elapsed "modprobe, threadtop, purge"
	fi
	umount /boot
}

[[ $parts == *" make "* ]] && test_make_install
[[ $parts == *" deb "* ]] && test_debs
if loaded; then rmmod threadstat; fi

echo "install: $pass passed, $fail failed"
((fail == 0))
