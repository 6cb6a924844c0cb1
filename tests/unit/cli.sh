#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The lguest-launch binary, run as a user would: every bad command line
# ends with one line on stderr and the documented exit status.
#
#	cli.sh PATH/lguest-launch [NOTE-ELF PLAIN-ELF [GUEST-BZIMAGE [HOST-VMLINUZ]]]
#
# NOTE-ELF and PLAIN-ELF are tiny 32-bit kernels with and without the lguest
# ELF note (10-unit builds them); the optional real kernels are our Guest
# bzImage and Debian's 64-bit Host kernel.
set -uo pipefail
launch=${1:?usage: cli.sh PATH/lguest-launch [NOTE-ELF PLAIN-ELF [BZIMAGE [VMLINUZ]]]}
note=${2:-}
plain=${3:-}
guest_bz=${4:-}
host_bz=${5:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo kernel >"$tmp/kernel"
echo disk >"$tmp/disk.img"
mkdir "$tmp/dir"
touch "$tmp/unreadable" && chmod 000 "$tmp/unreadable"

# case NAME STATUS PATTERN ARGS...: stderr must be one line matching PATTERN.
case_() {
	local name=$1 want=$2 pattern=$3
	shift 3
	local out err status lines
	out=$("$launch" "$@" 2>"$tmp/err")
	status=$?
	err=$(cat "$tmp/err")
	lines=$(grep -c '' "$tmp/err")
	if [ "$status" != "$want" ]; then
		echo "FAIL cli-$name: exit status $status, want $want (stderr: $err)"
	elif [ -n "$pattern" ] && ! grep -qE "$pattern" <<<"$err"; then
		echo "FAIL cli-$name: stderr '$err' does not match '$pattern'"
	elif [ -n "$pattern" ] && [ "$lines" != 1 ]; then
		echo "FAIL cli-$name: $lines lines on stderr, want 1"
	else
		echo "PASS cli-$name"
	fi
}

case_ help 0 "" --help
"$launch" --help | grep -q -- '--block' && echo "PASS cli-help-text" ||
	echo "FAIL cli-help-text: --help does not document --block"
"$launch" --version | grep -qE '^lguest-launch [0-9]+\.[0-9]+' &&
	echo "PASS cli-version-text" || echo "FAIL cli-version-text: bad --version output"
case_ no-args 2 '^lguest-launch: missing memory size'
case_ unknown-option 2 "unknown option '--nope'" --nope 64 "$tmp/kernel"
case_ mem-not-number 2 "not a number" ten "$tmp/kernel"
case_ mem-zero 2 "outside 16 to 2048 MB" 0 "$tmp/kernel"
case_ missing-kernel 2 "cannot open kernel image '.*/nonexistent': No such file" 64 "$tmp/nonexistent"
case_ kernel-is-dir 2 "is a directory" 64 "$tmp/dir"
case_ missing-initrd 2 "cannot open initrd" --initrd="$tmp/none" 64 "$tmp/kernel"
case_ missing-disk 2 "cannot open block device file" --block "$tmp/none.img" 64 "$tmp/kernel"
if [ "$(id -u)" -ne 0 ]; then
	case_ unreadable-kernel 2 "Permission denied" 64 "$tmp/unreadable"
fi
case_ mem-below-minimum 2 "memory size 8 MB is outside 16 to 2048 MB" 8 "$tmp/kernel"
case_ mem-above-maximum 2 "outside 16 to 2048 MB" 4096 "$tmp/kernel"

# Kernel images are checked before the Host is touched.
case_ kernel-not-kernel 2 "not a Linux kernel image" 64 "$tmp/kernel"
case_ kernel-64bit-elf 2 "64-bit kernel: lguest Guests are 32-bit x86" 64 "$launch"
if [ -n "$note" ]; then
	case_ kernel-no-lguest 2 "kernel built without lguest support" 64 "$plain"
	truncate -s 40M "$tmp/big-initrd"
	case_ initrd-bigger-than-memory 2 "the initrd \(40960 KB\) does not fit in 32 MB" \
		--initrd="$tmp/big-initrd" 32 "$note"
	: >"$tmp/empty-initrd"
	case_ initrd-empty 2 "initrd '.*' is empty" --initrd="$tmp/empty-initrd" 32 "$note"
	if [ ! -e /dev/lguest ]; then
		case_ no-dev-lguest 1 "/dev/lguest not found: is the lguest module loaded" \
			--block "$tmp/disk.img" 64 "$note"
	fi
fi
if [ -n "$guest_bz" ]; then
	head -c $(($(stat -c %s "$guest_bz") / 2)) "$guest_bz" >"$tmp/truncated-bzImage"
	case_ kernel-truncated-bzimage 2 "bzImage is truncated" 64 "$tmp/truncated-bzImage"
fi
if [ -n "$host_bz" ]; then
	case_ kernel-64bit-bzimage 2 "this bzImage is a 64-bit kernel" 64 "$host_bz"
fi
