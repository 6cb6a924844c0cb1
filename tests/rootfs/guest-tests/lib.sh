# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Helpers shared by the Guest tests.  Source, don't run.

# pass, fail, skip, check and check_output: tests/lib.sh, which
# build-rootfs.sh installs beside us as results.sh.
. "$(dirname "${BASH_SOURCE[0]}")/results.sh"

# scratch_device: the disk the fio tests may overwrite: lguest.fio_dev=PATH,
# else the second lguest disk (/dev/lgbb), else the second virtio disk
# (/dev/vdb).  Never a mounted device or the root file system's.
scratch_device() {
	local dev=${LGUEST_FIO_DEV:-}
	if [ -z "$dev" ]; then
		for dev in /dev/lgbb /dev/vdb ""; do
			[ -z "$dev" ] || [ ! -b "$dev" ] || break
		done
	fi
	[ -n "$dev" ] || return 1
	[ -b "$dev" ] || return 1
	# lsblk matches mounts by device number, so the root mounted as
	# /dev/root counts too, and so do the disk's partitions.
	if [ -n "$(lsblk -nr -o MOUNTPOINT "$dev" | tr -d '[:space:]')" ]; then
		echo "$dev (or a partition of it) is mounted" >&2
		return 1
	fi
	echo "$dev"
}

# fio_clean LOG: every job's "err=" is zero and no verify error appears.
fio_clean() {
	! grep -qiE 'verify: bad|bad magic|crc32c.*(mismatch|bad)|fio: pid=[0-9]+, err=[1-9]' "$1" &&
		! grep -oE 'err= *[0-9]+' "$1" | grep -vE 'err= *0$' >/dev/null
}

# persist_fio DEV MIB ARGS...: the fio job both persist tests run: a
# sequential write of MIB MiB with crc32c headers in every 64 KiB block.
persist_fio() {
	local dev=$1 mib=$2
	shift 2
	timeout 600 fio --name=persist --filename="$dev" --rw=write --bs=64k \
		--size="${mib}M" --ioengine=libaio --iodepth=8 --direct=1 \
		--verify=crc32c --verify_fatal=1 --randrepeat=1 "$@"
}

# disk_sha256 DEV MIB: print "DISK-SHA256 MIB HASH" for the first MIB MiB
# of DEV, for the Host to compare with the disk file's own.
disk_sha256() {
	echo "DISK-SHA256 $2 $(head -c "$(($2 << 20))" "$1" | sha256sum | cut -d' ' -f1)"
}
