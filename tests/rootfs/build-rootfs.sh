#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-rootfs.sh: build (once, cached) the Debian 12 i386 root filesystem
# image a real lguest Guest boots from, and print its path.  Next to it in
# the same directory: vmlinuz and initrd.img, Debian's own i386 kernel from
# the image, to boot it natively.  See docs/rootfs.md.
#
# Two cache levels under ${XDG_CACHE_HOME:-~/.cache}/lguest/rootfs/:
#   base-HASH1/  the debootstrap tree, HASH1 = base.sh + debootstrap version
#   HASH2/       rootfs.img + kernel, HASH2 = HASH1 + this script, overlay/
#                and guest-tests/ (so editing a Guest test costs seconds to
#                a minute, not a new debootstrap)
# Both are built in a temporary directory and renamed into place when
# complete, under a lock; a cached run only hashes a few files.
#
# Needs root (debootstrap, chroot, device nodes).  The mirror is the first
# Debian archive in this machine's apt sources (LGUEST_DEBIAN_MIRROR
# overrides it).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/base.sh"
. "$here/apt-mirror.sh"

CACHE=${LGUEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lguest}/rootfs
IMAGE_SIZE=${LGUEST_ROOTFS_SIZE:-2G}

die() {
	echo "rootfs: $*" >&2
	exit 1
}

note() {
	echo "rootfs: $*" >&2
}

# --- Cache keys -----------------------------------------------------------
dbs_version=$(dpkg-query -W -f='${Version}' debootstrap 2>/dev/null) ||
	die "debootstrap is not installed (make deps)"
hash1=$( {
	cat "$here/base.sh"
	echo "debootstrap $dbs_version"
} | sha256sum | cut -c1-16)
hash2=$( {
	echo "$hash1"
	cat "$here/build-rootfs.sh"
	cat "$here/../lib.sh"
	(cd "$here" && find overlay guest-tests -type f | LC_ALL=C sort |
		while read -r f; do
			echo "$f $(stat -c %a "$f")"
			cat "$f"
		done)
} | sha256sum | cut -c1-16)
base=$CACHE/base-$hash1
final=$CACHE/$hash2

if [ -f "$final/rootfs.img" ]; then
	touch "$final" 2>/dev/null || true	# pruning keeps the recently used
	echo "$final/rootfs.img"
	exit 0
fi
[ "$(id -u)" -eq 0 ] || die "building the image needs root (debootstrap)"

mkdir -p "$CACHE"
exec 8>"$CACHE/.lock"
flock 8
# Another run may have finished it while this one waited.
if [ -f "$final/rootfs.img" ]; then
	touch "$final" 2>/dev/null || true	# pruning keeps the recently used
	echo "$final/rootfs.img"
	exit 0
fi

# remove_tree DIR: unmount anything a killed debootstrap left mounted under
# DIR, then delete it without ever leaving DIR's file system.
remove_tree() {
	local dir=$1 m
	[ -e "$dir" ] || return 0
	findmnt -rn -o TARGET | awk -v d="$dir/" 'index($0 "/", d) == 1' |
		sort -r | while read -r m; do umount -l "$m" || true; done
	rm -rf --one-file-system "$dir"
}

# Leftovers of runs that were killed (no one else holds the lock).
for t in "$CACHE"/tmp.*; do
	remove_tree "$t"
done
tmp=$CACHE/tmp.$$
trap 'remove_tree "$tmp"' EXIT

