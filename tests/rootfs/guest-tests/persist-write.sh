#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# persist-write: the first half of the power-off test.  Writes a scratch
# disk with fio (crc32c headers in every block), flushes it, and prints the
# checksum of what was written as "DISK-SHA256 MIB HASH".  Boot again with
# lguest.test=persist-verify: the data must read back identically, and the
# Host compares both checksums with the disk file's.
#   lguest.fio_dev=/dev/XXX   the disk (default /dev/lgbb, else /dev/vdb);
#                             ITS CONTENTS ARE DESTROYED
#   lguest.persist_mb=MIB     how much (default 64)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
mib=${LGUEST_PERSIST_MB:-64}
if ! dev=$(scratch_device); then
	echo "FAIL persist-write: no scratch disk (lguest.fio_dev=, /dev/lgbb or /dev/vdb)"
	exit 0
fi
log=$(mktemp)
rc=0
persist_fio "$dev" "$mib" --do_verify=0 >"$log" 2>&1 || rc=$?
grep -E 'err=|WRITE:' "$log" || true
if [ "$rc" -ne 0 ] || ! fio_clean "$log"; then
	echo "FAIL persist-write: fio exited with status $rc: $(grep -m1 -iE 'error|err= *[1-9]' "$log" || tail -1 "$log")"
	exit 0
fi
# Everything acknowledged must be on the disk before the power goes off.
sync
blockdev --flushbufs "$dev"
disk_sha256 "$dev" "$mib"
echo "PASS persist-write"
