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

# A Guest killed from outside: the killer's send finds the victim's bound
# buffer reaching outside the victim's memory, so the Host kills the
# victim while it sleeps in HALT.  Its Launcher must wake, get ENOENT and
# then the reason, and say so.
dmesg_mark
rm -f $NET
timeout 120 lguest-launch --sharenet=$NET $MEM "$P/sharedma.elf" victim \
	>/tmp/victim.out 2>/tmp/victim.err &
victim=$!
timeout 120 lguest-launch --sharenet=$NET $MEM "$P/sharedma.elf" killer \
	>/tmp/killer.out 2>/tmp/killer.err
rc=$?
tr -d '\r' </tmp/killer.out | grep -E '^(PASS|FAIL) '
[ $rc -eq 0 ] && pass sharedma-killer-poweroff ||
	fail sharedma-killer-poweroff "exit $rc: $(head -c 300 /tmp/killer.err)"
wait $victim
rc=$?
if [ $rc -eq 1 ] && grep -q 'Guest died: bad bound DMA buffer' /tmp/victim.err; then
	pass sharedma-victim-told
else
	fail sharedma-victim-told "exit $rc: $(head -c 300 /tmp/victim.err)"
fi
w=$(dmesg_warnings)
[ -z "$w" ] && pass sharedma-kill-log-clean || fail sharedma-kill-log-clean "$(echo "$w" | head -1)"
