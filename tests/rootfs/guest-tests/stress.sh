#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stress: stress-ng runs every stressor of the cpu, memory, os, pipe and vm
# classes at once, one instance each, and none fails.
#   lguest.stress_time=SECONDS      how long (default 60)
#   lguest.stress_classes=A,B,...   classes (default cpu,memory,os,pipe,vm)
#   lguest.stress_exclude=X,Y,...   stressors to leave out (default none)
set -euo pipefail
time=${LGUEST_STRESS_TIME:-60}
classes=${LGUEST_STRESS_CLASSES:-cpu,memory,os,pipe,vm}
exclude=${LGUEST_STRESS_EXCLUDE:-}
log=$(mktemp)
cd "$(mktemp -d)"

args=(--class "$classes" --all 1 --timeout "${time}s" --metrics-brief --verify)
[ -z "$exclude" ] || args+=(--exclude "$exclude")
echo "stress-ng ${args[*]}"
start=$(date +%s)
rc=0
stress-ng "${args[@]}" >"$log" 2>&1 || rc=$?
took=$(($(date +%s) - start))
grep -E 'dispatching|skipped:|passed:|failed:|untrustworthy|successful|unsuccessful|fail' "$log" | head -40 || true

failed=$(sed -n '/.* failed: \([0-9][0-9]*\).*/{s//\1/p;q}' "$log")
passed=$(sed -n '/.* passed: \([0-9][0-9]*\).*/{s//\1/p;q}' "$log")
echo "METRIC stress-stressors-passed ${passed:-0} count"
if [ "$rc" -ne 0 ]; then
	echo "FAIL stress: stress-ng exited with status $rc after ${took}s: $(grep -m1 -iE 'fail|error' "$log" || tail -1 "$log")"
elif [ "${failed:-x}" != 0 ] || [ "${passed:-0}" -eq 0 ]; then
	echo "FAIL stress: passed ${passed:-?}, failed ${failed:-?}"
else
	echo "PASS stress"
fi
