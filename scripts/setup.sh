#!/bin/bash
# setup.sh -- install what threadstat's build and tests need on Debian 12.
#
# Why: `make check` must work on a fresh Debian 12 (bookworm) machine or CI
# runner: compilers and libmnl/ncurses for the tools, qemu + busybox + kmod
# for the test VM (scripts/vm/), the stock 6.1 kernel and a 6.12 kernel with
# headers to build and boot, the 6.12 source tarball (kselftest harness,
# checkpatch, YNL), sparse, valgrind, python3-yaml/jsonschema; clang,
# libbpf and bpftrace for the BPF peers in benchmarks, libelf/libdw for
# lock names, libmicrohttpd and Prometheus for the exporter, DKMS, debhelper,
# lintian and scdoc for the packages and man pages.
#
# Idempotent and cheap: it asks dpkg what is installed and only when
# something is missing runs apt-get update + install (as root, no prompts).
# With everything present it does not touch the network and takes well
# under a second.
#
# 6.12 kernel: if some linux-image-6.12.*+deb12-amd64[-unsigned] and the
# matching linux-headers-6.12.*+deb12-amd64 are installed, those are used.
# Otherwise the newest X for which apt knows both
# linux-image-X+deb12-amd64-unsigned and linux-headers-X+deb12-amd64 is
# installed.
#
# It also unpacks, once, the parts of /usr/src/linux-source-6.12.tar.xz the
# build uses (kselftest headers, YNL, netlink specs, checkpatch) into
# ${TS_CACHE:-/var/cache/threadstat}/linux-src/linux-source-6.12/.
#
# Output: one line per check/action, prefixed "setup:".  apt's own output
# goes to $TS_CACHE/setup-apt.log (its tail is shown on failure).
set -euo pipefail

cache=${TS_CACHE:-/var/cache/threadstat}
srcdir=$cache/linux-src
tarball=/usr/src/linux-source-6.12.tar.xz
apt_log=$cache/setup-apt.log

packages=(build-essential pkg-config libmnl-dev zlib1g-dev libncurses-dev
	qemu-system-x86 busybox-static kmod cpio xz-utils
	linux-image-amd64 linux-headers-amd64 linux-source-6.12
	python3-yaml python3-jsonschema sparse tmux valgrind
	procps util-linux iproute2
	clang llvm libbpf-dev bpftool bpftrace rt-tests linux-perf libelf-dev libdw-dev
	libmicrohttpd-dev prometheus prometheus-process-exporter
	dkms dh-dkms debhelper lintian scdoc fakeroot bash-completion man-db)

say() { echo "setup: $*"; }
die() { echo "setup: ERROR: $*" >&2; exit 1; }

installed_of() { # PKG-OR-PATTERN...: names of the fully installed ones
	dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "$@" 2>/dev/null |
		awk '$2 == "ii" { print $1 }' | sort -u || true
}

newest_pair() { # IMAGE-REGEX HEADERS-LIST: newest X matched by the regex
	# in stdin whose linux-headers-X+deb12-amd64 is in HEADERS-LIST
	local regex=$1 headers=$2 x
	local -a versions
	mapfile -t versions < <(sed -nE "s/$regex/\1/p" | sort -Vr)
	for x in "${versions[@]}"; do
		if grep -qxF "linux-headers-$x+deb12-amd64" <<<"$headers"; then
			echo "$x"
			return 0
		fi
	done
}

installed_612() { # newest X with 6.12 image+headers installed, or nothing
	local names
	names=$(installed_of 'linux-image-6.12.*' 'linux-headers-6.12.*')
	newest_pair '^linux-image-(6\.12\.[0-9]+)\+deb12-amd64(-unsigned)?$' "$names" <<<"$names"
}

available_612() { # newest X apt can install as image-unsigned + headers
	local headers
	headers=$(apt-cache pkgnames linux-headers-6.12. 2>/dev/null || true)
	apt-cache pkgnames linux-image-6.12. 2>/dev/null |
		newest_pair '^linux-image-(6\.12\.[0-9]+)\+deb12-amd64-unsigned$' "$headers"
}

