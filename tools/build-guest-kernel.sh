#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-guest-kernel.sh: build the lguest Guest kernel.
#
# Takes the kernel source pinned in guest-patches/PINNED (Debian's
# linux-source-6.1), applies guest-patches/series, configures it as
# "make ARCH=i386 tinyconfig" plus guest-patches/lguest.config and builds a
# gzip'd bzImage.  Everything happens in a cache directory named after the
# source version and a hash of the series, the patches and the config:
#
#   ${XDG_CACHE_HOME:-~/.cache}/lguest/guest-kernel/<version>-<hash>/
#
# so a second run with the same inputs only copies the results into
# build/guest/ (bzImage, vmlinux, config, System.map).  An interrupted build
# resumes where it stopped.
#
# Environment: GUEST_JOBS (parallel make jobs, default: number of CPUs),
# LGUEST_CACHE (overrides the cache root).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
gp=$top/guest-patches
out=$top/build/guest
# Bump when the recipe below changes in a way that changes the result.
recipe=1

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
[ "$have" = "$want" ] ||
	die "the patches are made for $pkg $want, but $have is installed.
build-guest-kernel: install $want, or move guest-patches/ to $have (edit
build-guest-kernel: guest-patches/PINNED, then fix the patches that no longer apply)."
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
	cat "$gp/PINNED" "$gp/series" "$gp/lguest.config"
	for p in "${patches[@]}"; do cat "$gp/$p"; done
} | sha256sum | cut -c1-16)

cache_root=${LGUEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lguest}/guest-kernel
dir=$cache_root/$want-$hash
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
	echo "$want-$hash" >"$out/VERSION"
	say "build/guest/bzImage: $pkg $want + $(basename "$dir" | sed "s/^$want-//") ($(stat -c %s "$out/bzImage") bytes)"
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
	for p in "${patches[@]}"; do
		if ! patch -d "$dir/unpack" -p1 --batch --forward --dry-run -s \
			<"$gp/$p" >"$dir/patch.log" 2>&1; then
			cat "$dir/patch.log" >&2
			die "guest-patches/$p does not apply to $pkg $want (see above)"
		fi
		patch -d "$dir/unpack" -p1 --batch --forward -s <"$gp/$p" ||
			die "guest-patches/$p failed to apply"
		say "applied $p"
	done
	mv "$dir/unpack" "$src"
	touch "$dir/.patched"
fi

# 4. Configure: tinyconfig, then our fragment on top.
mk() {
	make -C "$src" O="$obj" ARCH=i386 "$@"
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
ls -1dt "$cache_root/$want"-* | tail -n +4 | while read -r old; do
	[ "$old" = "$dir" ] || rm -rf "$old"
done

publish
