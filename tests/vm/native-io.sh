#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# native-io.sh: the workloads the Guest's figures are compared with, run
# natively in this QEMU Host in the same session: fio sequential write
# then read on a virtio disk (NATIVE_IO_DEV, default /dev/vdc; the same
# job as the Guest's bench-fio: 1 MiB blocks, O_DIRECT, libaio depth 8),
# printed as METRIC lines.  Figures only, nothing is asserted about them.
# Needs the payload's fio (with its libraries) and the virtio modules.
. /lguest/vmlib.sh
P=${PAYLOAD:-/payload}
dev=${NATIVE_IO_DEV:-/dev/vdc}
size=${NATIVE_IO_SIZE:-256M}
time=${NATIVE_IO_TIME:-20}

if [ ! -b "$dev" ]; then
	fail native-io "no disk $dev"
	exit 0
fi
ok=1
for rw in write read; do
	# Terse output, version 3: field 7 is the read bandwidth and field 48
	# the write bandwidth, in KiB/s.
	line=$("$P/fio" --name="native-$rw" --filename="$dev" --rw=$rw --bs=1M \
		--size="$size" --runtime="$time" --ioengine=libaio --iodepth=8 \
		--direct=1 --minimal --terse-version=3 2>/tmp/native-fio.err)
	if [ $rw = write ]; then f=48; else f=7; fi
	kib=$(echo "$line" | cut -d';' -f$f)
	err=$(echo "$line" | cut -d';' -f5)
	if [ -z "$kib" ] || [ "$err" != 0 ] || [ "$kib" -le 0 ] 2>/dev/null; then
		fail native-io "fio $rw on $dev: $(head -c 200 /tmp/native-fio.err)"
		ok=0
		continue
	fi
	echo "METRIC native-fio-seq-$rw $(awk "BEGIN { printf \"%.1f\", $kib * 1024 / 1e6 }") MB/s"
done
[ $ok -eq 0 ] || pass native-io
