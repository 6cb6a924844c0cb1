#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 1800
#
# 35-rootfs-native: the Debian 12 i386 Guest root file system image
# (tests/rootfs/build-rootfs.sh) builds and is cached, and boots natively in
# qemu-system-i386 (TCG) with Debian's own i386 kernel from the image, where
# the Guest tests run: tools, a short stress-ng, fio with crc32c verify on a
# second disk, data surviving a power-off, throughput figures, and a
# systemd boot to root's login-less shell on hvc0.
# Under lguest the same image boots with root=/dev/lgba on hvc0.
# The Guest's result lines come back prefixed with "native-"; METRIC lines
# are figures, never asserted.
set -uo pipefail
. "$(dirname "$0")/../suite.sh"
out=$BUILD/rootfs-native
rm -rf "$out"
mkdir -p "$out" "$BUILD/logs"
bad='Oops|WARNING:|BUG:|Kernel panic|general protection|invalid opcode|soft lockup|hung_task|rcu.*stall|Call Trace'

# --- The image ----------------------------------------------------------------
start=$(date +%s)
if ! image=$("$TOP/tests/rootfs/build-rootfs.sh" 2>"$out/build.log"); then
	echo "FAIL rootfs-build: $(tail -1 "$out/build.log")"
	tail -20 "$out/build.log"
	exit 0
fi
cat "$out/build.log"
echo "rootfs: $image, got in $(($(date +%s) - start)) s"
echo "PASS rootfs-build"
dir=$(dirname "$image")

size=$(stat -c %s "$image")
used=$(du -k "$image" | cut -f1)
echo "rootfs: $((size >> 20)) MiB apparent, $((used >> 10)) MiB allocated; kernel $(cat "$dir/kernel-release")"
if [ "$(dumpe2fs -h "$image" 2>/dev/null | sed -n 's/^Filesystem volume name: *//p')" = lguest-root ] &&
	dumpe2fs -h "$image" 2>/dev/null | grep -q '^Filesystem features:.*has_journal.*extent' &&
	[ "$size" -ge $((1 << 30)) ] && [ $((used << 10)) -lt "$size" ] &&
	[ -s "$dir/vmlinuz" ] && [ -s "$dir/initrd.img" ]; then
	echo "PASS rootfs-image"
else
	echo "FAIL rootfs-image: not a sparse ext4 'lguest-root' image with a kernel and initrd beside it"
fi
stamp=$(stat -c %Y:%s "$image")

# A second call is a cache hit: it must take seconds.
start=$(date +%s%N)
again=$("$TOP/tests/rootfs/build-rootfs.sh" 2>"$out/build2.log")
ms=$((($(date +%s%N) - start) / 1000000))
echo "rootfs: cached call took $ms ms"
if [ "$again" = "$image" ] && [ $ms -lt 5000 ]; then
	echo "PASS rootfs-cached"
else
	echo "FAIL rootfs-cached: second call took $ms ms and printed '$again'"
fi

# --- Native boots ---------------------------------------------------------------
# overlay NAME: a copy-on-write overlay of the image, so the cache stays pristine.
overlay() {
	qemu-img create -q -f qcow2 -b "$image" -F raw "$out/$1.qcow2" &&
		echo "$out/$1.qcow2"
}

# boot NAME TIMEOUT APPEND [QEMU ARGS...]: boot the image's kernel on an
# overlay of the image with stdin from /dev/null; console in $out/NAME.log.
boot() {
	local name=$1 limit=$2 append=$3 disk rc
	shift 3
	disk=$(overlay "$name") || return 1
	start=$(date +%s)
	timeout "$limit" qemu-system-i386 -accel tcg -m 1024 -nographic -no-reboot \
		-kernel "$dir/vmlinuz" -initrd "$dir/initrd.img" \
		-drive "file=$disk,if=virtio,format=qcow2" "$@" \
		-append "$append" </dev/null >"$out/$name.log" 2>&1
	rc=$?
	echo "native boot $name: qemu exit $rc after $(($(date +%s) - start)) s (console: $out/$name.log)"
	return $rc
}

