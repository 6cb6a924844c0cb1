#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# persist-verify: the second half of the power-off test (see
# persist-write.sh): in a new boot, fio reads the scratch disk back and
# checks every block's crc32c; prints "DISK-SHA256 MIB HASH" again.
#   lguest.fio_dev=/dev/XXX, lguest.persist_mb=MIB   as for persist-write
set -euo pipefail
. "$(dirname "$0")/lib.sh"
mib=${LGUEST_PERSIST_MB:-64}
if ! dev=$(scratch_device); then
	echo "FAIL persist-verify: no scratch disk (lguest.fio_dev=, /dev/lgbb or /dev/vdb)"
	exit 0
fi
log=$(mktemp)
rc=0
persist_fio "$dev" "$mib" --verify_only >"$log" 2>&1 || rc=$?
grep -E 'err=|READ:|verify' "$log" || true
if [ "$rc" -ne 0 ] || ! fio_clean "$log"; then
	echo "FAIL persist-verify: fio exited with status $rc: $(grep -m1 -iE 'verify|error|err= *[1-9]' "$log" || tail -1 "$log")"
elif ! grep -q 'READ:' "$log"; then
	echo "FAIL persist-verify: fio read nothing back"
else
	echo "PASS persist-verify"
fi
disk_sha256 "$dev" "$mib"
