#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# refresh-abi.sh: regenerate the patch that gives the Guest kernel its copy
# of the lguest ABI header, from include/lguest_abi.h (the one source).
# The copy lands in the kernel as arch/x86/include/asm/lguest_abi.h.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
hdr=$here/../include/lguest_abi.h
patch=$here/0002-x86-lguest-add-the-lguest-ABI-header.patch
dest=arch/x86/include/asm/lguest_abi.h
n=$(wc -l <"$hdr")

{
	cat <<MSG
From: lguest developers <lguest@localhost>
Subject: [PATCH 2/4] x86/lguest: add the lguest ABI header

The hypercall numbers, struct lguest_data, struct lguest_dma and the
device descriptors are shared by the Host module, the Launcher and this
Guest.  They have one source, include/lguest_abi.h in the lguest tree;
this patch is generated from it by guest-patches/refresh-abi.sh and
checked against it by guest-patches/check-abi.sh, so never edit it by
hand.

Signed-off-by: lguest developers <lguest@localhost>
---
 $dest | $n +
 1 file changed, $n insertions(+)
 create mode 100644 $dest

diff --git a/$dest b/$dest
new file mode 100644
--- /dev/null
+++ b/$dest
@@ -0,0 +1,$n @@
MSG
	sed 's/^/+/' "$hdr"
	echo "-- "
	echo "lguest"
} >"$patch.tmp"
mv "$patch.tmp" "$patch"
echo "refresh-abi: wrote $(basename "$patch") from include/lguest_abi.h"
