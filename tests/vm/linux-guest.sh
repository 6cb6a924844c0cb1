#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# linux-guest.sh: boot the Linux Guest (/payload/bzImage, with the busybox
# initrd /payload/initrd.gz) under lguest in this Host and drive its
# console: commands are written to lguest-launch's standard input, and
# what the Guest prints comes back on its standard output, each line
# stamped with the Host's uptime so the Host's clock can time the Guest.
#
# The mode (a file "mode" in the payload, or LINUX_GUEST_MODE) is "full"
# (the default: everything) or "smoke" (boot, one command, poweroff).
. /lguest/vmlib.sh
P=${PAYLOAD:-/payload}
MODE=${LINUX_GUEST_MODE:-full}
[ -f "$P/mode" ] && MODE=$(cat "$P/mode")
MEM=64
BOOT_LIMIT=240

load_module || { fail linux-insmod "insmod failed"; exit 1; }

now() {
	read -r up _ </proc/uptime
	echo "$up"
}

# Centiseconds between two uptime readings.
cs_between() {
	echo "$1 $2" | awk '{ printf "%d\n", ($2 - $1) * 100 + 0.5 }'
}

# start NAME FD [LAUNCHER ARGS...]: start a Guest whose console input is
# file descriptor FD of this shell, output /tmp/NAME.out (stamped),
# standard error /tmp/NAME.err and exit status /tmp/NAME.rc.
start() {
	name=$1
	fd=$2
	shift 2
	rm -f "/tmp/$name.in" "/tmp/$name.out" "/tmp/$name.err" "/tmp/$name.rc"
	mkfifo "/tmp/$name.in"
	(
		timeout -s KILL 900 lguest-launch "$@" <"/tmp/$name.in" 2>"/tmp/$name.err"
		echo $? >"/tmp/$name.rc"
	) | stamp >"/tmp/$name.out" &
	eval "exec $fd>/tmp/$name.in"
	eval "start_$name=$(now)"
}

send() {
	eval "echo \"\$2\" >&$1"
}

# stamp_of NAME PATTERN: the Host uptime of the first line matching.
stamp_of() {
	grep -E "^[0-9.]+ .*$2" "/tmp/$1.out" | head -1 | cut -d' ' -f1
}

LAUNCH_ARGS="--initrd=$P/initrd.gz $MEM $P/bzImage"
dmesg_mark

# --- Boot to the shell, run a command -------------------------------------
start g 3 $LAUNCH_ARGS
if wait_for g LGUEST-SHELL-READY $BOOT_LIMIT; then
	t=$(cs_between "$start_g" "$(stamp_of g LGUEST-SHELL-READY)")
	pass linux-boot
	echo "METRIC linux-guest-boot-to-shell-ms $((t * 10))"
else
	fail linux-boot "no shell within ${BOOT_LIMIT}s"
	show g 40
	exit 1
fi
grep -q 'Booting paravirtualized kernel on lguest' /tmp/g.out &&
	pass linux-paravirt-banner || fail linux-paravirt-banner "no 'on lguest' banner"
send 3 'echo R$((6*7))X'
wait_for g 'R42X' 60 && pass linux-shell-command ||
	{ fail linux-shell-command "no output from 'echo R\$((6*7))X'"; show g; }

