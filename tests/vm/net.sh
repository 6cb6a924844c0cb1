#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# net.sh: the lguest network device, in a QEMU Host, with Linux Guests
# (/payload/bzImage, /payload/initrd.gz: busybox and i386 iperf3) driven
# through their consoles, as tests/vm/linux-guest.sh does.
#
#  * --tunnet=IPADDR: ping both ways, iperf3 both ways, the tap device;
#  * --tunnet=bridge:br0, on a bridge made here: ping both ways;
#  * three Guests on one --sharenet file: ping, iperf3 both ways, a
#    broadcast that reaches both others, promiscuous mode (published in
#    the file, and working), one Guest killed during traffic (the others
#    and the Host carry on), and a new Guest taking the dead one's slot
#    after clearing it;
#  * iperf3 over the Host's loopback, natively, for comparison.
#
# Figures are printed as "METRIC name value unit" (never asserted).
# Needs the Host's tun and bridge modules (run-vm.sh --kmod tun --kmod
# bridge) and the Host's iperf3 in /payload.
. /lguest/vmlib.sh
P=${PAYLOAD:-/payload}
MEM=96
BOOT_LIMIT=300
IPERF_SECS=4
SHARE=/tmp/lguest-net.page
PATH=$P:$PATH

load_module || { fail net-insmod "insmod failed"; exit 1; }

# start NAME FD [LAUNCHER ARGS...]: start a Guest whose console input is
# file descriptor FD of this shell, output /tmp/NAME.out (stamped),
# standard error /tmp/NAME.err, Launcher PID /tmp/NAME.pid and exit
# status /tmp/NAME.rc.
start() {
	name=$1
	fd=$2
	shift 2
	rm -f "/tmp/$name.in" "/tmp/$name.out" "/tmp/$name.err" "/tmp/$name.rc" "/tmp/$name.pid"
	mkfifo "/tmp/$name.in"
	(
		lguest-launch "$@" <"/tmp/$name.in" 2>"/tmp/$name.err" &
		echo $! >"/tmp/$name.pid"
		wait $!
		echo $? >"/tmp/$name.rc"
	) | stamp >"/tmp/$name.out" &
	eval "exec $fd>/tmp/$name.in"
}

# The Guest's console echoes what we type, so every marker we wait for is
# computed by the Guest's shell: the echo of "@@X5:$?@@" is not "@@X5:0@@".
SEQ=0

# gcmd NAME FD SECONDS CMD: run CMD in the Guest's shell and return its
# exit status (124 if it did not finish in time).  What it printed is then
# in /tmp/NAME.last, without stamps.
gcmd() {
	name=$1
	fd=$2
	secs=$3
	shift 3
	SEQ=$((SEQ + 1))
	from=$(($(wc -l <"/tmp/$name.out") + 1))
	eval "echo \"\$* ; echo @@X$SEQ:\\\$?@@\" >&$fd"
	if ! wait_for "$name" "@@X$SEQ:[0-9]+@@" "$secs"; then
		tail -n +"$from" "/tmp/$name.out" | cut -d' ' -f2- | tr -d '\r' >"/tmp/$name.last"
		return 124
	fi
	tail -n +"$from" "/tmp/$name.out" | cut -d' ' -f2- | tr -d '\r' >"/tmp/$name.last"
	return "$(grep -oE "@@X$SEQ:[0-9]+@@" "/tmp/$name.out" | head -1 | tr -dc '0-9' | sed "s/^$SEQ//")"
}

# gval NAME FD EXPR: the value of the shell expression EXPR in the Guest.
gval() {
	SEQ=$((SEQ + 1))
	eval "echo \"echo @@V$SEQ=\\\$($3)@@\" >&$2"
	wait_for "$1" "@@V$SEQ=[^\$@]*@@" 60 || return 1
	grep -oE "@@V$SEQ=[^\$@]*@@" "/tmp/$1.out" | head -1 | sed "s/@@V$SEQ=//; s/@@//"
}

