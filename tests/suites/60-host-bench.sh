#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 1500
# lguest.ko in real Debian Hosts under QEMU TCG, across the CPU matrix:
# -cpu max (5-level paging, SMEP, SMAP, PCID), an Intel model (page-table
# isolation on) and an AMD model, one and two CPUs, and the 6.12 Host.
set -uo pipefail
. "$(dirname "$0")/../suite.sh"

$bench --host 6.1 --cpu max --smp 1 module
$bench --host 6.1 --cpu max --smp 2 module
$bench --host 6.1 --cpu Skylake-Client-v4 --smp 1 module
$bench --host 6.1 --cpu EPYC --smp 2 module
$bench --host 6.12 --cpu max --smp 2 module
$bench --host 6.12 --cpu EPYC --smp 1 module

# The module DKMS built (by the packaging suite) is the one users get:
# insert that one too, when it is there.
if [ -f "$BUILD/dkms/lguest.ko" ]; then
	# It must have been built for the very kernel this bench boots.
	bench_krel=$(cut -d' ' -f1 "$("$TOP/tests/bench/fetch-host-kernel.sh" linux-image-amd64)/version")
	dkms_krel=$(cat "$BUILD/dkms/kernel-release" 2>/dev/null)
	if [ "$dkms_krel" = "$bench_krel" ]; then
		echo "PASS dkms-module-kernel: $dkms_krel"
	else
		echo "FAIL dkms-module-kernel: DKMS built for '$dkms_krel', the bench boots $bench_krel"
	fi
	$bench --host 6.1 --cpu max --smp 2 --module "$BUILD/dkms/lguest.ko" module |
		sed 's/\] /] dkms-/'
elif [ "${CI:-}" = true ]; then
	# In a full CI run the packaging suite (50) has built it: its absence
	# is a failure, not a reason to skip.
	echo "FAIL dkms-module: no DKMS-built module at build/dkms/lguest.ko"
else
	echo "SKIP dkms-module: no DKMS-built module at build/dkms/lguest.ko (run suite 50-packaging first)"
fi
