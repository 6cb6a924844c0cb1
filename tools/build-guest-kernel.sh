#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-guest-kernel.sh: build the lguest Guest kernel.
#
#   build-guest-kernel.sh            build build/guest/bzImage (cached)
#   build-guest-kernel.sh --check    only check that the series applies to
#                                    the installed source, and say so
#
# Takes Debian's linux-source-6.1 (guest-patches/PINNED), applies
# guest-patches/series, configures it as "make ARCH=i386 tinyconfig" plus
# guest-patches/lguest.config and builds a gzip'd bzImage.
#
# Debian's archive keeps only the newest revision of linux-source-6.1, so
# the revision installed may be newer than the one PINNED names (the last
# one the team tested).  It is accepted when every patch of the series
# applies exactly: no fuzz (patch --fuzz=0); hunks that only moved (an
# offset) are reported.  Otherwise the build stops, naming the first patch
# that no longer applies.  The revision used goes into the cache key, into
# build/guest/VERSION and into the Guest kernel's version string (uname -v:
# "#1 Debian 6.1.192-3 lguest-<hash>").
#
# Everything happens in a cache directory named after the source version
# and a hash of the series, the patches and the config:
#
#   ${XDG_CACHE_HOME:-~/.cache}/lguest/guest-kernel/<version>-<hash>/
#
# so a second run with the same inputs only copies the results into
# build/guest/ (bzImage, vmlinux, config, System.map, VERSION).  An
# interrupted build resumes where it stopped.
#
# Environment: GUEST_JOBS (parallel make jobs, default: number of CPUs),
# LGUEST_CACHE (overrides the cache root), LGUEST_GUEST_PATCHES (another
# patch directory, for testing a refresh).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
gp=${LGUEST_GUEST_PATCHES:-$top/guest-patches}
out=$top/build/guest
# Bump when the recipe below changes in a way that changes the result.
recipe=2
check_only=
case ${1:-} in
--check) check_only=1 ;;
"") ;;
*) echo "usage: build-guest-kernel.sh [--check]" >&2; exit 2 ;;
esac

die() {
	echo "build-guest-kernel: $*" >&2
	exit 1
}
say() {
	echo "build-guest-kernel: $*"
}

pinned() {
	sed -n "s/^$1=//p" "$gp/PINNED"
}
pkg=$(pinned package)
want=$(pinned version)
tarball=$(pinned tarball)
[ -n "$pkg" ] && [ -n "$want" ] && [ -n "$tarball" ] ||
	die "guest-patches/PINNED must name package, version and tarball"

# 1. The pinned source package, installed if missing.
have=$(dpkg-query -W -f='${db:Status-Status} ${Version}' "$pkg" 2>/dev/null || true)
if [ "${have%% *}" != installed ]; then
	[ "$(id -u)" -eq 0 ] ||
		die "$pkg is not installed: run 'sudo apt-get install $pkg' (or 'sudo make deps')"
	say "installing $pkg"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null ||
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null; } ||
		die "could not install $pkg"
	have=$(dpkg-query -W -f='${db:Status-Status} ${Version}' "$pkg")
