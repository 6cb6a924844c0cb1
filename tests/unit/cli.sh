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
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo kernel >"$tmp/kernel"
truncate -s 1M "$tmp/disk.img"
mkdir "$tmp/dir"
touch "$tmp/unreadable" && chmod 000 "$tmp/unreadable"
# Some cases run the Launcher as nobody, who may not reach the checkout
# (under /root, say): they use copies in our own directory, open to all.
chmod 755 "$tmp"
install -m 0755 "$launch" "$tmp/lguest-launch"
launch=$tmp/lguest-launch
if [ -n "$note" ]; then
	install -m 0644 "$note" "$tmp/note.elf"
	note=$tmp/note.elf
fi

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
if [ "$(id -u)" -ne 0 ]; then
	case_ unreadable-kernel 2 "Permission denied" 64 "$tmp/unreadable"
fi
case_ mem-below-minimum 2 "memory size 8 MB is outside 16 to 2048 MB" 8 "$tmp/kernel"
case_ mem-above-maximum 2 "outside 16 to 2048 MB" 4096 "$tmp/kernel"

# hold COMMAND...: another Launcher holding a lock, played by COMMAND, which
# takes the lock, says "locked" and keeps it until its stdin is closed.
# hold returns once it has said so (no guessing with sleep); release lets
# go and waits for it.
hold() {
	local line=
	coproc HOLD { "$@"; }
	read -r -t 60 line <&"${HOLD[0]}"
	[ "$line" = locked ] || echo "FAIL cli-lock-holder: '$*' never took its lock"
}
release() {
	local pid=$HOLD_PID
	[ -n "${HOLD[1]:-}" ] && eval "exec ${HOLD[1]}>&-"
	wait "$pid" 2>/dev/null
}
# flock_holder -x|-s FILE: a holder of an flock() on FILE, as --block takes.
flock_holder() {
	exec 9<"$2" && flock "$1" 9 && echo locked && exec cat >/dev/null
}

# Disk files (--block) are checked, and locked, before the Host is touched.
# unprivileged ARGS...: the Launcher as a user without root's powers over
# files (the cases that need it are skipped if that cannot be arranged).
unprivileged() {
	if [ "$(id -u)" -ne 0 ]; then
		"$launch" "$@"
	else
		setpriv --reuid=65534 --regid=65534 --clear-groups "$launch" "$@"
	fi
}
block_cases() {
	local d=$tmp/disks
	mkdir -p "$d"
	truncate -s 1M "$d/ok.img"
	: >"$d/empty.img"
	head -c 1000 /dev/zero >"$d/partial.img"
	case_ block-missing 2 "cannot open block device file '.*/none.img': No such file" \
		--block "$d/none.img" 64 "$note"
	case_ block-ro-missing 2 "cannot open block device file '.*/none.img': No such file" \
		--block=ro:"$d/none.img" 64 "$note"
	case_ block-no-name 2 "^lguest-launch: --block needs a file name" --block=ro: 64 "$note"
	case_ block-dir 2 "block device file '.*' is a directory" --block "$tmp/dir" 64 "$note"
	case_ block-ro-dir 2 "block device file '.*' is a directory" --block=ro:"$tmp/dir" 64 "$note"
	case_ block-empty 2 "block device file '.*/empty.img' is empty" \
		--block "$d/empty.img" 64 "$note"
	case_ block-partial-sector 2 "is 1000 bytes, not a whole number of 512-byte sectors" \
		--block "$d/partial.img" 64 "$note"
	if truncate -s 3T "$d/huge.img" 2>/dev/null; then
		case_ block-too-big 2 "'.*/huge.img' is 3298534883328 bytes: a disk may be at most 2199023255040 bytes" \
			--block "$d/huge.img" 64 "$note"
	fi
	rm -f "$d/huge.img"
	case_ block-given-twice 2 "block device file '.*/ok.img' is given twice" \
		--block "$d/ok.img" --block=ro:"$d/./ok.img" 64 "$note"
	case_ block-not-a-disk 2 "is neither a regular file nor a block device" \
		--block /dev/null 64 "$note"

	# Another Launcher holds the disk.
	hold flock_holder -x "$d/ok.img"
	case_ block-locked 2 "block device file '.*/ok.img' is in use by another Launcher" \
		--block "$d/ok.img" 64 "$note"
	case_ block-locked-ro 2 "block device file '.*/ok.img' is in use by another Launcher" \
		--block=ro:"$d/ok.img" 64 "$note"
	release
	# A reader shares with readers, not with a writer.
	hold flock_holder -s "$d/ok.img"
	case_ block-shared-locked 2 "block device file '.*/ok.img' is in use by another Launcher" \
		--block "$d/ok.img" 64 "$note"
	if [ ! -e /dev/lguest ]; then
		case_ block-shared-ro 1 "/dev/lguest not found" --block=ro:"$d/ok.img" 64 "$note"
	fi
	release

	# Permissions, as a user the files are not open to.
	chmod 755 "$d"
	truncate -s 1M "$d/readonly.img" "$d/secret.img"
	chmod 444 "$d/readonly.img"
	chmod 000 "$d/secret.img"
	if [ "$(id -u)" -ne 0 ] || setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
		local out
		out=$(unprivileged --block "$d/readonly.img" 64 "$note" 2>&1 >/dev/null)
		if [ $? = 2 ] && grep -q "block device file '.*/readonly.img' is not writable: use --block=ro:" <<<"$out"; then
			echo "PASS cli-block-not-writable"
		else
			echo "FAIL cli-block-not-writable: $out"
		fi
		out=$(unprivileged --block=ro:"$d/secret.img" 64 "$note" 2>&1 >/dev/null)
		if [ $? = 2 ] && grep -q "cannot open block device file '.*/secret.img': Permission denied" <<<"$out"; then
			echo "PASS cli-block-unreadable"
		else
			echo "FAIL cli-block-unreadable: $out"
		fi
	else
		echo "SKIP cli-block-not-writable: cannot run as an unprivileged user"
		echo "SKIP cli-block-unreadable: cannot run as an unprivileged user"
	fi
}

