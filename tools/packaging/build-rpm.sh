#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-rpm.sh [--out=DIR] [--release=N] [--set-version=V]: build lguest's
# RPMs with "rpmbuild -ba" from a tarball of the tree, with DIR (build/rpm
# by default) as rpm's _topdir.  The RPMs land in DIR/RPMS/*/ and the
# source RPMs in DIR/SRPMS/.  --release sets the RPM release (1 by
# default); --set-version rewrites PACKAGE_VERSION in the copy of dkms.conf
# (the packaging test uses both to build upgrades).
#
# BuildRequires are not checked (--nodeps): on Debian, rpm's database knows
# no packages; the build needs what tools/deps.d/packaging.list installs.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

out=$PKG_TOP/build/rpm
release=1
version=$(dkms_version)
set_version=
for arg; do
	case $arg in
	--out=*) out=${arg#--out=} ;;
	--release=*) release=${arg#--release=} ;;
	--set-version=*) set_version=${arg#--set-version=} ;;
	*) echo "usage: $0 [--out=DIR] [--release=N] [--set-version=V]" >&2; exit 2 ;;
	esac
done

case $out in /*) ;; *) out=$PWD/$out ;; esac
rm -rf "$out"
mkdir -p "$out"/{BUILD,RPMS,SOURCES,SPECS,SRPMS,tree}
if [ -n "$set_version" ]; then
	copy_tree "$out/tree/lguest-$set_version"
	sed -i "s/^PACKAGE_VERSION=.*/PACKAGE_VERSION=\"$set_version\"/" \
		"$out/tree/lguest-$set_version/dkms.conf"
	version=$set_version
else
	copy_tree "$out/tree/lguest-$version"
fi
tar -C "$out/tree" --owner=0 --group=0 --sort=name \
	-czf "$out/SOURCES/lguest-$version.tar.gz" "lguest-$version"
rm -rf "$out/tree"
cp "$PKG_TOP"/rpm/*.spec "$out/SPECS/"

for spec in "$out"/SPECS/*.spec; do
	rpmbuild -ba --nodeps \
		--define "_topdir $out" \
		--define "lguest_version $version" \
		--define "lguest_release $release" \
		"$spec"
done
find "$out/RPMS" "$out/SRPMS" -name '*.rpm' | sort
