# SPDX-License-Identifier: GPL-2.0
# Helpers for in-VM tests (sourced as /lguest/vmlib.sh inside the QEMU Host).

pass() {
	echo "PASS $1"
}

fail() {
	echo "FAIL $1: $2"
}

# check NAME REASON CMD...: PASS NAME if CMD succeeds, else FAIL with REASON.
check() {
	local name=$1 reason=$2
	shift 2
	if "$@"; then
		pass "$name"
	else
		fail "$name" "$reason"
	fi
}

load_module() {
	grep -q '^lguest ' /proc/modules || insmod /lguest/lguest.ko
}

# dmesg_mark; ...; dmesg_warnings: print kernel messages at warning level
# or worse logged since the mark, less the taint notices every unsigned
# out-of-tree module earns.
dmesg_mark() {
	DMESG_MARK=$(dmesg | wc -l)
}

# A Host starved of real CPU (TCG on busy shared cores: its vCPU thread
# not scheduled for a while) says so in two notices that are about the
# machine, not about lguest: a clocksource read that took long, and an
# hrtimer interrupt that took long.  They are not counted either.
dmesg_warnings() {
	dmesg -r | tail -n +$((DMESG_MARK + 1)) | grep -E '^<[0-4]>' |
		grep -vE 'module verification failed|out-of-tree module taints' |
		grep -vE 'clocksource: Long readout interval|hrtimer: interrupt took [0-9]+ ns'
}
