#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# drive-demo.sh: run "make demo" as a new user does and drive it as one
# would: wait for the Guest's shell, type a command, then poweroff.  Prints
# fresh-demo-* results and the demo's own timing lines.  Run by inside.sh,
# and on a cold new machine by "tools/fresh-machine.sh --cold
# tests/fresh-machine/drive-demo.sh" (make demo's whole first run).
set -uo pipefail
cd "$(dirname "$0")/../.."
mkdir -p build/logs

wait_log() {
	local i
	for ((i = 0; i < $2; i++)); do
		grep -q -- "$1" build/logs/demo.log && return 0
		[ -f build/demo.rc ] && ! grep -q -- "$1" build/logs/demo.log && return 1
		sleep 1
	done
	return 1
}
rm -f build/demo.in build/demo.rc
mkfifo build/demo.in
start=$(date +%s)
(
	timeout --kill-after=10 1500 make demo <build/demo.in >build/logs/demo.log 2>&1
	echo $? >build/demo.rc
) &
exec 7>build/demo.in
if wait_log "the Guest's shell is ready" 1500; then
	echo "PASS fresh-demo-shell: $(grep -o "the Guest's shell is ready, .*started" build/logs/demo.log)" \
		"($(($(date +%s) - start)) s since make demo began, its make deps included)"
	echo 'echo DEMO-$((6 * 7))-OK' >&7
	if wait_log 'DEMO-42-OK' 120; then
		echo "PASS fresh-demo-command"
	else
		echo "FAIL fresh-demo-command: no answer to 'echo DEMO-\$((6 * 7))-OK'"
	fi
	echo poweroff >&7
	if wait_log 'lguest demo: done after' 120 &&
		grep -q 'The Launcher exited with status 0' build/logs/demo.log; then
		echo "PASS fresh-demo-poweroff: $(grep -o 'lguest demo: done after.*' build/logs/demo.log | tr -d '\r')"
	else
		echo "FAIL fresh-demo-poweroff: the demo did not end with the Launcher's status 0"
	fi
else
	echo "FAIL fresh-demo-shell: no Guest shell: $(tail -3 build/logs/demo.log | tr -d '\r' | tr '\n' ' ')"
fi
exec 7>&-
wait
grep 'lguest demo:' build/logs/demo.log | tr -d '\r' | sed 's/^/INFO /'
