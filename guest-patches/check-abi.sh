#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-abi.sh: fail if the lguest ABI header carried by the Guest patch
# series differs from include/lguest_abi.h.  Fix a failure by running
# guest-patches/refresh-abi.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
hdr=$here/../include/lguest_abi.h
patch=$here/0002-x86-lguest-add-the-lguest-ABI-header.patch
dest=arch/x86/include/asm/lguest_abi.h

[ -r "$patch" ] || { echo "check-abi: $patch is missing" >&2; exit 1; }
grep -qx "$(basename "$patch")" "$here/series" ||
	{ echo "check-abi: $(basename "$patch") is not in guest-patches/series" >&2; exit 1; }

# The file the patch creates: the "+" lines of its one hunk.
copy=$(mktemp)
trap 'rm -f "$copy"' EXIT
awk -v dest="+++ b/$dest" '
	$0 == dest { found = 1; next }
	found && /^@@ / { n = $3; sub(/^\+[0-9]+,/, "", n); left = n + 0; inhunk = 1; next }
	inhunk && left > 0 { if (substr($0, 1, 1) != "+") exit 2; print substr($0, 2); left--; next }
	inhunk && left == 0 { exit 0 }
' "$patch" >"$copy" || { echo "check-abi: cannot read $dest out of $(basename "$patch")" >&2; exit 1; }

if ! diff -u "$hdr" "$copy" | head -40 >&2 || ! cmp -s "$hdr" "$copy"; then
	echo "check-abi: the Guest's copy of the ABI header differs from include/lguest_abi.h" >&2
	echo "check-abi: run guest-patches/refresh-abi.sh" >&2
	exit 1
fi
echo "check-abi: $dest in the patch series matches include/lguest_abi.h"
