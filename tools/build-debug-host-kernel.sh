#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-debug-host-kernel.sh: build the debug Host kernel of the QEMU bench
# (run-vm.sh --host debug) and print its cache directory.
#
#   build-debug-host-kernel.sh           build (cached), print the directory
#   build-debug-host-kernel.sh --cached  print the directory if it is built,
#                                        else fail (exit 3) without building
#
# Takes Debian's linux-source-6.1 (the package and tarball
# guest-patches/PINNED names; any revision installed), configures it as
# "make ARCH=x86_64 allnoconfig" plus tests/bench/debug-host.config (what
# the bench's Hosts need, built in, and KASAN, KFENCE, UBSAN, lockdep,
# kmemleak, debug objects ...), checks that every option asked for is in
# the .config, and builds bzImage and the modules tree (docs/debug-host.md).
#
# Everything happens in a cache directory named after the source revision
# and a hash of the inputs:
#
#   ${LGUEST_CACHE:-${XDG_CACHE_HOME:-~/.cache}/lguest}/debug-host-kernel/
#       <revision>-<hash>/
#
# which, once "done" exists, holds what fetch-host-kernel.sh's directories
# hold: vmlinuz, kdir (a tree "make -C kdir M=..." builds modules against),
# version ("KERNELRELEASE linux-source-6.1 REVISION"), modules (the
# kernel's /lib/modules/KERNELRELEASE, with modules.builtin, so run-vm.sh
# --kmod of a built-in driver is a no-op), and build-seconds.  An
# interrupted build resumes where it stopped; a flock on the cache makes a
# second caller wait for the first, then find it done.
#
# Messages go to stderr, the directory to stdout.  Environment:
# DEBUG_HOST_JOBS (make -j, default 2), LGUEST_CACHE.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
fragment=$top/tests/bench/debug-host.config
# Bump when the recipe below changes in a way that changes the result.
recipe=1
cached_only=
case ${1:-} in
--cached) cached_only=1 ;;
"") ;;
*) echo "usage: build-debug-host-kernel.sh [--cached]" >&2; exit 2 ;;
esac

die() {
	echo "build-debug-host-kernel: $*" >&2
	exit 1
}
say() {
	echo "build-debug-host-kernel: $*" >&2
}

pinned() {
	sed -n "s/^$1=//p" "$top/guest-patches/PINNED"
}
pkg=$(pinned package)
tarball=$(pinned tarball)
have=$(dpkg-query -W -f='${db:Status-Status} ${Version}' "$pkg" 2>/dev/null || true)
[ "${have%% *}" = installed ] ||
	die "$pkg is not installed: run 'sudo apt-get install $pkg' (or 'sudo make deps')"
have=${have#* }
[ -r "$tarball" ] || die "$tarball is missing (reinstall $pkg)"
[ -r "$fragment" ] || die "$fragment is missing"

hash=$({
	echo "recipe $recipe"
	echo "source $pkg $have"
	cat "$fragment"
} | sha256sum | cut -c1-16)

cache_root=${LGUEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lguest}/debug-host-kernel
dir=$cache_root/$have-$hash
mkdir -p "$cache_root"

if [ -n "$cached_only" ]; then
	[ -f "$dir/done" ] || exit 3
	echo "$dir"
	exit 0
fi

# One build at a time per cache; a second caller waits, then finds it done.
exec 9>"$cache_root/.lock"
if ! flock -n 9; then
	say "another build holds $cache_root/.lock: waiting for it"
	flock 9
fi

if [ -f "$dir/done" ]; then
	touch "$dir"
	echo "$dir"
	exit 0
fi

# 1. Unpack (once per source revision, shared by every config: the build
# happens in obj/, the source tree stays clean; a stamp marks a complete
# tree).
src=$cache_root/source-$have
obj=$dir/obj
if [ ! -f "$src/.unpacked" ]; then
	rm -rf "$src" "$src.unpack"
	mkdir -p "$src.unpack"
	say "unpacking $tarball into $src"
	tar -xJf "$tarball" -C "$src.unpack" --strip-components=1
	touch "$src.unpack/.unpacked"
	mv "$src.unpack" "$src"
fi
mkdir -p "$dir"

mk() {
	nice -n 10 make -C "$src" O="$obj" ARCH=x86_64 \
		KBUILD_BUILD_VERSION_TIMESTAMP="Debian $have lguest-debug-${hash:0:8}" \
		"$@"
}

# 2. Configure: allnoconfig, the fragment on top, then every option the
# fragment sets checked in the result.
if [ ! -f "$dir/.configured" ]; then
	mkdir -p "$obj"
	mk -s allnoconfig >/dev/null
	(cd "$src" && KCONFIG_CONFIG="$obj/.config" \
		scripts/kconfig/merge_config.sh -m -O "$obj" "$obj/.config" \
		"$fragment" >"$dir/config.log" 2>&1)
	mk -s olddefconfig >/dev/null
	bad=
	while IFS='=' read -r opt val; do
		grep -qxF "$opt=$val" "$obj/.config" || bad="$bad $opt=$val"
	done < <(grep -E '^CONFIG_[A-Z0-9_]+=' "$fragment")
	while read -r opt; do
		! grep -q "^$opt=" "$obj/.config" || bad="$bad $opt=n"
	done < <(sed -n 's/^# \(CONFIG_[A-Z0-9_]*\) is not set$/\1/p' "$fragment")
	[ -z "$bad" ] || die "Kconfig did not accept:$bad (missing dependencies? see $obj/.config)"
	touch "$dir/.configured"
fi

# 3. Build: the kernel, the (no) modules, and the module-building files.
jobs=${DEBUG_HOST_JOBS:-2}
say "building in $obj (nice -n 10 make -j$jobs; log: $dir/build.log)"
start=$(date +%s)
if ! mk -j"$jobs" bzImage modules modules_prepare >"$dir/build.log" 2>&1; then
	grep -E 'error|Error' "$dir/build.log" | head -20 >&2
	tail -5 "$dir/build.log" >&2
	die "kernel build failed; full log in $dir/build.log"
fi
seconds=$(($(date +%s) - start))
say "built in $seconds s"
echo "$seconds" >"$dir/build-seconds"

# 4. What the bench needs: the image, a modules tree for modprobe (only
# modules.builtin: every driver is built in), the module-building tree.
krel=$(cat "$obj/include/config/kernel.release")
mods=$dir/root/lib/modules/$krel
rm -rf "$dir/root"
mkdir -p "$mods"
cp "$obj/modules.builtin" "$obj/modules.builtin.modinfo" "$obj/modules.order" "$mods/"
depmod -b "$dir/root" "$krel"
ln -sfn "$mods" "$dir/modules"
cp "$obj/arch/x86/boot/bzImage" "$dir/vmlinuz"
cp "$obj/.config" "$dir/config"
# Objects are not needed to build modules against the tree (Module.symvers,
# scripts/, include/, tools/objtool and the source are); vmlinux stays for
# decoding reports (scripts/faddr2line).
find "$obj" -name '*.o' -delete
ln -sfn "$obj" "$dir/kdir"
echo "$krel $pkg $have" >"$dir/version"
touch "$dir/done"
say "debug Host kernel $krel in $dir"

# Keep the two newest builds of this revision (the source stays).
ls -1dt "$cache_root/$have"-* | tail -n +3 | while read -r old; do
	[ "$old" = "$dir" ] || rm -rf "$old"
done

echo "$dir"
