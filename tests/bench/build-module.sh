#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# [KMOD_VARIANT=NAME] build-module.sh META [MAKE ARGS...]: build lguest.ko
# against the headers of Debian Host kernel META (fetch-host-kernel.sh), in a
# copy of the sources under build/kmod/KERNELRELEASE[-NAME] so builds for
# different kernels never share objects.  Prints the path of lguest.ko; the compiler's output
# is in build/kmod/KERNELRELEASE/build.log.
#
# The build uses the compiler the headers were made with (the first word of
# their CONFIG_CC_VERSION_TEXT).  When this machine lacks it, as Debian 12
# lacks trixie's gcc-14, the build runs in the trixie build environment
# (tools/trixie-buildenv.sh) instead; LGUEST_KMOD_ENV=host or =trixie
# chooses one outright.
set -euo pipefail
. "$(dirname "$0")/common.sh"

meta=${1:-linux-image-amd64}
shift || true
kdir=$("$TOP/tests/bench/fetch-host-kernel.sh" "$meta")
read -r krel _ <"$kdir/version"
# KMOD_VARIANT=NAME builds a variant (e.g. with LGUEST_SELFTEST=y) apart.
out=$BUILD/kmod/$krel${KMOD_VARIANT:+-$KMOD_VARIANT}
mkdir -p "$out"
# One build at a time in a directory: two bench runs started together
# (57-debian's) would otherwise sync and make in it at once, and Kbuild's
# generated headers are not made for that.
cache_lock "kmod-$(cksum <<<"$out" | cut -d' ' -f1)"
# Exactly what DKMS would get: the module directory and the ABI header.
rsync -a --delete --exclude '*.o' --exclude '*.ko' --exclude '.*.cmd' \
	--exclude '*.mod*' --exclude modules.order --exclude Module.symvers \
	--exclude compat-probed.h "$TOP/host-module/" "$out/host-module/"
rsync -a --delete "$TOP/include/" "$out/include/"
cc=$(sed -n 's/^CONFIG_CC_VERSION_TEXT="\{0,1\}\([^ "]*\).*/\1/p' \
	"$kdir/kdir/include/config/auto.conf")
env=${LGUEST_KMOD_ENV:-auto}
if [ "$env" = auto ]; then
	env=host
	[ -z "$cc" ] || command -v "$cc" >/dev/null || env=trixie
fi
run=()
if [ "$env" = trixie ]; then
	run=("$TOP/tools/trixie-buildenv.sh" -b "$out" -b "$kdir")
fi
if ! ${run[@]+"${run[@]}"} make -C "$out/host-module" KDIR="$kdir/kdir" "$@" \
	>"$out/build.log" 2>&1; then
	cat "$out/build.log" >&2
	die "building lguest.ko for $krel failed"
fi
echo "$out/host-module/lguest.ko"
