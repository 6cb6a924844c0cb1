#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 1800
#
# 55-block: the lguest block device end to end.  The Debian 12 i386 image
# (tests/rootfs/) boots under lguest in a QEMU Host from /dev/lgba, a Host
# virtio disk given to the Launcher as --block /dev/vda, with three more
# disks: /dev/lgbb partitioned (MBR, two partitions), /dev/lgbc read-only
# (--block=ro:) and /dev/lgbd on a full Host file system.  The Guest runs
# its own tests (tools: apt, dpkg, python3; block: the disks) and powers
# off; the Host checks what reached the disks.  Once on -cpu max with
# every test, once on the AMD model EPYC with the block test only.
#
# The in-VM part is tests/vm/block-boots.sh, driven by boot files in the
# payload, so heavier workloads can reuse it with their own boots.
set -uo pipefail
. "$(dirname "$0")/../suite.sh"
out=$BUILD/block
rm -rf "$out"
mkdir -p "$out/payload/boots" "$BUILD/logs"

# LGUEST_GUEST_BZIMAGE=PATH runs the suite on a Guest kernel built
# elsewhere (a scratch tree of the Guest patches) instead of build/guest/.
bzimage=${LGUEST_GUEST_BZIMAGE:-}
if [ -z "$bzimage" ]; then
	need_guest_kernel block-guest-kernel
	bzimage=$BUILD/guest/bzImage
	grep -qx 'CONFIG_LGUEST_BLOCK=y' "$BUILD/guest/config" &&
		echo "PASS block-guest-kernel" ||
		echo "FAIL block-guest-kernel: CONFIG_LGUEST_BLOCK is not in build/guest/config"
fi
if ! image=$("$TOP/tests/rootfs/build-rootfs.sh" 2>"$out/rootfs.log"); then
	echo "FAIL block-rootfs: $(tail -1 "$out/rootfs.log")"
	exit 0
fi
echo "block: root image $image"
cp "$bzimage" "$out/payload/bzImage"

# --- The disks ------------------------------------------------------------------
# mbr IMAGE START1 SIZE1 START2 SIZE2: a DOS partition table with two Linux
# partitions (in 512-byte sectors), written the way fdisk would.
le32() {
	printf '\\x%02x\\x%02x\\x%02x\\x%02x' $(($1 & 255)) $(($1 >> 8 & 255)) \
		$(($1 >> 16 & 255)) $(($1 >> 24 & 255))
}
mbr() {
	local img=$1 entries
	entries="\\x00\\xfe\\xff\\xff\\x83\\xfe\\xff\\xff$(le32 "$2")$(le32 "$3")"
	entries="$entries\\x00\\xfe\\xff\\xff\\x83\\xfe\\xff\\xff$(le32 "$4")$(le32 "$5")"
	# shellcheck disable=SC2059
	printf "$entries" | dd of="$img" bs=1 seek=446 conv=notrunc status=none &&
		printf '\x55\xaa' | dd of="$img" bs=1 seek=510 conv=notrunc status=none
}
# 128 MiB: partition 1 from 1 MiB (63 MiB), partition 2 from 64 MiB (64 MiB).
p2_start=131072
truncate -s 128M "$out/parts.img"
mbr "$out/parts.img" 2048 129024 $p2_start 131072
# 8 MiB of known data, for the read-only disk.
head -c 8388608 /dev/urandom >"$out/ro.img"
ro_sum=$(sha256sum <"$out/ro.img" | cut -d' ' -f1)
ro_sum1=$(head -c 1048576 "$out/ro.img" | sha256sum | cut -d' ' -f1)

