#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 1800
#
# 05-fresh-machine: "make deps" and a real part of "make check" on a new
# Debian 12 machine, so that a package missing from tools/deps.d fails here
# and not on the first machine that lacks it.
#
# The new machine is a chroot: debootstrap --variant=minbase bookworm plus
# make (the one tool README's two commands start from), from a base tarball
# cached for at most two weeks; this machine's apt sources and settings; a
# clean clone of this checkout's HEAD.  Inside it, tests/fresh-machine/
# inside.sh runs make deps, the unit tests (with tools/check-deps.sh, now
# against a package database that holds only what make deps installed),
# the module build against the bench's headers and one QEMU Host boot that
# loads lguest.ko and runs the freestanding Guests.
#
# Shared with the chroot, to keep it quick: apt's downloaded .debs (a cache
# of their own) and the big caches (LGUEST_CACHE: Host kernels, the Guest
# kernel build), bound at the same path.  The installed package set is not:
# every run starts from the base tarball.
set -uo pipefail
. "$(dirname "$0")/../suite.sh"
. "$TOP/tests/fresh-machine/chroot.sh"

if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP fresh-machine: needs root (debootstrap, chroot, mounts)"
	exit 0
fi

if ! fresh_base >"$BUILD/logs/fresh-base.log" 2>&1; then
	echo "FAIL fresh-base: debootstrap failed: $(tail -1 "$BUILD/logs/fresh-base.log")"
	exit 0
fi
echo "PASS fresh-base: $(tail -1 "$BUILD/logs/fresh-base.log")"

fresh_enter "$TOP" "$BUILD/fresh-machine" tests/fresh-machine/inside.sh
