#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# build-selftests.sh -- build the kselftests the way a kernel tree does.
#
# usage: scripts/build-selftests.sh OUTDIR
#
# Why: selftests/ must work dropped into a kernel tree as
# tools/testing/selftests/threadstat/. So rather than a build of our own, this
# lays out that part of a kernel tree under OUTDIR/tree (the kernel's lib.mk
# and kselftest headers from Debian's linux-source-6.12, our spec under
# Documentation/netlink/specs, the YNL CLI under tools/net/ynl) and runs the
# kernel's own lib.mk there. The tests end up in
# OUTDIR/tree/tools/testing/selftests/threadstat/.
set -euo pipefail

repo=$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")
ksrc=${KSRC:-${TS_CACHE:-/var/cache/threadstat}/linux-src/linux-source-6.12}
out=$(readlink -m "$1")
tree=$out/tree
ksft=$tree/tools/testing/selftests

for f in "$ksrc/tools/testing/selftests/lib.mk" \
	 "$ksrc/tools/testing/selftests/kselftest_harness.h" \
	 "$ksrc/tools/net/ynl/cli.py"; do
	[[ -f $f ]] || { echo "build-selftests: $f missing; run scripts/setup.sh" >&2; exit 1; }
done

mkdir -p "$ksft/threadstat" "$tree/Documentation/netlink/specs" "$tree/tools/net"
cp "$ksrc"/tools/testing/selftests/{lib.mk,kselftest.h,kselftest_harness.h} "$ksft/"
cp -r "$ksrc/tools/testing/selftests/kselftest" "$ksft/"
ln -sfn "$ksrc/tools/net/ynl" "$tree/tools/net/ynl"
ln -sf "$ksrc/Documentation/netlink/genetlink.yaml" "$tree/Documentation/netlink/"
cp "$repo/include/uapi/linux/threadstat.yaml" "$tree/Documentation/netlink/specs/"
# A copy, not a link: the harness is included as "../kselftest_harness.h".
cp "$repo"/selftests/* "$ksft/threadstat/"

echo "  SELFTESTS"
# OUTPUT explicitly: lib.mk only defaults it to the current directory in a
# top-level make, and under "make selftests" it would otherwise be "" (/).
make -s -C "$ksft/threadstat" OUTPUT="$ksft/threadstat" \
	KHDR_INCLUDES="-isystem $repo/include/uapi" \
	USERCFLAGS=-Werror
