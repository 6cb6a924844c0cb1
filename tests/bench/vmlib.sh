# SPDX-License-Identifier: GPL-2.0
# Helpers for in-VM tests (sourced as /lguest/vmlib.sh inside the QEMU Host).

# pass, fail, skip and check are tests/lib.sh's, copied in by run-vm.sh.
. /lguest/lib.sh

load_module() {
	grep -q '^lguest ' /proc/modules || insmod /lguest/lguest.ko
}

# avail: free memory in kB, as MemAvailable plus the pages parked on the
# per-CPU free lists, which are free but not counted there (and Linux 6.12
# grows those lists on its own).
avail() {
	echo $(($(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo) +
		$(awk '$1 == "count:" { n += $2 } END { print n + 0 }' /proc/zoneinfo) * 4))
}

# settled_avail: avail once the noise has settled.  Freed pages reach it
# late (RCU, per-CPU page lists), so caches are dropped and free pages
# compacted before each reading, and the answer is the best of five
# readings a second apart.
settled_avail() {
	local best=0 a i
	for i in 1 2 3 4 5; do
		sync
		echo 3 >/proc/sys/vm/drop_caches
		echo 1 >/proc/sys/vm/compact_memory 2>/dev/null
		sleep 1
		a=$(avail)
		[ "$a" -gt "$best" ] && best=$a
	done
	echo "$best"
}

# spinner_start CPU OUT [TENTHS]: start the test Guest that never yields
# (kill.elf "forever", from the payload) with its Launcher pinned to CPU,
# its output in OUT, and wait (up to TENTHS tenths of a second, default
# 100) until it says it spins.  Its pid is in $spinner; fails if it never
# said so.
spinner_start() {
	local n=0
	taskset -c "$1" lguest-launch 32 "${PAYLOAD:-/payload}/kill.elf" forever >"$2" 2>&1 &
	spinner=$!
	while ! grep -q 'spinning forever' "$2" && [ $n -lt "${3:-100}" ]; do
		sleep 0.1
		n=$((n + 1))
	done
	grep -q 'spinning forever' "$2"
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

# --- Driving a Guest's console ----------------------------------------------
# A Guest started by a test (its own start(), which knows how it wants the
# Launcher run) writes its console to /tmp/NAME.out through stamp, its
# standard error to /tmp/NAME.err and its exit status to /tmp/NAME.rc.

# stamp: each line of standard input, prefixed with the Host's uptime.
stamp() {
	while IFS= read -r line; do
		read -r up _ </proc/uptime
		printf '%s %s\n' "$up" "$line"
	done
}

# stamp_of NAME PATTERN: the Host uptime of the Guest's first line matching.
stamp_of() {
	grep -E "^[0-9.]+ .*$2" "/tmp/$1.out" | head -1 | cut -d' ' -f1
}

# wait_for NAME PATTERN SECONDS: the Guest printed a line matching
# PATTERN (an extended regular expression on the text after the stamp).
wait_for() {
	n=$(($3 * 5))
	while [ $n -gt 0 ]; do
		grep -qE "^[0-9.]+ .*$2" "/tmp/$1.out" 2>/dev/null && return 0
		[ -f "/tmp/$1.rc" ] && ! grep -qE "^[0-9.]+ .*$2" "/tmp/$1.out" && return 1
		sleep 0.2
		n=$((n - 1))
	done
	return 1
}

# wait_exit NAME SECONDS: the Launcher exited; its status is printed.
wait_exit() {
	n=$(($2 * 5))
	while [ $n -gt 0 ] && [ ! -f "/tmp/$1.rc" ]; do
		sleep 0.2
		n=$((n - 1))
	done
	[ -f "/tmp/$1.rc" ] || return 1
	cat "/tmp/$1.rc"
}

show() {
	echo "--- $1: console (last lines) ---"
	tail -n "${2:-15}" "/tmp/$1.out" | tr -d '\r'
	echo "--- $1: stderr ---"
	cat "/tmp/$1.err"
}
