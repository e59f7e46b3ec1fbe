#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# build-module.sh -- build the bench-only tsfmt.ko for one kernel, out of the
# source tree, as scripts/build-module.sh does for threadstat.ko: OUTDIR
# gets symlinks to bench/format's Kbuild and sources, to the UAPI header
# (format 0 sends its attribute ids) and to kmod/compat.h, and kbuild runs
# there with W=1.
#
# usage: bench/format/build-module.sh KVER KDIR OUTDIR
set -euo pipefail

kver=$1 kdir=$2 out=$3
here=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
repo=$(dirname "$(dirname "$here")")

mkdir -p "$out/include/uapi/linux" "$out/kmod"
out=$(readlink -f "$out")
find "$out" -type l -delete
for f in Kbuild tsfmt.c tsfmt.h; do
	ln -sf "$here/$f" "$out/$f"
done
ln -sf "$repo/include/uapi/linux/threadstat.h" "$out/include/uapi/linux/"
ln -sf "$repo/kmod/compat.h" "$out/kmod/"

echo "  MODULE  tsfmt $kver"
make -s -C "$kdir" M="$out" W=1 modules
