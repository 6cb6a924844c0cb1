#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# checkpatch.sh FILE...: run the kernel's checkpatch.pl (from Debian's
# linux-source-6.1, cached) over whole files.  User-space files (the
# Launcher, tests) may use the C library's types and printf.
set -euo pipefail
cache=${LGUEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lguest}
tarball=/usr/src/linux-source-6.1.tar.xz
[ -f "$tarball" ] || { echo "checkpatch: $tarball missing (make deps)" >&2; exit 2; }
version=$(dpkg-query -W -f='${Version}' linux-source-6.1)
dir=$cache/checkpatch/$version
if [ ! -x "$dir/scripts/checkpatch.pl" ]; then
	mkdir -p "$dir"
	tar -xJf "$tarball" -C "$dir" --strip-components=1 \
		linux-source-6.1/scripts/checkpatch.pl \
		linux-source-6.1/scripts/spelling.txt \
		linux-source-6.1/scripts/const_structs.checkpatch
fi
user_ignore=PREFER_KERNEL_TYPES,SPLIT_STRING,NEW_TYPEDEFS,SSCANF_TO_KSTRTO,FILE_PATH_CHANGES,PREFER_DEFINED_ATTRIBUTE_MACRO,ENOSYS
status=0
for f in "$@"; do
	case $f in
	host-module/*|*/host-module/*|guest-patches/*) ignore=FILE_PATH_CHANGES ;;
	# Freestanding test Guests are their own tiny kernels, not Linux.
	tests/guests/*) ignore=$user_ignore,VOLATILE,PRINTK_WITHOUT_KERN_LEVEL,AVOID_EXTERNS,EMBEDDED_FUNCTION_NAME ;;
	*) ignore=$user_ignore ;;
	esac
	# A patch goes in on stdin: given a file name inside a git work
	# tree, checkpatch.pl would check the patch file as source code.
	case $f in
	*.patch) src=- ;;
	*) src="-f $f" ;;
	esac
	# shellcheck disable=SC2086
	"$dir/scripts/checkpatch.pl" --no-tree --terse --show-types --quiet \
		--no-summary --ignore "$ignore" $src <"$f" |
		sed "s|^-:|$f:|" || status=1
done
exit $status
