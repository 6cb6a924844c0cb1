#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# fuzz.sh: run the hypercall fuzzer Guest (/payload/fuzz.elf, from
# tests/guests/fuzz.c) again and again with seeds 1, 2, 3, ... until a
# budget of hypercalls or of seconds is spent.  Each launch either powers
# off or is killed by the Host with a reason: both are fine, and the
# reasons are counted.  A Launcher still running past its time limit, a
# Host warning (oops, WARN, BUG, KASAN, lockdep...) in dmesg, or a Guest
# that finds its own memory corrupted is a FAIL naming the seed.
#
# Knobs, from the Host kernel's command line (run-vm.sh --append):
#   lguest.fuzz_calls=N       total hypercalls (default 100000)
#   lguest.fuzz_seconds=S     stop after S seconds instead (0: no limit)
#   lguest.fuzz_seed=N        the first seed (default 1)
#   lguest.fuzz_per_launch=N  hypercalls one launch makes at most (20000)
#   lguest.fuzz_risk=N        one operation in N is a risky one (200)
#   lguest.fuzz_launch_timeout=S  one Launcher's time limit (120)
#   lguest.fuzz_trace=1       the Guest prints every hypercall (slow)
# Reproduce one seed: lguest-launch 32 fuzz.elf seed=N calls=M risk=R trace
. /lguest/vmlib.sh
P=${PAYLOAD:-/payload}

arg() {
	v=$(tr ' ' '\n' </proc/cmdline | sed -n "s/^lguest\.$1=//p" | tail -1)
	echo "${v:-$2}"
}
budget=$(arg fuzz_calls 100000)
seconds=$(arg fuzz_seconds 0)
seed=$(arg fuzz_seed 1)
per=$(arg fuzz_per_launch 20000)
risk=$(arg fuzz_risk 200)
limit=$(arg fuzz_launch_timeout 120)
trace=
[ "$(arg fuzz_trace 0)" = 1 ] && trace=trace

[ -f "$P/fuzz.elf" ] || { fail fuzz "no $P/fuzz.elf in the payload"; exit 0; }
load_module || { fail fuzz-insmod "insmod failed"; exit 0; }

# uptime_cs: the Host's uptime in hundredths of a second.
uptime_cs() {
	read -r up _ </proc/uptime
	echo "${up%.*}${up#*.}" | sed 's/^0*//; s/^$/0/'
}

first=$seed
total=0
launches=0
failed=0
: >/tmp/fuzz.reasons
start=$(uptime_cs)
dmesg_mark
echo "fuzz: budget $budget calls, ${seconds}s (0: none), $per calls a launch, risk 1/$risk"
while [ "$total" -lt "$budget" ]; do
	now=$(uptime_cs)
	if [ "$seconds" -gt 0 ] && [ $((now - start)) -ge $((seconds * 100)) ]; then
		break
	fi
	left=$((budget - total))
	[ "$left" -lt "$per" ] && n=$left || n=$per
	timeout -s KILL "$limit" lguest-launch 32 "$P/fuzz.elf" \
		"seed=$seed" "calls=$n" "risk=$risk" $trace </dev/null \
		>/tmp/fuzz.out 2>/tmp/fuzz.err
	rc=$?
	launches=$((launches + 1))
	tr -d '\r' </tmp/fuzz.out >/tmp/fuzz.clean
	# Calls this launch made: the last count it printed.
	made=$(sed -n 's/^fuzz: done seed [0-9]* calls \([0-9]*\).*/\1/p
		s/^fuzz: at \([0-9]*\)$/\1/p
		s/^fuzz: risky [^ ]* at \([0-9]*\)$/\1/p' /tmp/fuzz.clean | tail -1)
	total=$((total + ${made:-0}))
	last=$(grep '^fuzz: ' /tmp/fuzz.clean | grep -v '^fuzz: #' | tail -1)
	case $last in
	"fuzz: risky "*) after=$(echo "$last" | cut -d' ' -f3) ;;
	*) after="safe ops" ;;
	esac
	if [ "$rc" -eq 137 ]; then
		fail fuzz "seed $seed: the Launcher still ran after ${limit}s (killed; last: $last)"
		tail -n 8 /tmp/fuzz.clean
		failed=$((failed + 1))
		break
	fi
	if grep -q '^FUZZ-CORRUPT' /tmp/fuzz.clean; then
		fail fuzz "seed $seed: $(grep -m1 '^FUZZ-CORRUPT' /tmp/fuzz.clean)"
		failed=$((failed + 1))
	fi
	w=$(dmesg_warnings)
	if [ -n "$w" ]; then
		fail fuzz "seed $seed: the Host said: $(echo "$w" | grep -v "cut here" | head -1)"
		echo "$w" | head -40
		failed=$((failed + 1))
		dmesg_mark
	fi
	if [ "$rc" -eq 0 ]; then
		if grep -q '^fuzz: done ' /tmp/fuzz.clean; then
			reason="completed its budget"
		else
			reason="powered off [after $after]"
		fi
	else
		# "Guest died: REASON", numbers made general.
		reason=$(sed -n 's/^lguest-launch: //p' /tmp/fuzz.err | tail -1 |
			sed 's/0x[0-9a-f]*/X/g; s/[0-9][0-9]*/N/g')
		[ -n "$reason" ] || reason="exit $rc: $(tail -1 /tmp/fuzz.err)"
		reason="$reason [after $after]"
	fi
	grep -q '^FAIL unexpected-trap' /tmp/fuzz.clean &&
		reason="$reason (unexpected trap)"
	# Killed for something a correct Host allows, or the fuzzer is wrong.
	case $reason in
	*"[after safe ops]"*)
		echo "fuzz: seed $seed died after safe ops: $(tail -1 /tmp/fuzz.err)"
		grep '^FAIL ' /tmp/fuzz.clean | head -3 | sed 's/^/fuzz:   guest said: /'
		[ -z "$trace" ] || tail -n 12 /tmp/fuzz.clean | sed 's/^/fuzz:   /'
		;;
	esac
	echo "$reason" >>/tmp/fuzz.reasons
	seed=$((seed + 1))
done
end=$(uptime_cs)
cs=$((end - start))
[ "$cs" -gt 0 ] || cs=1
echo "fuzz: reasons (launches, reason):"
sort /tmp/fuzz.reasons | uniq -c | sort -rn | sed 's/^ */fuzz-reason /'
rate=$((total * 100 / cs))
secs=$((cs / 100)).$((cs % 100 / 10))
summary="$total calls in $secs s ($rate calls/s), $launches launches, seeds $first..$((seed - 1))"
echo "METRIC fuzz-calls-per-s $rate calls/s"
if [ "$total" -ge "$budget" ] ||
   { [ "$seconds" -gt 0 ] && [ "$cs" -ge $((seconds * 100)) ]; }; then
	pass "fuzz-calls: $summary"
else
	fail fuzz-calls "$summary: the budget was not spent"
fi
[ "$failed" -eq 0 ] && pass fuzz
exit 0
