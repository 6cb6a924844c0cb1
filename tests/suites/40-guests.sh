#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 3000
# The freestanding test Guests (tests/guests/) in real Debian Hosts under
# QEMU TCG: every CPU model of the matrix, with one and two CPUs, on 6.1; then
# Debian 12's 6.12, Debian 13's 6.12 and trixie-backports' 7.x Hosts.
# tests/vm/guests.sh runs them inside the Host.
set -uo pipefail
. "$(dirname "$0")/../suite.sh"
payload=$BUILD/guests

if ! make -s -C "$TOP/tests/guests" OUT="$payload" >"$BUILD/guests-build.log" 2>&1; then
	echo "FAIL guests-build: see build/guests-build.log"
	exit 0
fi
echo "PASS guests-build"

# The Switcher's exception fixup, through the test-only module (H:175).
selftest=$BUILD/guests-selftest
rm -rf "$selftest"
mkdir -p "$selftest/selftest"
cp "$payload"/hello.elf "$selftest/"
if ko=$(KMOD_VARIANT=selftest "$TOP/tests/bench/build-module.sh" \
	linux-image-amd64 LGUEST_SELFTEST=y); then
	cp "$ko" "$selftest/selftest/"
	$bench --host 6.1 --cpu max --smp 2 --timeout 300 \
		--payload "$selftest" switcher-fault
else
	echo "FAIL switcher-fault-module: the LGUEST_SELFTEST=y build failed"
fi

# One and two CPUs on max and the AMD model; the Intel model, whose one-CPU
# run found nothing the others did not, with two.
for cfg in max:1 max:2 Skylake-Client-v4:2 EPYC:1 EPYC:2; do
	cpu=${cfg%:*}
	smp=${cfg#*:}
	# NMIs at a CPU running a Guest need a second CPU to send them.
	nmi=
	[ "$smp" = 1 ] || nmi=nmi
	$bench --host 6.1 --cpu "$cpu" --smp "$smp" --timeout 600 \
		--payload "$payload" guests $nmi
done
$bench --host 6.12 --cpu max --smp 2 --timeout 600 --payload "$payload" guests
# Debian 13's own kernel (on the AMD model; Debian 12's 6.12 ran on max)
# and trixie-backports' 7.x: its current series on max and the AMD model,
# and the series before.  7.x's deferred timer rearm and lazy preemption
# are what the interrupt replay (S:150) and the run loop (H:140) must
# honour: the clock-event Guest and the fairness test are the ones that
# hung it before.
$bench --host trixie --cpu EPYC --smp 2 --timeout 600 --payload "$payload" guests nmi
$bench --host trixie-backports --cpu max --smp 2 --timeout 600 --payload "$payload" guests nmi
$bench --host trixie-backports --cpu EPYC --smp 2 --timeout 600 --payload "$payload" guests
$bench --host trixie-backports:7.2 --cpu EPYC --smp 2 --timeout 600 --payload "$payload" guests nmi
