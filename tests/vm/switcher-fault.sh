#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# switcher-fault.sh: the Switcher's last line of defence (S:125).  The
# test-only module (/payload/selftest/lguest.ko, built with
# LGUEST_SELFTEST=y) can be told to enter Guests with the null code
# selector 0x0001, which iretq refuses in ring 0.  The Host must kill the
# Guest with a reason, not oops, and then run the next Guest normally.
. /lguest/vmlib.sh
P=${PAYLOAD:-/payload}
PARAM=/sys/module/lguest/parameters/selftest_null_cs

dmesg_mark
if ! insmod "$P/selftest/lguest.ko" selftest_null_cs=1; then
	fail switcher-fault-insmod "insmod of the selftest module failed"
	exit 1
fi
timeout 60 lguest-launch 32 "$P/hello.elf" >/tmp/sf.out 2>/tmp/sf.err
rc=$?
if [ $rc -eq 1 ] && grep -q 'could not enter the Guest: exception 13' /tmp/sf.err; then
	pass switcher-fault-kills-guest
else
	fail switcher-fault-kills-guest "exit $rc: $(head -c 300 /tmp/sf.err)"
fi
echo 0 >$PARAM
timeout 120 lguest-launch 32 "$P/hello.elf" >/tmp/sf.out 2>/tmp/sf.err
rc=$?
[ $rc -eq 0 ] && pass switcher-fault-next-guest-runs ||
	fail switcher-fault-next-guest-runs "exit $rc: $(head -c 300 /tmp/sf.err)"
rmmod lguest && pass switcher-fault-rmmod || fail switcher-fault-rmmod "rmmod failed"
w=$(dmesg_warnings)
[ -z "$w" ] && pass switcher-fault-host-quiet ||
	fail switcher-fault-host-quiet "$(echo "$w" | head -1)"
