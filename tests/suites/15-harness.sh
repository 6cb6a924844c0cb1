#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 600
# The harness must catch what goes wrong: feed the console parser logs of
# each kind of failure, then make real QEMU Hosts hang, panic and run a
# test that fails silently, and check each is reported as a failure.
set -uo pipefail
. "$(dirname "$0")/../suite.sh"
parse=$TOP/tests/bench/parse-console.sh
out=$BUILD/harness
mkdir -p "$out"

# expect NAME PATTERN: the last parse output must contain a line matching
# PATTERN.
expect() {
	if grep -qE "$2" "$out/result"; then
		echo "PASS harness-$1"
	else
		echo "FAIL harness-$1: no line matching '$2' in: $(tr '\n' '|' <"$out/result")"
	fi
}

# A log with one test, "t", whose body is given on stdin.
mklog() {
	{
		echo "[    0.000000] Linux version 6.1.0"
		echo "=== LGUEST-BENCH START 6.1.0 cpus=1"
		echo "=== BEGIN t"
		cat
		echo "=== END t ${1:-0}"
		echo "=== LGUEST-BENCH DONE"
	} | sed 's/$/\r/' >"$out/console.log"
}
run_parse() {
	"$parse" self "$out/console.log" "${1:-0}" 60 t >"$out/result"
}

printf 'PASS a\nPASS b\n' | mklog
run_parse
expect clean-log-passes '^PASS \[self\] vm-log-clean$'
expect clean-results '^PASS \[self\] b$'
[ "$(grep -c '^FAIL' "$out/result")" = 0 ] && echo "PASS harness-clean-no-fail" ||
	echo "FAIL harness-clean-no-fail: $(grep '^FAIL' "$out/result" | head -1)"

printf 'PASS a\n[   12.5] BUG: unable to handle page fault for address: 0000000000000010\n[   12.5] Oops: 0000 [#1] PREEMPT SMP NOPTI\n' | mklog
run_parse
expect oops-caught '^FAIL \[self\] vm-log-clean: BUG: unable to handle page fault'

printf '[    5.1] ------------[ cut here ]------------\n[    5.1] WARNING: CPU: 1 PID: 77 at mm/gup.c:100 foo+0x1/0x2\nPASS a\n' | mklog
run_parse
expect warn-caught '^FAIL \[self\] vm-log-clean:'

printf 'PASS a\n[    9.0] Kernel panic - not syncing: Fatal exception\n' | mklog
run_parse
expect panic-caught '^FAIL \[self\] vm-log-clean: Kernel panic'

printf '[    6.0] watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [lguest-launch:90]\nPASS a\n' | mklog
run_parse
expect lockup-caught '^FAIL \[self\] vm-log-clean: watchdog: BUG: soft lockup'

# An RCU stall is reported with what it names and where it is stuck.
printf '%s\n' 'PASS a' '[  123.3] rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:' \
	'[  123.3] rcu: 	0-...!: (1 GPs behind) idle=2f4/1/0x4000000000000000' \
	'[  123.3] 	(detected by 0, t=5252 jiffies, g=4321, q=12 ncpus=1)' \
	'[  123.3] Call Trace:' '[  123.3]  <IRQ>' '[  123.3]  ? show_regs+0x1/0x2' \
	'[  123.3]  lguest_run+0x123/0x456 [lguest]' '[  123.3]  vfs_read+0xa0/0x300' | mklog
run_parse
expect rcu-stall-explained '^FAIL \[self\] vm-log-clean: rcu: INFO: rcu_preempt detected stalls on CPUs/tasks: rcu: 0-\.\.\.!: \(1 GPs behind\).*\| \(detected by 0, t=5252 .*\| stack: lguest_run < vfs_read \(see '

printf '[    0.2] RETBleed: WARNING: Spectre v2 mitigation leaves CPU vulnerable to RETBleed attacks, data leaks possible!\nPASS a\n' | mklog
run_parse
expect cpu-notice-ignored '^PASS \[self\] vm-log-clean$'

printf 'PASS a\n' | mklog
run_parse 124
expect timeout-caught '^FAIL \[self\] vm-finished: QEMU still running after 60s'

printf 'FAIL a: broken\n' | mklog 1
run_parse
expect test-fail-passed-on '^FAIL \[self\] a: broken$'

printf 'some output\n' | mklog 3
run_parse
expect silent-exit-caught '^FAIL \[self\] t: exited with status 3$'

printf 'PASS a\n' | mklog 137
run_parse
expect killed-test-caught '^FAIL \[self\] t: killed by the per-test timeout$'

printf '=== LGUEST-BENCH START x\n=== BEGIN t\nPASS a\n' | sed 's/$/\r/' >"$out/console.log"
run_parse
expect unfinished-test-caught '^FAIL \[self\] t: did not finish'
expect unfinished-run-caught '^FAIL \[self\] vm-finished: the Host stopped'

: >"$out/console.log"
run_parse
expect no-boot-caught '^FAIL \[self\] vm-boot:'
expect never-started-caught '^FAIL \[self\] t: never started'

# Real QEMU Hosts, failing on purpose.  The bench's result lines are
# indented before they are checked, so they do not count as this suite's.
# What is tested is the bench, not paging: the Hosts start the quick way.
bench() {
	"$TOP/tests/bench/run-vm.sh" --boot pvh "$@" 2>"$out/bench.err" | sed 's/^/  /' >"$out/result"
	cat "$out/result"
}
bench --timeout 45 --test-timeout 1000 selftest-sleep
expect qemu-hang-caught '^  FAIL \[6.1/max/smp1\] vm-finished: QEMU still running after 45s'
bench --timeout 120 --test-timeout 5 selftest-sleep
expect test-hang-caught '^  FAIL \[6.1/max/smp1\] selftest-sleep: killed by the per-test timeout'
bench --timeout 120 selftest-panic
expect real-panic-caught '^  FAIL \[6.1/max/smp1\] vm-log-clean: (Kernel panic|sysrq|BUG|Oops)'
bench --timeout 120 selftest-silent
expect real-silent-caught '^  FAIL \[6.1/max/smp1\] selftest-silent: exited with status 3'

# --kmod and --drive: the Host kernel's own modules go in, and a disk given
# to QEMU is there (the device tests stand on both).  A module that does
# not exist is refused before QEMU starts.
printf LGDISK >"$out/kmod-disk.img"
truncate -s 1M "$out/kmod-disk.img"
bench --timeout 120 --kmod virtio_pci --kmod virtio_blk --kmod tun --kmod bridge \
	--drive "file=$out/kmod-disk.img,if=virtio,format=raw,snapshot=on" selftest-kmod
expect kmod-drive '^  PASS \[6.1/max/smp1\] selftest-kmod-drive$'
expect kmod-net '^  PASS \[6.1/max/smp1\] selftest-kmod-net$'
if "$TOP/tests/bench/run-vm.sh" --timeout 60 --kmod no_such_module selftest-silent >/dev/null 2>&1; then
	echo "FAIL kmod-unknown-refused: run-vm.sh accepted --kmod no_such_module"
else
	echo "PASS kmod-unknown-refused"
fi
# run-vm.sh -h prints its usage (from tests/README.md) and exits 2.
rc=0
usage=$("$TOP/tests/bench/run-vm.sh" -h 2>&1) || rc=$?
if [ $rc = 2 ] && grep -q '^run-vm.sh \[--host ' <<<"$usage" && grep -q 'TEST\.\.\.$' <<<"$usage"; then
	echo "PASS bench-usage"
else
	echo "FAIL bench-usage: exit $rc: $(head -2 <<<"$usage" | tr '\n' ' ')"
fi
