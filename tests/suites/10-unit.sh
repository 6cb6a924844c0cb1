#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 300
# Unit tests: the Launcher's argument parser, its command line as a user
# sees it, and the ABI header under both compilers that use it.
set -uo pipefail
. "$(dirname "$0")/../suite.sh"
out=$BUILD/unit
mkdir -p "$out"

if make -s -C "$TOP/launcher" >"$out/launcher-build.log" 2>&1; then
	echo "PASS launcher-builds"
else
	echo "FAIL launcher-builds: see $out/launcher-build.log"
	exit 1
fi
if grep -q 'warning:' "$out/launcher-build.log"; then
	echo "FAIL launcher-no-warnings: $(grep -m1 'warning:' "$out/launcher-build.log")"
else
	echo "PASS launcher-no-warnings"
fi

# The parser with the device files, whose struct device_kinds bring the
# device options (test_args.c stands in for main.c's launch_die()).
cc -O1 -g -Wall -Wextra -Wno-unused-parameter -Werror -I"$TOP/launcher" -I"$TOP/include" \
	-o "$out/test-args" "$TOP/tests/unit/test_args.c" \
	"$TOP/launcher"/{args,devices,console,console_backend,block,net,guest_memory,boot}.c \
	-lbsd -pthread ||
	{ echo "FAIL test-args-builds: compiler error"; exit 1; }
"$out/test-args"

# shim_test NAME MODULE-FILE: tests/unit/test_NAME.c with host-module's
# MODULE-FILE built as an ordinary program, tests/unit/host-shim standing
# in for the kernel; then run it.
shim_test() {
	cc -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter \
		-include "$TOP/tests/unit/host-shim/lg.h" -I"$TOP/tests/unit/host-shim" \
		-I"$TOP/host-module" -I"$TOP/tests/unit" -o "$out/test-${1//_/-}" \
		"$TOP/tests/unit/test_$1.c" "$TOP/host-module/$2" ||
		{ echo "FAIL test-${1//_/-}-builds: compiler error"; exit 1; }
	"$out/test-${1//_/-}"
}
# The Host's check of the state it enters a Guest with.
shim_test segments segments.c
# The module's refusal of Hosts it cannot run Guests on (a FRED Host),
# which no emulator here can show.
shim_test host_check host_check.c

# The ABI's layout must be the same for the 64-bit Host and Launcher and the
# 32-bit Guest: the header's static asserts fail to compile otherwise.
for bits in 64 32; do
	if echo '#include "lguest_abi.h"' |
		cc -m$bits -x c -fsyntax-only -I"$TOP/include" - 2>"$out/abi$bits.log"; then
		echo "PASS abi-layout-m$bits"
	else
		echo "FAIL abi-layout-m$bits: $(head -1 "$out/abi$bits.log")"
	fi
done
if echo '#include "lguest_abi.h"' | cc -m32 -ffreestanding -nostdinc \
	-DLGUEST_ABI_FREESTANDING -x c -fsyntax-only -I"$TOP/include" - 2>"$out/abi-free.log"; then
	echo "PASS abi-layout-freestanding"
else
	echo "FAIL abi-layout-freestanding: $(head -1 "$out/abi-free.log")"
fi

# Every program the scripts run comes from a package that make deps
# installs (or an Essential one), and the check does catch one that does
# not: with rsync struck from the lists, it must name rsync.
"$TOP/tools/check-deps.sh"
nodeps=$out/deps-without-rsync
rm -rf "$nodeps" && mkdir -p "$nodeps"
for l in "$TOP"/tools/deps.d/*.list; do
	sed 's/\<rsync\>//g' "$l" >"$nodeps/$(basename "$l")"
done
nodeps_out=$(LGUEST_DEPS_D=$nodeps "$TOP/tools/check-deps.sh")
if grep -q "^FAIL deps-rsync: .* package rsync, " <<<"$nodeps_out"; then
	echo "PASS deps-check-catches-unlisted"
else
	echo "FAIL deps-check-catches-unlisted: rsync unlisted, yet check-deps.sh did not name it"
fi

# The tour reads as a book only if no two stops share a number.
dups=$("$TOP/tools/tour.sh" | grep -oE '^[A-Z]:[0-9]+  ' | sort | uniq -d | tr -d ' ' | tr '\n' ' ')
if [ -z "$dups" ]; then
	echo "PASS tour-numbers-unique"
else
	echo "FAIL tour-numbers-unique: used twice: $dups"
fi

# A sentence that ends in ':' keeps its colon; only a closing ":*/" loses
# it.  The fixture is a tree of its own, so no real passage is needed.
tourfx=$out/tour-fixture
rm -rf "$tourfx" && mkdir -p "$tourfx"
printf '%s\n' '/*H:010' ' * The Guest comes in two parts:' ' * a kernel and its drivers.' ' */' \
	'/*H:020' ' * This one ends in a closer.:*/' >"$tourfx/fixture.c"