# --- Level 1: the debootstrap tree ------------------------------------------
if [ ! -d "$base" ]; then
	mirror=${LGUEST_DEBIAN_MIRROR:-$(mirror_from_apt "$ROOTFS_SUITE" | head -1)}
	[ -n "$mirror" ] || die "no '$ROOTFS_SUITE' source in /etc/apt: set LGUEST_DEBIAN_MIRROR"
	note "debootstrap $ROOTFS_SUITE/$ROOTFS_ARCH from $mirror (several minutes)"
	mkdir -p "$tmp" "$CACHE/debs"
	start=$(date +%s)
	include=$(echo $ROOTFS_PACKAGES | tr ' ' ,)
	if ! debootstrap --arch="$ROOTFS_ARCH" --include="$include" \
		--cache-dir="$CACHE/debs" "$ROOTFS_SUITE" "$tmp/tree" "$mirror" \
		>"$tmp/debootstrap.log" 2>&1; then
		tail -20 "$tmp/debootstrap.log" >&2
		[ ! -f "$tmp/tree/debootstrap/debootstrap.log" ] ||
			tail -20 "$tmp/tree/debootstrap/debootstrap.log" >&2
		die "debootstrap failed"
	fi
	rootfs_configure "$tmp/tree"
	vmlinuz=$(ls "$tmp"/tree/boot/vmlinuz-* | tail -1)
	initrd=$(ls "$tmp"/tree/boot/initrd.img-* | tail -1)
	cp "$vmlinuz" "$tmp/vmlinuz"
	cp "$initrd" "$tmp/initrd.img"
	basename "$vmlinuz" | sed 's/^vmlinuz-//' >"$tmp/kernel-release"
	chroot "$tmp/tree" dpkg-query -W -f='${Package} ${Version}\n' >"$tmp/packages.txt"
	mv "$tmp/debootstrap.log" "$tmp/tree/var/log/lguest-debootstrap.log"
	mv "$tmp" "$base"
	note "base tree built in $(($(date +%s) - start)) s: $base"
fi

# --- Level 2: the image ---------------------------------------------------
start=$(date +%s)
mkdir -p "$tmp"
# A hard-linked copy costs nothing; every file we add replaces a link
# (--remove-destination) instead of writing through it into the base tree.
cp -al "$base/tree" "$tmp/tree"
cp -a --remove-destination "$here/overlay/." "$tmp/tree/"
mkdir -p "$tmp/tree/usr/local/lib/lguest-tests"
cp --remove-destination "$here"/guest-tests/*.sh "$tmp/tree/usr/local/lib/lguest-tests/"
# The result helpers every test shares (guest-tests/lib.sh sources them).
cp --remove-destination "$here/../lib.sh" "$tmp/tree/usr/local/lib/lguest-tests/results.sh"
chmod 0755 "$tmp"/tree/usr/local/lib/lguest-tests/*.sh
# Whoever owns the checkout, what we add belongs to root in the Guest.
chown -R root:root "$tmp/tree/usr/local/lib/lguest-tests"
(cd "$here/overlay" && find . -mindepth 1 -print0) |
	(cd "$tmp/tree" && xargs -0 chown -h root:root)
echo "$hash2" >"$tmp/tree/etc/lguest-rootfs"

truncate -s "$IMAGE_SIZE" "$tmp/rootfs.img"
mke2fs -q -t ext4 -L lguest-root -d "$tmp/tree" -F "$tmp/rootfs.img" ||
	die "mke2fs -d failed"
e2fsck -fn "$tmp/rootfs.img" >"$tmp/fsck.log" 2>&1 ||
	{ cat "$tmp/fsck.log" >&2; die "the new image does not fsck clean"; }
rm -rf --one-file-system "$tmp/tree"
ln "$base/vmlinuz" "$base/initrd.img" "$base/kernel-release" "$base/packages.txt" "$tmp/"
mv "$tmp" "$final"
note "image built in $(($(date +%s) - start)) s"

# Keep the cache bounded: the three most recently used images and the two
# newest base trees (a run that already has its image never needs its
# base).  Pruning never fails the build.
# shellcheck disable=SC2012
ls -dt "$CACHE"/*/ | sed 's|/$||' | grep -E '/[0-9a-f]{16}$' | tail -n +4 |
	while read -r old; do
		[ "$old" = "$final" ] || rm -rf --one-file-system "$old" || true
	done || true
# shellcheck disable=SC2012
ls -dt "$CACHE"/base-*/ | sed 's|/$||' | grep -E '/base-[0-9a-f]{16}$' | tail -n +3 |
	while read -r old; do
		[ "$old" = "$base" ] || remove_tree "$old" || true
	done || true
echo "$final/rootfs.img"
