#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# nmi.sh: NMIs at a CPU that runs a Guest.  "echo l > /proc/sysrq-trigger"
# makes the Host send every other CPU an NMI (for a backtrace), so a Guest
# spinning on CPU 1 meets them in the Guest and in the Switcher, on the
# way in and out.  The Host must take every one (its NMI count on CPU 1
# grows by at least one per trigger), print nothing worse than the
# backtraces asked for, and still stop the Guest on SIGTERM.
. /lguest/vmlib.sh
P=${PAYLOAD:-/payload}
TRIGGERS=200

if [ "$(nproc)" -lt 2 ]; then
	echo "SKIP nmi: needs two CPUs"
	exit 0
fi
load_module || { fail nmi-insmod "insmod failed"; exit 1; }
dmesg_mark
# The bench's log check knows a backtrace that was asked for (one that
# starts "NMI backtrace for cpu N") from a report.

nmis_cpu1() {
	awk '$1 == "NMI:" { print $3 }' /proc/interrupts
}

spinner_start 1 /tmp/nmi.out 300
pid=$spinner
if ! grep -q 'spinning forever' /tmp/nmi.out; then
	fail nmi-guest-running "the Guest never started: $(head -c 200 /tmp/nmi.out)"
	kill -9 $pid 2>/dev/null
	exit 0
fi
before=$(nmis_cpu1)
i=0
while [ $i -lt $TRIGGERS ]; do
	echo l >/proc/sysrq-trigger
	i=$((i + 1))
done
after=$(nmis_cpu1)
if [ $((after - before)) -ge $TRIGGERS ]; then
	pass nmi-delivered
else
	fail nmi-delivered "CPU 1 took $((after - before)) NMIs for $TRIGGERS triggers"
fi
if kill -0 $pid 2>/dev/null; then
	pass nmi-guest-survived
else
	fail nmi-guest-survived "the Launcher died: $(head -c 300 /tmp/nmi.out)"
fi
kill -TERM $pid 2>/dev/null
n=0
while kill -0 $pid 2>/dev/null && [ $n -lt 100 ]; do
	sleep 0.1
	n=$((n + 1))
done
if kill -0 $pid 2>/dev/null; then
	fail nmi-guest-stops "the Launcher ignored SIGTERM"
	kill -9 $pid
else
	pass nmi-guest-stops
fi
wait $pid 2>/dev/null
bad=$(dmesg | tail -n +$((DMESG_MARK + 1)) |
	grep -E 'BUG|Oops|general protection|double fault|panic|stall|lockup|KASAN|WARNING:' |
	head -1)
if [ -n "$bad" ]; then
	fail nmi-host-quiet "$bad"
else
	pass nmi-host-quiet
fi
# The bench prints the whole kernel log at the end, where these backtraces
# (checked just above) would start in mid-block once the log has wrapped.
dmesg -c >/dev/null
