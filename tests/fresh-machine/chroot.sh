# SPDX-License-Identifier: GPL-2.0
# A new Debian 12 machine as a chroot, for tests/suites/05-fresh-machine.sh
# and tools/fresh-machine.sh.  Source, don't run; needs root.
#
#   fresh_base                   make (or reuse) the base tarball
#   fresh_enter TOP DIR CMD [--cold]
#                                unpack the base into DIR/root, clone TOP's
#                                HEAD into /root/lguest and run CMD there
#
# The base is debootstrap --variant=minbase bookworm plus make, cached in
# LGUEST_CACHE/fresh-machine for at most FRESH_BASE_DAYS days (14), so a
# Debian point release reaches it within two weeks.  Without --cold the
# chroot shares apt's downloaded .debs and LGUEST_CACHE (the Host kernels,
# the Guest kernel build) with this machine; with --cold it shares nothing
# and starts with an empty cache, as a new CI machine does.

LGUEST_CACHE=${LGUEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lguest}
FRESH_DIR=$LGUEST_CACHE/fresh-machine
FRESH_BASE=$FRESH_DIR/base-bookworm.tar
. "$(dirname "${BASH_SOURCE[0]}")/../rootfs/apt-mirror.sh"

# fresh_umount_all TREE: unmount everything mounted at or below TREE,
# deepest first, and fail if anything stays mounted.
fresh_umount_all() {
	local tree=$1 m
	[ -d "$tree" ] || return 0
	tree=$(readlink -f "$tree")
	for m in $(awk -v t="$tree" '$5 == t || index($5, t "/") == 1 { print $5 }' \
		/proc/self/mountinfo | sort -r); do
		umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
	done
	! awk -v t="$tree" '$5 == t || index($5, t "/") == 1 { found = 1 } END { exit !found }' \
		/proc/self/mountinfo
}

# fresh_kill_inside TREE: end every process whose root is TREE.
fresh_kill_inside() {
	local tree pid root
	tree=$(readlink -f "$1")
	for pid in /proc/[0-9]*; do
		root=$(readlink "$pid/root" 2>/dev/null) || continue
		[ "$root" = "$tree" ] || [[ $root == "$tree"/* ]] || continue
		kill -KILL "${pid#/proc/}" 2>/dev/null
	done
}

# fresh_remove TREE: delete TREE, but never while something is mounted in
# it (rm -rf through a bound /dev or cache would delete this machine's).
fresh_remove() {
	local tree=$1
	[ -d "$tree" ] || return 0
	fresh_kill_inside "$tree"
	if ! fresh_umount_all "$tree"; then
		echo "fresh-machine: $tree still has mounts; not removing it" >&2
		return 1
	fi
	rm -rf --one-file-system "$tree"
}

# fresh_base: under the cache's lock, held only while the base is made
# (a subshell: the chroot that follows must not inherit it).
fresh_base() {
	mkdir -p "$FRESH_DIR"
	(
		exec 8>"$FRESH_DIR/.lock"
		flock 8
		fresh_base_locked
	)
}

fresh_base_locked() {
	local days=${FRESH_BASE_DAYS:-14} mirror tmp
	if [ -f "$FRESH_BASE" ] && [ -z "$(find "$FRESH_BASE" -mtime +"$days")" ]; then
		echo "base: $FRESH_BASE, made $(date -r "$FRESH_BASE" +%F)"
		return 0
	fi
	mirror=${LGUEST_DEBIAN_MIRROR:-$(mirror_from_apt bookworm | head -1)}
	mirror=${mirror:-http://deb.debian.org/debian}
	tmp=$FRESH_DIR/base.tmp
	fresh_remove "$tmp" || return 1
	mkdir -p "$tmp"
	echo "debootstrap --variant=minbase --include=make bookworm from $mirror"
	if ! debootstrap --variant=minbase --include=make bookworm "$tmp" "$mirror"; then
		fresh_remove "$tmp"
		return 1
	fi
	fresh_umount_all "$tmp" || return 1
	rm -rf "$tmp"/var/cache/apt/archives/*.deb
	tar -C "$tmp" -cf "$FRESH_BASE.tmp" . && mv "$FRESH_BASE.tmp" "$FRESH_BASE" || return 1
	fresh_remove "$tmp"
	echo "base: $FRESH_BASE, made now ($(du -sh "$FRESH_BASE" | cut -f1))"
}

fresh_enter() {
	local top=$1 dir=$2 cmd=$3 cold=${4:-} tree rc f cache
	tree=$dir/root
	fresh_remove "$tree" || return 1
	mkdir -p "$tree"
	tree=$(readlink -f "$tree")
	tar -C "$tree" -xf "$FRESH_BASE" || return 1
	# This machine's apt sources and settings, as a new machine of its kind
	# would have them, but for the one that deletes every downloaded .deb.
	rm -f "$tree/etc/apt/sources.list"
	cp -a /etc/apt/sources.list.d /etc/apt/trusted.gpg.d "$tree/etc/apt/" 2>/dev/null
	[ -f /etc/apt/sources.list ] && cp /etc/apt/sources.list "$tree/etc/apt/"
	for f in /etc/apt/apt.conf.d/*; do
		case $f in *docker-clean) continue ;; esac
		cp "$f" "$tree/etc/apt/apt.conf.d/"
	done
	cp /usr/share/keyrings/*.gpg "$tree/usr/share/keyrings/" 2>/dev/null
	cp /etc/resolv.conf "$tree/etc/resolv.conf"
	git clone -q "$top" "$tree/root/lguest" || return 1

	trap 'fresh_kill_inside "'"$tree"'"; fresh_umount_all "'"$tree"'"' EXIT
	trap 'exit 143' TERM INT
	# The tree is a mount point of its own, as a machine's / is (unshare
	# -m, which the unit tests use, needs one).
	mount --bind "$tree" "$tree" &&
		mount -t proc proc "$tree/proc" &&
		mount --rbind /sys "$tree/sys" && mount --make-rslave "$tree/sys" &&
		mount --rbind /dev "$tree/dev" && mount --make-rslave "$tree/dev" ||
		return 1
	cache=/root/.cache/lguest
	if [ -z "$cold" ]; then
		cache=$LGUEST_CACHE
		mkdir -p "$FRESH_DIR/apt-archives/partial" "$tree$cache"
		mount --bind "$FRESH_DIR/apt-archives" "$tree/var/cache/apt/archives" &&
			mount --bind "$LGUEST_CACHE" "$tree$cache" || return 1
	fi
	# In the background, so that a TERM (the suite's time limit) runs the
	# cleanup at once instead of after the chroot's command ends.
	chroot "$tree" /usr/bin/env -i \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root LANG=C.UTF-8 TERM=dumb CI="${CI:-}" LGUEST_CACHE="$cache" \
		/bin/bash -c "cd /root/lguest && $cmd" </dev/null &
	wait $!
	rc=$?
	fresh_kill_inside "$tree"
	fresh_umount_all "$tree" || { echo "fresh-machine: mounts left in $tree" >&2; return 1; }
	trap - EXIT TERM INT
	[ -n "${FRESH_KEEP:-}" ] || fresh_remove "$tree"
	return $rc
}