# boot NAME...: wait for each Guest's shell.
boot() {
	ok=0
	for b in "$@"; do
		if wait_for "$b" LGUEST-SHELL-READY $BOOT_LIMIT; then
			ok=$((ok + 1))
		else
			show "$b" 30
		fi
	done
	[ $ok = $# ]
}

# A Guest's iperf3 server: iperf3 -D goes into the background before it
# listens, so the command waits for the port.
IPERF_SERVER='iperf3 -s -D; for i in $(seq 300); do netstat -ltn | grep -q ":5201 " && break; sleep 0.1; done'

# mbits FILE: the receiver's rate in an iperf3 report (-f m), in Mbit/s.
mbits() {
	grep -E 'receiver' "$1" | tail -1 | sed -n 's/.* \([0-9.]*\) Mbits\/sec.*/\1/p'
}

# metric NAME MBITS: print a figure in Gbit/s.
metric() {
	[ -n "$2" ] && echo "METRIC $1 $(echo "$2" | awk '{ printf "%.4f", $1 / 1000 }') Gbit/s"
}

# rx NAME FD: the Guest's eth0 received-packet count.
rx() {
	gval "$1" "$2" 'cat /sys/class/net/eth0/statistics/rx_packets'
}

# slot_of NAME: the Guest's slot on its network, as its driver said.
slot_of() {
	grep -oE 'lguest network, slot [0-9]+' "/tmp/$1.out" | head -1 | tr -dc '0-9'
}

# slot_byte N: the first byte of slot N of the shared network's page, hex.
slot_byte() {
	od -An -tx1 -j $(($1 * 6)) -N 1 "$SHARE" | tr -d ' \n'
}

# promisc_slots: the slots in the shared page with the promiscuous bit.
promisc_slots() {
	od -An -v -tu1 -w6 "$SHARE" | awk 'NF && $1 % 2 == 1 { printf "%d ", NR - 1 }'
}

# netstats NAME FD: show the Guest's eth0 counters (for the log).
netstats() {
	gcmd "$1" "$2" 30 'grep eth0 /proc/net/dev'
	echo "$1: $(grep 'eth0:' "/tmp/$1.last" | grep -v grep | tr -s ' ')"
}

stop_launcher() {
	[ -f "/tmp/$1.pid" ] && kill -9 "$(cat "/tmp/$1.pid")" 2>/dev/null
}

ARGS="--initrd=$P/initrd.gz"
dmesg_mark

# --- Native baseline: iperf3 over the Host's loopback ----------------------
ip link set lo up
iperf3 -s -D -I /tmp/iperf3-host.pid >/dev/null 2>&1
# iperf3 -D goes into the background before it listens: wait for the port.
n=0
while ! netstat -ltn 2>/dev/null | grep -q ':5201 ' && [ $n -lt 300 ]; do
	sleep 0.1
	n=$((n + 1))
done
if iperf3 -c 127.0.0.1 -t $IPERF_SECS -f m >/tmp/native.out 2>&1; then
	metric net-native-loopback-iperf3 "$(mbits /tmp/native.out)"
	pass net-native-iperf3
else
	fail net-native-iperf3 "$(tail -1 /tmp/native.out)"
fi

# --- Two Guests on tap devices: one routed, one bridged ---------------------
brctl addbr br0 && echo 0 >/sys/class/net/br0/bridge/forward_delay &&
	ip addr add 10.0.3.1/24 dev br0 &&
	ip link set br0 up || fail net-bridge-setup "cannot make bridge br0"
start a 3 $ARGS --tunnet=10.0.2.1 $MEM $P/bzImage
start b 4 $ARGS --tunnet=bridge:br0 $MEM $P/bzImage
if boot a b; then
	pass net-tun-boot
else
	fail net-tun-boot "the Guests did not boot"
fi
grep -qE 'eth0: lguest network, slot 1, ' /tmp/a.out &&
	pass net-tun-probe || fail net-tun-probe "no 'lguest network, slot 1' line"
taps=$(ls /sys/class/net | grep -c '^lguest')
[ "$taps" = 2 ] && pass net-tun-taps || fail net-tun-taps "$taps lguest taps in the Host"
ls /sys/class/net/br0/brif | grep -q '^lguest' && pass net-bridge-port ||
	fail net-bridge-port "no lguest tap in br0: $(brctl show | tr '\n' ' ')"

gcmd a 3 60 'ip addr add 10.0.2.2/24 dev eth0 && ip link set eth0 up'
gcmd b 4 60 'ip addr add 10.0.3.2/24 dev eth0 && ip link set eth0 up'
gcmd a 3 60 'ping -c 3 -W 5 10.0.2.1' && pass net-tun-ping-guest-to-host ||
	{ fail net-tun-ping-guest-to-host "$(tail -3 /tmp/a.last | tr '\n' ' ')"; show a; }
ping -c 3 -W 5 10.0.2.2 >/tmp/ping.out 2>&1 && pass net-tun-ping-host-to-guest ||
	fail net-tun-ping-host-to-guest "$(tail -2 /tmp/ping.out | tr '\n' ' ')"
gcmd b 4 60 'ping -c 3 -W 5 10.0.3.1' && pass net-bridge-ping-guest-to-host ||
	{ fail net-bridge-ping-guest-to-host "$(tail -3 /tmp/b.last | tr '\n' ' ')"; show b; }
ping -c 3 -W 5 10.0.3.2 >/tmp/ping.out 2>&1 && pass net-bridge-ping-host-to-guest ||
	fail net-bridge-ping-host-to-guest "$(tail -2 /tmp/ping.out | tr '\n' ' ')"

# iperf3: the Guest is the client, sending (Guest -> Host) or receiving (-R).
for dir in guest-to-host:'' host-to-guest:-R; do
	if gcmd a 3 120 "timeout 90 iperf3 -c 10.0.2.1 -t $IPERF_SECS -f m ${dir#*:}"; then
		m=$(mbits /tmp/a.last)
		grep -E 'sender|receiver' /tmp/a.last
		metric "net-tun-iperf3-${dir%%:*}" "$m"
		[ -n "$m" ] && pass "net-tun-iperf3-${dir%%:*}" ||
			fail "net-tun-iperf3-${dir%%:*}" "no receiver rate: $(tail -3 /tmp/a.last | tr '\n' ' ')"
	else
		fail "net-tun-iperf3-${dir%%:*}" "$(tail -3 /tmp/a.last | tr '\n' ' ')"
	fi
done
kill "$(cat /tmp/iperf3-host.pid)" 2>/dev/null
netstats a 3

for g in a:3 b:4; do
	echo poweroff >&"${g#*:}"
done
ok=0
for g in a b; do
	[ "$(wait_exit $g 120)" = 0 ] && ok=$((ok + 1)) || show $g
done
exec 3>&- 4>&-
[ $ok = 2 ] && pass net-tun-poweroff || fail net-tun-poweroff "only $ok of 2 Guests powered off"
taps=$(ls /sys/class/net | grep -c '^lguest')
[ "$taps" = 0 ] && pass net-tun-taps-gone || fail net-tun-taps-gone "$taps taps left"

# --- Three Guests on one shared network -----------------------------------
rm -f $SHARE
start c 5 $ARGS --sharenet=$SHARE $MEM $P/bzImage
start d 6 $ARGS --sharenet=$SHARE $MEM $P/bzImage
start e 7 $ARGS --sharenet=$SHARE $MEM $P/bzImage
if boot c d e; then
	pass net-share-boot
else
	fail net-share-boot "the Guests did not boot"
fi
slots=$(cat /tmp/c.out /tmp/d.out /tmp/e.out | grep -oE 'lguest network, slot [0-9]+ \(no checksums\)' |
	sed 's/[^0-9]//g' | sort | tr '\n' ' ')
[ "$slots" = "0 1 2 " ] && pass net-share-slots || fail net-share-slots "slots '$slots', want 0 1 2"
i=1
for g in c:5 d:6 e:7; do
	gcmd "${g%:*}" "${g#*:}" 60 "ip addr add 10.0.4.$i/24 dev eth0 && ip link set eth0 up && echo 0 >/proc/sys/net/ipv4/icmp_echo_ignore_broadcasts"
	i=$((i + 1))
done
gcmd c 5 60 'ping -c 3 -W 5 10.0.4.2' && pass net-share-ping-c-to-d ||
	{ fail net-share-ping-c-to-d "$(tail -3 /tmp/c.last | tr '\n' ' ')"; show c; show d; }
gcmd d 6 60 'ping -c 3 -W 5 10.0.4.1' && pass net-share-ping-d-to-c ||
	fail net-share-ping-d-to-c "$(tail -3 /tmp/d.last | tr '\n' ' ')"

# iperf3 between c (client) and d (server).
gcmd d 6 60 "$IPERF_SERVER"
for dir in c-to-d:'' d-to-c:-R; do
	if gcmd c 5 120 "timeout 90 iperf3 -c 10.0.4.2 -t $IPERF_SECS -f m ${dir#*:}"; then
		m=$(mbits /tmp/c.last)
		grep -E 'sender|receiver' /tmp/c.last
		metric "net-share-iperf3-${dir%%:*}" "$m"
		[ -n "$m" ] && pass "net-share-iperf3-${dir%%:*}" ||
			fail "net-share-iperf3-${dir%%:*}" "no receiver rate: $(tail -3 /tmp/c.last | tr '\n' ' ')"
	else
		fail "net-share-iperf3-${dir%%:*}" "$(tail -3 /tmp/c.last | tr '\n' ' ')"
	fi
done

netstats c 5
netstats d 6

# A broadcast from c reaches d and e: both answer, and both count it.
d0=$(rx d 6)
e0=$(rx e 7)
gcmd c 5 60 'ping -c 3 -W 3 -b 10.0.4.255 || ping -c 3 -W 3 10.0.4.255'
d1=$(rx d 6)
e1=$(rx e 7)
if grep -q 'from 10.0.4.2' /tmp/c.last && grep -q 'from 10.0.4.3' /tmp/c.last &&
	[ $((d1 - d0)) -ge 3 ] && [ $((e1 - e0)) -ge 3 ]; then
	pass net-share-broadcast
else
	fail net-share-broadcast "d rx +$((d1 - d0)), e rx +$((e1 - e0)): $(grep -c 'bytes from' /tmp/c.last) replies"
	cat /tmp/c.last
fi

# Promiscuous mode: e says so in its slot, and then sees c's frames to d.
gcmd e 7 60 'ip link set eth0 promisc on'
[ "$(promisc_slots)" = "$(slot_of e) " ] && pass net-share-promisc-published ||
	fail net-share-promisc-published "slots with the promiscuous bit: '$(promisc_slots)'"
e0=$(rx e 7)
gcmd c 5 60 'ping -c 5 -W 3 10.0.4.2'
e1=$(rx e 7)
[ $((e1 - e0)) -ge 10 ] && pass net-share-promisc-receives ||
	fail net-share-promisc-receives "e received $((e1 - e0)) frames of c and d's 10 pings"

# e dies (SIGKILL to its Launcher) while c sends to it as fast as it can.
gcmd e 7 60 "$IPERF_SERVER"
echo "timeout 60 iperf3 -c 10.0.4.3 -t 30 -f m >/dev/null 2>&1 &" >&5
sleep 5
stop_launcher e
wait_exit e 30 >/dev/null
exec 7>&-
sleep 2
if gcmd c 5 60 'ping -c 2 -W 5 10.0.4.2' && gcmd d 6 60 'ping -c 2 -W 5 10.0.4.1'; then
	pass net-share-survives-kill
else
	fail net-share-survives-kill "c and d no longer talk after e died"
	show c
fi
es=$(slot_of e)
[ "$(slot_byte "$es")" != 00 ] && pass net-share-dead-slot-stale ||
	fail net-share-dead-slot-stale "slot $es already empty"

# A new Guest takes the dead one's slot, clearing it first: nothing is
# promiscuous any more, and the newcomer talks to the others.
start f 8 $ARGS --sharenet=$SHARE $MEM $P/bzImage
if boot f; then
	[ "$(slot_of f)" = "$es" ] && pass net-share-slot-reused ||
		fail net-share-slot-reused "the newcomer has slot $(slot_of f), the dead Guest had $es"
	[ -z "$(promisc_slots)" ] && pass net-share-stale-cleared ||
		fail net-share-stale-cleared "promiscuous slots left: $(promisc_slots)"
	gcmd f 8 60 'ip addr add 10.0.4.4/24 dev eth0 && ip link set eth0 up'
	gcmd f 8 60 'ping -c 3 -W 5 10.0.4.1' && pass net-share-newcomer-ping ||
		fail net-share-newcomer-ping "$(tail -3 /tmp/f.last | tr '\n' ' ')"
	[ "$(slot_byte "$es")" = 02 ] && pass net-share-newcomer-published ||
		fail net-share-newcomer-published "slot $es starts with $(slot_byte "$es")"
else
	fail net-share-slot-reused "the new Guest did not boot"
fi

# Everybody powers off; closing an interface empties its slot.
gcmd c 5 60 'ip link set eth0 down'
cs=$(slot_of c)
[ "$(slot_byte "$cs")" = 00 ] && pass net-share-down-clears-slot ||
	fail net-share-down-clears-slot "slot $cs starts with $(slot_byte "$cs") after ifdown"
ok=0
for g in c:5 d:6 f:8; do
	echo poweroff >&"${g#*:}"
done
for g in c d f; do
	[ "$(wait_exit $g 120)" = 0 ] && ok=$((ok + 1)) || show $g
done
exec 5>&- 6>&- 8>&-
[ $ok = 3 ] && pass net-share-poweroff || fail net-share-poweroff "only $ok of 3 Guests powered off"
[ -z "$(od -An -v -tx1 "$SHARE" | tr -d ' 0\n')" ] && pass net-share-page-empty ||
	fail net-share-page-empty "slots left: $(od -An -tx1 "$SHARE" | head -3)"

for g in a b c d e f; do
	grep -qiE 'Oops|BUG:|WARNING:|Kernel panic|general protection' "/tmp/$g.out" &&
		fail "net-guest-log-clean-$g" "$(grep -m1 -iE 'Oops|BUG:|WARNING:|Kernel panic|general protection' "/tmp/$g.out")"
done
w=$(dmesg_warnings)
[ -z "$w" ] && pass net-host-log-clean || fail net-host-log-clean "$(echo "$w" | head -1)"
for g in a b c d e f; do
	stop_launcher $g
done
wait
