#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# block-crash.sh: kill -9 the Launcher while its Guest writes, and check
# that every write the Guest was told had completed is intact.  The Debian
# Guest (root /dev/vda, read-only to it) runs crash-write on a scratch
# disk (/dev/vdb): ext4 with its journal, files fsync'd one by one, each
# announced "COMMITTED N SHA256" on the console once durable.  After
# enough of them the Launcher is killed with SIGKILL mid-write; then, in
# this Host: e2fsck replays the journal and must find the file system
# clean, and every announced file must read back with its checksum.
# Needs: --kmod virtio_pci --kmod virtio_blk --kmod ext4, the payload's
# bzImage and e2fsck (with its libraries).
. /lguest/vmlib.sh
P=${PAYLOAD:-/payload}
WANT=${CRASH_COMMITS:-25}
LIMIT=${CRASH_LIMIT:-600}
log=/tmp/crash-console.log

load_module || { fail crash-insmod "insmod failed"; exit 1; }
dmesg_mark
lguest-launch --block=ro:/dev/vda --block /dev/vdb 512 "$P/bzImage" \
	root=/dev/lgba ro console=hvc0 lguest.test=crash-write \
	</dev/null >"$log" 2>&1 &
pid=$!
waited=0
while [ "$waited" -lt "$LIMIT" ]; do
	n=$(grep -c '^COMMITTED ' "$log")
	[ "$n" -ge "$WANT" ] && break
	kill -0 $pid 2>/dev/null || break
	sleep 1
	waited=$((waited + 1))
done
if kill -9 $pid 2>/dev/null; then
	wait $pid
	echo "crash: Launcher killed after $n commits, ${waited}s"
	pass crash-killed-mid-write
else
	wait $pid
	fail crash-killed-mid-write "the Launcher had already exited after $n commits"
	tr -d '\r' <"$log" | grep -E '^(PASS|FAIL|SKIP|lguest-launch)' | sed 's/^/guest| /'
	tail -5 "$log" | sed 's/^/guest| /'
	exit 0
fi
[ "$n" -ge "$WANT" ] || fail crash-enough-commits "only $n of $WANT commits in ${LIMIT}s"

# -p replays the journal (status 0 or 1 when it did only that); a second,
# read-only pass must then find nothing at all.
"$P/e2fsck" -fp /dev/vdb >/tmp/fsck1.log 2>&1
rc=$?
echo "crash: e2fsck -fp status $rc: $(tail -1 /tmp/fsck1.log)"
"$P/e2fsck" -fn /dev/vdb >/tmp/fsck2.log 2>&1
rc2=$?
if [ $rc -le 1 ] && [ $rc2 -eq 0 ]; then
	pass crash-fsck-clean
else
	fail crash-fsck-clean "e2fsck -fp status $rc, then -fn status $rc2: $(grep -v '^Pass\|^e2fsck' /tmp/fsck2.log | head -3 | tr '\n' ' ')"
fi

mkdir -p /mnt/crash
if ! mount -t ext4 -o ro /dev/vdb /mnt/crash; then
	fail crash-committed-intact "cannot mount the scratch disk in the Host"
	exit 0
fi
bad=0
checked=0
grep '^COMMITTED ' "$log" | tr -d '\r' >/tmp/commits
while read -r _ i sum; do
	got=$(sha256sum "/mnt/crash/f$i" 2>/dev/null | cut -d' ' -f1)
	checked=$((checked + 1))
	if [ "$got" != "$sum" ]; then
		bad=$((bad + 1))
		echo "crash: f$i reads back as '${got:-missing}', announced $sum"
	fi
done </tmp/commits
umount /mnt/crash
echo "METRIC crash-committed-files $checked count"
if [ $checked -gt 0 ] && [ $bad -eq 0 ]; then
	pass crash-committed-intact
else
	fail crash-committed-intact "$bad of $checked committed files lost or changed"
fi
w=$(dmesg_warnings)
[ -z "$w" ] && pass crash-host-quiet || fail crash-host-quiet "$(echo "$w" | head -1)"
