#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# uninstall-files.sh -- undo scripts/install-files.sh from its manifest.
#
# usage: scripts/uninstall-files.sh DESTDIR MANIFEST
# Removes every file the manifest lists, then every directory the installs
# created, deepest first, when empty (a directory someone else put files in
# since stays, and so does anything the manifest does not name).
set -euo pipefail

destdir=$1 manifest=$2
if [[ ! -f $destdir$manifest ]]; then
	echo "uninstall: no $destdir$manifest: nothing installed with this PREFIX" >&2
	exit 1
fi
mapfile -t lines <"$destdir$manifest"
for l in "${lines[@]}"; do
	[[ $l == file\ * ]] || continue
	rm -f "$destdir${l#file }"
	echo "  REMOVE  ${l#file }"
done
# Longest path first: children before their parents.
for l in "${lines[@]}"; do
	if [[ $l == dir\ * ]]; then echo "${l#dir }"; fi
done | awk '{ print length($0) "\t" $0 }' | sort -rn | cut -f2- |
	while read -r d; do
		rmdir "$destdir$d" 2>/dev/null || true
	done
