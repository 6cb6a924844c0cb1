#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-all.sh: run every suite in tests/suites/ (or those named on the
# command line, e.g. "tests/run-all.sh 10-unit"), keep each one's output in
# build/logs/, and end with the line "N passed, N failed" (", N skipped").
# Exits non-zero if anything failed.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${LGUEST_BUILD:-$TOP/build}
SUITE_TIMEOUT=${SUITE_TIMEOUT:-900}
export LGUEST_BUILD=$BUILD
mkdir -p "$BUILD/logs"

suites=()
if [ $# -gt 0 ]; then
	for name in "$@"; do
		suites+=("$TOP/tests/suites/${name%.sh}.sh")
	done
else
	suites=("$TOP"/tests/suites/*.sh)
fi

passed=0 failed=0 skipped=0
failures=()
start_all=$(date +%s)

# The long builds of a cold run, the Guest kernel and the debug Host
# kernel (compiling: CPU) and the Debian Guest image (debootstrap: mostly
# the network and the disk), start in the background at once, so that they
# overlap with each other and with 05-fresh-machine's package installs.
# They are only a head start: the suites that need them run the same
# scripts, which wait on the cache's lock and then find the result (or
# build it, and report a failure, themselves).  Only for a whole run: a
# developer running one suite gets nothing started behind his back.
early=()
if [ $# -eq 0 ] && [ -z "${LGUEST_NO_EARLY_BUILDS:-}" ]; then
	# Each in a session of its own, so that ending one ends its compilers.
	# The debug Host kernel (58-debug-host) is needed last: it is built
	# after the Guest kernel, which suite 30 needs early, so that the two
	# never share the cores (and niced: it yields them to the suites).
	setsid bash -c 'make -s -C "$1" guest-kernel >"$2/early-guest-kernel.log" 2>&1
		"$1/tools/build-debug-host-kernel.sh" >"$2/early-debug-host-kernel.log" 2>&1' \
		early-builds "$TOP" "$BUILD/logs" &
	early+=($!)
	if [ "$(id -u)" -eq 0 ]; then
		setsid "$TOP/tests/rootfs/build-rootfs.sh" >"$BUILD/logs/early-rootfs.log" 2>&1 &
		early+=($!)
		# Debian 13's kernels and the trixie build environment that 20-build
		# needs for them: downloads and debootstrap, little CPU.
		setsid bash -c '"$1/tools/trixie-buildenv.sh" --make &&
			"$1/tests/bench/fetch-host-kernel.sh" trixie &&
			"$1/tests/bench/fetch-host-kernel.sh" trixie-backports' \
			early-trixie "$TOP" >"$BUILD/logs/early-trixie.log" 2>&1 &
		early+=($!)
	fi
	echo "=== early builds: the Guest kernel (then the debug Host kernel), the Debian Guest image and the trixie build environment, in the background"
	trap 'for pid in "${early[@]}"; do kill -- -"$pid" 2>/dev/null; done' EXIT
fi
for suite in "${suites[@]}"; do
	name=$(basename "$suite" .sh)
	log=$BUILD/logs/$name.log
	limit=$(sed -n 's/^# timeout: *\([0-9][0-9]*\).*/\1/p' "$suite" | head -1)
	limit=${limit:-$SUITE_TIMEOUT}
	echo "=== suite $name (limit ${limit}s)"
	start=$(date +%s)
	timeout --kill-after=30 "$limit" "$suite" >"$log" 2>&1 </dev/null
	rc=$?
	secs=$(($(date +%s) - start))
	p=$(grep -c '^PASS ' "$log")
	f=$(grep -c '^FAIL ' "$log")
	s=$(grep -c '^SKIP ' "$log")
	grep -E '^(FAIL|SKIP) ' "$log" | sed 's/^/    /'
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
			echo "    FAIL $name: suite ran past its ${limit}s limit"
			failures+=("$name: timed out")
		else
			echo "    FAIL $name: exited with status $rc and no FAIL line"
			failures+=("$name: exit $rc")
		fi
		f=1
	fi
	while read -r line; do failures+=("$name: ${line#FAIL }"); done < <(grep '^FAIL ' "$log")
	echo "    $p passed, $f failed, $s skipped in ${secs}s (log: $log)"
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
done

wait "${early[@]}" 2>/dev/null
echo
echo "=== summary ($(($(date +%s) - start_all))s)"
# The Guest kernel's source revision may be newer than PINNED's (see
# tools/build-guest-kernel.sh): say which one these results are for.
if [ -r "$BUILD/guest/VERSION" ]; then
	read -r src_pkg src_rev src_hash <"$BUILD/guest/VERSION"
	echo "guest kernel: $src_pkg $src_rev + series $src_hash" \
		"(PINNED: $(sed -n 's/^version=//p' "$TOP/guest-patches/PINNED"))"
fi
for f in "${failures[@]}"; do
	echo "FAILED: $f"
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
