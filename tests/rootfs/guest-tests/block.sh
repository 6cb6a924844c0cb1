#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# block: the lguest disks (/dev/lgbX) as the Guest sees them: the root
# disk, a partitioned disk, a read-only disk and a disk whose Host file
# system is full, each checked when the command line names it:
#   lguest.block_parts=/dev/XXX  a disk with an MBR of two or more
#                                partitions; ITS CONTENTS ARE DESTROYED
#                                (a file system on partition 1, raw data
#                                on partition 2, its checksum printed as
#                                "BLOCK-SHA256 PART MIB HASH" for the Host)
#   lguest.block_ro=/dev/XXX     a read-only disk (--block=ro:FILE); its
#                                first MiB's checksum printed likewise
#   lguest.block_full=/dev/XXX   a disk the Host cannot write (its file
#                                system is full): writes fail, reads work
set -uo pipefail
# Lines for the Host (BLOCK-SHA256) go to fd 3, past check_output's capture.
exec 3>&1

. "$(dirname "$0")/lib.sh"

# The kernel's view of a disk: /sys/block/NAME/ATTR.
attr() {
	cat "/sys/block/${1#/dev/}/$2"
}

# The root file system is on the first lguest disk, which has a volatile
# write cache (so file systems send flushes).
root_ok() {
	local rootdev disk
	rootdev=$(mountpoint -d /)
	disk=$(attr lgba dev) || return 1
	echo "root is $rootdev, lgba is $disk ($(attr lgba size) sectors)"
	[ "$rootdev" = "$disk" ] || { echo "/ is not on lgba"; return 1; }
	[ "$(attr lgba queue/write_cache)" = "write back" ] ||
		{ echo "lgba's cache: $(attr lgba queue/write_cache)"; return 1; }
	[ "$(attr lgba ro)" = 0 ] || { echo "lgba is read-only"; return 1; }
	[ "$(attr lgba queue/max_segments)" = 16 ] ||
		{ echo "max_segments $(attr lgba queue/max_segments)"; return 1; }
}
check_output block-root root_ok

# A file written through the page cache, flushed with fsync, reads back.
root_io_ok() {
	local f=/var/tmp/lguest-block.$$ sum
	head -c 8388608 /dev/urandom >"$f"
	sum=$(sha256sum <"$f")
	sync "$f"
	echo 3 >/proc/sys/vm/drop_caches
	[ "$(sha256sum <"$f")" = "$sum" ] || { echo "read back differs"; return 1; }
	rm -f "$f"
}
check_output block-root-io root_io_ok

# --- A partitioned disk -------------------------------------------------------
parts=${LGUEST_BLOCK_PARTS:-}
if [ -n "$parts" ]; then
	p1=${parts}1
	p2=${parts}2
	parts_ok() {
		local n
		n=$(ls -d "/sys/block/${parts#/dev/}/${parts#/dev/}"[0-9]* 2>/dev/null | wc -l)
		lsblk "$parts"
		[ "$n" -ge 2 ] || { echo "$parts has $n partitions"; return 1; }
		[ -b "$p1" ] && [ -b "$p2" ] || { echo "no $p1 or $p2"; return 1; }
	}
	check_output block-partitions parts_ok

	# ext4 on partition 1: make, fill, unmount, check, mount, verify.
	fs_ok() {
		local m sum
		m=$(mktemp -d)
		mkfs.ext4 -q -F "$p1" || return 1
		mount "$p1" "$m" || return 1
		head -c 4194304 /dev/urandom >"$m/data"
		sum=$(sha256sum <"$m/data")
		umount "$m" || return 1
		fsck.ext4 -fn "$p1" || return 1
		mount -o ro "$p1" "$m" || return 1
		[ "$(sha256sum <"$m/data")" = "$sum" ] || { umount "$m"; echo "data differs"; return 1; }
		umount "$m"
		rmdir "$m"
	}
	check_output block-partition-ext4 fs_ok

	# Raw data on partition 2, by O_DIRECT (so straight through the
	# driver in requests of up to 16 segments), read back the same way.
	raw_ok() {
		local f sum t0 t1 t2
		f=$(mktemp)
		head -c 8388608 /dev/urandom >"$f"
		sum=$(sha256sum <"$f" | cut -d' ' -f1)
		t0=$(date +%s%N)
		dd if="$f" of="$p2" bs=1M oflag=direct conv=fsync status=none || return 1
		t1=$(date +%s%N)
		rm -f "$f"
		[ "$(dd if="$p2" bs=1M count=8 iflag=direct status=none | sha256sum | cut -d' ' -f1)" = "$sum" ] ||
			{ echo "read back differs"; return 1; }
		t2=$(date +%s%N)
		echo "BLOCK-SHA256 ${p2#/dev/} 8 $sum" >&3
		# Figures, never asserted: 8 MiB in 64 KiB requests.
		echo "METRIC block-direct-write $((8 * 1024 * 1000000 / ((t1 - t0) / 1000 + 1))) KiB/s" >&3
		echo "METRIC block-direct-read $((8 * 1024 * 1000000 / ((t2 - t1) / 1000 + 1))) KiB/s" >&3
	}
	check_output block-partition-raw raw_ok
fi

# --- A read-only disk ----------------------------------------------------------
ro=${LGUEST_BLOCK_RO:-}
if [ -n "$ro" ]; then
	ro_ok() {
		[ "$(attr "$ro" ro)" = 1 ] || { echo "$ro is not read-only"; return 1; }
		[ "$(blockdev --getro "$ro")" = 1 ] || { echo "blockdev --getro says no"; return 1; }
		[ "$(attr "$ro" queue/write_cache)" = "write through" ] ||
			{ echo "a write cache on a read-only disk"; return 1; }
		echo "BLOCK-SHA256 ${ro#/dev/} 1 $(dd if="$ro" bs=1M count=1 iflag=direct status=none | sha256sum | cut -d' ' -f1)" >&3
	}
	check_output block-ro-flag ro_ok

	# Writes are refused, whichever way they are tried.
	ro_write_refused() {
		local out
		if out=$(dd if=/dev/zero of="$ro" bs=4k count=1 oflag=direct 2>&1); then
			echo "a direct write to $ro succeeded"
			return 1
		fi
		echo "direct write: $out"
		if out=$(dd if=/dev/zero of="$ro" bs=4k count=1 conv=fsync 2>&1); then
			echo "a buffered write to $ro succeeded"
			return 1
		fi
		echo "buffered write: $out"
		if mount -o rw "$ro" /mnt 2>/dev/null; then
			umount /mnt
			echo "$ro mounted read-write"
			return 1
		fi
	}
	check_output block-ro-write-refused ro_write_refused
fi

# --- A disk whose Host file system is full -----------------------------------------
full=${LGUEST_BLOCK_FULL:-}
if [ -n "$full" ]; then
	# The Launcher fails the write: the Guest gets an I/O error.
	full_eio() {
		local out
		if out=$(dd if=/dev/urandom of="$full" bs=1M count=16 oflag=direct 2>&1); then
			echo "16 MiB went onto a disk the Host has no room for"
			return 1
		fi
		echo "$out" | tail -1
		grep -q 'Input/output error' <<<"$out" || return 1
		# (not "dmesg | grep -q": pipefail would count dmesg's SIGPIPE)
		grep -q "I/O error, dev ${full#/dev/}" <<<"$(dmesg)" ||
			{ echo "no I/O error in the kernel log"; return 1; }
	}
	check_output block-full-eio full_eio
	# The disk still works for what the Host can do.
	check_output block-full-read dd if="$full" of=/dev/null bs=1M count=4 iflag=direct status=none
fi
exit 0
