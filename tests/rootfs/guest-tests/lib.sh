# SPDX-License-Identifier: GPL-2.0
# Helpers shared by the Guest tests.  Source, don't run.

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
