# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the packaging scripts.  Source, don't run.

PKG_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# dkms_version: PACKAGE_VERSION from dkms.conf, the one version of lguest.
dkms_version() {
	local v
	v=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$PKG_TOP/dkms.conf")
	[ -n "$v" ] || {
		echo "packaging: no PACKAGE_VERSION in $PKG_TOP/dkms.conf" >&2
		return 1
	}
	echo "$v"
}

# copy_tree DEST: copy the source tree into DEST (which must not exist yet):
# in a git checkout, the tracked and untracked files git does not ignore
# (so no build products and nothing under build/); otherwise everything
# but build/ and .git.  With LGUEST_PKG_FROM=REV (for example HEAD), the
# committed tree of REV instead, leaving out work in progress.
copy_tree() {
	local dest=$1

	mkdir -p "$dest"
	if [ -n "${LGUEST_PKG_FROM:-}" ]; then
		git -C "$PKG_TOP" archive --format=tar "$LGUEST_PKG_FROM" |
			tar -C "$dest" -xf -
	elif git -C "$PKG_TOP" rev-parse --show-toplevel >/dev/null 2>&1; then
		(cd "$PKG_TOP" && git ls-files -z -co --exclude-standard |
			while IFS= read -r -d '' f; do
				[ -e "$f" ] && printf '%s\0' "$f"
			done | tar --null -T - -cf -) | tar -C "$dest" -xf -
	else
		tar -C "$PKG_TOP" --exclude=./build --exclude=./.git -cf - . |
			tar -C "$dest" -xf -
	fi
}
