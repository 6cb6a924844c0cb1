#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# soak.sh: `make soak`.  One -cpu max -smp 2 QEMU Host runs 8 Debian
# Guests (the image of tests/rootfs/, each on its own copy-on-write view of
# it: QEMU's snapshot=on drives vda..vdh) under stress-ng for SOAK_MINUTES
# (default 30).  Every SOAK_KILL_EVERY seconds or so (default 20, at
# random) one Guest's Launcher is killed (SIGKILL or SIGTERM) and the
# Guest started again; a Guest whose stress run ends is started again too.
# At the end every Guest is stopped and we check:
#   soak-launchers     no Launcher died that we did not kill
#   soak-dmesg         the Host said nothing at warning level or worse
#   soak-boot, ...     a last Guest boots and runs its tools test
#   soak-reload        then the module unloads and loads again
#   soak-refcount      nothing holds the module
#   soak-leak          MemAvailable after the reload is within SOAK_LEAK_KB
#                      (default 16384) of what it was before the soak
# Figures ("soak: ..." lines: boots, kills, stress runs, the lowest
# MemAvailable) are printed from the Host's console.  Outside make check.
#
# The in-Host part is a boot file for tests/vm/block-boots.sh: its pre()
# is the soak, its own boot the last Guest, its post() the leak check.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${LGUEST_BUILD:-$TOP/build}
minutes=${SOAK_MINUTES:-30}
kill_every=${SOAK_KILL_EVERY:-20}
leak_kb=${SOAK_LEAK_KB:-16384}
guests=8
out=$BUILD/soak
p=$out/payload
rm -rf "$out"
mkdir -p "$p/boots" "$BUILD/logs"

if ! (cd "$TOP" && make -s guest-kernel) >"$out/guest-kernel.log" 2>&1; then
	echo "FAIL soak-guest-kernel: see $out/guest-kernel.log"
	exit 1
fi
if ! image=$("$TOP/tests/rootfs/build-rootfs.sh" 2>"$out/rootfs.log"); then
	echo "FAIL soak-rootfs: $(tail -1 "$out/rootfs.log")"
	exit 1
fi
cp "$BUILD/guest/bzImage" "$p/"

cat >"$p/boots/10-soak" <<EOF
NAME=soak
DISKS=/dev/vda
TESTS=tools
MEM=256
LIMIT=900
SOAK_SECONDS=$((minutes * 60))
SOAK_KILL_EVERY=$kill_every
SOAK_LEAK_KB=$leak_kb
SOAK_GUESTS=$guests
EOF
cat >>"$p/boots/10-soak" <<'EOF'
say() { echo "soak: $*" >/dev/console; }

# random N: a number in 0..N-1.
random() {
	echo $(($(od -An -N2 -tu2 /dev/urandom) % $1))
}

# (avail and settled_avail are vmlib.sh's, which block-boots.sh sources.)

# start I: Guest I on disk I (vda, vdb, ...), in the background.
start() {
	disk=/dev/vd$(echo abcdefgh | cut -c$(($1 + 1)))
	rm -f "/tmp/soak$1.rc" "/tmp/soak$1.killed"
	(
		lguest-launch "--block=$disk" 256 /payload/bzImage \
			root=/dev/lgba console=hvc0 panic=-1 lguest.test=stress \
			lguest.stress_time=60 lguest.stress_classes=cpu,pipe \
			lguest.test_timeout=600 \
			</dev/null >"/tmp/soak$1.out" 2>"/tmp/soak$1.err" &
		echo $! >"/tmp/soak$1.pid"
		wait $!
		echo $? >"/tmp/soak$1.rc"
	) &
	boots=$((boots + 1))
}

# ended I: Guest I's Launcher exited; count how.
ended() {
	rc=$(cat "/tmp/soak$1.rc")
	tr -d '\r' <"/tmp/soak$1.out" >/tmp/soak.clean
	grep -q '^LGUEST-TEST-BEGIN stress' /tmp/soak.clean && in_stress=$((in_stress + 1))
	grep -q '^PASS stress' /tmp/soak.clean && stress_pass=$((stress_pass + 1))
	grep -q '^FAIL stress' /tmp/soak.clean &&
		{ stress_fail=$((stress_fail + 1)); say "guest $1: $(grep -m1 '^FAIL stress' /tmp/soak.clean)"; }
	if [ -f "/tmp/soak$1.killed" ]; then
		kills=$((kills + 1))
	elif [ "$rc" = 0 ]; then
		offs=$((offs + 1))
	else
		bad=$((bad + 1))
		say "guest $1 died unasked: exit $rc: $(tail -1 "/tmp/soak$1.err")"
		tail -n 5 /tmp/soak.clean | sed 's/^/guest| /' >/dev/console
	fi
}

