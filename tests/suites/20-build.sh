#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 900
# Build checks: lguest.ko against every Host kernel we support with W=1
# and no warnings (compiler, modpost or objtool): Debian 12's 6.1 and
# 6.12, Debian 13's 6.12 and trixie-backports' 7.x, its current series and
# the one before (the last three in the trixie build environment,
# tools/trixie-buildenv.sh, for their gcc-14);
# the compat header probed from each tree, and the Guest's copy of the ABI
# header.
set -uo pipefail
. "$(dirname "$0")/../suite.sh"
mkdir -p "$BUILD"

declare -A krel_of
# trixie-backports:7.2 is the series before the current one, its newest
# kernel; backports may drop an old series, which is then skipped.
for meta in linux-image-amd64 linux-image-6.12-amd64 trixie trixie-backports \
	trixie-backports:7.2; do
	rc=0
	kdir=$("$TOP/tests/bench/fetch-host-kernel.sh" "$meta" 2>"$BUILD/fetch.err") || rc=$?
	if [ $rc = 3 ]; then
		echo "SKIP fetch-$meta: $(tail -1 "$BUILD/fetch.err")"
		continue
	elif [ $rc != 0 ]; then
		echo "FAIL fetch-$meta: could not fetch the kernel and headers: $(tail -1 "$BUILD/fetch.err")"
		continue
	fi
	read -r krel version <"$kdir/version"
	# 6.1, 6.12, 6.12+deb13, 7.3.4+deb13: the result names say which.
	name=${krel%-amd64}
	name=${name%%-[0-9]*}
	echo "PASS fetch-$name: $krel ($version)"
	krel_of[$meta]=$krel
	if ko=$("$TOP/tests/bench/build-module.sh" "$meta" W=1); then
		echo "PASS module-build-$name"
	else
		echo "FAIL module-build-$name: see $BUILD/kmod/$krel/build.log"
		continue
	fi
	log=$BUILD/kmod/$krel/build.log
	if grep -qiE 'warning' "$log"; then
		echo "FAIL module-w1-clean-$name: $(grep -m1 -iE 'warning' "$log")"
	else
		echo "PASS module-w1-clean-$name"
	fi
	# The module must be built for exactly this kernel.
	vermagic=$(modinfo -F vermagic "$ko" 2>/dev/null)
	case $vermagic in
	"$krel "*) echo "PASS module-vermagic-$name" ;;
	*) echo "FAIL module-vermagic-$name: vermagic '$vermagic', want $krel" ;;
	esac
	if [ -f "$BUILD/kmod/$krel/host-module/compat-probed.h" ]; then
		echo "PASS compat-probed-$name"
	else
		echo "FAIL compat-probed-$name: compat-probed.h was not generated"
	fi
done

# The compat probes must tell the kernels apart where they differ: 6.1
# from 6.12, and 7.x (renamed MSR accessors, hrtimer_setup, lazy
# preemption, FRED, no switch_fpu_return for us) from both.
probed() {
	[ -z "${krel_of[$1]:-}" ] ||
		grep -h '^#define LGUEST_HAVE' "$BUILD/kmod/${krel_of[$1]}/host-module/compat-probed.h" 2>/dev/null | sort
}
a=$(probed linux-image-amd64)
b=$(probed linux-image-6.12-amd64)
c=$(probed trixie-backports)
if [ -n "$a$b" ] && [ "$a" != "$b" ]; then
	echo "PASS compat-probes-differ"
else
	echo "FAIL compat-probes-differ: 6.1 and 6.12 probed the same ('$a')"
fi
if grep -q 'LGUEST_HAVE_RDMSRQ' <<<"$c" && grep -q 'LGUEST_HAVE_HRTIMER_SETUP' <<<"$c" &&
	grep -q 'LGUEST_HAVE_RESCHED_LAZY' <<<"$c" && ! grep -q 'LGUEST_HAVE_RESCHED_LAZY' <<<"$a" &&
	! grep -q 'LGUEST_HAVE_SWITCH_FPU_RETURN_EXPORT' <<<"$c" &&
	grep -q 'LGUEST_HAVE_SWITCH_FPU_RETURN_EXPORT' <<<"$a"; then
	echo "PASS compat-probes-7x"
else
	echo "FAIL compat-probes-7x: 7.x probed '$(tr '\n' ' ' <<<"$c")', 6.1 '$(tr '\n' ' ' <<<"$a")'"
fi

# The Guest patch queue carries a copy of the ABI header: it must not drift.
if [ -x "$TOP/guest-patches/check-abi.sh" ]; then
	if "$TOP/guest-patches/check-abi.sh" >"$BUILD/logs/check-abi.log" 2>&1; then
		echo "PASS abi-guest-copy"
	else
		echo "FAIL abi-guest-copy: $(tail -1 "$BUILD/logs/check-abi.log")"
	fi
else
	echo "SKIP abi-guest-copy: no guest-patches/check-abi.sh yet"
fi

# compat.h is the one file that tells Host kernels apart, and Kbuild
# force-includes it everywhere: no other file of the module may test a
# kernel version or a compat-probe.sh macro, or include compat.h itself.
compat_pat='LINUX_VERSION_CODE|LGUEST_HAVE_|^[[:space:]]*#[[:space:]]*include[[:space:]]*["<]([^">]*/)?compat\.h[">]'
compat_files=$(git -C "$TOP" ls-files host-module | grep -vxE 'host-module/compat(\.h|-probe\.sh)' || true)
# shellcheck disable=SC2086
hit=$(cd "$TOP" && grep -nE "$compat_pat" $compat_files /dev/null | head -1)
if [ -z "$compat_files" ]; then
	echo "FAIL compat-only-in-compat-h: git lists no files in host-module"
elif [ -n "$hit" ]; then
	echo "FAIL compat-only-in-compat-h: $hit"
else
	echo "PASS compat-only-in-compat-h"
fi

# Kernel coding style, by the kernel's own checkpatch.pl, in every C file
# and patch we ship or test with.
cd "$TOP"
for area in include host-module launcher tests guest-patches; do
	files=$(git ls-files "$area" | grep -E '\.(c|h|S|patch)$' || true)
	if [ -z "$files" ]; then
		echo "SKIP checkpatch-$area: no files"
		continue
	fi
	# shellcheck disable=SC2086
	if tools/checkpatch.sh $files >"$BUILD/logs/checkpatch-$area.log" 2>&1; then
		echo "PASS checkpatch-$area"
	else
		echo "FAIL checkpatch-$area: $(grep -m1 -E 'ERROR|WARNING' "$BUILD/logs/checkpatch-$area.log")"
	fi
done
