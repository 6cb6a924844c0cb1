#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 1500
#
# 63-fuzz: the hypercall fuzzer Guest (tests/guests/fuzz.c) relaunched seed
# after seed in a QEMU Host (tests/vm/fuzz.sh), then lguest for users who
# are not root (tests/vm/unprivileged.sh), on one -cpu max -smp 2 Host.
#   FUZZ_HOST=debug     the Host kernel (run-vm.sh --host): the debug one,
#                       whose detectors turn a Host bug into a FAIL
#   FUZZ_CALLS=100000   the hypercall budget (a few minutes here)
#   FUZZ_RISK=1000      one operation in N may get the Guest killed (each
#                       kill costs a relaunch, slow on the debug Host)
#   FUZZ_SECONDS=0      a time budget instead (make fuzz SECONDS=N)
#   FUZZ_MODULE=PATH    a lguest.ko to test (run-vm.sh --module), instead
#                       of one built from host-module/
# The reasons the Host gave for killing the Guest are printed as a table
# ("fuzz-reason COUNT REASON"); see docs/fuzzing.md.
set -uo pipefail
. "$(dirname "$0")/../suite.sh"
host=${FUZZ_HOST:-debug}
risk=${FUZZ_RISK:-1000}
calls=${FUZZ_CALLS:-100000}
seconds=${FUZZ_SECONDS:-0}
out=$BUILD/fuzz
payload=$out/payload
rm -rf "$payload"
mkdir -p "$payload"

if ! make -s -C "$TOP/tests/guests" OUT="$out/guests" \
	"$out/guests/fuzz.elf" "$out/guests/hello.elf" >"$out/build.log" 2>&1; then
	echo "FAIL fuzz-build: see build/fuzz/build.log"
	exit 0
fi
cp "$out/guests/fuzz.elf" "$out/guests/hello.elf" "$payload/"
echo "PASS fuzz-build"

# The whole run's limit: the boot, the budget (about 750 calls/s measured
# here, launches included) and the unprivileged cases.
if [ "$seconds" -gt 0 ]; then
	limit=$((seconds + 600))
else
	limit=$((calls / 250 + 600))
fi
start=$(date +%s)
$bench --host "$host" --cpu max --smp 2 --timeout "$limit" --kmod tun \
	${FUZZ_MODULE:+--module "$FUZZ_MODULE"} \
	--payload "$payload" \
	--append "lguest.fuzz_calls=$calls lguest.fuzz_seconds=$seconds lguest.fuzz_risk=$risk" \
	fuzz unprivileged
log=$BUILD/vm/${host}_max_smp2/fuzz+unprivileged/console.log
tr -d '\r' <"$log" 2>/dev/null | grep -E '^(fuzz-reason|METRIC fuzz)'
echo "63-fuzz: $(($(date +%s) - start)) s in all"
exit 0
