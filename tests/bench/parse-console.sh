#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# parse-console.sh TAG LOG QEMU-STATUS TIMEOUT TEST...: turn a QEMU Host's
# serial console log into result lines.  Kept apart from run-vm.sh so the
# harness self-tests can feed it logs of every kind of failure.
set -uo pipefail

tag=$1 log=$2 qemu_rc=$3 timeout=$4
shift 4

# The serial console ends lines with \r\n.
clean=$(tr -d '\r' <"$log" 2>/dev/null)

result() {
	echo "$1 [$tag] $2"
}

if grep -q '^=== LGUEST-BENCH START' <<<"$clean"; then
	result PASS vm-boot
else
	result FAIL "vm-boot: the Host never reached the test runner (QEMU status $qemu_rc, see $log)"
fi

while read -r _ _ _ ko; do
	result FAIL "vm-kmod-$ko: the Host kernel's module $ko did not insert"
done < <(grep '^=== KMOD FAILED ' <<<"$clean")

if [ "$qemu_rc" -eq 124 ] || [ "$qemu_rc" -eq 137 ]; then
	result FAIL "vm-finished: QEMU still running after ${timeout}s, killed (see $log)"
elif grep -q '^=== LGUEST-BENCH DONE' <<<"$clean"; then
	result PASS vm-finished
else
	result FAIL "vm-finished: the Host stopped before all tests ran (QEMU status $qemu_rc, see $log)"
fi

# Each test's own result lines, and a FAIL for a test that died or said
# nothing.
for t in "$@"; do
	body=$(awk -v t="$t" '$0 == "=== BEGIN " t { on = 1; next }
		on && $1 == "===" && $2 == "END" && $3 == t { print "=== RC " $4; exit }
		on { print }' <<<"$clean")
	if ! grep -q "^=== RC" <<<"$body"; then
		if [ -n "$body" ] || grep -q "^=== BEGIN $t\$" <<<"$clean"; then
			result FAIL "$t: did not finish (see $log)"
		else
			result FAIL "$t: never started (see $log)"
		fi
	fi
	grep -E '^(PASS|FAIL|SKIP) ' <<<"$body" | while read -r verdict rest; do
		result "$verdict" "$rest"
	done
	rc=$(sed -n 's/^=== RC //p' <<<"$body")
	if [ -n "$rc" ] && [ "$rc" != 0 ] && ! grep -q '^FAIL ' <<<"$body"; then
		if [ "$rc" = 137 ]; then
			result FAIL "$t: killed by the per-test timeout"
		else
			result FAIL "$t: exited with status $rc"
		fi
	fi
	if [ -n "$rc" ] && ! grep -qE '^(PASS|FAIL|SKIP) ' <<<"$body"; then
		result FAIL "$t: printed no result"
	fi
done

# Anything the kernel says when it is unwell, anywhere in the log: oopses,
# panics, lockups, and the debug Host's detectors (docs/debug-host.md):
# KASAN, KFENCE, UBSAN, lockdep, might_sleep, debug objects, hung tasks and
# the kmemleak report initramfs-init.sh prints at the end.  Lines
# our tests print (results and markers) are not kernel messages, and the
# notices a Host prints at boot about the emulated CPU's speculation bugs
# (RETBleed, SRSO, ...) say nothing about lguest.
cpu_notice='^(\[ *[0-9.]*\] )?[A-Za-z0-9 ]*(Spectre|RETBleed|Speculative|MDS|TAA|MMIO|GDS|SRBDS|L1TF|ITS|TSA|BHI|VMSCAPE|SSB)[A-Za-z0-9 ]*: WARNING'
bad='Oops|BUG:|WARNING:|Kernel panic|general protection fault|cut here|soft lockup|hard LOCKUP|hung_task|blocked for more than|rcu.*(stall|detected stalls)|KASAN|UBSAN|kernel BUG|Call Trace|double fault|unable to handle|possible (circular|recursive) locking|inconsistent lock state|suspicious RCU usage|held lock|DEBUG_LOCKS_WARN_ON|sleeping function called from invalid context|ODEBUG:|unreferenced object|suspected memory leak'
# A backtrace a test asked for (sysrq "l", in tests/vm/nmi.sh) is not a
# report: each runs from "NMI backtrace for cpu N" to the end of its task's
# stack.
unasked=$(awk '/NMI backtrace for cpu [0-9]+$/ { asked = 80 }
	asked { asked--; if (/<\/TASK>/) asked = 0; next }
	{ print }' <<<"$clean")
kernel=$(grep -vE '^(PASS|FAIL|SKIP) |^===' <<<"$unasked" | grep -vE "$cpu_notice")
hits=$(grep -E "$bad" <<<"$kernel" | head -3)
first=$(head -1 <<<"$hits")
# A WARN's first line only says "cut here": the next one says what it is
# (the WARN's message, or "WARNING: CPU: N PID: N at FILE:LINE FUNCTION").
if [[ $first == *"[ cut here ]"* ]]; then
	next=$(grep -A1 -m1 -F '[ cut here ]' <<<"$kernel" | sed -n 2p)
	[ -z "$next" ] || first=$next
fi
# An RCU stall's first line says nothing of its cause: the lines after it
# name the stalled CPUs or the tasks blocking the grace period, and the
# first backtrace where it is stuck.  Carry those into the result, so a
# stall seen once in CI can be read from the summary alone.
if [[ $first == *"detected stalls"* ]]; then
	more=$(grep -A40 -m1 -F "$first" <<<"$kernel" | sed 1d |
		sed 's/^\[ *[0-9.]*\] //' | awk '
		/^ *\? [A-Za-z_][A-Za-z0-9_.]*\+0x/ { next }
		/^ *[A-Za-z_][A-Za-z0-9_.]*\+0x/ {
			sub(/\+0x.*/, "", $1)
			if (frames++ < 6) f = f (f ? " < " : "") $1
			next }
		{ gsub(/[ \t]+/, " "); sub(/^ /, "") }
		lines < 3 && !/^ *(<\/?(TASK|IRQ)>|Call Trace:|RIP:|RSP:|R[A-Z0-9]*:|CS:|CR2:|Code:)/ {
			l = l (l ? " | " : "") $0; lines++ }
		END { print l (f ? " | stack: " f : "") }')
	[ -z "$more" ] || first="$first $more"
fi
if [ -z "$hits" ]; then
	result PASS vm-log-clean
else
	result FAIL "vm-log-clean: $(sed 's/^\[ *[0-9.]*\] //' <<<"$first") (see $log)"
fi