fi
have=${have#* }
if [ "$have" != "$want" ]; then
	say "$pkg $have is installed; PINNED's tested revision is $want:"
	say "accepting it only if every patch applies exactly"
fi
[ -r "$tarball" ] || die "$tarball is missing (reinstall $pkg)"

# 2. The inputs, and the cache directory named after them.
[ -r "$gp/series" ] || die "guest-patches/series is missing"
mapfile -t patches < <(sed 's/#.*//; s/[[:space:]]*$//; /^$/d' "$gp/series")
[ ${#patches[@]} -gt 0 ] || die "guest-patches/series lists no patches"
for p in "${patches[@]}"; do
	[ -r "$gp/$p" ] || die "guest-patches/series names $p, which does not exist"
done
hash=$({
	echo "recipe $recipe"
	echo "source $pkg $have"
	cat "$gp/series" "$gp/lguest.config"
	for p in "${patches[@]}"; do cat "$gp/$p"; done
} | sha256sum | cut -c1-16)
# What the Guest says in uname -v, and what the suites print.
build_id="Debian $have lguest-${hash:0:8}"

# apply_series TREE LOG: apply the whole series to TREE exactly (no fuzz),
# or die naming the first patch that does not apply.  Hunks found at
# another line (an offset: the code around them moved, not changed) are
# reported, not refused.
apply_series() {
	local tree=$1 log=$2 p
	for p in "${patches[@]}"; do
		if ! patch -d "$tree" -p1 --batch --forward --fuzz=0 --dry-run \
			<"$gp/$p" >"$log" 2>&1; then
			sed 's/^/    /' "$log" >&2
			die "guest-patches/$p no longer applies to $pkg $have (see above):
build-guest-kernel: refresh the series for $have (docs/guest.md, \"Moving to a new revision\")"
		fi
		patch -d "$tree" -p1 --batch --forward --fuzz=0 <"$gp/$p" >"$log" 2>&1 ||
			die "guest-patches/$p failed to apply"
		if grep -qE 'offset -?[0-9]+ lines?\)' "$log"; then
			say "applied $p, with hunks that moved:"
			grep -E 'offset -?[0-9]+ lines?\)' "$log" | sed 's/^/    /'
		else
			say "applied $p"
		fi
	done
}

# The check alone: unpack only the files the series changes.
if [ -n "$check_only" ]; then
	[ -r "$tarball" ] || die "$tarball is missing (reinstall $pkg)"
	tree=$(mktemp -d)
	trap 'rm -rf "$tree"' EXIT
	# Debian's tarball holds one directory, named after the package.
	top_dir=$(basename "$tarball" .tar.xz)
	for p in "${patches[@]}"; do
		sed -n 's|^--- a/\([^[:space:]]*\).*|\1|p' "$gp/$p"
	done | sort -u | sed "s|^|$top_dir/|" >"$tree/files"
	tar -xJf "$tarball" -C "$tree" --strip-components=1 \
		--files-from="$tree/files" 2>/dev/null || true
	apply_series "$tree" "$tree/patch.log"
	say "the series applies to $pkg $have ($build_id)"
	exit 0
fi

cache_root=${LGUEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lguest}/guest-kernel
dir=$cache_root/$have-$hash
mkdir -p "$cache_root"
# One build at a time per cache; a second caller waits, then finds it done.
exec 9>"$cache_root/.lock"
flock 9

publish() {
	mkdir -p "$out"
	for f in bzImage vmlinux config System.map; do
		cp "$dir/out/$f" "$out/$f.tmp"
		mv "$out/$f.tmp" "$out/$f"
	done
	echo "$pkg $have $hash" >"$out/VERSION"
	say "build/guest/bzImage: $pkg $have + series $hash ($(stat -c %s "$out/bzImage") bytes)"
	[ "$have" = "$want" ] ||
		say "note: built from $have; PINNED names $want, the last revision tested"
}

if [ -f "$dir/out/.done" ]; then
	say "cached in $dir"
	touch "$dir"
	publish
	exit 0
fi

# 3. Unpack and patch (once: a stamp marks a tree that is fully patched).
src=$dir/src
obj=$dir/obj
if [ ! -f "$dir/.patched" ]; then
	rm -rf "$dir"
	mkdir -p "$dir"
	say "unpacking $tarball"
	mkdir "$dir/unpack"
	tar -xJf "$tarball" -C "$dir/unpack" --strip-components=1
	apply_series "$dir/unpack" "$dir/patch.log"
	mv "$dir/unpack" "$src"
	touch "$dir/.patched"
fi

# 4. Configure: tinyconfig, then our fragment on top.
mk() {
	make -C "$src" O="$obj" ARCH=i386 \
		KBUILD_BUILD_VERSION_TIMESTAMP="$build_id" "$@"
}
if [ ! -f "$dir/.configured" ]; then
	mkdir -p "$obj"
	mk -s tinyconfig >/dev/null
	(cd "$src" && KCONFIG_CONFIG="$obj/.config" \
		scripts/kconfig/merge_config.sh -m -O "$obj" "$obj/.config" \
		"$gp/lguest.config" >"$dir/config.log" 2>&1)
	mk -s olddefconfig >/dev/null
	# Every option the fragment asks for must have survived Kconfig.
	bad=
	while IFS='=' read -r opt val; do
		case $val in
		n) grep -q "^$opt=" "$obj/.config" && bad="$bad $opt=n" ;;
		*) grep -qx "$opt=$val" "$obj/.config" || bad="$bad $opt=$val" ;;
		esac
	done < <(grep -E '^CONFIG_[A-Z0-9_]+=' "$gp/lguest.config")
	[ -z "$bad" ] || die "Kconfig did not accept:$bad (missing dependencies?)"
	touch "$dir/.configured"
fi

# 5. Build.
jobs=${GUEST_JOBS:-$(nproc)}
say "building bzImage in $obj (make -j$jobs; log: $dir/build.log)"
start=$(date +%s)
if ! mk -j"$jobs" bzImage >"$dir/build.log" 2>&1; then
	grep -E 'error|Error' "$dir/build.log" | head -20 >&2
	tail -5 "$dir/build.log" >&2
	die "kernel build failed; full log in $dir/build.log"
fi
say "built in $(($(date +%s) - start)) s"

mkdir -p "$dir/out"
cp "$obj/arch/x86/boot/bzImage" "$obj/vmlinux" "$obj/System.map" "$dir/out/"
cp "$obj/.config" "$dir/out/config"
touch "$dir/out/.done"

# Keep the three newest builds of this kernel (developers switch between
# patch sets, and concurrent checkouts share the cache); drop older ones.
ls -1dt "$cache_root/$have"-* | tail -n +4 | while read -r old; do
	[ "$old" = "$dir" ] || rm -rf "$old"
done

publish
