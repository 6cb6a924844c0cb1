#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 2400
#
# 30-guest-native: the Guest kernel builds from the pinned source and the
# patch series, and the same bzImage boots on (emulated) bare hardware,
# qemu-system-i386 with TCG, to a busybox shell which runs commands.
set -uo pipefail
. "$(dirname "$0")/../suite.sh"
mkdir -p "$BUILD/logs" "$BUILD/guest-native"
log=$BUILD/logs/guest-kernel-build.log

if ! (cd "$TOP" && make -s guest-kernel) >"$log" 2>&1; then
	echo "FAIL guest-kernel-build: $(grep -m1 'build-guest-kernel:' "$log" | tail -1)"
	tail -20 "$log"
	exit 0
fi
echo "PASS guest-kernel-build"
bz=$BUILD/guest/bzImage
# Which Debian revision the Guest kernel was built from: PINNED names the
# last one tested, a newer one is accepted when the series applies exactly.
read -r src_pkg src_rev src_hash <"$BUILD/guest/VERSION"
pinned_rev=$(sed -n 's/^version=//p' "$TOP/guest-patches/PINNED")
echo "INFO guest kernel: $src_pkg $src_rev + series $src_hash (PINNED: $pinned_rev)"

# The image is what the Launcher will load: i386 bzImage, gzip payload.
if file -b "$bz" | grep -q 'Linux kernel x86 boot executable bzImage'; then
	echo "PASS guest-kernel-bzimage"
else
	echo "FAIL guest-kernel-bzimage: $(file -b "$bz")"
fi
for opt in CONFIG_X86_32=y CONFIG_LGUEST_GUEST=y CONFIG_PARAVIRT_XXL=y \
	CONFIG_HVC_LGUEST=y CONFIG_KERNEL_GZIP=y CONFIG_SERIAL_8250_CONSOLE=y; do
	if ! grep -qx "$opt" "$BUILD/guest/config"; then
		echo "FAIL guest-kernel-config: $opt missing"
		opt=bad
		break
	fi
done
[ "$opt" = bad ] || echo "PASS guest-kernel-config"

# A revision the series no longer applies to is refused, naming the patch:
# a copy of the series with one context line of 0004 changed stands for it.
broken=$BUILD/guest-native/broken-patches
rm -rf "$broken" && cp -r "$TOP/guest-patches" "$broken"
bad_patch=0004-lguest-the-lguest-bus-and-the-hvc-console.patch
awk '/^@@/ { hunk = 1; print; next }
	hunk && !done && /^ [^ ]/ { print $0 " /* changed */"; done = 1; next }
	{ print }' "$TOP/guest-patches/$bad_patch" >"$broken/$bad_patch"
out=$(LGUEST_GUEST_PATCHES=$broken "$TOP/tools/build-guest-kernel.sh" --check 2>&1)
rc=$?
if [ $rc -ne 0 ] && grep -q "guest-patches/$bad_patch no longer applies to linux-source-6.1 " <<<"$out" &&
	! grep -q "applied $bad_patch" <<<"$out"; then
	echo "PASS guest-kernel-broken-patch-named"
else
	echo "FAIL guest-kernel-broken-patch-named: exit $rc: $(tail -2 <<<"$out")"
fi
# The real series is accepted on the installed revision even when PINNED
# names another (an older revision stands for the one last tested).
older=$BUILD/guest-native/older-pin
rm -rf "$older" && cp -r "$TOP/guest-patches" "$older"
sed -i 's/^version=.*/version=6.1.0-0/' "$older/PINNED"
if out=$(LGUEST_GUEST_PATCHES=$older "$TOP/tools/build-guest-kernel.sh" --check 2>&1) &&
	grep -q "PINNED's tested revision is 6.1.0-0" <<<"$out"; then
	echo "PASS guest-kernel-newer-revision-accepted: $(tail -1 <<<"$out" | sed 's/^build-guest-kernel: //')"
else
	echo "FAIL guest-kernel-newer-revision-accepted: $(tail -2 <<<"$out")"
fi

# A second build is a cache hit: it must take seconds, not minutes.
start=$(date +%s)
(cd "$TOP" && make -s guest-kernel) >"$log.2" 2>&1
took=$(($(date +%s) - start))
if grep -q 'cached in' "$log.2" && [ $took -lt 30 ]; then
	echo "PASS guest-kernel-cached"
else
	echo "FAIL guest-kernel-cached: second build took ${took}s"
fi

initrd=$BUILD/guest-native/initrd.gz
if ! "$TOP/tests/guest-native/make-initrd.sh" "$initrd" >"$BUILD/logs/guest-native-initrd.log" 2>&1; then
	echo "FAIL native-boot: cannot build the i386 busybox initrd: $(tail -1 "$BUILD/logs/guest-native-initrd.log")"
	exit 0
fi

console=$BUILD/guest-native/console.log
start=$(date +%s%N)
timeout 120 qemu-system-i386 -accel tcg -m 256 -nographic -no-reboot \
	-kernel "$bz" -initrd "$initrd" \
	-append 'console=ttyS0 panic=-1' </dev/null >"$console" 2>&1
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
echo "native boot: qemu exit $rc after ${ms} ms (console: $console)"

if [ $rc -eq 124 ]; then
	echo "FAIL native-boot: timed out after 120 s"
elif grep -q 'Booting paravirtualized kernel on bare hardware' "$console"; then
	echo "PASS native-boot"
else
	echo "FAIL native-boot: no 'bare hardware' paravirt banner"
fi
if grep -q '^NATIVE-SHELL: LGUEST GUEST on i686' "$console" &&
	grep -q '^NATIVE-DONE' "$console"; then
	echo "PASS native-shell"
else
	echo "FAIL native-shell: the busybox shell's output is missing"
	tail -20 "$console"
fi
# uname -v names the source revision and the series, as the build promised.
want_uname="Debian $src_rev lguest-${src_hash:0:8}"
uname_v=$(tr -d '\r' <"$console" | sed -n 's/^NATIVE-UNAME: //p')
if [[ "$uname_v" == *"$want_uname"* ]]; then
	echo "PASS native-uname-names-source: $uname_v"
else
	echo "FAIL native-uname-names-source: uname -v is '$uname_v', want '$want_uname' in it"
fi
if grep -qE 'Oops|WARNING:|BUG:|Kernel panic|general protection|invalid opcode' "$console"; then
	echo "FAIL native-log-clean: $(grep -m1 -E 'Oops|WARNING:|BUG:|Kernel panic|general protection|invalid opcode' "$console")"
else
	echo "PASS native-log-clean"
fi
exit 0
