#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stress: stress-ng runs every stressor of the cpu, memory, os, pipe and vm
# classes at once, one instance each, and none fails.
#   lguest.stress_time=SECONDS      how long (default 60)
#   lguest.stress_classes=A,B,...   classes (default cpu,memory,os,pipe,vm)
#   lguest.stress_exclude=X,Y,...   stressors to leave out (default
#                                   binderfs,efivar,atomic: Debian's kernel
#                                   has no binderfs and the machine no EFI,
#                                   and stress-ng counts that a lack of
#                                   resources; atomic, see below)
#
# The atomic stressor of Debian 12's stress-ng (0.15.06) has a race of its
# own: its three helper processes bump the shared bogo-ops counter, marking
# it "not ready" around each increment, and at the end the stressor
# SIGKILLs them.  A helper killed inside those three instructions leaves
# the mark set, and stress-ng exits 7 ("bogo-ops counter in non-ready
# state, metrics are untrustworthy") after a run in which nothing failed.
# The slower the machine, the likelier: it happened once under lguest in a
# QEMU Host.  stress-ng fixed it in 0.15.08 (it now counts such kills as
# forced, not as corruption); until the image has that, atomic stays out.
set -euo pipefail
time=${LGUEST_STRESS_TIME:-60}
classes=${LGUEST_STRESS_CLASSES:-cpu,memory,os,pipe,vm}
exclude=${LGUEST_STRESS_EXCLUDE-binderfs,efivar,atomic}
log=$(mktemp)
# The stressors' files go to the root disk, not to /tmp (RAM, which the
# memory and vm stressors are already short of).
tmp=$(mktemp -d /var/tmp/stress.XXXXXX)
# A stressor stopped by the timeout can leave behind what it was working
# on: the chattr stressor, a file still marked immutable or append-only,
# which rm cannot remove.  Those marks come off first.
cleanup() {
	chattr -R -i -a "$tmp" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
cd "$tmp"

# The loop stressor needs /dev/loop-control, which only exists once the
# module is loaded (nothing autoloads it without udev's static nodes).
modprobe -q loop 2>/dev/null || true

args=(--class "$classes" --all 1 --timeout "${time}s" --metrics-brief --verify
	--cyclic-policy fifo --temp-path "$tmp")
[ -z "$exclude" ] || args+=(--exclude "$exclude")
echo "stress-ng ${args[*]}"
start=$(date +%s)
rc=0
stress-ng "${args[@]}" >"$log" 2>&1 || rc=$?
took=$(($(date +%s) - start))
# stress-ng 0.15 prints no passed/failed summary: its exit status says it
# (0 success, 2 a stressor failed, 3 no resources, 4 not implemented,
# 5 killed by a signal, 6 unexpected exit, 7 untrustworthy metrics).
grep -E 'fail|error|warn|aborted|skipped|untrustworthy|successful|killed' "$log" | cut -c1-240 || true
ran=$(grep -o 'dispatching hogs: .*' "$log" | tr ',' '\n' | grep -c '[0-9] ' || true)
echo "METRIC stress-stressors ${ran:-0} count"
echo "METRIC stress-seconds $took s"
aborted=$(sed -n 's/.*(\([a-z0-9-]*\)) aborted early, out of system resources.*/\1/p' "$log" | sort -u | tr '\n' ' ')
if [ "$rc" -eq 3 ] && [ -n "$aborted" ]; then
	echo "FAIL stress: stressors without the resources they need (exclude them with lguest.stress_exclude= if that is expected): $aborted"
elif [ "$rc" -ne 0 ]; then
	echo "FAIL stress: stress-ng exited with status $rc after ${took}s: $(grep -m1 -E 'fail:|error:' "$log" | cut -c1-200 || tail -1 "$log")"
elif ! grep -q 'successful run completed' "$log"; then
	echo "FAIL stress: no 'successful run completed' from stress-ng"
else
	echo "PASS stress"
fi
