#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 6000
#
# 58-debug-host: lguest on the debug Host kernel (KASAN, KFENCE, UBSAN,
# lockdep, kmemleak, debug objects ...: docs/debug-host.md), where a memory
# or locking bug in lguest.ko fails vm-log-clean instead of passing
# unseen.  First the detectors are shown to be real: a Host that inserts a
# module leaking a kmalloc, and one whose module sleeps in atomic context,
# must each fail vm-log-clean naming the report.  Then one Host runs
# DEBUG_HOST_TESTS with DEBUG_HOST_PAYLOADS.
#
# The kernel is built by tools/build-debug-host-kernel.sh (run-all.sh
# starts it in the background for a whole run; this suite waits for it
# through the cache's lock, or builds it).
set -uo pipefail
. "$(dirname "$0")/../suite.sh"
out=$BUILD/debug-host
mkdir -p "$BUILD/logs" "$out"

# The in-VM tests (tests/vm/NAME.sh) of the main debug boot, and the
# payload directories they need.  Another suite's tests join them here
# (their payload files must not clash: they all land in /payload).
DEBUG_HOST_TESTS=(module guests sharedma linux-guest)
DEBUG_HOST_PAYLOADS=("$BUILD/guests" "$out/linux-guest")
# The whole main boot's budget: it took 196 to 221 s on a busy 2-core machine
# (docs/debug-host.md); a test added above should raise this.
DEBUG_HOST_TIMEOUT=900
# "smoke" (boot, a command, poweroff) or "full" (tests/vm/linux-guest.sh).
LINUX_GUEST_MODE=smoke

# --- The parser knows each detector's report ----------------------------
# One report line (as the detector prints it) in an otherwise clean log
# must fail vm-log-clean, named.
parse_out=$out/parse
mkdir -p "$parse_out"
parse_case() {
	local name=$1 line=$2 res
	{
		echo "[    0.000000] Linux version 6.1.192-lguest-debug"
		echo "=== LGUEST-BENCH START 6.1.192-lguest-debug cpus=2"
		echo "=== BEGIN t"
		echo "PASS a"
		echo "[   12.345678] $line"
		echo "=== END t 0"
		echo "=== LGUEST-BENCH DONE"
	} | sed 's/$/\r/' >"$parse_out/$name.log"
	res=$("$TOP/tests/bench/parse-console.sh" self "$parse_out/$name.log" 0 60 t)
	if grep -qF "FAIL [self] vm-log-clean: $line (see" <<<"$res"; then
		echo "PASS debug-parse-$name"
	else
		echo "FAIL debug-parse-$name: '$line' not reported: $(grep vm-log-clean <<<"$res")"
	fi
}
parse_case kasan 'BUG: KASAN: slab-out-of-bounds in lg_cpu_start+0x4c/0x90 [lguest]'
parse_case kfence 'BUG: KFENCE: use-after-free read in run_guest+0x10/0x80 [lguest]'
parse_case ubsan 'UBSAN: shift-out-of-bounds in host-module/page_tables.c:123:9'
parse_case lockdep-circular 'possible circular locking dependency detected'
parse_case lockdep-recursive 'possible recursive locking detected'
parse_case lockdep-inconsistent 'inconsistent lock state'
parse_case lockdep-held 'held lock freed!'
parse_case rcu 'suspicious RCU usage.'
parse_case atomic-sleep 'BUG: sleeping function called from invalid context at kernel/locking/mutex.c:580'
parse_case debugobjects 'ODEBUG: free active (active state 0) object: 00000000a1b2c3d4 object type: hrtimer hint: 0x0'
parse_case hung-task 'INFO: task lguest-launch:91 blocked for more than 60 seconds.'
parse_case kmemleak-report 'unreferenced object 0xffff888004a1c000 (size 64):'
parse_case kmemleak-dmesg 'kmemleak: 1 new suspected memory leaks (see /sys/kernel/debug/kmemleak)'

start=$(date +%s)
if ! kernel=$("$TOP/tools/build-debug-host-kernel.sh" 2>"$BUILD/logs/debug-host-kernel.log"); then
	echo "FAIL debug-host-kernel: $(tail -1 "$BUILD/logs/debug-host-kernel.log") (build/logs/debug-host-kernel.log)"
	exit 0
