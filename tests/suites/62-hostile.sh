#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 3600
# Hostile Launchers (tests/hostile/): programs that attack /dev/lguest as
# an ordinary member of the lguest group, in a QEMU Host with two CPUs and
# with one on an AMD model.  tests/vm/hostile.sh runs them in the Host.
# HOSTILE_HOST picks the Host kernel (run-vm.sh --host); HOSTILE_MODULE,
# if set, is the lguest.ko to test instead of one built from host-module/.
set -uo pipefail
. "$(dirname "$0")/../suite.sh"
payload=$BUILD/hostile
# The two-CPU run is on the debug Host, whose detectors turn a Host bug
# into a FAIL; the AMD one on Debian's own 6.1.
host=${HOSTILE_HOST:-debug}
host2=${HOSTILE_HOST:-6.1}
module=()
[ -n "${HOSTILE_MODULE:-}" ] && module=(--module "$HOSTILE_MODULE")

rm -rf "$payload"
if ! make -s -C "$TOP/tests/hostile" OUT="$payload" OBJ="$BUILD/hostile-obj" \
	>"$BUILD/hostile-build.log" 2>&1; then
	echo "FAIL hostile-build: see build/hostile-build.log"
	exit 0
fi
echo "PASS hostile-build"

$bench --host "$host" --cpu max --smp 2 --timeout 1500 "${module[@]}" \
	--payload "$payload" hostile
$bench --host "$host2" --cpu EPYC --smp 1 --timeout 1500 "${module[@]}" \
	--payload "$payload" hostile
