#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# install-files.sh -- install files listed on stdin and record what it made.
#
# usage: scripts/install-files.sh DESTDIR MANIFEST <list
#   list: one "MODE SOURCE TARGET" line per file; TARGET is the path on the
#         installed system (DESTDIR is prepended here).
#   MANIFEST: path on the installed system of the record kept for
#         scripts/uninstall-files.sh, or "" for none (packages: dpkg keeps
#         its own record).
#
# Why a manifest instead of uninstall rules that mirror the install rules:
# what gets installed depends on what exists at install time (man pages,
# completions, the kernel release), so only a record of that install can be
# undone exactly. Directories are recorded only when this install created
# them, so uninstall removes them again and leaves pre-existing ones alone.
set -euo pipefail

destdir=$1 manifest=$2
made=()
# DESTDIR itself is the packager's staging area, not part of the install.
[[ -z $destdir ]] || mkdir -p "$destdir"

mkdirs() { # DIR: create DIR and missing parents, remembering each one made
	local d=$1 todo=()
	while [[ $d != / && ! -d $destdir$d ]]; do
		todo=("$d" "${todo[@]}")
		d=$(dirname "$d")
	done
	for d in "${todo[@]}"; do
		mkdir -m 755 "$destdir$d"
		made+=("dir $d")
	done
}

while read -r mode src dst; do
	[[ -n $mode ]] || continue
	mkdirs "$(dirname "$dst")"
	install -m "$mode" "$src" "$destdir$dst"
	echo "  INSTALL $dst"
	made+=("file $dst")
done

[[ -n $manifest ]] || exit 0
mkdirs "$(dirname "$manifest")"
made+=("file $manifest")
# Merged with an earlier install's record: installing twice, then
# uninstalling once, removes everything both made.
{
	[[ -f $destdir$manifest ]] && cat "$destdir$manifest"
	printf '%s\n' "${made[@]}"
} | sort -u >"$destdir$manifest.new"
mv "$destdir$manifest.new" "$destdir$manifest"
