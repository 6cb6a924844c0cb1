#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh: what a new user sees first.  Boots Debian's own 6.1 kernel as a
# QEMU Host (software emulation, no KVM needed), inserts lguest.ko and boots
# the lguest Guest kernel (build/guest/bzImage, built here if needed) with a
# busybox initrd to a shell, with the Guest's console on this terminal.
# Type commands into the Guest; "poweroff" ends the Guest and the demo.
# Each step says how long the demo has been running; the line
# "lguest demo: the Guest's shell is ready ..." says when it got there.
set -euo pipefail
. "$(dirname "$0")/bench/common.sh"
t0=$(date +%s)
elapsed() {
	echo "$(($(date +%s) - t0)) s"
}

echo "lguest demo: fetching the Debian Host kernel and building lguest.ko..."
kernel=$("$TOP/tests/bench/fetch-host-kernel.sh" linux-image-amd64)
module=$("$TOP/tests/bench/build-module.sh" linux-image-amd64)
make -s -C "$TOP/launcher" >/dev/null
echo "lguest demo: building the Guest kernel ($(elapsed) so far; cached after the first time, about 5 minutes on 2 cores)..."
mkdir -p "$BUILD/logs"
if ! (cd "$TOP" && make -s guest-kernel) >"$BUILD/logs/demo-guest-kernel.log" 2>&1; then
	tail -20 "$BUILD/logs/demo-guest-kernel.log" >&2
	die "building the Guest kernel failed (log: $BUILD/logs/demo-guest-kernel.log)"
fi

out=$BUILD/demo
rm -rf "$out"
mkdir -p "$out/root"/{bin,proc,sys,dev,tmp,lguest}
cp /bin/busybox "$out/root/bin/"
for applet in $(/bin/busybox --list); do
	[ -e "$out/root/bin/$applet" ] || ln -s busybox "$out/root/bin/$applet"
done
cp "$module" "$out/root/lguest/lguest.ko"
cp "$BUILD/guest/bzImage" "$out/root/lguest/bzImage"
"$TOP/tests/guest-native/make-initrd.sh" "$out/root/lguest/initrd.gz" \
	"$TOP/tests/linux-guest/init"
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
echo "== lguest-launch --initrd=/lguest/initrd.gz 64 /lguest/bzImage"
echo "== (a 32-bit Linux 6.1 Guest in ring 1; type commands, 'poweroff' to end)"
lguest-launch --initrd=/lguest/initrd.gz 64 /lguest/bzImage
echo "== The Launcher exited with status $?.  Powering off the Host."
poweroff -f
INIT
chmod +x "$out/root/init"
(cd "$out/root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out/initramfs.gz"

echo "lguest demo: booting the QEMU Host ($(elapsed) so far; TCG: about 10 seconds, then about 20 for the Guest)..."
# The serial console goes to this terminal and to a log, which a watcher
# reads to say when the Guest's shell is up (its /init prints
# LGUEST-SHELL-READY just before starting the shell).
log=$out/console.log
: >"$log"
(
	until grep -q 'LGUEST-SHELL-READY' "$log"; do sleep 1; done
	printf '\r\nlguest demo: the Guest'"'"'s shell is ready, %s after make demo started\r\n' "$(elapsed)" >&2
) &
watcher=$!
trap 'kill $watcher 2>/dev/null || true' EXIT
timeout --foreground 1800 qemu-system-x86_64 -accel tcg -cpu max -m 512 \
	-kernel "$kernel/vmlinuz" -initrd "$out/initramfs.gz" \
	-append "console=ttyS0 quiet panic=-1" -display none -no-reboot \
	-chardev stdio,id=console,mux=on,signal=on,logfile="$log" \
	-serial chardev:console -mon chardev=console
echo "lguest demo: done after $(elapsed)"
