#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# trixie-buildenv.sh [-b DIR]... [-w DIR] CMD [ARG...]: run CMD in a
# Debian 13 (trixie) build environment, with each -b DIR bind-mounted at
# its own path, and the working directory kept when it is one of them.
# With -w DIR the environment is writable: an overlay whose changes go to
# DIR (a Debian 13 machine to install packages on), the cached tree left
# as it was; without it, the command runs in the cached tree itself
# (builds there write only to the -b DIRs).
#
# Trixie's kernel headers (6.12+deb13 and the 7.x backports) name gcc-14
# as their compiler, which Debian 12 does not have; this environment has
# it, with what building an external module against Debian's headers
# needs.  It is a debootstrap --variant=minbase trixie tree, made once and
# kept in LGUEST_CACHE/trixie-buildenv/KEY, KEY naming the package list
# (a change of the list makes a new one).  An exclusive lock is held
# while a tree is made, a shared one while it is used, so a tree is never
# replaced under a running build.
#
# Each run has a mount namespace of its own (unshare -m): /proc (objtool
# in 7.x reads it), /dev and the DIRs are mounted there, unmounted on every
# way out (a trap), and vanish with the namespace even if this script is
# killed outright, so nothing in the cache ever stays mounted.  A tree is
# deleted only after checking that nothing is mounted in it, and only
# with rm --one-file-system (tests/fresh-machine/chroot.sh's helpers).
#
#	tools/trixie-buildenv.sh --make		make the tree only, print it
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/fresh-machine/chroot.sh"

env_pkgs="gcc-14 libc6-dev make libelf-dev bc dwarves kmod libssl-dev xz-utils perl dkms"
env_key=$(echo "trixie $env_pkgs" | sha256sum | cut -c1-12)
env_dir=$LGUEST_CACHE/trixie-buildenv
env_tree=$env_dir/$env_key

die() {
	echo "trixie-buildenv: $*" >&2
	exit 1
}

# make_tree: debootstrap the tree unless it is there (under the exclusive
# lock, taken by the caller).
make_tree() {
	local mirror tmp=$env_dir/$env_key.tmp
	[ -e "$env_tree/.done" ] && return 0
	[ "$(id -u)" -eq 0 ] || die "making the trixie build environment needs root"
	mirror=${LGUEST_DEBIAN_MIRROR:-$(mirror_from_apt bookworm | head -1)}
	mirror=${mirror:-http://deb.debian.org/debian}
	fresh_remove "$tmp" || die "cannot remove the unfinished $tmp"
	mkdir -p "$tmp"
	echo "trixie-buildenv: debootstrap trixie from $mirror into $env_tree" >&2
	if ! debootstrap --variant=minbase --include="${env_pkgs// /,}" \
		--keyring=/usr/share/keyrings/debian-archive-keyring.gpg \
		trixie "$tmp" "$mirror" >"$env_dir/debootstrap.log" 2>&1; then
		fresh_remove "$tmp"
		die "debootstrap failed: $(tail -3 "$env_dir/debootstrap.log")"
	fi
	fresh_umount_all "$tmp" || die "debootstrap left mounts in $tmp"
	rm -rf "$tmp"/var/cache/apt/archives/*.deb
	# Every old tree goes: nothing can be using one, as we hold the lock.
	local old
	for old in "$env_dir"/*/; do
		old=${old%/}
		[ "$old" = "$tmp" ] || fresh_remove "$old" || die "cannot remove $old"
	done
	mv "$tmp" "$env_tree"
	touch "$env_tree/.done"
}

# end_child: end our command, if it still runs: TERM, then KILL after a
# few seconds (make passes the TERM on to its jobs).
# shellcheck disable=SC2317 # called from the EXIT trap
end_child() {
	local n=10
	[ -n "$child" ] || return 0
	kill -TERM "$child" 2>/dev/null || return 0
	while [ "$n" -gt 0 ] && kill -0 "$child" 2>/dev/null; do
		sleep 0.5
		n=$((n - 1))
	done
	kill -KILL "$child" 2>/dev/null
	wait "$child" 2>/dev/null
}

# inside SCRATCH DIR... -- CMD...: the part that runs in the new mount
# namespace.  SCRATCH is "-" for the cached tree itself, or a directory
# that takes every change the command makes (an overlay over the tree).
inside() {
	local binds=() d scratch=$1 root=$env_tree
	shift
	while [ "$1" != -- ]; do
		binds+=("$1")
		shift
	done
	shift
	child=
	# Other runs share the tree (each in its own namespace), so only our
	# own command is ended here, never every process rooted in the tree.
	trap 'end_child
		fresh_umount_all "$root" ||
		echo "trixie-buildenv: mounts left in $root" >&2' EXIT
	trap 'exit 143' TERM INT
	if [ "$scratch" != - ]; then
		root=$scratch/root
		mkdir -p "$scratch/upper" "$scratch/work" "$root"
		mount -t overlay overlay \
			-o "lowerdir=$env_tree,upperdir=$scratch/upper,workdir=$scratch/work" "$root"
	fi
	mount -t proc proc "$root/proc"
	mount --rbind /dev "$root/dev"
	mount --make-rslave "$root/dev"
	for d in ${binds[@]+"${binds[@]}"}; do
		mkdir -p "$root$d"
		mount --bind "$d" "$root$d"
	done
	# Only an overlay may be written: the cached tree's resolv.conf
	# dates from when it was made, which apt in it does not need.
	[ "$scratch" = - ] || cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
	local wd=/
	for d in ${binds[@]+"${binds[@]}"}; do
		case $PWD/ in "$d"/*) wd=$PWD ;; esac
	done
	# In the background, so that a TERM runs the cleanup at once.
	chroot "$root" /usr/bin/env -i \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root LANG=C.UTF-8 TERM=dumb \
		/bin/sh -c 'cd "$0" && exec "$@"' "$wd" "$@" </dev/null &
	child=$!
	local rc=0
	wait "$child" || rc=$?
	child=
	exit $rc
}

if [ "${1:-}" = --inside ]; then
	shift
	inside "$@"
fi

binds=()
scratch=-
while [ $# -gt 0 ]; do
	case $1 in
	-b)
		[ -d "${2:-}" ] || die "-b ${2:-}: not a directory"
		binds+=("$(readlink -f "$2")")
		shift 2
		;;
	-w)
		[ -d "${2:-}" ] || die "-w ${2:-}: not a directory"
		scratch=$(readlink -f "$2")
		shift 2
		;;
	--make)
		make_only=1
		shift
		;;
	*) break ;;
	esac
done
[ -n "${make_only:-}" ] || [ $# -gt 0 ] ||
	die "usage: trixie-buildenv.sh [-b DIR]... [-w DIR] CMD [ARG...] | --make"

mkdir -p "$env_dir"
exec 7>"$env_dir/.lock"
# Shared while the tree is there; exclusive only to make it.
flock -s 7
if [ ! -e "$env_tree/.done" ]; then
	flock 7
	make_tree
	flock -s 7
fi
if [ -n "${make_only:-}" ]; then
	echo "$env_tree"
	exit 0
fi
# In the background, so that a TERM or INT here is passed on at once to
# the namespace's side, which cleans up before it exits.
unshare -m --propagation private \
	"$0" --inside "$scratch" ${binds[@]+"${binds[@]}"} -- "$@" &
inner=$!
trap 'kill -TERM "$inner" 2>/dev/null; wait "$inner"; exit 143' TERM INT
rc=0
wait "$inner" || rc=$?
exit $rc