fi
echo "PASS debug-host-kernel"
echo "debug Host kernel: $(cat "$kernel/version") in $kernel (built in $(cat "$kernel/build-seconds") s; waited $(($(date +%s) - start)) s)"

# --- The detectors are real ---------------------------------------------
# Each buggy module (tests/bench/buggy-kmod-*.c) gets a Host of its own,
# whose vm-log-clean must FAIL with the detector's report.
kmods=$out/buggy-kmod
rm -rf "$kmods"
mkdir -p "$kmods"
cp "$TOP"/tests/bench/buggy-kmod-*.c "$kmods/"
echo 'obj-m := buggy-kmod-leak.o buggy-kmod-sleep.o' >"$kmods/Kbuild"
if ! make -C "$kernel/kdir" M="$kmods" modules >"$kmods/build.log" 2>&1; then
	echo "FAIL buggy-kmod-build: see $kmods/build.log"
	exit 0
fi
echo "PASS buggy-kmod-build"

# detector NAME REPORT: boot a Host inserting buggy-kmod-NAME.ko; its
# vm-log-clean must fail naming REPORT (an extended regular expression).
detector() {
	local name=$1 report=$2 res tag=debug/max/smp1
	mkdir -p "$kmods/$name"
	cp "$kmods/buggy-kmod-$name.ko" "$kmods/$name/"
	# The test needs no lguest.ko: the buggy module stands in for it, so
	# the self-test does not depend on host-module/ building.
	res=$($bench --host debug --cpu max --smp 1 --timeout 300 \
		--module "$kmods/buggy-kmod-$name.ko" \
		--payload "$kmods/$name" buggy-kmod)
	# Both Hosts run the same test, in the same bench directory: keep each log.
	cp "$BUILD/vm/debug_max_smp1/buggy-kmod/console.log" "$kmods/$name.console.log"
	sed 's/^/  /' <<<"$res"
	if grep -q "^PASS \[$tag\] insmod-buggy-kmod-$name\$" <<<"$res"; then
		echo "PASS debug-detector-$name-loaded"
	else
		echo "FAIL debug-detector-$name-loaded: the Host did not insert buggy-kmod-$name.ko"
	fi
	if grep -qE "^FAIL \[$tag\] vm-log-clean: .*($report)" <<<"$res"; then
		echo "PASS debug-detector-$name"
	else
		echo "FAIL debug-detector-$name: vm-log-clean did not fail with '$report' (see $kmods/$name.console.log)"
	fi
}
detector leak 'unreferenced object 0x[0-9a-f]+ \(size 64\)'
detector sleep 'BUG: sleeping function called from invalid context'

# --- lguest on the debug Host -------------------------------------------
if ! make -s -C "$TOP/tests/guests" OUT="$BUILD/guests" >"$BUILD/logs/debug-host-guests.log" 2>&1; then
	echo "FAIL debug-guests-build: see build/logs/debug-host-guests.log"
	exit 0
fi
need_guest_kernel debug-linux-guest-kernel
mkdir -p "$out/linux-guest"
if ! "$TOP/tests/guest-native/make-initrd.sh" "$out/linux-guest/initrd.gz" \
	"$TOP/tests/linux-guest/init" >"$BUILD/logs/debug-host-initrd.log" 2>&1; then
	echo "FAIL debug-linux-guest-initrd: $(tail -1 "$BUILD/logs/debug-host-initrd.log")"
	exit 0
fi
cp "$BUILD/guest/bzImage" "$out/linux-guest/"
echo "$LINUX_GUEST_MODE" >"$out/linux-guest/mode"
if [ "$LINUX_GUEST_MODE" = full ] &&
	! cc -O2 -Wall -Wextra -Werror -o "$out/linux-guest/ptyrun" "$TOP/tests/linux-guest/ptyrun.c"; then
	echo "FAIL debug-linux-guest-ptyrun: compiler error"
	exit 0
fi
echo "PASS debug-payloads"

args=()
for p in "${DEBUG_HOST_PAYLOADS[@]}"; do
	args+=(--payload "$p")
done
boot=$(date +%s)
$bench --host debug --cpu max --smp 2 --timeout "$DEBUG_HOST_TIMEOUT" \
	"${args[@]}" "${DEBUG_HOST_TESTS[@]}"
echo "debug Host boot: $(($(date +%s) - boot)) s; suite: $(($(date +%s) - start)) s"
exit 0
