#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# set-version.sh VERSION [CHANGE]: make VERSION the version of lguest.
# Writes PACKAGE_VERSION in dkms.conf (the one version source: the
# Makefile, the launcher and the RPM builds read it) and adds an entry for
# VERSION, saying CHANGE, to debian/changelog and to both RPM spec
# changelogs, which must agree with it (debian/rules refuses to build
# otherwise).  Commit the four files together.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

if [ $# -lt 1 ] || ! [[ $1 =~ ^[0-9]+(\.[0-9]+)+$ ]]; then
	echo "usage: $0 VERSION [CHANGE]   (VERSION like 0.2.0)" >&2
	exit 2
fi
new=$1
change=${2:-New version $new.}
cd "$PKG_TOP"
old=$(dkms_version)
if [ "$new" = "$old" ]; then
	echo "set-version: already $new" >&2
	exit 1
fi

maint=$(sed -n 's/^Maintainer: //p' debian/control)
sed -i "s/^PACKAGE_VERSION=\".*\"/PACKAGE_VERSION=\"$new\"/" dkms.conf

{
	printf 'lguest (%s) unstable; urgency=medium\n\n' "$new"
	printf '%s\n' "$change" | fold -s -w 72 | sed 's/ *$//; 1s/^/  * /; 1!s/^/    /'
	printf '\n -- %s  %s\n\n' "$maint" "$(LC_ALL=C date -R)"
	cat debian/changelog
} >debian/changelog.new
mv debian/changelog.new debian/changelog

for spec in rpm/*.spec; do
	awk -v head="* $(LC_ALL=C date '+%a %b %d %Y') $maint - $new-1" -v change="- $change" '
		{ print }
		/^%changelog$/ { print head; print change; print "" }
	' "$spec" >"$spec.new"
	mv "$spec.new" "$spec"
done
echo "lguest $old -> $new: dkms.conf, debian/changelog, rpm/*.spec"
