#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# fio-verify: sequential and random writes to a scratch disk with crc32c
# verification (written, then read back and checked by fio), through the
# block layer with O_DIRECT and a queue depth of 16.
#   lguest.fio_dev=/dev/XXX    the disk (default /dev/lgbb, else /dev/vdb);
#                              ITS CONTENTS ARE DESTROYED
#   lguest.fio_size=SIZE       bytes per job (default 64M)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
size=${LGUEST_FIO_SIZE:-64M}
if ! dev=$(scratch_device); then
	echo "FAIL fio-verify: no scratch disk (lguest.fio_dev=, /dev/lgbb or /dev/vdb)"
	exit 0
fi
echo "fio-verify on $dev ($(blockdev --getsize64 "$dev") bytes), $size per job"

for rw in write randwrite; do
	log=$(mktemp)
	rc=0
	timeout 600 fio --name="verify-$rw" --filename="$dev" --rw="$rw" \
		--bs=4k --bsrange=4k-64k --size="$size" --ioengine=libaio \
		--iodepth=16 --direct=1 --verify=crc32c --do_verify=1 \
		--verify_fatal=1 --randrepeat=0 >"$log" 2>&1 || rc=$?
	grep -E 'err=|WRITE:|READ:|verify' "$log" || true
	if [ "$rc" -ne 0 ]; then
		echo "FAIL fio-verify-$rw: fio exited with status $rc: $(grep -m1 -iE 'verify|error|err=' "$log" || tail -1 "$log")"
	elif ! fio_clean "$log"; then
		echo "FAIL fio-verify-$rw: $(grep -m1 -iE 'verify: bad|err= *[1-9]' "$log")"
	elif ! grep -q 'READ:' "$log"; then
		echo "FAIL fio-verify-$rw: fio read nothing back"
	else
		echo "PASS fio-verify-$rw"
	fi
	rm -f "$log"
done
