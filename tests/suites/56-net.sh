#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 1800
#
# 56-net: the lguest network device end to end, in a QEMU Host: Linux
# Guests (build/guest/bzImage) with a busybox and iperf3 initrd
# (tests/net/make-initrd.sh) on --tunnet (routed and bridged tap devices)
# and --sharenet (Guest to Guest, copied by the Host), driven through
# their consoles by tests/vm/net.sh.  The same test runs on two CPU
# models: "max" and the AMD "EPYC".  The figures (iperf3 rates, and
# iperf3 over the Host's own loopback for comparison) are printed as
# METRIC lines with the configuration in their name; they are never
# asserted.  The same Hosts also run tests/vm/sharedma.sh: two
# freestanding test Guests (tests/guests/sharedma.c) on one --sharenet file
# DMA to each other.
#
# With the Guest kernel already built (it is cached) this takes about ten
# minutes; the time limit leaves room for building it first.
set -uo pipefail
. "$(dirname "$0")/../suite.sh"
out=$BUILD/net
payload=$out/payload
guests=$out/guests
mkdir -p "$BUILD/logs" "$payload"

need_guest_kernel net-guest-kernel
if ! grep -q '^CONFIG_LGUEST_NET=y' "$BUILD/guest/config"; then
	echo "FAIL net-guest-kernel: build/guest/config has no CONFIG_LGUEST_NET=y"
	exit 0
fi
if ! "$TOP/tests/net/make-initrd.sh" "$payload/initrd.gz" \
	>"$BUILD/logs/net-initrd.log" 2>&1; then
	echo "FAIL net-initrd: $(tail -1 "$BUILD/logs/net-initrd.log")"
	exit 0
fi
iperf3=$(command -v iperf3) || {
	echo "FAIL net-host-iperf3: iperf3 is not installed (make deps)"
	exit 0
}
if ! make -s -C "$TOP/tests/guests" OUT="$guests" >"$BUILD/logs/net-guests-build.log" 2>&1; then
	echo "FAIL net-test-guests: see build/logs/net-guests-build.log"
	exit 0
fi
cp "$BUILD/guest/bzImage" "$payload/bzImage"
cp "$iperf3" "$payload/iperf3"
echo "PASS net-payload"

# run CPU: one Host, every test; METRIC lines get the configuration.
run() {
	local tag="6.1/$1/smp2" res
	res=$($bench --host 6.1 --cpu "$1" --smp 2 --mem 1024 --timeout 480 \
		--kmod tun --kmod bridge --payload "$payload" --payload "$guests" \
		sharedma net)
	echo "$res"
	grep -q "^[A-Z]* \[$tag\] net-share-poweroff" <<<"$res" ||
		echo "FAIL [$tag] net-ran: the bench gave no result for the last test"
	tr -d '\r' <"$BUILD/vm/6.1_$1_smp2/sharedma+net/console.log" 2>/dev/null |
		sed -n "s/^METRIC \([^ ]*\) /METRIC \1[6.1\/$1\/smp2] /p"
}
run max
run EPYC
exit 0
