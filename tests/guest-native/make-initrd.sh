#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make-initrd.sh OUT.cpio.gz [INIT]: a gzip'd initramfs with an i386 busybox
# whose /init is INIT (default: tests/guest-native/init, the native-boot
# test's script; tests/linux-guest/init runs a shell on the console).
# busybox-static:i386 is fetched with "apt-get download" and
# unpacked into the cache: installing it would replace the amd64
# busybox-static the Host bench needs (the two cannot be co-installed).
# Needs the i386 architecture (dpkg --add-architecture i386; apt-get update).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$1
init=${2:-$here/init}
cache=${LGUEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lguest}/busybox-i386
ver=$(apt-cache policy busybox-static:i386 2>/dev/null | sed -n 's/^ *Candidate: //p')
[ -n "$ver" ] && [ "$ver" != "(none)" ] || {
	echo "make-initrd: busybox-static:i386 unknown to apt (dpkg --add-architecture i386 && apt-get update)" >&2
	exit 1
}
bb=$cache/$ver/bin/busybox
if [ ! -x "$bb" ]; then
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	(cd "$tmp" && apt-get download -qq "busybox-static:i386=$ver" >/dev/null 2>&1) ||
		(cd "$tmp" && apt-get update -qq && apt-get download -qq "busybox-static:i386=$ver" >/dev/null)
	mkdir -p "$(dirname "$bb")"
	dpkg-deb -x "$tmp"/busybox-static_*_i386.deb "$tmp/x"
	cp "$tmp/x/bin/busybox" "$bb.tmp"
	mv "$bb.tmp" "$bb"
	rm -rf "$tmp"
	trap - EXIT
fi
file -b "$bb" | grep -q 'ELF 32-bit.*Intel 80386' || { echo "make-initrd: $bb is not i386" >&2; exit 1; }

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/bin "$root"/proc "$root"/sys "$root"/dev "$root"/tmp
cp "$bb" "$root/bin/busybox"
cp "$init" "$root/init"
chmod 755 "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -9) >"$out"
