#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# build-deb.sh -- `make deb`: the threadstat and threadstat-dkms packages.
#
# usage: scripts/build-deb.sh OUTDIR VERSION [--lintian]
#
# Copies the source tree (scripts/copy-tree.sh: no build/) to
# OUTDIR/threadstat-VERSION and runs dpkg-buildpackage
# there, unsigned and binary-only, so the .debs, .buildinfo and .changes land
# in OUTDIR, not beside the work tree. Needs no network: the build
# dependencies are Debian 12 packages (scripts/setup.sh installs them).
# --lintian then checks the .changes; any error fails.
set -euo pipefail

out=$1 version=$2 lint=${3:-}
repo=$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")
cd "$repo"

changelog=$(dpkg-parsechangelog -l debian/changelog -S Version)
if [[ $changelog != "$version" ]]; then
	echo "deb: debian/changelog says $changelog, user/lib/threadstat.h TS_VERSION $version" >&2
	exit 1
fi

src=$out/threadstat-$version
rm -rf "$out"
scripts/copy-tree.sh "$src"

echo "  DEB     $out"
(cd "$src" && dpkg-buildpackage -b -us -uc -j"$(nproc)") >"$out/build.log" 2>&1 || {
	tail -n 40 "$out/build.log"
	echo "deb: dpkg-buildpackage failed (log: $out/build.log)" >&2
	exit 1
}
ls "$out"/*.deb

if [[ $lint == --lintian ]]; then
	# Errors fail; warnings and info are printed (README says which stay).
	lintian --fail-on error "$out"/threadstat_"${version}"_*.changes
fi
