#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fetch-host-kernel.sh META: fetch a Debian Host kernel image and the
# matching headers, unpacked in the cache, and print the cache directory.
#
# META names the kernel:
#	linux-image-amd64	Debian 12's 6.1, the reference
#	linux-image-6.12-amd64	Debian 12's 6.12
#	trixie			Debian 13's linux-image-amd64 (6.12)
#	trixie-backports	trixie-backports' linux-image-amd64 (7.x)
#	SUITE:PACKAGE		any other meta package of a Debian suite, or
#				a kernel's own package
#				(trixie-backports:linux-image-7.2.12+deb13-amd64),
#				or the newest kernel of a series
#				(trixie-backports:7.2)
#	debug			the debug Host kernel, built rather than
#				fetched (tools/build-debug-host-kernel.sh,
#				docs/debug-host.md)
# The first two are looked up with this machine's apt; a SUITE goes
# through an apt configuration of its own in LGUEST_CACHE/apt/SUITE
# (common.sh's apt_private), so /etc/apt is never touched.  The real
# package and its version are looked up, never hard-coded.  Both of
# Debian's package layouts are handled: the kernel and its modules in
# linux-image-KREL (up to 6.x), or linux-image-KREL depending on
# linux-binary-KREL (the kernel at /usr/lib/modules/KREL/vmlinuz) and
# linux-modules-KREL (7.x).
# The directory printed holds:
#	vmlinuz		the kernel to boot
#	kdir		a path to give the module build as KDIR
#	version		"KERNELRELEASE PACKAGE-VERSION"
#	modules		the image's /lib/modules/KERNELRELEASE
#	vmlinux		the kernel uncompressed, if it has a PVH entry point
# Exit status 3 means the suite has no kernel of the series asked for (a
# series backports has dropped), which callers skip rather than fail; any
# other failure is 1.
set -euo pipefail
. "$(dirname "$0")/common.sh"

meta=${1:-linux-image-amd64}
# The debug Host kernel is built from source, with its own cache and lock.
if [ "$meta" = debug ]; then
	exec "$TOP/tools/build-debug-host-kernel.sh"
fi
suite=
case $meta in
*:*) suite=${meta%%:*}; meta=${meta#*:} ;;
linux-*) ;;
*) suite=$meta; meta=linux-image-amd64 ;;
esac
[ -z "$suite" ] || apt_private "$suite"

# resolve: set image and version to the kernel package META names and the
# version apt would install, checking that its headers have that version.
resolve() {
	# A kernel's own package (linux-image-7.2.12+deb13-amd64) is the image;
	# a meta package names it.  An empty answer means apt's lists are missing,
	# or being rewritten by an apt-get running at this moment: wait, refresh,
	# ask again.
	image=
	case $meta in
	linux-image-[0-9]*.[0-9]*.[0-9]*) image=$meta ;;
	# A series (SUITE:7.2): the newest of its kernels the suite has.
	[0-9]*.[0-9]*)
		image=$(apt_cache pkgnames "linux-image-$meta." 2>/dev/null |
			grep -E "^linux-image-${meta//./\\.}\.[0-9]+\+deb[0-9]+-amd64\$" | sort -V | tail -1 || true)
		if [ -z "$image" ]; then
			echo "bench: ${suite:-the apt of this machine} has no amd64 kernel of the $meta series" >&2
			exit 3
		fi
		;;
	esac
	for try in 1 2 3; do
		[ -z "$image" ] || break
		image=$(pkg_dep "$meta" '^linux-image-')
		[ -z "$image" ] || break
		sleep $((try * 5))
		[ "$(id -u)" -ne 0 ] || apt_get update -qq >&2 || true
	done
	[ -n "$image" ] || die "cannot resolve ${suite:+$suite:}$meta: is apt's package list current?"
	image=${image%-unsigned}
	krel=${image#linux-image-}
	version=$(pkg_version "$image")
	[ -n "$version" ] || die "no candidate version for $image"
	headers=linux-headers-$krel
	hversion=$(pkg_version "$headers")
	[ "$hversion" = "$version" ] ||
		die "$image is $version but $headers is ${hversion:-missing}: they must match"
}

# Each question to apt takes a second or more, and the bench asks this one
# some forty times a run: the answer is kept with the apt_stamp it was
# given under, and reused while the stamp is the same.
memo=$LGUEST_CACHE/host-kernels/resolved/${suite:-this-machine}_$meta
stamp=$(apt_stamp)
image= version=
if [ -r "$memo" ]; then
	read -r m_stamp m_image m_version <"$memo" || true
	[ "${m_stamp:-}" != "$stamp" ] || { image=$m_image; version=$m_version; }
fi
if [ -z "$image" ] || [ -z "$version" ]; then
	image=
	resolve
	mkdir -p "${memo%/*}"
	echo "$stamp $image $version" >"$memo.$$"
	mv "$memo.$$" "$memo"
