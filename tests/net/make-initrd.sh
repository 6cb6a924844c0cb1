#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make-initrd.sh OUT.cpio.gz: the network tests' Guest initrd.  It is the
# Linux Guest tests' busybox initrd (tests/guest-native/make-initrd.sh with
# tests/linux-guest/init: a shell on the console) with Debian's i386 iperf3
# and the libraries it needs added.  The kernel unpacks concatenated
# gzip'd cpio archives one after the other, so the second is simply
# appended to the first.
#
# The i386 packages are fetched with "apt-get download" (installing them
# would need the i386 library packages installed on the build machine) and
# unpacked into the cache, keyed by their versions.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=$1
cache=${LGUEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lguest}/iperf3-i386
pkgs="iperf3 libiperf0 libsctp1 libssl3 libc6"

key=
for p in $pkgs; do
	v=$(apt-cache policy "$p:i386" 2>/dev/null | sed -n 's/^ *Candidate: //p')
	[ -n "$v" ] && [ "$v" != "(none)" ] || {
		echo "make-initrd: $p:i386 unknown to apt (dpkg --add-architecture i386 && apt-get update)" >&2
		exit 1
	}
	key="$key${key:+_}$p=$v"
done
dir=$cache/$(echo "$key" | sha256sum | cut -c1-16)
if [ ! -f "$dir/.done" ]; then
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	want=
	for p in $pkgs; do
		want="$want $p:i386=$(apt-cache policy "$p:i386" | sed -n 's/^ *Candidate: //p')"
	done
	# shellcheck disable=SC2086
	(cd "$tmp" && apt-get download -qq $want >/dev/null 2>&1) ||
		(cd "$tmp" && apt-get update -qq && apt-get download -qq $want >/dev/null)
	for deb in "$tmp"/*.deb; do
		dpkg-deb -x "$deb" "$tmp/x"
	done
	rm -rf "$dir"
	mkdir -p "$dir/root/bin" "$dir/root/lib"
	cp "$tmp/x/usr/bin/iperf3" "$dir/root/bin/"
	# Everything in /lib: the dynamic linker always looks there.
	cp -L "$tmp/x/lib/ld-linux.so.2" "$dir/root/lib/"
	for lib in libc.so.6 libm.so.6 libiperf.so.0 libcrypto.so.3 libsctp.so.1; do
		f=$(find "$tmp/x" -name "$lib" | head -1)
		[ -n "$f" ] || { echo "make-initrd: no $lib in $pkgs" >&2; exit 1; }
		cp -L "$f" "$dir/root/lib/"
	done
	echo "$key" >"$dir/versions"
	touch "$dir/.done"
	rm -rf "$tmp"
	trap - EXIT
fi
file -b "$dir/root/bin/iperf3" | grep -q 'ELF 32-bit.*Intel 80386' ||
	{ echo "make-initrd: $dir/root/bin/iperf3 is not i386" >&2; exit 1; }

"$top/tests/guest-native/make-initrd.sh" "$out.base" "$top/tests/linux-guest/init"
(cd "$dir/root" && find . | cpio -o -H newc --quiet -R 0:0 | gzip -9) >"$out.iperf3"
cat "$out.base" "$out.iperf3" >"$out"
rm -f "$out.base" "$out.iperf3"
echo "make-initrd: $out ($(stat -c %s "$out") bytes; $(cat "$dir/versions"))"
