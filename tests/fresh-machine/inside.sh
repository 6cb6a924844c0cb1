#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# inside.sh: what 05-fresh-machine runs on the new machine (a chroot made
# by tests/fresh-machine/chroot.sh), as root, in a clean clone: make deps,
# then a real part of make check.  Every result is named fresh-*.
set -uo pipefail
cd "$(dirname "$0")/../.."
mkdir -p build/logs
fresh() {
	sed -u -E 's/^(PASS|FAIL|SKIP) (\[[^]]*\] )?/\1 \2fresh-/'
}

before=$(dpkg-query -W -f='${db:Status-Status}\n' | grep -c '^installed$')
start=$(date +%s)
if ! make deps >build/logs/deps.log 2>&1; then
	echo "FAIL fresh-make-deps: $(grep -m1 -E 'E:|deps:.*(could not|failed)' build/logs/deps.log)"
	tail -20 build/logs/deps.log
	exit 0
fi
after=$(dpkg-query -W -f='${db:Status-Status}\n' | grep -c '^installed$')
echo "PASS fresh-make-deps: $((after - before)) packages on top of $before in $(($(date +%s) - start)) s"
# The next run reuses what is still current; what Debian replaced goes.
apt-get autoclean -qq >/dev/null 2>&1

# The unit tests, tools/check-deps.sh among them: on this machine every
# program comes from what make deps installed, or the check fails.
timeout 300 tests/suites/10-unit.sh 2>&1 | fresh

# The module, against the headers the bench fetches.
if ko=$(timeout 600 tests/bench/build-module.sh linux-image-amd64 W=1 2>build/logs/module.log); then
	echo "PASS fresh-module-build: $(modinfo -F vermagic "$ko")"
else
	echo "FAIL fresh-module-build: $(tail -1 build/logs/module.log)"
	exit 0
fi

# The Guest kernel, which make demo needs: first, so that the QEMU runs
# below never compete with a compiler (run-all.sh may be building it in the
# shared cache already: this waits for that build and reuses it).
if ! timeout 1500 make -s guest-kernel >build/logs/guest-kernel.log 2>&1; then
	echo "FAIL fresh-guest-kernel: $(grep -m1 'build-guest-kernel:' build/logs/guest-kernel.log)"
	exit 0
fi
echo "PASS fresh-guest-kernel: $(grep -m1 -o 'build/guest/bzImage: .*' build/logs/guest-kernel.log)"

# One QEMU Host boot that loads lguest.ko and runs the freestanding Guests.
if ! make -s -C tests/guests OUT="$PWD/build/guests" >build/logs/guests-build.log 2>&1; then
	echo "FAIL fresh-guests-build: $(tail -1 build/logs/guests-build.log)"
	exit 0
fi
tests/bench/run-vm.sh --host 6.1 --cpu max --smp 1 --timeout 600 \
	--payload build/guests guests 2>&1 | fresh

# make demo, driven as a user would drive it.
tests/fresh-machine/drive-demo.sh
