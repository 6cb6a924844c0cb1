#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tools: Debian's own user space works in the Guest: dpkg, apt, python3, the
# workload tools, and a writable root file system.
set -euo pipefail

. "$(dirname "$0")/lib.sh"

echo "kernel: $(uname -srm); Debian $(cat /etc/debian_version); arch $(dpkg --print-architecture)"

apt_ok() {
	# (grep -q would end the pipe early, and pipefail count that a failure)
	apt --version | grep '^apt [0-9].*(i386)' &&
		apt-config dump | grep '^APT::Architecture "i386";' &&
		apt-get check
}
check_output tools-apt apt_ok

dpkg_ok() {
	local n
	n=$(dpkg -l | grep -c '^ii ')
	echo "$n packages installed"
	[ "$n" -ge 150 ] || { echo "only $n packages"; return 1; }
	dpkg -l stress-ng fio iperf3 sysbench python3 linux-image-686 | grep -c '^ii ' | grep -qx 6 ||
		{ echo "a workload package is not installed"; return 1; }
	[ -z "$(dpkg --audit)" ] || { dpkg --audit | head -3; return 1; }
}
check_output tools-dpkg dpkg_ok

python_ok() {
	python3 -c '
import hashlib, json, subprocess, sys, threading
assert sum(range(10**6)) == 499999500000
res = []
ts = [threading.Thread(target=lambda i=i: res.append(i * i)) for i in range(8)]
[t.start() for t in ts]; [t.join() for t in ts]
assert sorted(res) == [i * i for i in range(8)]
out = subprocess.run(["uname", "-m"], capture_output=True, text=True).stdout.strip()
assert out.startswith("i") and out.endswith("86"), out
print(json.dumps({"python": sys.version.split()[0], "machine": out}))
'
}
check_output tools-python3 python_ok

workloads_ok() {
	stress-ng --version && fio --version && iperf3 --version | sed -n 1p &&
		sysbench --version && ping -V && ip -V
}
check_output tools-workloads workloads_ok

rootfs_rw_ok() {
	local f=/var/tmp/lguest-rw.$$
	head -c 1048576 /dev/urandom >"$f"
	sync
	[ "$(stat -c %s "$f")" -eq 1048576 ]
	rm -f "$f"
	[ "$(findmnt -n -o FSTYPE /)" = ext4 ]
}
check_output tools-rootfs-rw rootfs_rw_ok
