#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# console-modes.sh: the Linux Guest of linux-guest.sh (/payload/bzImage
# and initrd.gz) with its console somewhere other than the Launcher's
# terminal (--console=MODE, launcher/console_backend.c):
#
#   pty        the Launcher names a pseudo-terminal on stderr; conclient
#              (tests/linux-guest/conclient.c) opens it, runs a command and
#              leaves; the Guest prints on with nobody there, past what the
#              pty can hold; a second conclient finds the start of that
#              output kept, runs a command and powers the Guest off.
#   socket     the same through a Unix socket, one client after another;
#              the end of what the Guest said between them is handed to
#              the second.
#   file       output appended to a file; no input, so the Guest's init is
#              busybox's "poweroff -f", and the boot messages must be there.
#
# Each time the Launcher must exit 0, and while nobody is at the console its
# waker thread must sleep in poll(), not spin.
. /lguest/vmlib.sh
P=${PAYLOAD:-/payload}
MEM=64
BOOT_LIMIT=240
CC=$P/conclient
LAUNCH_ARGS="--initrd=$P/initrd.gz $MEM $P/bzImage"

load_module || { fail console-insmod "insmod failed"; exit 1; }
[ -x "$CC" ] || { fail console-conclient "no $CC in the payload"; exit 1; }
dmesg_mark

# start NAME ARGS...: a Launcher in the background, standard input from
# /dev/null and output to /tmp/NAME.out (neither is the console here),
# standard error /tmp/NAME.err, exit status /tmp/NAME.rc.
start() {
	name=$1
	shift
	rm -f "/tmp/$name.out" "/tmp/$name.err" "/tmp/$name.rc"
	(
		timeout -s KILL 900 lguest-launch "$@" </dev/null \
			>"/tmp/$name.out" 2>"/tmp/$name.err"
		echo $? >"/tmp/$name.rc"
	) &
}

# waker_ticks: CPU time (user + system, in clock ticks) of the running
# Launcher's threads other than the main one, which runs the Guest: the
# waker is the only other.
waker_ticks() {
	pid=$(pidof lguest-launch)
	[ -n "$pid" ] || { echo none; return; }
	t=0
	for task in /proc/$pid/task/*; do
		[ "${task##*/}" = "$pid" ] && continue
		set -- $(sed 's/^.*) //' "$task/stat")
		t=$((t + ${12} + ${13}))
	done
	echo $t
}

# idle_check NAME: over 5 s with nobody at the console, the waker must
# take less than half a second of CPU (a waker polling a hung-up pty
# would take all 5).
idle_check() {
	a=$(waker_ticks)
	sleep 5
	b=$(waker_ticks)
	if [ "$a" = none ] || [ "$b" = none ]; then
		fail "console-$1-idle" "the Launcher is not running"
	elif [ $((b - a)) -lt 50 ]; then
		pass "console-$1-idle"
	else
		fail "console-$1-idle" "the waker took $((b - a)) ticks of 5 s alone"
	fi
}

# finish NAME: the Launcher exits 0 after poweroff.
finish() {
	rc=$(wait_exit "$1" 120)
	if [ "$rc" = 0 ]; then
		pass "console-$1-poweroff-exit-0"
	else
		fail "console-$1-poweroff-exit-0" "exit status '${rc:-none}': $(cat "/tmp/$1.err")"
	fi
}

# check_client NAME STEP: conclient's verdict, from /tmp/NAME.STEP.
check_client() {
	if [ "$3" = 0 ] && grep -aq '^CONCLIENT-ANSWERED yes' "/tmp/$1.$2"; then
		pass "console-$1-$2"
	else
		fail "console-$1-$2" "conclient exit $3: $(grep -a '^CONCLIENT' "/tmp/$1.$2" | tr '\n' ' ')"
		tail -n 15 "/tmp/$1.$2" | tr -d '\r'
		echo "--- $1: stderr ---"
		cat "/tmp/$1.err"
	fi
}

