#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# block-boots.sh: boot the Debian Guest image under lguest from lguest
# disks, once per "boot file" in the payload, and report what the Guest's
# own tests (tests/rootfs/guest-tests/) said.
#
# Payload: bzImage (the Guest kernel) and boots/NAME files, run in name
# order.  A boot file is sourced by this shell and sets:
#
#   NAME=root            prefix of this boot's result lines
#   DISKS="/dev/vda ..." the --block arguments, in order (root is the first)
#   TESTS=tools,block    the Guest tests (lguest.test=)
#   MEM=1024 LIMIT=900   Guest memory (MB) and the Launcher's time limit (s)
#   APPEND="..."         more Guest kernel arguments (lguest.KEY=VALUE...)
#   EXIT=0               the Launcher exit status expected (0: power-off)
#
# and may define pre() and post(), run here in the Host before the Launcher
# starts and after it exits; both may print result lines (the boot's
# prefix is added), and post() finds the Guest's console in $OUT.
#
# Result lines, for boot NAME: every Guest result as "NAME-result", then
# NAME-boot (the Guest tests ran to LGUEST-TESTS-DONE), NAME-TEST-ran for
# each test, NAME-exit (the Launcher's exit status) and NAME-host-dmesg
# (the Host kernel said nothing at warning level or worse meanwhile).  The
# Guest's console is copied to ours with "guest| " in front, so the bench's
# log check sees a Guest oops too.  The Guest's METRIC lines (figures,
# never asserted) come out as "METRIC NAME-metric", with NAME-run-s, the
# Launcher's whole run from start to power-off.
. /lguest/vmlib.sh
P=${PAYLOAD:-/payload}

load_module || { fail block-insmod "insmod failed"; exit 1; }
[ -d "$P/boots" ] || { fail block-payload "no boots/ in the payload"; exit 1; }

# prefixed PREFIX: result lines on stdin, with PREFIX- added to the name.
prefixed() {
	sed -n "s/^\(PASS\|FAIL\|SKIP\) \([^ ]\)/\1 $1-\2/p"
}

for boot in "$P"/boots/*; do
	(
	NAME=$(basename "$boot")
	DISKS='' TESTS='' APPEND='' MEM=1024 LIMIT=900 EXIT=0
	pre() { :; }
	post() { :; }
	# shellcheck source=/dev/null
	. "$boot"
	OUT=/tmp/$NAME.out
	ERR=/tmp/$NAME.err
	pre 2>&1 | prefixed "$NAME"

	set --
	for d in $DISKS; do
		set -- "$@" "--block=$d"
	done
	dmesg_mark
	echo "block-boots: $NAME: lguest-launch $* $MEM bzImage (tests: $TESTS)"
	start=$(date +%s)
	# The Guest's console goes to $OUT and, as it comes, to ours.
	# APPEND is words, split on purpose.
	# shellcheck disable=SC2086
	(
		timeout -s KILL "$LIMIT" lguest-launch "$@" "$MEM" "$P/bzImage" \
			root=/dev/lgba console=hvc0 panic=-1 "lguest.test=$TESTS" \
			$APPEND </dev/null 2>"$ERR"
		echo $? >"/tmp/$NAME.rc"
	) | awk -v out="$OUT" '{ sub(/\r$/, ""); print >out; print "guest| " $0; fflush() }'
	rc=$(cat "/tmp/$NAME.rc")
	secs=$(($(date +%s) - start))
	sed 's/^/launcher| /' "$ERR"
	echo "block-boots: $NAME: Launcher exit $rc after $secs s"

	prefixed "$NAME" <"$OUT"
	sed -n "s/^METRIC /METRIC $NAME-/p" "$OUT"
	echo "METRIC $NAME-run-s $secs"
	if grep -q '^LGUEST-TESTS-DONE' "$OUT"; then
		pass "$NAME-boot"
	elif [ $rc = 137 ]; then
		fail "$NAME-boot" "killed after ${LIMIT}s; last Guest line: $(tail -1 "$OUT")"
	else
		fail "$NAME-boot" "the Guest tests did not finish; last Guest line: $(tail -1 "$OUT")"
	fi
	for t in $(echo "$TESTS" | tr , ' '); do
		grep -q "^LGUEST-TEST-END $t " "$OUT" && pass "$NAME-$t-ran" ||
			fail "$NAME-$t-ran" "the Guest test $t did not run to its end"
	done
	if [ "$rc" = "$EXIT" ]; then
		pass "$NAME-exit"
	else
		fail "$NAME-exit" "Launcher exit status $rc, want $EXIT: $(tail -1 "$ERR")"
	fi
	w=$(dmesg_warnings)
	if [ -z "$w" ]; then
		pass "$NAME-host-dmesg"
	else
		fail "$NAME-host-dmesg" "$(echo "$w" | head -1)"
	fi
	post 2>&1 | prefixed "$NAME"
	)
done
exit 0
