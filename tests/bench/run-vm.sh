#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-vm.sh: boot a Debian Host kernel in QEMU (TCG) with lguest.ko, the
# Launcher and in-VM tests in an initramfs; print one result line per test.
# See tests/README.md for the options and the result lines.
set -euo pipefail
. "$(dirname "$0")/common.sh"

host=6.1
cpu=max
smp=1
mem=
timeout=300
per_test=
module=
append=
payloads=()
kmods=()
drives=()
tests=()
boot=auto

usage() {
	sed -n '/^    tests\/bench\/run-vm.sh/,/TEST\.\.\./{s/^    tests\/bench\///;p}' "$TOP/tests/README.md" >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case $1 in
	--host) host=$2; shift 2 ;;
	--cpu) cpu=$2; shift 2 ;;
	--smp) smp=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--test-timeout) per_test=$2; shift 2 ;;
	--module) module=$2; shift 2 ;;
	--payload) payloads+=("$2"); shift 2 ;;
	--append) append=$2; shift 2 ;;
	--kmod) kmods+=("$2"); shift 2 ;;
	--boot) boot=$2; shift 2 ;;
	--drive) drives+=(-drive "$2"); shift 2 ;;
	-h|--help) usage ;;
	-*) die "unknown option $1" ;;
	*) tests+=("$1"); shift ;;
	esac
done
[ ${#tests[@]} -gt 0 ] || usage
# What a boot (and, on the debug Host, the kmemleak scans at the end) may
# take of the budget.
slack=30
host_append=
case $host in
6.1) meta=linux-image-amd64 ;;
6.12) meta=linux-image-6.12-amd64 ;;
# Debian 13: its own 6.12, and the 7.x of trixie-backports.
# An older series of trixie-backports, its newest kernel: trixie-backports:7.2.
trixie | trixie-backports | trixie-backports:[0-9]*.[0-9]*) meta=$host ;;
# The debug Host kernel (docs/debug-host.md): KASAN's shadow and the
# detectors' own tables want more memory than Debian's kernel; it runs
# fully preemptible (built like Debian's, which chooses at boot), and on
# 4-level paging: with 5-level paging this KASAN kernel once reported a
# wild access at its own early boot (an interrupt in identify_cpu), which
# no lguest change can cause or cure.  -cpu max keeps LA57 for the other
# Hosts.
debug) meta=debug; mem=${mem:-2048}; slack=120; host_append="preempt=full no5lvl" ;;
*) die "--host must be 6.1, 6.12, trixie, trixie-backports[:SERIES] or debug" ;;
esac
mem=${mem:-1024}
for t in "${tests[@]}"; do
	[ -f "$TOP/tests/vm/$t.sh" ] || die "no such in-VM test: tests/vm/$t.sh"
done
# Each test gets the whole run's budget less the boot, unless told otherwise.
per_test=${per_test:-$((timeout - slack))}

tag="$host/$cpu/smp$smp"
# One directory per configuration and test list, so runs of different
# tests (by different suites, or developers) never share one.
names="${tests[*]}"
out=$BUILD/vm/${tag//[\/:]/_}/${names// /+}
rm -rf "$out"
mkdir -p "$out"

# Whatever stops the bench before the Host has run (a kernel it cannot
# fetch, a module that does not build) is a result too, so that a suite
# can never lose a configuration's results unseen.
booted=false
trap 'rc=$?; [ $rc = 0 ] || $booted ||
	echo "FAIL [$tag] bench: run-vm.sh stopped with status $rc before the Host booted (its standard error says why)"' EXIT

rc=0
kernel=$("$TOP/tests/bench/fetch-host-kernel.sh" "$meta") || rc=$?
if [ $rc = 3 ]; then
	# A series the archive no longer has: nothing to run, nothing failed.
	echo "SKIP [$tag] host-kernel: no $meta kernel in the archive"
	exit 0
fi
[ $rc = 0 ] || exit $rc
[ -n "$module" ] || module=$("$TOP/tests/bench/build-module.sh" "$meta")
[ -f "$module" ] || die "no module at $module"
make -s -C "$TOP/launcher" >/dev/null || die "building the Launcher failed"

# --- The initramfs --------------------------------------------------------
root=$out/root
mkdir -p "$root"/{bin,sbin,proc,sys,dev,tmp,run,tests,lguest,payload,etc}

# copy_with_libs FILE DEST: copy an executable and the libraries it needs.
copy_with_libs() {
	# A payload program is already in place: it only needs its libraries.
	[ "$1" -ef "$root/$2" ] || install -D -m 0755 "$1" "$root/$2"
	ldd "$1" 2>/dev/null | grep -o '/[^ ]*' | while read -r lib; do
		[ -e "$root$lib" ] || install -D -m 0755 "$(readlink -f "$lib")" "$root$lib"
	done
}

cp /bin/busybox "$root/bin/busybox"
for applet in $("$root/bin/busybox" --list); do
	[ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done
install -m 0755 "$TOP/tests/bench/initramfs-init.sh" "$root/init"
cp "$module" "$root/lguest/lguest.ko"
cp "$TOP/tests/lib.sh" "$root/lguest/lib.sh"
cp "$TOP/tests/bench/vmlib.sh" "$root/lguest/vmlib.sh"
copy_with_libs "$TOP/launcher/lguest-launch" /bin/lguest-launch
mkdir -p "$BUILD/bench-tools"
# Built under a name of its own and renamed into place, so that a second
# run-vm.sh started at the same moment never copies a half-written one.
cc -O2 -Wall -I"$TOP/include" -o "$BUILD/bench-tools/lgreq.$$" "$TOP/tests/bench/lgreq.c"
mv "$BUILD/bench-tools/lgreq.$$" "$BUILD/bench-tools/lgreq"
copy_with_libs "$BUILD/bench-tools/lgreq" /bin/lgreq
# Modules of the Host kernel itself (--kmod), with what they depend on, in
# load order; the init inserts them before the tests run.
krel=$(cut -d' ' -f1 "$kernel/version")
: >"$root/lguest/kmods"
for m in "${kmods[@]}"; do
	modprobe -S "$krel" -d "$kernel/root" --show-depends "$m" ||
		die "no module $m in the Host kernel $krel"
done | awk '$1 == "insmod" { print $2 }' | while read -r ko; do
	name=$(basename "${ko%.xz}")
	[ -e "$root/lguest/kmod/$name" ] && continue
	mkdir -p "$root/lguest/kmod"
	case $ko in
	*.xz) xz -dc "$ko" >"$root/lguest/kmod/$name" ;;
	*) cp "$ko" "$root/lguest/kmod/$name" ;;
	esac
	echo "$name" >>"$root/lguest/kmods"
