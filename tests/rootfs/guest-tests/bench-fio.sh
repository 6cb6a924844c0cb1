#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench-fio: sequential write then read throughput of a disk with fio
# (1 MiB blocks, O_DIRECT, queue depth 8), printed as METRIC lines in MB/s.
# Figures only: nothing is asserted about their size.
#   lguest.fio_dev=/dev/XXX   the disk (default /dev/lgbb, else /dev/vdb,
#                             else a file in /var/tmp on the root);
#                             A DISK'S CONTENTS ARE DESTROYED
#   lguest.bench_size=SIZE    bytes moved each way (default 256M)
#   lguest.bench_time=SECONDS cap on each direction (default 20)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
size=${LGUEST_BENCH_SIZE:-256M}
time=${LGUEST_BENCH_TIME:-20}
if ! target=$(scratch_device); then
	target=/var/tmp/lguest-bench-fio
fi
echo "bench-fio on $target, $size, at most ${time}s each way"

ok=1
for rw in write read; do
	json=$(mktemp)
	rc=0
	timeout $((time + 120)) fio --name="seq-$rw" --filename="$target" --rw="$rw" \
		--bs=1M --size="$size" --runtime="$time" --ioengine=libaio \
		--iodepth=8 --direct=1 --output-format=json >"$json" 2>&1 || rc=$?
	if [ "$rc" -ne 0 ] || ! mbs=$(python3 -c '
import json, sys
text = open(sys.argv[1]).read()
job = json.loads(text[text.index("{"):])["jobs"][0]
side = job[sys.argv[2]]
assert job["error"] == 0 and side["io_bytes"] > 0
print("%.1f" % (side["bw_bytes"] / 1e6))' "$json" "$rw" 2>&1); then
		echo "FAIL bench-fio: seq-$rw: fio status $rc: $(tail -1 "$json")"
		ok=0
	else
		echo "METRIC fio-seq-$rw $mbs MB/s"
	fi
	rm -f "$json"
done
[ "$target" != /var/tmp/lguest-bench-fio ] || rm -f "$target"
[ $ok -eq 0 ] || echo "PASS bench-fio"
