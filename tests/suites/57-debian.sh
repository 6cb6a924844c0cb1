#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 2400
#
# 57-debian: the Debian 12 i386 Guest doing real work under lguest, in a
# QEMU Host, on -cpu max and on the AMD model EPYC:
#   - stress-ng over the cpu, memory, os, pipe and vm classes (one
#     instance of every stressor) finishes with no failure;
#   - fio with crc32c verify, sequential and random writes, on /dev/lgbb;
#   - data written then the Guest powered off reads back identically in a
#     new boot, with the same checksum in the Host (persist-write/-verify);
#   - the Launcher killed with SIGKILL while the Guest writes leaves an ext4
#     file system that e2fsck finds clean, with every write the Guest had
#     been told was durable intact (tests/vm/block-crash.sh);
#   - throughput: fio sequential write and read in the Guest, next to the
#     same fio job run natively in the same QEMU Host (tests/vm/native-io.sh).
# Figures are METRIC lines, never asserted.  The boots reuse
# tests/vm/block-boots.sh (see 55-block); the Host's disks are: vda the
# root image (a snapshot: the cache stays pristine), vdb the Guest's
# scratch disk, vdc the native runs' disk.
set -uo pipefail
. "$(dirname "$0")/../suite.sh"
out=$BUILD/debian
rm -rf "$out"
mkdir -p "$out" "$BUILD/logs"

need_guest_kernel debian-guest-kernel
if ! image=$("$TOP/tests/rootfs/build-rootfs.sh" 2>"$out/rootfs.log"); then
	echo "FAIL debian-rootfs: $(tail -1 "$out/rootfs.log")"
	exit 0
fi
for tool in fio e2fsck; do
	if ! command -v $tool >/dev/null; then
		echo "FAIL debian-host-tools: $tool is not installed (make deps)"
		exit 0
	fi
done

# payload CPU STRESS-SECONDS: the payload for one QEMU Host.
payload() {
	local p=$out/$1/payload
	mkdir -p "$p/boots"
	cp "$BUILD/guest/bzImage" "$p/"
	cp "$(command -v fio)" "$(command -v e2fsck)" "$p/"
	# 1. The workloads, and the first half of the power-off test.
	cat >"$p/boots/10-work" <<EOF
NAME=work
DISKS="/dev/vda /dev/vdb"
TESTS=tools,stress,fio-verify,bench-fio,persist-write
MEM=512
LIMIT=1500
APPEND="lguest.stress_time=$2 lguest.fio_size=64M lguest.bench_size=128M lguest.bench_time=10 lguest.persist_mb=64"
EOF
	# 2. A new boot reads it back; the Host reads the disk itself too.
	cat >"$p/boots/20-persist" <<'EOF'
NAME=persist
DISKS="/dev/vda /dev/vdb"
TESTS=persist-verify
MEM=256
LIMIT=600
APPEND="lguest.persist_mb=64"
post() {
	w=$(sed -n 's/^DISK-SHA256 64 //p' /tmp/work.out)
	r=$(sed -n 's/^DISK-SHA256 64 //p' "$OUT")
	sync
	echo 3 >/proc/sys/vm/drop_caches
	h=$(head -c 67108864 /dev/vdb | sha256sum | cut -d' ' -f1)
	echo "persist: written ${w:-?}, read back ${r:-?}, in the Host $h"
	[ -n "$w" ] && [ "$w" = "$r" ] && [ "$r" = "$h" ] &&
		echo "PASS checksums-match" ||
		echo "FAIL checksums-match: written ${w:-?}, read back ${r:-?}, in the Host $h"
}
EOF
	echo "$p"
}

# run CPU TIMEOUT STRESS-SECONDS
run() {
	local cpu=$1 limit=$2 p start res
	p=$(payload "$cpu" "$3")
	truncate -s 1G "$out/$cpu/scratch.img" "$out/$cpu/native.img"
	start=$(date +%s)
	# The scratch disks are throwaway files: cache=unsafe spares this
	# machine an fdatasync for every flush the QEMU Host sends (the
	# durability under test is inside the QEMU Host).  The QEMU Host's
	# lockup watchdog measures this machine's stalls too (its vCPU not
	# running for seconds on busy shared cores): it reports after 60 s
	# here, not 20 s.
	res=$($bench --host 6.1 --cpu "$cpu" --mem 3072 --timeout "$limit" \
		--append watchdog_thresh=30 \
		--kmod virtio_pci --kmod virtio_blk --kmod ext4 \
		--drive "file=$image,if=virtio,format=raw,snapshot=on" \
		--drive "file=$out/$cpu/scratch.img,if=virtio,format=raw,cache=unsafe" \
		--drive "file=$out/$cpu/native.img,if=virtio,format=raw,cache=unsafe" \
		--payload "$p" block-boots block-crash native-io)
	echo "$res"
	echo "debian: $cpu run took $(($(date +%s) - start)) s"
	# The figures, Guest and native side by side.
	tr -d '\r' <"$BUILD/vm/6.1_${cpu}_smp1/block-boots+block-crash+native-io/console.log" 2>/dev/null |
		sed -n "s/^METRIC \([^ ]*\) /METRIC \1[6.1\/$cpu] /p"
	rm -f "$out/$cpu/scratch.img" "$out/$cpu/native.img"
}

# One Host after the other: side by side (one per core) the suite took
# 405 s instead of 717, but the Guest's stress-ng, slowed by the other
# Host, once warned that its epoll stressor finished early, which the log
# check rightly counts against the run.
run max 1800 60
run EPYC 1800 60
exit 0
