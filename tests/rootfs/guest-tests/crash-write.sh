#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# crash-write: the Guest half of the kill -9 test.  Makes an ext4 file
# system (with its journal) on the scratch disk and writes files into it
# one after another, each made durable with fsync before the next is begun,
# printing "COMMITTED N SHA256" only once file N and its directory entry
# have been fsync'd.  The Host kills the Launcher in the middle of this,
# checks the file system with e2fsck and every COMMITTED file's checksum.
#   lguest.fio_dev=/dev/XXX   the disk (default /dev/lgbb); DESTROYED
#   lguest.crash_files=N      stop after N files (default 100000)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
max=${LGUEST_CRASH_FILES:-100000}
if ! dev=$(scratch_device); then
	echo "FAIL crash-write: no scratch disk (lguest.fio_dev=, /dev/lgbb or /dev/vdb)"
	exit 0
fi
mkfs.ext4 -q -F -L lguest-crash "$dev"
mkdir -p /run/lguest-crash
mount -t ext4 "$dev" /run/lguest-crash
echo "PASS crash-write-mkfs"
for i in $(seq 1 "$max"); do
	# 16 to 272 KiB of random data, written, fsync'd, then the directory.
	dd if=/dev/urandom of="/run/lguest-crash/f$i" bs=16k count=$((1 + RANDOM % 17)) \
		conv=fsync status=none
	sync /run/lguest-crash
	echo "COMMITTED $i $(sha256sum "/run/lguest-crash/f$i" | cut -d' ' -f1)"
done
umount /run/lguest-crash
echo "PASS crash-write: $max files written without being stopped"