# Network devices (launcher/net.c): a --sharenet file is created if
# missing, must otherwise be one page, and gives the Launcher the first
# slot whose lock is free, clearing stale ones on the way; a --tunnet needs
# /dev/net/tun and CAP_NET_ADMIN, and a bridge that exists.  The tap
# devices are made in a network namespace of their own, so the machine
# running the tests sees none of them.
net_cases() {
	local d=$tmp/net out
	mkdir -p "$d"
	chmod 755 "$d"
	head -c 100 /dev/zero >"$d/short"
	case_ tunnet-bad-address 2 ": --tunnet=10.0.0.300: expected an IPv4 address or bridge:NAME" \
		--tunnet=10.0.0.300 64 "$note"
	case_ tunnet-no-bridge-name 2 "needs a bridge name" --tunnet=bridge: 64 "$note"
	case_ sharenet-no-name 2 ": --sharenet needs a file name" --sharenet= 64 "$note"
	case_ sharenet-wrong-size 2 ": --sharenet=.*/short: 100 bytes, not a network file \(those are one 4096-byte page\)" \
		--sharenet="$d/short" 64 "$note"
	case_ sharenet-dir 2 ": --sharenet=.*: cannot open it: Is a directory" --sharenet="$tmp/dir" 64 "$note"
	case_ sharenet-not-regular 2 ": --sharenet=/dev/null: not a regular file" --sharenet=/dev/null 64 "$note"
	case_ sharenet-cannot-create 2 ": --sharenet=.*/none/net: cannot create it: No such file or directory" \
		--sharenet="$d/none/net" 64 "$note"
	[ -e /dev/lguest ] && return

	# Created when missing: one zeroed page.  Stale addresses (slots
	# nobody holds) are cleared, and our own slot is emptied at exit.
	case_ sharenet-created 1 "/dev/lguest not found" --sharenet="$d/net" 64 "$note"
	if [ "$(stat -c %s "$d/net")" = 4096 ] && ! tr -d '\0' <"$d/net" | grep -q .; then
		echo "PASS cli-sharenet-created-page"
	else
		echo "FAIL cli-sharenet-created-page: $(stat -c %s "$d/net") bytes, not a zeroed page"
	fi
	printf '\002\000lg\000\001' | dd of="$d/net" bs=1 seek=0 conv=notrunc status=none
	printf '\003\000lg\000\002' | dd of="$d/net" bs=1 seek=18 conv=notrunc status=none
	case_ sharenet-stale 1 "/dev/lguest not found" --sharenet="$d/net" 64 "$note"
	if ! tr -d '\0' <"$d/net" | grep -q .; then
		echo "PASS cli-sharenet-stale-cleared"
	else
		echo "FAIL cli-sharenet-stale-cleared: $(od -An -tx1 "$d/net" | head -2)"
	fi
	# A slot held by another Launcher is skipped; none free is an error.
	# The holder is hold_lock, which takes the same record locks as the
	# Launcher (slot N is byte N).
	if cc -O1 -Wall -Werror -o "$d/hold_lock" "$here/hold_lock.c" 2>"$d/hold_lock.log"; then
		hold "$d/hold_lock" "$d/net" 0 1
		out=$("$launch" -v --sharenet="$d/net" 64 "$note" 2>&1 >/dev/null)
		if grep -q -- "--sharenet=.*/net: slot 1$" <<<"$out"; then
			echo "PASS cli-sharenet-skips-held-slot"
		else
			echo "FAIL cli-sharenet-skips-held-slot: $out"
		fi
		release
		hold "$d/hold_lock" "$d/net" 0 682
		case_ sharenet-full 2 ": --sharenet=.*/net: all 682 slots are taken" \
			--sharenet="$d/net" 64 "$note"
		release
	else
		echo "FAIL cli-sharenet-hold-lock-builds: $(head -1 "$d/hold_lock.log")"
	fi

	# Tap devices.  Without CAP_NET_ADMIN we may not make one.
	if [ ! -e /dev/net/tun ]; then
		case_ tunnet-no-tun 1 "/dev/net/tun is missing" --tunnet=10.9.9.1 64 "$note"
	elif [ "$(id -u)" -ne 0 ] || setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
		out=$(unprivileged --tunnet=10.9.9.1 64 "$note" 2>&1 >/dev/null)
		if [ $? = 1 ] && grep -q "not permitted to create a tap device: it needs CAP_NET_ADMIN" <<<"$out"; then
			echo "PASS cli-tunnet-not-permitted"
		else
			echo "FAIL cli-tunnet-not-permitted: $out"
		fi
	else
		echo "SKIP cli-tunnet-not-permitted: cannot run as an unprivileged user"
	fi
	# As root, in a network namespace of our own: no /dev/net/tun (a
	# mount namespace hides it), no bridge, a device that is not a
	# bridge, and a tap that works as far as the missing /dev/lguest.
	if [ "$(id -u)" -eq 0 ] && [ -e /dev/net/tun ] && unshare -n -m true 2>/dev/null; then
		out=$(unshare -m sh -c 'mount -t tmpfs none /dev/net && exec "$@"' sh \
			"$launch" --tunnet=10.9.9.1 64 "$note" 2>&1 >/dev/null)
		if [ $? = 1 ] && grep -q "/dev/net/tun is missing: is the tun module loaded" <<<"$out"; then
			echo "PASS cli-tunnet-no-tun"
		else
			echo "FAIL cli-tunnet-no-tun: $out"
		fi
		printf '#!/bin/sh\nexec unshare -n "%s" "$@"\n' "$launch" >"$d/netns-launch"
		chmod 755 "$d/netns-launch"
		launch=$d/netns-launch case_ tunnet-no-such-bridge 2 \
			": --tunnet=bridge:nosuchbr: there is no bridge 'nosuchbr'" \
			--tunnet=bridge:nosuchbr 64 "$note"
		launch=$d/netns-launch case_ tunnet-not-a-bridge 2 \
			": --tunnet=bridge:lo: 'lo' is not a bridge" --tunnet=bridge:lo 64 "$note"
		launch=$d/netns-launch case_ tunnet-tap-made 1 "/dev/lguest not found" \
			--tunnet=10.9.9.1 64 "$note"
	else
		echo "SKIP cli-tunnet-root-cases: needs root, /dev/net/tun and unshare"
	fi
}