# report NAME RC TEST...: turn the console log of boot NAME into result
# lines: the Guest's own, prefixed with "native-", and the boot's.
report() {
	local name=$1 rc=$2 log=$out/$1.log t
	shift 2
	tr -d '\r' <"$log" >"$log.txt"
	sed -n -e "/^\(PASS\|FAIL\|SKIP\) guest-dmesg-clean/{s//\1 native-$name-guest-dmesg-clean/p;d}" \
		-e 's/^\(PASS\|FAIL\|SKIP\) /\1 native-/p' "$log.txt"
	sed -n 's/^METRIC \([^ ]*\) /METRIC native-\1 /p' "$log.txt"
	if [ "$rc" -eq 124 ]; then
		echo "FAIL native-$name-boot: QEMU timed out"
	elif [ "$rc" -ne 0 ]; then
		echo "FAIL native-$name-boot: QEMU exited with status $rc"
	elif ! grep -q '^LGUEST-TESTS-DONE' "$log.txt"; then
		echo "FAIL native-$name-boot: the Guest tests did not finish"
	else
		echo "PASS native-$name-boot"
	fi
	for t in "$@"; do
		grep -q "^LGUEST-TEST-END $t " "$log.txt" ||
			echo "FAIL native-$t: did not run to its end (boot $name)"
	done
	if grep -qE "$bad" "$log.txt"; then
		echo "FAIL native-$name-log-clean: $(grep -m1 -E "$bad" "$log.txt")"
	else
		echo "PASS native-$name-log-clean"
	fi
	if grep -q '^LGUEST-TESTS-DONE' "$log.txt" && ! grep -q 'lguest-init: powering off' "$log.txt"; then
		echo "FAIL native-$name-poweroff: lguest-init did not power off"
	fi
}

# 1. Exactly the command line a Guest uses, one disk, the simple init.
boot tools 600 'root=/dev/vda console=ttyS0 lguest.test=tools panic=-1'
report tools $? tools

# 2. Workloads, with a second, scratch disk for fio.
truncate -s 512M "$out/scratch.img"
boot workloads 900 'root=/dev/vda console=ttyS0 panic=-1 lguest.test=stress,fio-verify,bench-fio,bench-cpu,persist-write lguest.stress_time=20 lguest.fio_size=32M lguest.bench_size=128M lguest.bench_time=10' \
	-drive "file=$out/scratch.img,if=virtio,format=raw"
report workloads $? stress fio-verify bench-fio bench-cpu persist-write

# 3. What persist-write wrote before the power-off reads back in a new boot,
# with the same checksum in both boots and in the disk file on the Host...
boot persist 600 'root=/dev/vda console=ttyS0 panic=-1 lguest.test=persist-verify' \
	-drive "file=$out/scratch.img,if=virtio,format=raw"
report persist $? persist-verify
on_host=$(head -c $((64 << 20)) "$out/scratch.img" | sha256sum | cut -d' ' -f1)
written=$(sed -n 's/^DISK-SHA256 64 //p' "$out/workloads.log.txt")
read_back=$(sed -n 's/^DISK-SHA256 64 //p' "$out/persist.log.txt")
echo "persist: written ${written:-?}, read back ${read_back:-?}, on the Host $on_host"
if [ -n "$written" ] && [ "$written" = "$read_back" ] && [ "$read_back" = "$on_host" ]; then
	echo "PASS native-persist-checksums"
else
	echo "FAIL native-persist-checksums: written ${written:-?}, read back ${read_back:-?}, on the Host $on_host"
fi

# ... and one byte changed on the Host is caught by the Guest's verify.
printf '\377' | dd of="$out/scratch.img" bs=1 seek=$(((5 << 20) + 100)) conv=notrunc status=none
boot corrupt 600 'root=/dev/vda console=ttyS0 panic=-1 lguest.test=persist-verify' \
	-drive "file=$out/scratch.img,if=virtio,format=raw"
