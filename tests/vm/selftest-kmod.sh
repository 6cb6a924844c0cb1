#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# selftest-kmod: run-vm.sh --kmod and --drive work: the virtio disk the
# harness self-test attaches is /dev/vda, and tun and bridge are usable.
if [ -b /dev/vda ] && [ "$(head -c 6 /dev/vda)" = LGDISK ]; then
	echo "PASS selftest-kmod-drive"
else
	echo "FAIL selftest-kmod-drive: no /dev/vda with the harness's marker"
fi
# (busybox's ip knows neither tuntap nor bridges: tunctl and brctl do.)
if [ -c /dev/net/tun ] && tunctl -t seltap0 >/dev/null && brctl addbr selbr0 &&
	brctl addif selbr0 seltap0; then
	echo "PASS selftest-kmod-net"
else
	echo "FAIL selftest-kmod-net: cannot make a tap and a bridge"
fi