pre() {
	boots=0 kills=0 offs=0 bad=0 stress_pass=0 stress_fail=0 in_stress=0
	before=$(settled_avail)
	echo "$before" >/tmp/soak.before
	lowest=$(avail)
	dmesg_mark
	say "$SOAK_GUESTS Guests for $SOAK_SECONDS s, one killed every ~$SOAK_KILL_EVERY s; MemAvailable $before kB"
	i=0
	while [ $i -lt "$SOAK_GUESTS" ]; do
		start $i
		i=$((i + 1))
	done
	t0=$(date +%s)
	next_kill=$((t0 + SOAK_KILL_EVERY / 2 + $(random "$SOAK_KILL_EVERY")))
	while [ $(($(date +%s) - t0)) -lt "$SOAK_SECONDS" ]; do
		sleep 2
		a=$(avail)
		[ "$a" -lt "$lowest" ] && lowest=$a
		i=0
		while [ $i -lt "$SOAK_GUESTS" ]; do
			if [ -f "/tmp/soak$i.rc" ]; then
				ended $i
				start $i
			fi
			i=$((i + 1))
		done
		if [ "$(date +%s)" -ge "$next_kill" ]; then
			i=$(random "$SOAK_GUESTS")
			pid=$(cat "/tmp/soak$i.pid" 2>/dev/null)
			if [ -n "$pid" ] && [ ! -f "/tmp/soak$i.rc" ]; then
				touch "/tmp/soak$i.killed"
				if [ "$(random 3)" = 0 ]; then sig=TERM; else sig=KILL; fi
				kill -$sig "$pid" 2>/dev/null
				say "killed guest $i (SIG$sig) at $(($(date +%s) - t0)) s"
			fi
			next_kill=$(($(date +%s) + SOAK_KILL_EVERY / 2 + $(random "$SOAK_KILL_EVERY")))
		fi
	done
	# Stop them all: SIGTERM, and SIGKILL for any still there after 30 s.
	i=0
	while [ $i -lt "$SOAK_GUESTS" ]; do
		touch "/tmp/soak$i.killed"
		kill -TERM "$(cat "/tmp/soak$i.pid")" 2>/dev/null
		i=$((i + 1))
	done
	n=0
	while [ $n -lt 150 ] && [ "$(ls /tmp/soak*.rc 2>/dev/null | wc -l)" -lt "$SOAK_GUESTS" ]; do
		sleep 0.2
		n=$((n + 1))
	done
	i=0
	while [ $i -lt "$SOAK_GUESTS" ]; do
		[ -f "/tmp/soak$i.rc" ] || kill -KILL "$(cat "/tmp/soak$i.pid")" 2>/dev/null
		i=$((i + 1))
	done
	wait
	i=0
	while [ $i -lt "$SOAK_GUESTS" ]; do
		ended $i
		i=$((i + 1))
	done
	say "$boots boots, $kills killed by us, $offs powered off after their stress run, $bad died unasked"
	say "stress runs: $in_stress boots reached stress-ng, $stress_pass passed, $stress_fail failed"
	say "lowest MemAvailable $lowest kB (of $before kB before)"
	[ "$bad" -eq 0 ] && pass launchers ||
		fail launchers "$bad Launchers died without being killed"
	w=$(dmesg_warnings)
	if [ -z "$w" ]; then
		pass dmesg
	else
		fail dmesg "$(echo "$w" | head -1)"
		echo "$w" | head -40 >/dev/console
	fi
}

post() {
	if rmmod lguest && insmod /lguest/lguest.ko; then
		pass reload
	else
		fail reload "rmmod/insmod failed"
	fi
	refs=$(awk '$1 == "lguest" { print $3 }' /proc/modules)
	[ "$refs" = 0 ] && pass refcount || fail refcount "refcount $refs"
	before=$(cat /tmp/soak.before)
	after=$(settled_avail)
	leak=$((before - after))
	say "MemAvailable $before kB before, $after kB after: $leak kB less"
	if [ "$leak" -lt "$SOAK_LEAK_KB" ]; then
		pass leak
	else
		fail leak "MemAvailable fell by $leak kB"
	fi
	grep -E 'lguest|kmalloc-(64|128|256|4k) ' /proc/slabinfo 2>/dev/null | head >/dev/console
}
EOF

drives=()
for _ in $(seq "$guests"); do
	drives+=(--drive "file=$image,if=virtio,format=raw,snapshot=on")
done
start=$(date +%s)
"$TOP/tests/bench/run-vm.sh" --host "${SOAK_HOST:-6.1}" --cpu max --smp 2 \
	--mem 4096 --timeout $((minutes * 60 + 1500)) \
	--append watchdog_thresh=30 \
	${SOAK_MODULE:+--module "$SOAK_MODULE"} \
	--kmod virtio_pci --kmod virtio_blk "${drives[@]}" \
	--payload "$p" block-boots | tee "$out/results"
log=$BUILD/vm/${SOAK_HOST:-6.1}_max_smp2/block-boots/console.log
tr -d '\r' <"$log" | grep '^soak: '
echo "soak: $(($(date +%s) - start)) s in all"
! grep -q '^FAIL' "$out/results"