# The first client: boot to the shell, a command, and then, once it has
# gone, the Guest says KEPT9X, then 100 KB, more than a pty or the socket
# keeps, then LATE2X.  A pty keeps the oldest output (KEPT9X must be
# there for the second client), the socket the newest 4 KB (LATE2X).
FIRST='echo R$((6*7))X; sleep 2; echo KEPT$((3*3))X; head -c 100000 /dev/zero | tr "\0" x; echo; echo LATE$((1+1))X'

# --- pty --------------------------------------------------------------------
start pty --console=pty $LAUNCH_ARGS
n=0
pts=
while [ $n -lt 300 ] && [ -z "$pts" ] && [ ! -f /tmp/pty.rc ]; do
	pts=$(sed -n 's|^lguest-launch: console on \(/dev/pts/[0-9]*\)$|\1|p' /tmp/pty.err)
	[ -n "$pts" ] || sleep 0.2
	n=$((n + 1))
done
if [ -n "$pts" ] && [ -c "$pts" ]; then
	pass console-pty-path
	timeout 600 "$CC" pty "$pts" LGUEST-SHELL-READY "$FIRST" R42X >/tmp/pty.first 2>&1
	check_client pty first $?
	# The Guest goes on printing with nobody at the pty.
	sleep 5
	idle_check pty
	timeout 600 "$CC" pty "$pts" KEPT9X 'echo S$((5*5))X' S25X poweroff >/tmp/pty.second 2>&1
	check_client pty second $?
	finish pty
else
	fail console-pty-path "no 'console on /dev/pts/N' line: $(cat /tmp/pty.err)"
	kill "$(pidof lguest-launch)" 2>/dev/null
	wait_exit pty 30 >/dev/null
fi

# --- socket -----------------------------------------------------------------
S=/tmp/c.sock
start socket --console=socket:$S $LAUNCH_ARGS
timeout 600 "$CC" socket $S LGUEST-SHELL-READY "$FIRST" R42X >/tmp/socket.first 2>&1
check_client socket first $?
if [ -S $S ] && [ "$(stat -c %a $S)" = 600 ]; then
	pass console-socket-mode-0600
else
	fail console-socket-mode-0600 "$(ls -l $S 2>&1)"
fi
sleep 5
idle_check socket
timeout 600 "$CC" socket $S LATE2X 'echo S$((5*5))X' S25X poweroff >/tmp/socket.second 2>&1
check_client socket second $?
finish socket
[ ! -e $S ] && pass console-socket-removed ||
	fail console-socket-removed "$S is still there after the Launcher exited"

# --- file -------------------------------------------------------------------
F=/tmp/c.log
rm -f $F
echo "an earlier boot" >$F
start file --console=file:$F $LAUNCH_ARGS rdinit=/bin/busybox -- poweroff -f
finish file
if grep -q 'Booting paravirtualized kernel on lguest' $F &&
	grep -q 'Run /bin/busybox as init process' $F; then
	pass console-file-boot-messages
else
	fail console-file-boot-messages "not in $F: $(tail -c 300 $F | tr -d '\r')"
fi
[ "$(head -1 $F)" = "an earlier boot" ] && pass console-file-appends ||
	fail console-file-appends "the file's first line is now '$(head -1 $F)'"
[ ! -s /tmp/file.out ] && pass console-file-not-stdout ||
	fail console-file-not-stdout "the console went to stdout too"

bad=
for f in /tmp/pty.first /tmp/pty.second /tmp/socket.first /tmp/socket.second $F; do
	[ -z "$bad" ] || break
	bad=$(grep -aim1 -E 'Oops|BUG:|WARNING:|Kernel panic|general protection' "$f" | tr -d '\r')
	[ -z "$bad" ] || bad="$f: $bad"
done
[ -z "$bad" ] && pass console-guest-log-clean || fail console-guest-log-clean "$bad"
w=$(dmesg_warnings)
[ -z "$w" ] && pass console-host-log-clean || fail console-host-log-clean "$(echo "$w" | head -1)"
wait
