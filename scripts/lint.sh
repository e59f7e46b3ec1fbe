#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lint.sh -- the module's upstream-style checks: checkpatch --strict on every
# kernel source file and the UAPI header, and sparse (C=2) plus W=1 against
# every test kernel. Any finding fails. Prints "lint: N passed, N failed".
set -uo pipefail

repo=$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")
ksrc=${KSRC:-${TS_CACHE:-/var/cache/threadstat}/linux-src/linux-source-6.12}
out=${O:-$repo/build}
cd "$repo" || exit 1
pass=0 fail=0

for f in kmod/*.[ch] include/uapi/linux/threadstat.h; do
	ignore=SPDX_LICENSE_TAG,FILE_PATH_CHANGES
	# The one file that tests kernel versions, for the two APIs that differ.
	[[ $f == kmod/compat.h ]] && ignore+=,LINUX_VERSION_CODE,CONSTANT_COMPARISON
	if res=$(perl "$ksrc/scripts/checkpatch.pl" --strict --no-tree --quiet \
		 --show-types --ignore "$ignore" -f "$f" 2>&1) &&
	   [[ -z $res ]]; then
		pass=$((pass + 1))
	else
		echo "checkpatch: $f"; echo "$res"
		fail=$((fail + 1))
	fi
done

while IFS='	' read -r kver kdir _; do
	log=$(scripts/build-module.sh "$kver" "$kdir" "$out/lint/$kver" C=2 2>&1)
	rc=$?
	# Anything but kbuild's progress lines is a finding.
	findings=$(echo "$log" | grep -v -e '^  [A-Z]' -e '^make' \
		-e 'Skipping BTF generation' -e '^$')
	if ((rc == 0)) && [[ -z $findings ]]; then
		pass=$((pass + 1))
	else
		echo "sparse/W=1 on $kver:"; echo "$findings"
		fail=$((fail + 1))
	fi
done < <(scripts/kernels.sh)

echo "lint: $pass passed, $fail failed"
((fail == 0))
