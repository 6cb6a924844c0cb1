# SPDX-License-Identifier: GPL-2.0
# In-VM test: lguest.ko loads, registers /dev/lguest, refuses malformed
# requests with the documented errors, is pinned while open, and unloads.
. /lguest/vmlib.sh
dmesg_mark

check insmod "insmod lguest.ko failed" insmod /lguest/lguest.ko
check module-listed "lguest not in /proc/modules" grep -q '^lguest ' /proc/modules

# The misc major is 10; the minor is whatever misc_register() gave us.
sysdev=$(cat /sys/class/misc/lguest/dev 2>/dev/null)
node=$(stat -c '%t:%T' /dev/lguest 2>/dev/null)
if [ -c /dev/lguest ] && [ -n "$sysdev" ] &&
	[ "$((0x${node%:*})):$((0x${node#*:}))" = "$sysdev" ] &&
	[ "${sysdev%:*}" = 10 ]; then
	pass dev-node
else
	fail dev-node "/dev/lguest is '$node' (hex), sysfs says '$sysdev', want 10:minor"
fi
grep -q ' lguest$' /proc/misc && pass proc-misc || fail proc-misc "lguest not in /proc/misc"

# expect NAME WANT CMD...: the lgreq output must be WANT.
expect() {
	local name=$1 want=$2 got
	shift 2
	got=$("$@" 2>&1)
	if [ "$got" = "$want" ]; then
		pass "$name"
	else
		fail "$name" "got '$got', want '$want'"
	fi
}
expect malformed-short "error EINVAL" lgreq bytes 3
expect malformed-unaligned "error EINVAL" lgreq bytes 12
expect malformed-empty "error EINVAL" lgreq bytes 0
expect unknown-request "error EINVAL" lgreq write 99 0
expect wrong-length-request "error EINVAL" lgreq write 2 5 5
expect read-before-init "error EINVAL" lgreq read

# An open /dev/lguest pins the module.  The holder says "open" (into a
# file of its own) once it has opened it.
rm -f /tmp/hold.out
lgreq hold 60 >/tmp/hold.out &
holder=$!
n=0
while ! grep -q '^open' /tmp/hold.out 2>/dev/null && [ $n -lt 600 ]; do
	sleep 0.1
	n=$((n + 1))
done
if ! grep -q '^open' /tmp/hold.out; then
	fail rmmod-busy "lgreq hold never opened /dev/lguest"
elif rmmod lguest 2>/dev/null; then
	fail rmmod-busy "rmmod succeeded while /dev/lguest was open"
	insmod /lguest/lguest.ko
else
	pass rmmod-busy
fi
kill $holder 2>/dev/null
wait $holder 2>/dev/null

check rmmod "rmmod lguest failed" rmmod lguest
check dev-node-gone "/dev/lguest still exists after rmmod" test ! -e /dev/lguest
check reload "insmod after rmmod failed" insmod /lguest/lguest.ko
check unload-again "second rmmod failed" rmmod lguest
noisy=$(dmesg_warnings)
if [ -n "$noisy" ]; then
	fail dmesg-quiet "kernel warned: $(echo "$noisy" | head -1)"
else
	pass dmesg-quiet
fi