done
for t in "${tests[@]}"; do
	cp "$TOP/tests/vm/$t.sh" "$root/tests/$t.sh"
done
printf '%s\n' "${tests[@]}" >"$root/tests/list"
echo "$per_test" >"$root/tests/timeout"
for dir in "${payloads[@]}"; do
	[ -d "$dir" ] || die "payload $dir is not a directory"
	cp -a "$dir/." "$root/payload/"
done
# Host-side helper programs in the payload need their libraries too.
find "$root/payload" -type f -perm -u+x | while read -r f; do
	if [ "$(head -c 5 "$f" | od -An -tx1 | tr -d ' \n')" = 7f454c4602 ]; then
		copy_with_libs "$f" "${f#"$root"}"
	fi
done
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out/initramfs.gz"

# --- Boot -----------------------------------------------------------------
# QEMU starts the kernel one of two ways.  The bzImage goes through the
# firmware, the kernel's real-mode setup and its decompressor: five
# seconds of a Host boot under TCG.  The uncompressed vmlinux, where the
# kernel has a PVH entry point (fetch-host-kernel.sh), starts in the kernel
# at once, but in 4-level paging: only the decompressor turns 5-level
# paging on.  So a CPU model with LA57 boots the bzImage, and those
# without it (the Intel and AMD models of the matrix) the vmlinux.
case $boot in
auto)
	case $cpu in
	Skylake-* | Cascadelake-* | Haswell* | Broadwell* | EPYC | EPYC-v* | EPYC-Rome* | EPYC-Milan*)
		boot=pvh ;;
	*) boot=bzimage ;;
	esac
	[ -f "$kernel/vmlinux" ] || boot=bzimage
	;;
pvh) [ -f "$kernel/vmlinux" ] || die "--boot pvh: the $meta kernel has no PVH entry point" ;;
bzimage) ;;
*) die "--boot must be auto, pvh or bzimage" ;;
esac
boot_image=$kernel/vmlinuz
[ "$boot" = bzimage ] || boot_image=$kernel/vmlinux
log=$out/console.log
note "booting $tag ($boot, timeout ${timeout}s): ${tests[*]}"
start=$(date +%s)
booted=true
set +e
timeout --kill-after=10 "$timeout" qemu-system-x86_64 -accel tcg \
	-cpu "$cpu" -smp "$smp" -m "$mem" \
	-kernel "$boot_image" -initrd "$out/initramfs.gz" \
	-append "console=ttyS0 panic=-1 $host_append $append" \
	${drives[@]+"${drives[@]}"} \
	-display none -monitor none -serial "file:$log" \
	-no-reboot </dev/null >"$out/qemu.out" 2>&1
qemu_rc=$?
set -e
echo "$(($(date +%s) - start))" >"$out/seconds"

"$TOP/tests/bench/parse-console.sh" "$tag" "$log" "$qemu_rc" "$timeout" "${tests[@]}"