rc=$?
tr -d '\r' <"$out/corrupt.log" >"$out/corrupt.log.txt"
if [ $rc -eq 0 ] && grep -q '^FAIL persist-verify' "$out/corrupt.log.txt" &&
	grep -q '^LGUEST-TESTS-DONE' "$out/corrupt.log.txt"; then
	echo "PASS native-persist-detects-corruption"
else
	echo "FAIL native-persist-detects-corruption: qemu status $rc, $(grep -m1 -E '^(PASS|FAIL) persist-verify' "$out/corrupt.log.txt" || echo 'no persist-verify result')"
fi

# 4. systemd, with hvc0 (a virtio console, as near as QEMU gets to lguest's)
# as the console: root is logged in there without a password, and the
# tests run from that shell.  ttyS0 keeps the kernel's messages too.
disk=$(overlay systemd)
hvc=$out/hvc
rm -f "$hvc.in" "$hvc.out"
mkfifo "$hvc.in" "$hvc.out"
log=$out/systemd.log
start=$(date +%s)
timeout 600 qemu-system-i386 -accel tcg -m 1024 -nographic -no-reboot \
	-kernel "$dir/vmlinuz" -initrd "$dir/initrd.img" \
	-drive "file=$disk,if=virtio,format=qcow2" \
	-device virtio-serial-pci -chardev "pipe,id=hvc,path=$hvc" \
	-device virtconsole,chardev=hvc \
	-append 'root=/dev/vda console=ttyS0 console=hvc0 panic=-1' \
	</dev/null >"$out/systemd-serial.log" 2>&1 &
qemu=$!
cat "$hvc.out" >"$log" &
reader=$!
exec 7>"$hvc.in"
prompt=0
for _ in $(seq 500); do
	if grep -q 'root@lguest-guest:~#' "$log"; then
		prompt=1
		break
	fi
	kill -0 $qemu 2>/dev/null || break
	sleep 1
done
if [ $prompt -eq 1 ]; then
	echo "native systemd boot: root's shell on hvc0 after $(($(date +%s) - start)) s"
	echo 'lguest-run-tests tools; echo "SYSTEM-STATE $(systemctl is-system-running)"; poweroff' >&7
else
	# Nothing will power the Guest off: stop QEMU now.
	kill $qemu 2>/dev/null
fi
wait $qemu
rc=$?
exec 7>&-
kill $reader 2>/dev/null
wait $reader 2>/dev/null
echo "native boot systemd: qemu exit $rc after $(($(date +%s) - start)) s (hvc0: $log, ttyS0: $out/systemd-serial.log)"
if [ $prompt -eq 1 ]; then
	echo "PASS native-systemd-autologin"
else
	echo "FAIL native-systemd-autologin: no root prompt on hvc0"
	tr -d '\r' <"$log" | tail -15
fi
tr -d '\r' <"$log" >"$log.txt"
tr -d '\r' <"$out/systemd-serial.log" >>"$log.txt"
sed -n 's/^\(PASS\|FAIL\|SKIP\) \(tools-\|guest-dmesg-clean\)/\1 native-systemd-\2/p' "$log.txt"
if [ $prompt -eq 1 ]; then
	# "running": every unit started (not "degraded").
	state=$(sed -n 's/^SYSTEM-STATE //p' "$log.txt")
	if [ "$state" = running ]; then
		echo "PASS native-systemd-running"
	else
		echo "FAIL native-systemd-running: systemctl is-system-running says '$state'"
	fi
	if [ $rc -eq 0 ]; then
		echo "PASS native-systemd-poweroff"
	else
		echo "FAIL native-systemd-poweroff: QEMU exited with status $rc"
	fi
fi
if grep -qE "$bad" "$log.txt"; then
	echo "FAIL native-systemd-log-clean: $(grep -m1 -E "$bad" "$log.txt")"
else
	echo "PASS native-systemd-log-clean"
fi

# The cached image was never written.
if [ "$(stat -c %Y:%s "$image")" = "$stamp" ]; then
	echo "PASS rootfs-pristine"
else
	echo "FAIL rootfs-pristine: the cached image changed during the boots"
fi
rm -f "$out"/*.qcow2 "$out/scratch.img" "$hvc.in" "$hvc.out"
exit 0
