# SPDX-License-Identifier: GPL-2.0
# tests/suite.sh: what every suite in tests/suites/ starts from.  Source it
# first ('. "$(dirname "$0")/../suite.sh"'); it sets
#	TOP	the checkout
#	BUILD	where results and build products go (LGUEST_BUILD, or build/)
#	bench	tests/bench/run-vm.sh, which boots a QEMU Host and runs in-VM
#		tests there
# and makes $BUILD/logs.  The result helpers are tests/lib.sh's.
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${LGUEST_BUILD:-$TOP/build}
bench=$TOP/tests/bench/run-vm.sh
mkdir -p "$BUILD/logs"
. "$TOP/tests/lib.sh"

# need_guest_kernel NAME: the Guest kernel (build/guest/, built or found in
# the cache by "make guest-kernel"), or "FAIL NAME: ..." and the suite ends
# there: nothing after it could run.
need_guest_kernel() {
	local log=$BUILD/logs/$1.log
	if ! (cd "$TOP" && make -s guest-kernel) >"$log" 2>&1; then
		fail "$1" "see ${log#"$TOP"/}"
		exit 0
	fi
}
