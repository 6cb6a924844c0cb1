#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh: what a new user sees first.  Boots Debian's own 6.1 kernel as a
# QEMU Host (software emulation, no KVM needed), inserts lguest.ko and shows
# /dev/lguest appear, with the console on this terminal.
set -euo pipefail
. "$(dirname "$0")/bench/common.sh"

echo "lguest demo: fetching the Debian Host kernel and building lguest.ko..."
kernel=$("$TOP/tests/bench/fetch-host-kernel.sh" linux-image-amd64)
module=$("$TOP/tests/bench/build-module.sh" linux-image-amd64)
make -s -C "$TOP/launcher" >/dev/null

out=$BUILD/demo
rm -rf "$out"
mkdir -p "$out/root"/{bin,proc,sys,dev,tmp,lguest}
cp /bin/busybox "$out/root/bin/"
for applet in $(/bin/busybox --list); do
	[ -e "$out/root/bin/$applet" ] || ln -s busybox "$out/root/bin/$applet"
done
cp "$module" "$out/root/lguest/lguest.ko"
install -m 0755 "$TOP/launcher/lguest-launch" "$out/root/bin/lguest-launch"
ldd "$TOP/launcher/lguest-launch" | grep -o '/[^ ]*' | while read -r lib; do
	install -D "$(readlink -f "$lib")" "$out/root$lib"
done
cat >"$out/root/init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
echo 4 >/proc/sys/kernel/printk
echo
echo "== The Host: $(uname -sr) on $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
echo "== Before: $(ls /dev/lguest 2>&1)"
echo "== insmod /lguest/lguest.ko"
insmod /lguest/lguest.ko
dmesg | grep 'lguest:' | tail -1
echo "== After:  $(ls -l /dev/lguest)"
echo "== $(lguest-launch --version)"
echo "== lguest-launch 64 /lguest/lguest.ko"
lguest-launch 64 /lguest/lguest.ko
echo "== Exit status $?.  Booting Guests arrives with the Switcher; powering off."
poweroff -f
INIT
chmod +x "$out/root/init"
(cd "$out/root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out/initramfs.gz"

echo "lguest demo: booting the QEMU Host (TCG; about 10 seconds)..."
timeout --foreground 180 qemu-system-x86_64 -accel tcg -cpu max -m 512 \
	-kernel "$kernel/vmlinuz" -initrd "$out/initramfs.gz" \
	-append "console=ttyS0 quiet panic=-1" -nographic -no-reboot