fi
krel=${image#linux-image-}
headers=linux-headers-$krel

# deps_of PKG REGEX: the packages PKG depends on whose names match REGEX.
deps_of() {
	apt_cache depends "$1" | awk -v re="$2" '$1 == "Depends:" && $2 ~ re { print $2 }'
}

dir=$LGUEST_CACHE/host-kernels/$krel-$version
# The packages that make up the kernel image (the 7.x layout splits it:
# the kernel, its modules, and System.map, config and modules.order).
image_pkgs() {
	echo "$image"
	apt_cache depends "$image" | awk -v k="$krel" '$1 == "Depends:" &&
		($2 == "linux-binary-" k || $2 == "linux-modules-" k ||
		 $2 == "linux-base-" k) { print $2 }'
}

# unpack_image: the image's packages unpacked in $dir/img, with the
# modules moved to where depmod and modprobe look (lib/modules).
unpack_image() {
	local deb
	rm -rf "$dir/img"
	mkdir -p "$dir/img"
	for deb in "$dir"/debs/linux-image-*.deb "$dir"/debs/linux-binary-*.deb \
		"$dir"/debs/linux-modules-*.deb "$dir"/debs/linux-base-*.deb; do
		[ -e "$deb" ] && dpkg-deb -x "$deb" "$dir/img"
	done
	if [ -d "$dir/img/usr/lib/modules/$krel" ]; then
		mkdir -p "$dir/img/lib/modules/$krel"
		cp -a "$dir/img/usr/lib/modules/$krel/." "$dir/img/lib/modules/$krel/"
		rm -rf "$dir/img/usr/lib/modules/$krel"
	fi
}

fill() {
	[ -e "$dir/done" ] && return 0
	note "fetching Host kernel $krel ($version) into $dir"
	rm -rf "$dir"
	mkdir -p "$dir/debs" "$dir/root"
	# The headers need their common part and the kbuild tools.
	local deps
	deps=$(deps_of "$headers" '^linux-(headers|kbuild)-')
	# shellcheck disable=SC2046
	apt_download "$dir/debs" $(image_pkgs) "$headers" $deps
	local deb
	for deb in "$dir"/debs/linux-headers-*.deb "$dir"/debs/linux-kbuild-*.deb; do
		dpkg-deb -x "$deb" "$dir/root"
	done
	# Only the kernel of the image: the bench needs no modules but ours.
	unpack_image
	if [ -f "$dir/img/boot/vmlinuz-$krel" ]; then
		cp "$dir/img/boot/vmlinuz-$krel" "$dir/vmlinuz"
	elif [ -f "$dir/img/lib/modules/$krel/vmlinuz" ]; then
		cp "$dir/img/lib/modules/$krel/vmlinuz" "$dir/vmlinuz"
	else
		die "no kernel in the packages of $image"
	fi
	rm -rf "$dir/img"
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
	rm -rf "$dir/debs" "$dir/root/lib/modules/$krel/kernel"
	mkdir -p "$dir/debs" "$dir/root/lib/modules/$krel"
	# shellcheck disable=SC2046
	apt_download "$dir/debs" $(image_pkgs)
	unpack_image
	cp -a "$dir/img/lib/modules/$krel/." "$dir/root/lib/modules/$krel/"
	rm -f "$dir/root/lib/modules/$krel/vmlinuz"
	rm -rf "$dir/img"
	depmod -b "$dir/root" "$krel"
	ln -sfn "$dir/root/lib/modules/$krel" "$dir/modules"
	rm -rf "$dir/debs"
	touch "$dir/modules-done"
}
# The kernel itself, uncompressed (vmlinux), for QEMU to start through its
# PVH entry point where the kernel has one (CONFIG_PVH): that skips the
# firmware, the real-mode setup and the decompressor, which under TCG take
# five of a boot's eight seconds.  Made on first need, like the modules.
fill_vmlinux() {
	[ -e "$dir/vmlinux-done" ] && return 0
	rm -f "$dir/vmlinux"
	if grep -qx 'CONFIG_PVH=y' "$dir/kdir/.config"; then
		extract_vmlinux "$dir/vmlinuz" >"$dir/vmlinux.tmp" ||
			die "cannot unpack the kernel in $dir/vmlinuz"
		mv "$dir/vmlinux.tmp" "$dir/vmlinux"
	fi
	touch "$dir/vmlinux-done"
}

# extract_vmlinux BZIMAGE: print the ELF kernel inside a bzImage, found as
# the kernel's own scripts/extract-vmlinux does: try each place where a
# compressed stream's magic number appears, until one unpacks to an ELF file.
extract_vmlinux() {
	local magic tool off
	for magic in 'fd377a585a xz' '28b52ffd zstd' '1f8b08 gzip'; do
		tool=${magic#* }
		magic=$(sed 's/../\\x&/g' <<<"${magic% *}")
		for off in $(LC_ALL=C grep -abo "$(printf "$magic")" "$1" | cut -d: -f1); do
			tail -c +$((off + 1)) "$1" | $tool -dc 2>/dev/null >"$dir/vmlinux.try"
			if [ "$(head -c 4 "$dir/vmlinux.try")" = $'\x7fELF' ]; then
				cat "$dir/vmlinux.try"
				rm -f "$dir/vmlinux.try"
				return 0
			fi
		done
	done
	rm -f "$dir/vmlinux.try"
	return 1
}

cache_lock "host-kernel-$krel"
fill
fill_modules
fill_vmlinux
echo "$dir"
