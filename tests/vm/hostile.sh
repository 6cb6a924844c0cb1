#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# hostile.sh: hostile Launchers (tests/hostile/, in /payload) attack
# /dev/lguest as an ordinary member of the lguest group, the way anyone
# the device is open to could.  Each program prints its own PASS/FAIL
# lines; we add the device's permissions, a line for a program that died
# without saying why, the slab caches around the open/close cycles, and at
# the end the Host's health: no oops, WARN, BUG, lockdep or KASAN line in
# its log, and rmmod lguest succeeds.
. /lguest/vmlib.sh
P=${PAYLOAD:-/payload}
USER_ID=1000
LGUEST_GID=990
CG=/sys/fs/cgroup

load_module || { fail hostile-insmod "insmod failed"; exit 1; }
dmesg_mark
# The debug Host (docs/debug-host.md) says so at boot.
kasan=$(dmesg | grep -m1 'KernelAddressSanitizer initialized')

# The lguest group and its one member, and the device as udev would set it.
echo "root:x:0:0:root:/root:/bin/sh" >/etc/passwd
echo "attacker:x:$USER_ID:$USER_ID:attacker:/tmp:/bin/sh" >>/etc/passwd
echo "outsider:x:1001:1001:outsider:/tmp:/bin/sh" >>/etc/passwd
echo "root:x:0:" >/etc/group
echo "attacker:x:$USER_ID:" >>/etc/group
echo "outsider:x:1001:" >>/etc/group
echo "lguest:x:$LGUEST_GID:attacker" >>/etc/group
chown root:lguest /dev/lguest && chmod 0660 /dev/lguest
perms=$(stat -c '%a %U %G' /dev/lguest)
[ "$perms" = "660 root lguest" ] && pass hostile-dev-perms ||
	fail hostile-dev-perms "/dev/lguest is '$perms'"

# The setuid-root program the exec attack runs.
chown root:root "$P/hl-suid" && chmod 4755 "$P/hl-suid"
# Let ordinary users have userfaultfd, as a Host admin may.
[ -w /proc/sys/vm/unprivileged_userfaultfd ] &&
	echo 1 >/proc/sys/vm/unprivileged_userfaultfd

as_attacker() {
	"$P/runas" $USER_ID $USER_ID $LGUEST_GID -- "$@"
}

# Someone outside the group may not even open it.
if "$P/runas" 1001 1001 - -- /bin/busybox cat /dev/lguest 2>&1 |
	grep -q 'Permission denied'; then
	pass hostile-outsider-refused
else
	fail hostile-outsider-refused "a user outside the lguest group opened /dev/lguest"
fi

# want PROGRAM: run it (a file /payload/hostile-only, one name a line,
# picks a few when debugging one attack).
want() {
	[ ! -f "$P/hostile-only" ] || grep -qx "$1" "$P/hostile-only"
}

# run PROGRAM ARG...: one attack program as the attacker.
run() {
	name=$1
	want "$name" || return 0
	shift
	echo "--- $name"
	as_attacker "$P/$name" "$@" >/tmp/$name.out 2>&1
	rc=$?
	cat /tmp/$name.out
	if [ $rc -ne 0 ] && ! grep -q '^FAIL ' /tmp/$name.out; then
		fail "$name" "exited with status $rc and no FAIL line"
	fi
	grep -q '^PASS ' /tmp/$name.out ||
		grep -q '^FAIL ' /tmp/$name.out || fail "$name" "printed no result"
}

slab_kb() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	awk 'NR > 2 { s += $2 * $4 } END { print int(s / 1024) }' /proc/slabinfo
}

for prog in hl-requests hl-fork hl-exec hl-iouring hl-threads hl-setuid hl-killdma \
	hl-memory; do
	run $prog "$P"
done

if ! want hl-resources; then
	:
elif [ -n "$kasan" ]; then
	# Freed objects wait in KASAN's quarantine: neither free memory nor
	# the slab caches show a leak here; the kmemleak scan at the end does.
	run hl-resources "$P" 1000 kmemleak
	echo "SKIP cycles-slabinfo: KASAN's quarantine keeps freed objects; kmemleak judges leaks on this Host"
elif [ -r /proc/slabinfo ]; then
	slab_before=$(slab_kb)
	run hl-resources "$P" 1000
	slab_after=$(slab_kb)
	if [ $((slab_after - slab_before)) -lt 1024 ]; then
		echo "PASS cycles-slabinfo: slab caches $slab_before kB before, $slab_after kB after"
	else
		fail cycles-slabinfo "slab caches grew from $slab_before kB to $slab_after kB"
	fi
else
	run hl-resources "$P" 1000
	echo "SKIP cycles-slabinfo: no /proc/slabinfo in this Host kernel"
fi

# As many Guests as a memory cgroup allows, then its OOM killer.
[ -f $CG/cgroup.controllers ] || mount -t cgroup2 none $CG 2>/dev/null
if ! want hl-oom; then
	:
elif grep -qw memory $CG/cgroup.controllers 2>/dev/null &&
	echo +memory >$CG/cgroup.subtree_control &&
	mkdir -p $CG/hostile && echo 64M >$CG/hostile/memory.max; then
	echo 0 >$CG/hostile/memory.swap.max 2>/dev/null
	echo "--- hl-oom"
	sh -c "echo \$\$ >$CG/hostile/cgroup.procs &&
		exec $P/runas $USER_ID $USER_ID $LGUEST_GID -- $P/hl-oom $P $CG/hostile" \
		>/tmp/hl-oom.out 2>&1
	rc=$?
	cat /tmp/hl-oom.out
	[ $rc -eq 0 ] || grep -q '^FAIL ' /tmp/hl-oom.out ||
		fail hl-oom "exited with status $rc and no FAIL line"
	rmdir $CG/hostile 2>/dev/null
else
	echo "SKIP oom: no cgroup2 memory controller in this Host"
fi

# The Host's health, after all of that: nothing the parse-console.sh list
# calls unwell, except the report the memory cgroup's OOM killer prints
# (with a stack dump) when it kills a child of hl-oom, as it was asked to.
bad='Oops|BUG:|WARNING:|Kernel panic|general protection fault|cut here|soft lockup|hard LOCKUP|hung_task|blocked for more than|rcu.*(stall|detected stalls)|KASAN|UBSAN|kernel BUG|Call Trace|double fault|unable to handle|possible (circular|recursive) locking|inconsistent lock state|suspicious RCU usage|held lock|DEBUG_LOCKS_WARN_ON|sleeping function called from invalid context|ODEBUG:|unreferenced object|suspected memory leak'
dmesg | tail -n +$((DMESG_MARK + 1)) >/tmp/hostile.dmesg
w=$(awk '/invoked oom-killer/ { oom = 1 } !oom { print }
	/Memory cgroup out of memory: Killed process|oom_reaper: reaped/ { oom = 0 }' \
	/tmp/hostile.dmesg | grep -E "$bad" | head -3)
if [ -z "$w" ]; then
	pass hostile-host-log-clean
else
	fail hostile-host-log-clean "$(echo "$w" | head -1)"
	echo "--- kernel log since the attacks began"
	cat /tmp/hostile.dmesg
fi
# The OOM report would make the bench's own log check fail after us: its
# lines (and anything else) have been judged just above, so clear the log.
grep -q 'invoked oom-killer' /tmp/hostile.dmesg && dmesg -c >/dev/null
if rmmod lguest; then
	pass hostile-rmmod
else
	fail hostile-rmmod "rmmod lguest failed: $(grep '^lguest ' /proc/modules)"
fi
