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
# (the default: everything), "timers" (everything but the 1000 processes
# and the OOM killer, which are the same on every Host kernel and take two
# minutes: the clock, the sleeps, SIGTERM, a panic, several Guests) or
# "smoke" (boot, one command, poweroff).
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
# standard error /tmp/NAME.err and exit status /tmp/NAME.rc
# (the Host uptime it exited at in /tmp/NAME.end).
start() {
	name=$1
	fd=$2
	shift 2
	rm -f "/tmp/$name.in" "/tmp/$name.out" "/tmp/$name.err" "/tmp/$name.rc" \
		"/tmp/$name.end"
	mkfifo "/tmp/$name.in"
	(
		timeout -s KILL 900 lguest-launch "$@" <"/tmp/$name.in" 2>"/tmp/$name.err"
		rc=$?
		now >"/tmp/$name.end"
		echo $rc >"/tmp/$name.rc"
	) | stamp >"/tmp/$name.out" &
	eval "exec $fd>/tmp/$name.in"
	eval "start_$name=$(now)"
}

send() {
	eval "echo \"\$2\" >&$1"
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

if [ "$MODE" != smoke ]; then
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
fi
if [ "$MODE" = full ]; then
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

# --- SIGTERM: the power button ----------------------------------------------
# The Launcher presses the Guest's power button (LGUEST_DEVICE_T_POWER); its
# driver runs orderly_poweroff(), whose /sbin/poweroff has init stop
# everything and power off; the Launcher exits 0.  Without a driver (the
# freestanding Guests in guests.sh) SIGTERM still kills at once.
#
# sigterm_guest NAME FD [LAUNCHER ARGS...]: boot a Guest, check that its
# power button has a driver, leave it idle a moment, then SIGTERM its
# Launcher; sets t_kill (the Host's uptime then).  Fails and returns 1 if
# the Guest does not get that far.
sigterm_guest() {
	sg=$1
	sfd=$2
	shift 2
	start "$sg" "$sfd" "$@"
	if ! wait_for "$sg" LGUEST-SHELL-READY $BOOT_LIMIT; then
		fail "linux-sigterm-$sg-boot" "the Guest did not boot"
		show "$sg"
		return 1
	fi
	# Type, status and driver of every lguest device: the button is type
	# 4, with ACKNOWLEDGE, DRIVER and DRIVER_OK (7) set by lguest_power.
	send "$sfd" 'for d in /sys/bus/lguest/devices/*; do echo "DEV $(cat $d/type) $(cat $d/status) $(basename $(readlink $d/driver))"; done; echo B$((3+4))X'
	if ! wait_for "$sg" 'B7X' 60; then
		fail "linux-sigterm-$sg-devices" "no answer from the shell"
		show "$sg"
		return 1
	fi
	sleep 2
	spid=$(pidof lguest-launch)
	case $spid in
	'' | *' '*)
		fail "linux-sigterm-$sg-pid" "want one lguest-launch, have '$spid'"
		return 1 ;;
	esac
	t_kill=$(now)
	kill -TERM "$spid"
}

# ms_to_exit NAME: milliseconds from t_kill to the Launcher's exit.
ms_to_exit() {
	echo $(($(cs_between "$t_kill" "$(cat "/tmp/$1.end")") * 10))
}

if sigterm_guest s 4 $LAUNCH_ARGS; then
	if grep -qE '^[0-9.]+ DEV 4 7 lguest_power' /tmp/s.out; then
		pass linux-power-button-driver-ok
	else
		fail linux-power-button-driver-ok "no 'DEV 4 7 lguest_power': $(grep -E '^[0-9.]+ DEV' /tmp/s.out | cut -d' ' -f2- | tr -d '\r' | tr '\n' ';')"
	fi
	rc=$(wait_exit s 60)
	ms=$(ms_to_exit s 2>/dev/null)
	echo "METRIC linux-guest-sigterm-to-poweroff-ms ${ms:-none}"
	# The driver, then init's shutdown, then the kernel's power off.
	a=$(stamp_of s 'the Host asks us to power off')
	b=$(stamp_of s 'LGUEST-INIT: the system is going down for poweroff')
	c=$(stamp_of s 'reboot: Power down')
	if [ "$rc" = 0 ] && [ -n "$a" ] && [ -n "$b" ] && [ -n "$c" ] &&
		[ "$(cs_between "$a" "$b")" -ge 0 ] && [ "$(cs_between "$b" "$c")" -ge 0 ] &&
		grep -qE '^[0-9.]+ LGUEST-INIT: requesting system poweroff' /tmp/s.out; then
		pass linux-sigterm-orderly-poweroff
		echo "sigterm console: $(grep -E 'asks us to power off|LGUEST-INIT|reboot: Power down' /tmp/s.out | cut -d' ' -f2- | tr -d '\r' | tr '\n' '|')"
	else
		fail linux-sigterm-orderly-poweroff "exit '${rc:-none}', driver '$a' init '$b' power down '$c'"
		show s 30
	fi
	if [ -n "$ms" ] && [ "$ms" -le 15000 ]; then
		pass linux-sigterm-within-15s
	else
		fail linux-sigterm-within-15s "the Launcher took ${ms:-more than 60000} ms to exit"
	fi
	[ -s /tmp/s.err ] && fail linux-sigterm-quiet "stderr: $(head -c 300 /tmp/s.err)" ||
		pass linux-sigterm-quiet