tour_out=$(TOUR_ROOT=$tourfx "$TOP/tools/tour.sh" H)
printed=$(tr '\n' '|' <<<"$tour_out")
if ! grep -qx 'The Guest comes in two parts:' <<<"$tour_out"; then
	echo "FAIL tour-keeps-colon: the sentence lost its ':'; printed: $printed"
elif ! grep -qx 'This one ends in a closer\.' <<<"$tour_out"; then
	echo "FAIL tour-keeps-colon: the ':*/' closer stayed; printed: $printed"
else
	echo "PASS tour-keeps-colon"
fi

# Kernel image recognition (launcher/kernel_image.c) on fixtures built
# here, our real Guest bzImage when it has been built, and Debian's 64-bit
# Host kernel when the bench has fetched it.
fx=$out/kimage
mkdir -p "$fx"
printf '.text\n.globl _start\n_start: hlt\n' >"$fx/plain.S"
# Linked at 1 MiB, where a small kernel would load.
ld_at="-Wl,-Ttext-segment=0x100000"
if cc -m32 -nostdlib -static -Wl,--build-id=none $ld_at -o "$fx/note.elf" "$TOP/tests/unit/lguest_note.S" &&
	cc -m32 -nostdlib -static -Wl,--build-id=none $ld_at -o "$fx/plain.elf" "$fx/plain.S" &&
	cc -O1 -g -Wall -Wextra -Werror -I"$TOP/launcher" -I"$TOP/include" \
		-o "$out/test-kernel-image" "$TOP/tests/unit/test_kernel_image.c" \
		"$TOP/launcher/kernel_image.c" -lelf -lz; then
	real=()
	[ -f "$BUILD/guest/bzImage" ] && real+=("$BUILD/guest/bzImage")
	host=$(ls "${LGUEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lguest}"/host-kernels/6.1*/vmlinuz 2>/dev/null | head -1)
	[ ${#real[@]} -gt 0 ] && [ -n "$host" ] && real+=("$host")
	"$out/test-kernel-image" "$fx/note.elf" "$fx/plain.elf" "${real[@]}"
	# The Launcher's command line and input files, as a user meets them.
	"$TOP/tests/unit/cli.sh" "$TOP/launcher/lguest-launch" "$fx/note.elf" \
		"$fx/plain.elf" "${real[@]}"
else
	echo "FAIL test-kernel-image-builds: compiler error"
fi

# The Guest's memory plan and boot_params (launcher/boot.c).
if cc -O1 -g -Wall -Wextra -Werror -I"$TOP/launcher" -I"$TOP/include" \
	-o "$out/test-boot" "$TOP/tests/unit/test_boot.c" "$TOP/launcher/boot.c"; then
	"$out/test-boot"
else
	echo "FAIL test-boot-builds: compiler error"
fi

# device_test NAME: tests/unit/test_NAME.c, which includes the Launcher's
# device file it tests and stands in for the rest; built, then run.
device_test() {
	if cc -O1 -g -Wall -Wextra -Wno-unused-parameter -Werror -I"$TOP/launcher" \
		-I"$TOP/include" -I"$TOP/tests/unit" -o "$out/test-$1" \
		"$TOP/tests/unit/test_$1.c"; then
		"$out/test-$1"
	else
		echo "FAIL test-$1-builds: compiler error"
	fi
}
# The block device (launcher/block.c): its argument, disk sizes, request
# checks, and its request handler on a real file with a pretend Guest.
device_test block
# The power button (launcher/power.c): SIGTERM and SIGINT with and without a
# Guest driver, the timeout and a second signal, each in a child process.
device_test power
