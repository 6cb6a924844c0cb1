#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# perf-guest.sh: what common work costs a Linux Guest, in time by the
# Host's clock and in world switches and shadow page faults from the
# Host's own counters (lguest-launch --stats).  Each workload runs in a
# Guest of its own, booted to its shell and powered off; an idle Guest
# (boot, poweroff) is the baseline taken from every count, so the figures
# are the workload's alone:
#	fork-exec	500 times "/bin/true" from the shell (fork, exec, exit,
#			wait)
#	page-touch	dd with a 16 MiB buffer: 4096 fresh anonymous pages
#			touched once each
# The figures are METRIC lines, never asserted; the PASS lines say only
# that each Guest ran and its counters came back.  Needs the Linux Guest
# payload of 45-linux-guest (bzImage, initrd.gz).
. /lguest/vmlib.sh
P=${PAYLOAD:-/payload}

load_module || { fail perf-insmod "insmod failed"; exit 1; }

# run NAME COMMAND: boot a Guest, run COMMAND in its shell, power it off;
# /tmp/NAME.out has its console, stamped, and /tmp/NAME.err its counters.
run() {
	rm -f "/tmp/$1.in" "/tmp/$1.out" "/tmp/$1.err"
	mkfifo "/tmp/$1.in"
	timeout -s KILL 600 lguest-launch --stats --initrd="$P/initrd.gz" 64 \
		"$P/bzImage" <"/tmp/$1.in" 2>"/tmp/$1.err" | stamp >"/tmp/$1.out" &
	exec 3>"/tmp/$1.in"
	if ! wait_for "$1" LGUEST-SHELL-READY 240; then
		exec 3>&-
		wait
		return 1
	fi
	echo "echo BEGIN\$((1))WORK; $2; echo END\$((1))WORK" >&3
	wait_for "$1" END1WORK 600 || { exec 3>&-; wait; return 1; }
	echo poweroff >&3
	exec 3>&-
	wait
	grep -q '^lguest-stats: switches ' "/tmp/$1.err"
}

# count NAME COUNTER: the Guest's count of COUNTER (0 if it printed none).
count() {
	awk -v c="$2" '$1 == "lguest-stats:" && $2 == c { n = $3 } END { print n + 0 }' "/tmp/$1.err"
}

# ms NAME: the Host's time from the mark before the work to the one after.
ms() {
	b=$(stamp_of "$1" BEGIN1WORK)
	e=$(stamp_of "$1" END1WORK)
	echo "$b $e" | awk '{ printf "%d\n", ($2 - $1) * 1000 + 0.5 }'
}

if run idle true; then
	pass perf-idle-ran
else
	fail perf-idle-ran "the idle Guest did not run: $(tail -3 /tmp/idle.err)"
	exit 0
fi

# report NAME OPERATIONS: the workload's time and counts per operation.
report() {
	t=$(ms "$1")
	for c in switches pf-fixed pf-guest hcall-SET_PTE hcall-NEW_PGTABLE; do
		w=$(count "$1" $c)
		i=$(count idle $c)
		echo "$1 $c $w $i $2" | awk '{ printf "METRIC perf-%s-%s-per-op %.2f\n", $1, $2, ($3 - $4) / $5 }'
	done
	echo "$1 $t $2" | awk '{ printf "METRIC perf-%s-us-per-op %.1f\n", $1, $2 * 1000 / $3 }'
}

if run fork-exec 'i=0; while [ $i -lt 500 ]; do /bin/true; i=$((i+1)); done'; then
	pass perf-fork-exec-ran
	report fork-exec 500
else
	fail perf-fork-exec-ran "$(tail -3 /tmp/fork-exec.err)"
fi
if run page-touch 'dd if=/dev/zero of=/dev/null bs=16M count=1 2>/dev/null'; then
	pass perf-page-touch-ran
	report page-touch 4096
else
	fail perf-page-touch-ran "$(tail -3 /tmp/page-touch.err)"
fi
