#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fetch-host-kernel.sh META: fetch a Debian Host kernel image and the
# matching headers, unpacked in the cache, and print the cache directory.
#
# META is a Debian meta package: linux-image-amd64 (6.1, the reference) or
# linux-image-6.12-amd64.  The real package and its version are looked up,
# never hard-coded.  META "debug" is the debug Host kernel, built rather
# than fetched (tools/build-debug-host-kernel.sh, docs/debug-host.md).
# The directory printed holds:
#	vmlinuz		the kernel to boot
#	kdir		a path to give the module build as KDIR
#	version		"KERNELRELEASE PACKAGE-VERSION"
#	modules		the image's /lib/modules/KERNELRELEASE
set -euo pipefail
. "$(dirname "$0")/common.sh"

meta=${1:-linux-image-amd64}
# The debug Host kernel is built from source, with its own cache and lock.
if [ "$meta" = debug ]; then
	exec "$TOP/tools/build-debug-host-kernel.sh"
fi
# An empty answer means apt's lists are missing, or being rewritten by an
# apt-get running at this moment: wait, refresh, ask again.
for try in 1 2 3; do
	image=$(pkg_dep "$meta")
	[ -z "$image" ] || break
	sleep $((try * 5))
	[ "$(id -u)" -ne 0 ] || apt-get update -qq >&2 || true
done
[ -n "$image" ] || die "cannot resolve $meta: is apt's package list current?"
image=${image%-unsigned}
krel=${image#linux-image-}
version=$(pkg_version "$image")
[ -n "$version" ] || die "no candidate version for $image"
headers=linux-headers-$krel
hversion=$(pkg_version "$headers")
[ "$hversion" = "$version" ] ||
	die "$image is $version but $headers is ${hversion:-missing}: they must match"

dir=$LGUEST_CACHE/host-kernels/$krel-$version
fill() {
	[ -e "$dir/done" ] && return 0
	note "fetching Host kernel $krel ($version) into $dir"
	rm -rf "$dir"
	mkdir -p "$dir/debs" "$dir/root"
	# The headers need their common part and the kbuild tools.
	local deps
	deps=$(apt-cache depends "$headers" | awk '$1 == "Depends:" { print $2 }' |
		grep -E '^linux-(headers|kbuild)-' || true)
	apt_download "$dir/debs" "$image" "$headers" $deps
	local deb
	for deb in "$dir"/debs/linux-headers-*.deb "$dir"/debs/linux-kbuild-*.deb; do
		dpkg-deb -x "$deb" "$dir/root"
	done
	# Only /boot of the image: the bench needs no modules but ours.
	dpkg-deb --fsys-tarfile "$dir"/debs/linux-image-*.deb |
		tar -x -C "$dir/root" ./boot
	cp "$dir/root/boot/vmlinuz-$krel" "$dir/vmlinuz"
	# The headers Makefile includes the common part by absolute path.
	local hdir=$dir/root/usr/src/linux-headers-$krel
	sed -i "s|/usr/src/|$dir/root/usr/src/|" "$hdir/Makefile"
	ln -sfn "$hdir" "$dir/kdir"
	echo "$krel $version" >"$dir/version"
	rm -rf "$dir/debs"
	touch "$dir/done"
}
# The image's modules, for run-vm.sh --kmod (virtio disks, tun, bridge ...):
# unpacked on first need, so caches made before this existed still count.
fill_modules() {
	[ -e "$dir/modules-done" ] && return 0
	note "unpacking the modules of $krel into $dir"
	rm -rf "$dir/debs" "$dir/root/lib/modules"
	mkdir -p "$dir/debs"
	apt_download "$dir/debs" "$image"
	dpkg-deb --fsys-tarfile "$dir"/debs/linux-image-*.deb |
		tar -x -C "$dir/root" ./lib/modules
	depmod -b "$dir/root" "$krel"
	ln -sfn "$dir/root/lib/modules/$krel" "$dir/modules"
	rm -rf "$dir/debs"
	touch "$dir/modules-done"
}
cache_lock "host-kernel-$krel"
fill
fill_modules
echo "$dir"
