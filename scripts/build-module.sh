#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# build-module.sh -- build threadstat.ko for one kernel, out of the source tree.
#
# usage: scripts/build-module.sh KVER KDIR OUTDIR [make arguments...]
#
# Why: kbuild writes objects next to the sources of an external module, and we
# build for several kernels at once. So OUTDIR gets a mirror of the module's
# sources made of symlinks (Kbuild, kmod/, include/), and kbuild runs there;
# the source tree stays clean and each kernel has its own objects.
# Extra arguments go to make (e.g. C=2 for sparse). Builds with W=1.
set -euo pipefail

kver=$1 kdir=$2 out=$3
shift 3
repo=$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")

mkdir -p "$out/kmod" "$out/include/uapi/linux"
out=$(readlink -f "$out")
find "$out" -type l -delete	# drop links to files that no longer exist
ln -sf "$repo/Kbuild" "$out/Kbuild"
for f in "$repo"/kmod/*.[ch]; do
	ln -sf "$f" "$out/kmod/"
done
ln -sf "$repo/include/uapi/linux/threadstat.h" "$out/include/uapi/linux/"

echo "  MODULE  $kver"
make -s -C "$kdir" M="$out" W=1 "$@" modules
