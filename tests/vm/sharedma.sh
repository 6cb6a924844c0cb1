#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# sharedma.sh: two freestanding test Guests (/payload/sharedma.elf) on one
# --sharenet file send each other DMA, copied by the Host from one Guest's
# memory to the other's.  Each prints its own PASS/FAIL lines (tagged here
# with its slot); we add one line per Guest for how it ended, one for the
# file left behind (both slots empty again) and one for the Host's log.
. /lguest/vmlib.sh
P=${PAYLOAD:-/payload}
NET=/tmp/sharedma.net
MEM=32

load_module || { fail sharedma-insmod "insmod failed"; exit 1; }
dmesg_mark
rm -f $NET
for g in a b; do
	timeout 240 lguest-launch --sharenet=$NET $MEM "$P/sharedma.elf" \
		>/tmp/sharedma.$g.out 2>/tmp/sharedma.$g.err &
	eval "pid_$g=\$!"
done
for g in a b; do
	eval "wait \$pid_$g"
	rc=$?
	slot=$(sed -n 's/^sharedma: slot \([0-9]*\),.*/\1/p' /tmp/sharedma.$g.out)
	tr -d '\r' </tmp/sharedma.$g.out | sed -n "s/^\(PASS\|FAIL\) \([^:]*\)/\1 \2-slot$slot/p"
	if [ $rc -eq 0 ] && ! grep -q '^FAIL' /tmp/sharedma.$g.out &&
		[ "$(grep -c '^PASS' /tmp/sharedma.$g.out)" -ge 8 ]; then
		pass "sharedma-guest-$g-poweroff"
	else
		fail "sharedma-guest-$g-poweroff" "exit $rc: $(head -c 300 /tmp/sharedma.$g.err)"
	fi
done
[ -z "$(od -An -v -tx1 $NET | tr -d ' 0\n')" ] && pass sharedma-slots-empty ||
	fail sharedma-slots-empty "$(od -An -tx1 $NET | head -2)"
w=$(dmesg_warnings)
[ -z "$w" ] && pass sharedma-host-log-clean || fail sharedma-host-log-clean "$(echo "$w" | head -1)"
