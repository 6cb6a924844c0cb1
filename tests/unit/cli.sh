#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The lguest-launch binary, run as a user would: every bad command line
# ends with one line on stderr and the documented exit status.
set -uo pipefail
launch=${1:?usage: cli.sh PATH/lguest-launch}
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
if [ ! -e /dev/lguest ]; then
	case_ no-dev-lguest 1 "/dev/lguest not found: is the lguest module loaded" \
		--block "$tmp/disk.img" 64 "$tmp/kernel"
fi
