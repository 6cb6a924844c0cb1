#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-deb.sh [--profiles=PROFILES] [--out=DIR]: build lguest's .debs with
# "dpkg-buildpackage -us -uc -b" in a copy of the tree, DIR/lguest-VERSION
# (DIR is build/pkg by default), so the checkout stays clean.  The .debs,
# .buildinfo and .changes land in DIR.
#
# --profiles=pkg.lguest.guest adds the Guest kernel package, which runs
# "make guest-kernel" (slow) unless LGUEST_GUEST_BZIMAGE names a bzImage
# that is already built.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

profiles=
out=$PKG_TOP/build/pkg
for arg; do
	case $arg in
	--profiles=*) profiles=${arg#--profiles=} ;;
	--out=*) out=${arg#--out=} ;;
	*) echo "usage: $0 [--profiles=PROFILES] [--out=DIR]" >&2; exit 2 ;;
	esac
done

version=$(dkms_version)
case $out in /*) ;; *) out=$PWD/$out ;; esac
rm -rf "$out"
mkdir -p "$out"
src=$out/lguest-$version
copy_tree "$src"

cd "$src"
dpkg-buildpackage -us -uc -b ${profiles:+"--build-profiles=$profiles"}
ls -1 "$out"/*.deb