apt_run() { # ARGS...: apt-get quietly, log kept, tail shown on failure
	mkdir -p "$cache"
	if ! DEBIAN_FRONTEND=noninteractive apt-get -q -y -o Dpkg::Use-Pty=0 "$@" >>"$apt_log" 2>&1; then
		tail -n 30 "$apt_log" >&2
		die "apt-get $1 failed (full log: $apt_log)"
	fi
}

# --- packages -------------------------------------------------------------
have=$(installed_of "${packages[@]}")
missing=()
for p in "${packages[@]}"; do
	grep -qxF "$p" <<<"$have" || missing+=("$p")
done
if [[ ${#missing[@]} -eq 0 ]]; then
	say "packages: all ${#packages[@]} present"
else
	say "packages: missing: ${missing[*]}"
fi

k612=$(installed_612)
if [[ -n $k612 ]]; then
	say "kernel 6.12: using installed $k612+deb12-amd64"
else
	say "kernel 6.12: none installed (image + headers)"
fi

if [[ ${#missing[@]} -gt 0 || -z $k612 ]]; then
	[[ $(id -u) -eq 0 ]] || die "must run as root to install packages"
	mkdir -p "$cache"
	: >"$apt_log"
	if [[ -n $(dpkg --audit 2>/dev/null) ]]; then
		say "dpkg: finishing an interrupted installation (dpkg --configure -a)"
		DEBIAN_FRONTEND=noninteractive dpkg --configure -a >>"$apt_log" 2>&1 ||
			die "dpkg --configure -a failed (log: $apt_log)"
	fi
	say "apt-get update"
	apt_run update
	if [[ -z $k612 ]]; then
		k612=$(available_612)
		[[ -n $k612 ]] || die "apt knows no linux-image-6.12.*+deb12-amd64-unsigned with matching headers"
		say "kernel 6.12: will install $k612+deb12-amd64"
		missing+=("linux-image-$k612+deb12-amd64-unsigned" "linux-headers-$k612+deb12-amd64")
	fi
	say "apt-get install ${missing[*]}"
	apt_run install --no-install-recommends "${missing[@]}"
	have=$(installed_of "${missing[@]}")
	for p in "${missing[@]}"; do
		grep -qxF "$p" <<<"$have" || die "$p is still not installed (log: $apt_log)"
	done
	say "installed ${#missing[@]} package(s)"
fi

# --- kernel source extracts -------------------------------------------------
[[ -f $tarball ]] || die "$tarball missing (package linux-source-6.12)"
# Bump the list version when the list of extracts below changes.
stamp_want="$(stat -c '%s %Y' "$tarball") $tarball extracts-v2"
if [[ -f $srcdir/.stamp && $(<"$srcdir/.stamp") == "$stamp_want" ]]; then
	say "kernel source extracts: present in $srcdir"
else
	say "kernel source extracts: unpacking $tarball into $srcdir"
	mkdir -p "$cache"
	tmp=$(mktemp -d "$cache/linux-src.tmp.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	tar -C "$tmp" -xf "$tarball" --wildcards \
		'*/tools/testing/selftests/kselftest*.h' \
		'*/tools/testing/selftests/kselftest/*' \
		'*/tools/testing/selftests/lib.mk' \
		'*/tools/net/ynl/*' \
		'*/Documentation/netlink/*' \
		'*/scripts/checkpatch.pl' \
		'*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch'
	[[ -f $tmp/linux-source-6.12/tools/testing/selftests/kselftest_harness.h &&
	   -f $tmp/linux-source-6.12/tools/testing/selftests/lib.mk ]] ||
		die "kselftest_harness.h or lib.mk not found in $tarball"
	echo "$stamp_want" >"$tmp/.stamp"
	chmod 755 "$tmp"
	rm -rf "$srcdir"
	mv "$tmp" "$srcdir"
	trap - EXIT
	say "kernel source extracts: done ($srcdir/linux-source-6.12)"
fi