fi
exec 4>&-

if [ "$MODE" != smoke ]; then
	# An init that ignores the poweroff: killed after --shutdown-timeout
	# (2 s), as SIGTERM always killed (status 143, 128 + SIGTERM).
	if sigterm_guest i 4 --shutdown-timeout=2 $LAUNCH_ARGS lguest_test_ignore_poweroff; then
		rc=$(wait_exit i 60)
		ms=$(ms_to_exit i 2>/dev/null)
		echo "METRIC linux-guest-sigterm-timeout-2s-ms ${ms:-none}"
		if [ "$rc" = 143 ] && [ -n "$ms" ] && [ "$ms" -ge 1800 ] && [ "$ms" -le 4000 ] &&
			grep -qE '^[0-9.]+ LGUEST-INIT: ignoring the poweroff signal' /tmp/i.out &&
			! grep -qE '^[0-9.]+ .*reboot: Power down' /tmp/i.out; then
			pass linux-sigterm-timeout-kills
		else
			fail linux-sigterm-timeout-kills "exit '${rc:-none}' after ${ms:-?} ms (want 143 after about 2000)"
			show i 20
		fi
	fi
	exec 4>&-
	# The same init, the default 30 s: a second SIGTERM kills at once.
	if sigterm_guest j 4 $LAUNCH_ARGS lguest_test_ignore_poweroff; then
		wait_for j 'ignoring the poweroff signal' 20
		t_kill=$(now)
		kill -TERM "$spid"
		rc=$(wait_exit j 30)
		ms=$(ms_to_exit j 2>/dev/null)
		echo "METRIC linux-guest-second-sigterm-ms ${ms:-none}"
		if [ "$rc" = 143 ] && [ -n "$ms" ] && [ "$ms" -le 1000 ] &&
			grep -qE '^[0-9.]+ LGUEST-INIT: ignoring the poweroff signal' /tmp/j.out; then
			pass linux-sigterm-second-kills
		else
			fail linux-sigterm-second-kills "exit '${rc:-none}' ${ms:-?} ms after the second SIGTERM"
			show j 20
		fi
	fi
	exec 4>&-
fi

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
if [ "$MODE" != smoke ]; then
	panic_test
	exec 4>&-
fi

# --- A terminal: raw while the Guest runs, restored however we leave -----
# ptyrun (tests/linux-guest/ptyrun.c) runs the Launcher on a pseudo-terminal.
if [ "$MODE" != smoke ] && [ -x "$P/ptyrun" ]; then
	# NAME:MODE:EXIT[:OPTION]: a SIGTERM with --shutdown-timeout=0 kills at
	# once, as it always did; without, the Guest powers off.
	for how in poweroff:poweroff:0 crash:crash:1 \
		sigterm:sigterm:signal_15:--shutdown-timeout=0 \
		sigterm-poweroff:sigterm:0 sighup:sighup:signal_1; do
		tname=$(echo "$how" | cut -d: -f1)
		m=$(echo "$how" | cut -d: -f2)
		want=$(echo "$how" | cut -d: -f3 | tr _ ' ')
		opt=$(echo "$how" | cut -d: -f4)
		timeout 600 "$P/ptyrun" "$m" lguest-launch $opt $LAUNCH_ARGS >/tmp/pty.out 2>/tmp/pty.err
		got="$(grep -a '^PTY-' /tmp/pty.out | tr '\n' ' ')"
		if grep -aq '^PTY-RAW yes' /tmp/pty.out && grep -aq '^PTY-ECHO yes' /tmp/pty.out &&
			grep -aq "^PTY-EXIT $want\$" /tmp/pty.out &&
			grep -aq '^PTY-RESTORED yes' /tmp/pty.out; then
			pass "linux-terminal-$tname"
		else
			fail "linux-terminal-$tname" "want exit '$want': $got $(head -c 200 /tmp/pty.err)"
		fi
	done
fi

# --- Two and four Guests at once ------------------------------------------
if [ "$MODE" != smoke ]; then
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
