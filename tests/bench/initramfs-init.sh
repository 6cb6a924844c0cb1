#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of the QEMU Host bench: run each test named in /tests/list, framed
# by markers run-vm.sh parses, then dump the kernel log and power off.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /tmp /run
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
hostname lguest-host
# Kernel messages still reach the serial console, but test output is not
# drowned by informational ones; the full log is dumped at the end.
echo 4 >/proc/sys/kernel/printk

# Host kernel modules the tests asked for (run-vm.sh --kmod), in order.
for ko in $(cat /lguest/kmods 2>/dev/null); do
	insmod "/lguest/kmod/$ko" || echo "=== KMOD FAILED $ko"
done

per_test=$(cat /tests/timeout)
echo "=== LGUEST-BENCH START $(uname -r) cpus=$(grep -c ^processor /proc/cpuinfo)"
for t in $(cat /tests/list); do
	echo "=== BEGIN $t"
	timeout -s KILL "$per_test" sh "/tests/$t.sh" </dev/null 2>&1
	echo "=== END $t $?"
done
# The debug Host (docs/debug-host.md) has kmemleak, with no scanning thread:
# scan now, and print what it found for parse-console.sh.  It reports only
# objects older than 5 s (MSECS_MIN_AGE) that two scans in a row found
# unreferenced: the age is a fixed threshold, not an event to wait for, so
# the scans start 6 s after the last test.
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
if [ -w /sys/kernel/debug/kmemleak ]; then
	sleep 6
	echo scan >/sys/kernel/debug/kmemleak
	echo scan >/sys/kernel/debug/kmemleak
	echo "=== KMEMLEAK BEGIN"
	cat /sys/kernel/debug/kmemleak
	echo "=== KMEMLEAK END"
fi
echo "=== DMESG BEGIN"
dmesg
echo "=== DMESG END"
echo "=== LGUEST-BENCH DONE"
sync
poweroff -f
