#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# copy-tree.sh -- copy the source tree, as a fresh checkout would have it.
#
# usage: scripts/copy-tree.sh DEST
# Copies git's tracked and untracked-but-not-ignored files (so work not yet
# committed is in), never build/ or other ignored output; outside a git
# checkout, everything but build/. For `make deb` and the install test,
# which must start from sources only.
set -euo pipefail

dest=$1
repo=$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")
cd "$repo"
mkdir -p "$dest"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git ls-files -z --cached --others --exclude-standard |
		while IFS= read -r -d '' f; do
			# Deleted but not yet committed: not in a checkout either.
			[[ -e $f && $f != build/* ]] && printf '%s\0' "$f"
		done | tar --null -T - -cf - | tar -xf - -C "$dest"
else
	tar --exclude=./build -cf - . | tar -xf - -C "$dest"
fi
