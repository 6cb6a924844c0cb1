# SPDX-License-Identifier: GPL-2.0
# tests/lib.sh: the result lines every test prints, for every shell a test
# runs in: bash on this machine and in the Debian Guest, busybox sh in the
# QEMU Host (where the bench copies it to /lguest/lib.sh).  Source, don't
# run.  tests/run-all.sh and tests/bench/parse-console.sh count the lines:
#	PASS NAME[: NOTE]
#	FAIL NAME: REASON
#	SKIP NAME: REASON

pass() {
	echo "PASS $1${2:+: $2}"
}

fail() {
	echo "FAIL $1: $2"
}

skip() {
	echo "SKIP $1: $2"
}

# check NAME REASON COMMAND...: PASS NAME if COMMAND succeeds, else FAIL
# NAME with REASON.
check() {
	local name=$1 reason=$2
	shift 2
	if "$@"; then
		pass "$name"
	else
		fail "$name" "$reason"
	fi
}

# check_output NAME COMMAND...: the same with COMMAND's output held back,
# its last line being the reason when it fails.
check_output() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		pass "$name"
	else
		fail "$name" "$(echo "$out" | tail -1)"
	fi
}
