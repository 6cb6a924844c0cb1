# SPDX-License-Identifier: GPL-2.0
# In-VM test for the debug Host's self-test (tests/suites/58-debug-host.sh):
# insert each deliberately buggy module in /payload (tests/bench/
# buggy-kmod-*.c).  The insertions themselves succeed; the bug must show
# in the console log, where parse-console.sh's vm-log-clean must catch it.
. /lguest/vmlib.sh
found=
for ko in /payload/buggy-kmod-*.ko; do
	[ -e "$ko" ] || continue
	found=1
	name=$(basename "$ko" .ko)
	check "insmod-$name" "insmod $ko failed" insmod "$ko"
done
[ -n "$found" ] || fail buggy-kmod-payload "no /payload/buggy-kmod-*.ko"
