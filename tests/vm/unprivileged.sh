#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# unprivileged.sh: lguest for users who are not root.  /dev/lguest gets
# what the packaged udev rule (tools/packaging/60-lguest.rules) gives it,
# 0660 root:lguest; then, with busybox su:
#   - a user in group lguest boots hello.elf (/payload) and it passes;
#   - a user outside the group is told that /dev/lguest refused it;
#   - the group member asking for --tunnet, without CAP_NET_ADMIN, is told
#     that creating the tap needs it (/dev/net/tun is 0666, as Debian's
#     udev makes it: the kernel's TUNSETIFF is what refuses).
# Needs the tun module (run-vm.sh --kmod tun) for the last case.
. /lguest/vmlib.sh
P=${PAYLOAD:-/payload}

load_module || { fail unpriv-insmod "insmod failed"; exit 0; }
[ -f "$P/hello.elf" ] || { fail unpriv-payload "no $P/hello.elf"; exit 0; }

cat >>/etc/passwd <<'EOF'
root:x:0:0:root:/root:/bin/sh
lguser:x:1000:1000:in group lguest:/tmp:/bin/sh
other:x:1001:1001:not in group lguest:/tmp:/bin/sh
EOF
cat >>/etc/group <<'EOF'
root:x:0:
lguser:x:1000:
other:x:1001:
lguest:x:900:lguser
EOF
chgrp lguest /dev/lguest && chmod 0660 /dev/lguest
ls -l /dev/lguest

# as USER CMD...: run CMD as USER (its own groups, from /etc/group).
as() {
	u=$1
	shift
	su -s /bin/sh "$u" -c "$*"
}

ids=$(as lguser id)
echo "lguser: $ids"
case $ids in
*uid=1000*900\(lguest\)*) pass unpriv-user ;;
*) fail unpriv-user "su gave: $ids" ;;
esac

# 1. In the group: the Guest runs and passes.
as lguser "timeout 120 lguest-launch 32 $P/hello.elf" \
	</dev/null >/tmp/unpriv.out 2>/tmp/unpriv.err
rc=$?
sed 's/^/guest| /' /tmp/unpriv.out
if [ $rc -eq 0 ] && grep -q '^PASS' /tmp/unpriv.out &&
   ! grep -q '^FAIL' /tmp/unpriv.out; then
	pass unpriv-group-member-runs
else
	fail unpriv-group-member-runs "exit $rc: $(head -c 300 /tmp/unpriv.err)"
fi

# 2. Not in the group: a clear refusal naming /dev/lguest.
as other "timeout 60 lguest-launch 32 $P/hello.elf" \
	</dev/null >/tmp/unpriv.out 2>/tmp/unpriv.err
rc=$?
msg=$(cat /tmp/unpriv.err)
echo "other: exit $rc: $msg"
if [ $rc -ne 0 ] && echo "$msg" | grep -q '/dev/lguest' &&
   echo "$msg" | grep -qi 'permission denied' &&
   ! grep -q '^PASS' /tmp/unpriv.out; then
	pass unpriv-outsider-refused
else
	fail unpriv-outsider-refused "exit $rc: $msg"
fi

# 3. --tunnet without CAP_NET_ADMIN: a clear error naming the capability.
if [ -c /dev/net/tun ]; then
	chmod 0666 /dev/net/tun
	as lguser "timeout 60 lguest-launch --tunnet=10.9.9.1 32 $P/hello.elf" \
		</dev/null >/tmp/unpriv.out 2>/tmp/unpriv.err
	rc=$?
	msg=$(cat /tmp/unpriv.err)
	echo "lguser --tunnet: exit $rc: $msg"
	if [ $rc -ne 0 ] && echo "$msg" | grep -q -- '--tunnet' &&
	   echo "$msg" | grep -q 'CAP_NET_ADMIN' &&
	   ! grep -q '^PASS' /tmp/unpriv.out; then
		pass unpriv-tunnet-refused
	else
		fail unpriv-tunnet-refused "exit $rc: $msg"
	fi
	if ip link show 2>/dev/null | grep -q 'lguest[0-9]'; then
		fail unpriv-tunnet-no-tap "a tap device was left behind"
	else
		pass unpriv-tunnet-no-tap
	fi
else
	fail unpriv-tunnet-refused "no /dev/net/tun (run-vm.sh --kmod tun)"
fi
exit 0