# The boot files (see tests/vm/block-boots.sh).  The common part: disks,
# and the Host's checks after the Guest powered off.  256 MB is plenty for
# these tests, and a Guest's boot time grows with its memory (about 45 s
# for 256 MB, 95 s for 512 MB, 200 s for 1 GB on -cpu max).
cat >"$out/common" <<EOF
DISKS="/dev/vda /dev/vdb ro:/dev/vdc /tmp/full/disk.img"
APPEND="lguest.block_parts=/dev/lgbb lguest.block_ro=/dev/lgbc lguest.block_full=/dev/lgbd"
MEM=256
pre() {
	# /dev/lgbd: a 64 MiB disk file on a 2 MiB file system.
	mkdir -p /tmp/full
	mountpoint -q /tmp/full || mount -t tmpfs -o size=2m tmpfs /tmp/full
	rm -f /tmp/full/disk.img
	truncate -s 64M /tmp/full/disk.img
}
post() {
	# What the Guest wrote to lgbb2 is on the Host's disk...
	g=\$(sed -n 's/^BLOCK-SHA256 lgbb2 8 //p' "\$OUT")
	sync
	echo 3 >/proc/sys/vm/drop_caches
	h=\$(head -c 8388608 /dev/vdb2 | sha256sum | cut -d' ' -f1)
	[ -n "\$g" ] && [ "\$g" = "\$h" ] && echo "PASS host-sees-guest-writes" ||
		echo "FAIL host-sees-guest-writes: the Guest wrote \${g:-nothing}, the Host reads \$h"
	# ... the Guest read the read-only disk right, and nothing changed it...
	g=\$(sed -n 's/^BLOCK-SHA256 lgbc 1 //p' "\$OUT")
	[ "\$g" = $ro_sum1 ] && echo "PASS guest-reads-ro-disk" ||
		echo "FAIL guest-reads-ro-disk: the Guest read \${g:-nothing}, want $ro_sum1"
	h=\$(sha256sum </dev/vdc | cut -d' ' -f1)
	[ "\$h" = $ro_sum ] && echo "PASS ro-disk-unchanged" ||
		echo "FAIL ro-disk-unchanged: /dev/vdc changed"
	# ... and the full disk's file never grew past its size.
	s=\$(stat -c %s /tmp/full/disk.img)
	[ "\$s" = 67108864 ] && echo "PASS full-disk-size" ||
		echo "FAIL full-disk-size: the disk file is \$s bytes"
}
EOF
{
	echo "NAME=lguest"
	echo "TESTS=tools,block"
	echo "LIMIT=900"
	cat "$out/common"
} >"$out/payload/boots/10-lguest"

# run CPU TIMEOUT TESTS: one QEMU Host booting the Guest once.
# run CPU TIMEOUT GUEST-TESTS [MORE-IN-VM-TESTS]
run() {
	local cpu=$1 limit=$2 tests=$3 extra=${4:-} res start vmdir=block-boots
	[ -z "$extra" ] || vmdir="block-boots+${extra// /+}"
	sed -i "s/^TESTS=.*/TESTS=$tests/; s/^LIMIT=.*/LIMIT=$((limit - 120))/" \
		"$out/payload/boots/10-lguest"
	start=$(date +%s)
	res=$($bench --host 6.1 --cpu "$cpu" --mem 2048 --timeout "$limit" \
		--kmod virtio_pci --kmod virtio_blk \
		--drive "file=$image,if=virtio,format=raw,snapshot=on" \
		--drive "file=$out/parts.img,if=virtio,format=raw" \
		--drive "file=$out/ro.img,if=virtio,format=raw" \
		--payload "$out/payload" block-boots $extra)
	echo "$res"
	echo "block: $cpu run took $(($(date +%s) - start)) s"
	tr -d '\r' <"$BUILD/vm/6.1_${cpu}_smp1/$vmdir/console.log" 2>/dev/null |
		sed -n "s/^METRIC \([^ ]*\) /METRIC \1[6.1\/$cpu] /p"
	grep -q "^PASS \[6.1/$cpu/smp1\] lguest-exit" <<<"$res" ||
		echo "FAIL [6.1/$cpu/smp1] block-guest-powered-off: no exit-0 result from the Guest's boot"
}
# On max, also the Guest's login-less root shell on the Launcher's terminal
# (tests/vm/block-shell.sh).
run max 900 tools,block block-shell

# What the Guest wrote is in the disk file on this machine, too.
want=$(grep -h '^guest| BLOCK-SHA256 lgbb2 8 ' "$BUILD/vm/6.1_max_smp1/block-boots+block-shell/console.log" |
	tr -d '\r' | awk '{ print $NF }' | head -1)
have=$(dd if="$out/parts.img" bs=512 skip=$p2_start count=16384 status=none | sha256sum | cut -d' ' -f1)
if [ -n "$want" ] && [ "$want" = "$have" ]; then
	echo "PASS block-data-in-disk-file"
else
	echo "FAIL block-data-in-disk-file: the Guest wrote ${want:-nothing}, parts.img holds $have"
fi
if [ "$(sha256sum <"$out/ro.img" | cut -d' ' -f1)" = "$ro_sum" ]; then
	echo "PASS block-ro-file-unchanged"
else
	echo "FAIL block-ro-file-unchanged: ro.img changed"
fi

run EPYC 600 block
rm -f "$out/parts.img" "$out/ro.img"
exit 0
