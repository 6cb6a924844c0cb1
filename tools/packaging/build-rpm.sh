#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-rpm.sh [--out=DIR]: build lguest's RPMs with "rpmbuild -ba" from a
# tarball of the tree, with DIR (build/rpm by default) as rpm's _topdir.
# The RPMs land in DIR/RPMS/*/ and the source RPMs in DIR/SRPMS/.
#
# BuildRequires are not checked (--nodeps): on Debian, rpm's database knows
# no packages; the build needs what tools/deps.d/packaging.list installs.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

out=$PKG_TOP/build/rpm
for arg; do
	case $arg in
	--out=*) out=${arg#--out=} ;;
	*) echo "usage: $0 [--out=DIR]" >&2; exit 2 ;;
	esac
done

version=$(dkms_version)
case $out in /*) ;; *) out=$PWD/$out ;; esac
rm -rf "$out"
mkdir -p "$out"/{BUILD,RPMS,SOURCES,SPECS,SRPMS,tree}
copy_tree "$out/tree/lguest-$version"
tar -C "$out/tree" --owner=0 --group=0 --sort=name \
	-czf "$out/SOURCES/lguest-$version.tar.gz" "lguest-$version"
rm -rf "$out/tree"
cp "$PKG_TOP"/rpm/*.spec "$out/SPECS/"

for spec in "$out"/SPECS/*.spec; do
	rpmbuild -ba --nodeps \
		--define "_topdir $out" \
		--define "lguest_version $version" \
		"$spec"
done
find "$out/RPMS" "$out/SRPMS" -name '*.rpm' | sort