if [ "$MODE" = full ]; then
	# --- CPUID, as the Guest's filter leaves it ---------------------------
	send 3 'grep -m1 ^flags /proc/cpuinfo'
	if wait_for g 'flags[[:space:]]*:' 60; then
		flags=" $(grep -E '^[0-9.]+ flags' /tmp/g.out | head -1 | cut -d: -f2 | tr -d '\r') "
		bad=
		for f in fpu tsc cx8 cmov mmx fxsr sse sse2 hypervisor; do
			case $flags in *" $f "*) ;; *) bad="$bad missing:$f" ;; esac
		done
		for f in vme pse pae mce apic sep mtrr pge pse36 nx lm syscall vmx svm smep smap umip pku pcid la57 avx; do
			case $flags in *" $f "*) bad="$bad present:$f" ;; esac
		done
		if [ -z "$bad" ]; then
			pass linux-cpuinfo-filtered
		else
			fail linux-cpuinfo-filtered "$bad (flags:$flags)"
		fi
	else
		fail linux-cpuinfo-filtered "no flags line"
	fi

	# --- Time: the wall clock, date advancing, sleep by the Host clock ----
	send 3 'echo W$(date +%s)X'
	if wait_for g 'W[0-9]+X' 30; then
		gw=$(grep -oE 'W[0-9]+X' /tmp/g.out | head -1 | tr -d WX)
		hw=$(date +%s)
		d=$((hw - gw))
		[ ${d#-} -le 10 ] && pass linux-wallclock ||
			fail linux-wallclock "Guest says $gw, Host $hw"
	else
		fail linux-wallclock "no date output"
	fi
	send 3 'a=$(date +%s); sleep 3; b=$(date +%s); echo D$((b-a))X'
	if wait_for g 'D[0-9]+X' 60; then
		d=$(grep -oE 'D[0-9]+X' /tmp/g.out | head -1 | tr -d DX)
		[ "$d" -ge 2 ] && [ "$d" -le 4 ] && pass linux-date-advances ||
			fail linux-date-advances "date advanced ${d}s over 'sleep 3'"
	else
		fail linux-date-advances "no output"
	fi
	send 3 'echo S$((1))X; sleep 2; echo S$((2))X'
	if wait_for g 'S2X' 60; then
		t=$(cs_between "$(stamp_of g S1X)" "$(stamp_of g S2X)")
		echo "METRIC linux-guest-sleep-2-ms $((t * 10))"
		[ "$t" -ge 180 ] && [ "$t" -le 220 ] && pass linux-sleep-2s ||
			fail linux-sleep-2s "'sleep 2' took $((t * 10)) ms by the Host clock"
	else
		fail linux-sleep-2s "no output"
	fi
	# The same beside a process that never sleeps, so the Guest never
	# halts: its clock interrupt must still come on time.  (A Host that
	# stops reprogramming its own timer while a Guest runs, or never
	# preempts the Launcher, makes this take far longer.)  2.0 to 2.5 s,
	# less a little for the stamps, which are taken as the lines arrive.
	send 3 'sh -c "while :; do :; done" & b=$!; sleep 1; echo T$((1))X; sleep 2; echo T$((2))X; kill $b'
	if wait_for g 'T2X' 60; then
		t=$(cs_between "$(stamp_of g T1X)" "$(stamp_of g T2X)")
		echo "METRIC linux-guest-sleep-2-busy-ms $((t * 10))"
		[ "$t" -ge 190 ] && [ "$t" -le 250 ] && pass linux-sleep-2s-busy ||
			fail linux-sleep-2s-busy "'sleep 2' beside a busy process took $((t * 10)) ms by the Host clock"
	else
		fail linux-sleep-2s-busy "no output"
	fi

	# --- 1000 processes ---------------------------------------------------
	t0=$(now)
	send 3 'i=0; while [ $i -lt 1000 ]; do /bin/true || break; i=$((i+1)); done; echo F${i}X'
	if wait_for g 'F[0-9]+X' 600; then
		n=$(grep -oE 'F[0-9]+X' /tmp/g.out | head -1 | tr -d FX)
		t=$(cs_between "$t0" "$(stamp_of g 'F[0-9]+X')")
		echo "METRIC linux-guest-1000-fork-exec-ms $((t * 10))"
		[ "$n" = 1000 ] && pass linux-fork-exec-1000 ||
			fail linux-fork-exec-1000 "only $n processes ran"
	else
		fail linux-fork-exec-1000 "did not finish in 600 s"
		show g
	fi

	# --- A memory hog is OOM-killed; the Guest and Host carry on ----------
	send 3 'sh -c "x=\$(head -c 200000000 /dev/zero | tr \"\\0\" a); echo survived"; echo O$((1))X'
	if wait_for g 'O1X' 300; then
		if grep -qiE 'Out of memory|oom-kill' /tmp/g.out &&
			! grep -qE '^[0-9.]+ survived' /tmp/g.out; then
			pass linux-oom-kill
		else
			fail linux-oom-kill "no OOM kill in the Guest's log"
			show g 30
		fi
	else
		fail linux-oom-kill "the Guest did not come back from the memory hog"
		show g 30
	fi
	send 3 'echo A$((2+2))X'
	wait_for g 'A4X' 60 && pass linux-alive-after-oom ||
		fail linux-alive-after-oom "no answer after the OOM kill"
fi

# --- poweroff: the Launcher exits 0 ---------------------------------------
send 3 'poweroff'
rc=$(wait_exit g 120)
exec 3>&-
if [ "$rc" = 0 ]; then
	pass linux-poweroff-exit-0
else
	fail linux-poweroff-exit-0 "exit status '${rc:-none}'"
	show g
fi
grep -qiE 'Oops|BUG:|WARNING:|Kernel panic|general protection' /tmp/g.out &&
	fail linux-guest-log-clean "$(grep -m1 -iE 'Oops|BUG:|WARNING:|Kernel panic|general protection' /tmp/g.out)" ||
	pass linux-guest-log-clean

# --- A Guest panic: non-zero exit, with the reason ------------------------
panic_test() {
	start c 4 $LAUNCH_ARGS
	if ! wait_for c LGUEST-SHELL-READY $BOOT_LIMIT; then
		fail linux-panic-exit "the Guest did not boot"
		show c
		return
	fi
	send 4 'echo c > /proc/sysrq-trigger'
	rc=$(wait_exit c 120)
	if [ -n "$rc" ] && [ "$rc" != 0 ] &&
		grep -q 'Guest died: .*sysrq triggered crash' /tmp/c.err; then
		pass linux-panic-exit
		echo "panic reason: $(cat /tmp/c.err)"
	else
		fail linux-panic-exit "exit '${rc:-none}': $(cat /tmp/c.err)"
		show c
	fi
}
if [ "$MODE" = full ]; then
	panic_test
	exec 4>&-
fi

# --- A terminal: raw while the Guest runs, restored however we leave -----
# ptyrun (tests/linux-guest/ptyrun.c) runs the Launcher on a pseudo-terminal.
if [ "$MODE" = full ] && [ -x "$P/ptyrun" ]; then
	for how in poweroff:0 crash:1 sigterm:signal_15 sighup:signal_1; do
		m=${how%:*}
		want=$(echo "${how#*:}" | tr _ ' ')
		timeout 600 "$P/ptyrun" "$m" lguest-launch $LAUNCH_ARGS >/tmp/pty.out 2>/tmp/pty.err
		got="$(grep -a '^PTY-' /tmp/pty.out | tr '\n' ' ')"
		if grep -aq '^PTY-RAW yes' /tmp/pty.out && grep -aq '^PTY-ECHO yes' /tmp/pty.out &&
			grep -aq "^PTY-EXIT $want\$" /tmp/pty.out &&
			grep -aq '^PTY-RESTORED yes' /tmp/pty.out; then
			pass "linux-terminal-$m"
		else
			fail "linux-terminal-$m" "want exit '$want': $got $(head -c 200 /tmp/pty.err)"
		fi
	done
fi

# --- Two and four Guests at once ------------------------------------------
if [ "$MODE" = full ]; then
	for count in 2 4; do
		i=1
		while [ $i -le $count ]; do
			start "m$i" $((4 + i)) $LAUNCH_ARGS
			i=$((i + 1))
		done
		ok=0
		i=1
		while [ $i -le $count ]; do
			if wait_for "m$i" LGUEST-SHELL-READY $((BOOT_LIMIT * 2)); then
				send $((4 + i)) "echo M$i\$((10+$i))X; poweroff"
				wait_for "m$i" "M$i$((10 + i))X" 120 &&
					[ "$(wait_exit "m$i" 120)" = 0 ] && ok=$((ok + 1))
			fi
			i=$((i + 1))
		done
		i=1
		while [ $i -le $count ]; do
			eval "exec $((4 + i))>&-"
			[ -f "/tmp/m$i.rc" ] || show "m$i"
			i=$((i + 1))
		done
		[ $ok = $count ] && pass "linux-concurrent-$count" ||
			fail "linux-concurrent-$count" "only $ok of $count Guests booted, answered and powered off"
	done
fi

w=$(dmesg_warnings)
[ -z "$w" ] && pass linux-host-log-clean || fail linux-host-log-clean "$(echo "$w" | head -1)"
wait