# The console (--console=MODE, launcher/console_backend.c).  Bad modes and
# paths are found before the Host is touched; without /dev/lguest a good
# one gets as far as the missing module, leaving nothing behind.
console_cases() {
	local d=$tmp/console out
	mkdir -p "$d"
	chmod 755 "$d"
	case_ console-unknown-mode 2 \
		"^lguest-launch: --console=serial: unknown mode \(tty, pty, socket:PATH or file:PATH\)$" \
		--console=serial 64 "$note"
	case_ console-socket-no-path 2 "^lguest-launch: --console=socket: needs a PATH$" \
		--console=socket: 64 "$note"
	case_ console-file-no-path 2 "^lguest-launch: --console=file: needs a PATH$" \
		--console=file: 64 "$note"
	case_ console-twice 2 "^lguest-launch: --console given more than once$" \
		--console=pty --console=tty 64 "$note"
	case_ console-socket-too-long 2 "the path is longer than 107 bytes" \
		--console=socket:"$d/$(printf '%0120d' 0)" 64 "$note"
	: >"$d/regular"
	case_ console-socket-not-a-socket 2 \
		"^lguest-launch: --console=socket:.*/regular: it exists and is not a socket$" \
		--console=socket:"$d/regular" 64 "$note"
	[ -f "$d/regular" ] && echo "PASS cli-console-socket-leaves-file" ||
		echo "FAIL cli-console-socket-leaves-file: the regular file was removed"
	case_ console-socket-cannot-create 2 \
		"^lguest-launch: --console=socket:.*/none/c.sock: cannot create it: No such file or directory$" \
		--console=socket:"$d/none/c.sock" 64 "$note"
	case_ console-file-dir 2 "^lguest-launch: --console=file:.*: cannot open it: Is a directory$" \
		--console=file:"$tmp/dir" 64 "$note"
	case_ console-file-cannot-create 2 \
		"^lguest-launch: --console=file:.*/none/c.log: cannot open it: No such file or directory$" \
		--console=file:"$d/none/c.log" 64 "$note"
	[ -e /dev/lguest ] && return

	# file: created 0600, appended to, never truncated.
	case_ console-file-ok 1 "/dev/lguest not found" --console=file:"$d/c.log" 64 "$note"
	if [ "$(stat -c %a "$d/c.log" 2>/dev/null)" = 600 ]; then
		echo "PASS cli-console-file-created-0600"
	else
		echo "FAIL cli-console-file-created-0600: mode '$(stat -c %a "$d/c.log" 2>&1)'"
	fi
	echo earlier >"$d/old.log"
	case_ console-file-existing 1 "/dev/lguest not found" --console=file:"$d/old.log" 64 "$note"
	[ "$(cat "$d/old.log")" = earlier ] && echo "PASS cli-console-file-appends" ||
		echo "FAIL cli-console-file-appends: '$(cat "$d/old.log")'"

	# socket: made, and removed at exit; a stale one of ours is replaced,
	# a live one (another console) refused and left alone.
	case_ console-socket-ok 1 "/dev/lguest not found" --console=socket:"$d/c.sock" 64 "$note"
	[ ! -e "$d/c.sock" ] && echo "PASS cli-console-socket-removed" ||
		echo "FAIL cli-console-socket-removed: $d/c.sock is still there"
	if cc -O1 -Wall -Werror -o "$d/unix_socket" "$here/unix_socket.c" 2>"$d/unix_socket.log"; then
		"$d/unix_socket" stale "$d/stale.sock"
		case_ console-socket-stale 1 "/dev/lguest not found" \
			--console=socket:"$d/stale.sock" 64 "$note"
		[ ! -e "$d/stale.sock" ] && echo "PASS cli-console-socket-stale-removed" ||
			echo "FAIL cli-console-socket-stale-removed: $d/stale.sock is still there"
		hold "$d/unix_socket" listen "$d/live.sock"
		case_ console-socket-in-use 2 \
			"^lguest-launch: --console=socket:.*/live.sock: in use: something is listening there$" \
			--console=socket:"$d/live.sock" 64 "$note"
		[ -S "$d/live.sock" ] && echo "PASS cli-console-socket-in-use-kept" ||
			echo "FAIL cli-console-socket-in-use-kept: the live socket was removed"
		release
		# A socket another user left (in a directory open to all).
		mkdir -p "$d/open" && chmod 1777 "$d/open"
		if [ "$(id -u)" -eq 0 ] && setpriv --reuid=65534 --regid=65534 --clear-groups \
			"$d/unix_socket" stale "$d/open/theirs.sock" 2>/dev/null; then
			case_ console-socket-not-ours 2 \
				"^lguest-launch: --console=socket:.*/theirs.sock: a socket that belongs to another user$" \
				--console=socket:"$d/open/theirs.sock" 64 "$note"
		else
			echo "SKIP cli-console-socket-not-ours: needs root and another user"
		fi
	else
		echo "FAIL cli-console-unix-socket-builds: $(head -1 "$d/unix_socket.log")"
	fi

	# pty: its path on stderr, in a line a script can pick out.
	out=$("$launch" --console=pty 64 "$note" 2>&1 >/dev/null)
	if [ $? = 1 ] && grep -qE '^lguest-launch: console on /dev/pts/[0-9]+$' <<<"$out" &&
		grep -q '/dev/lguest not found' <<<"$out"; then
		echo "PASS cli-console-pty-path"
	else
		echo "FAIL cli-console-pty-path: $out"
	fi
}

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
	block_cases
	net_cases
	console_cases
fi
if [ -n "$guest_bz" ]; then
	head -c $(($(stat -c %s "$guest_bz") / 2)) "$guest_bz" >"$tmp/truncated-bzImage"
	case_ kernel-truncated-bzimage 2 "bzImage is truncated" 64 "$tmp/truncated-bzImage"
fi
if [ -n "$host_bz" ]; then
	case_ kernel-64bit-bzimage 2 "this bzImage is a 64-bit kernel" 64 "$host_bz"
fi
