#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 3600
#
# 45-linux-guest: the Linux Guest (build/guest/bzImage, from guest-patches/)
# boots under lguest in a QEMU Host to a busybox shell, which the test
# drives through lguest-launch's standard input (tests/vm/linux-guest.sh);
# the full run then puts the console on a pty, a socket and a file
# (--console, tests/vm/console-modes.sh).
# The full test (commands, CPUID filter, clock, 1000 processes, OOM,
# poweroff, panic, 2 and 4 Guests at once) runs on one configuration, the
# same less the processes and the OOM killer on trixie-backports' 7.x; the
# rest of the CPU/SMP matrix gets a smoke test (boot, a command, poweroff).
set -uo pipefail
. "$(dirname "$0")/../suite.sh"
out=$BUILD/linux-guest
mkdir -p "$BUILD/logs" "$out/full" "$out/timers" "$out/smoke"

need_guest_kernel linux-guest-kernel
if ! "$TOP/tests/guest-native/make-initrd.sh" "$out/initrd.gz" \
	"$TOP/tests/linux-guest/init" >"$BUILD/logs/linux-guest-initrd.log" 2>&1; then
	echo "FAIL linux-guest-initrd: $(tail -1 "$BUILD/logs/linux-guest-initrd.log")"
	exit 0
fi
for mode in full timers smoke; do
	cp "$BUILD/guest/bzImage" "$out/initrd.gz" "$out/$mode/"
	echo $mode >"$out/$mode/mode"
done
if ! cc -O2 -Wall -Wextra -Werror -o "$out/full/ptyrun" "$TOP/tests/linux-guest/ptyrun.c"; then
	echo "FAIL linux-guest-ptyrun: compiler error"
	exit 0
fi
# conclient (tests/linux-guest/conclient.c) is the user at a --console=pty
# or --console=socket console, for tests/vm/console-modes.sh.
if ! cc -O2 -Wall -Wextra -Werror -o "$out/full/conclient" "$TOP/tests/linux-guest/conclient.c"; then
	echo "FAIL linux-guest-conclient: compiler error"
	exit 0
fi
echo "PASS linux-guest-payload"

# The Launcher checks the real kernel before it needs a Host.
make -s -C "$TOP/launcher" >/dev/null
err=$("$TOP/launcher/lguest-launch" 16 "$BUILD/guest/bzImage" 2>&1 >/dev/null)
rc=$?
if [ $rc = 2 ] && grep -q 'does not fit in 16 MB of memory: give the Guest more' <<<"$err"; then
	echo "PASS linux-guest-needs-memory"
else
	echo "FAIL linux-guest-needs-memory: exit $rc: $err"
fi

# run HOST CPU SMP TIMEOUT MODE [TEST...]: one Host running linux-guest and
# then the other in-VM TESTs; its METRIC lines (figures, never asserted) are
# passed on with the configuration in their name.
run() {
	local host=$1 tag="$1/$2/smp$3" res tests
	shift
	tests="linux-guest${5:+ $5}"
	res=$($bench --host "$host" --cpu "$1" --smp "$2" --timeout "$3" \
		--payload "$out/$4" $tests)
	echo "$res"
	# A kernel series the archive has dropped ran nothing (run-vm.sh said so).
	grep -q "^SKIP \[$tag\] host-kernel:" <<<"$res" && return
	# Every configuration must get as far as powering its Guest off.
	grep -q "^[A-Z]* \[$tag\] linux-poweroff-exit-0" <<<"$res" ||
		echo "FAIL [$tag] linux-guest-ran: the bench gave no poweroff result"
	if [ -n "${5:-}" ]; then
		grep -q "^[A-Z]* \[$tag\] console-file-poweroff-exit-0" <<<"$res" ||
			echo "FAIL [$tag] console-modes-ran: the bench gave no result for the file console"
	fi
	tr -d '\r' <"$BUILD/vm/${host//:/_}_$1_smp$2/${tests// /+}/console.log" 2>/dev/null |
		sed -n "s/^METRIC \([^ ]*\) /METRIC \1[$host\/$1\/smp$2] /p"
}
# The full run also has the console away from the terminal: a pty, a
# socket, a file (tests/vm/console-modes.sh); and what a fork and exec and
# a fresh page cost the Guest, in switches and faults (perf-guest.sh's
# METRIC lines).
run 6.1 max 2 2000 full "console-modes perf-guest"
for cfg in max:1 Skylake-Client-v4:2 EPYC:1 EPYC:2; do
	run 6.1 "${cfg%:*}" "${cfg#*:}" 600 smoke
done
# Debian 13's Hosts: its own 6.12, and trixie-backports' 7.x (the current
# series with what its deferred timer rearm and lazy preemption could
# break: the clock, the busy sleep, SIGTERM, a panic, several Guests at
# once; the 1000 processes and the OOM killer ran on 6.1 above).
run trixie EPYC 2 600 smoke
run trixie-backports max 2 1200 timers
run trixie-backports:7.2 EPYC 2 600 smoke
exit 0
