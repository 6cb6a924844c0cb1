#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench-cpu: sysbench CPU (primes) and memory throughput, as METRIC lines.
# Figures only: nothing is asserted about their size.
#   lguest.bench_time=SECONDS  each run's length (default 10)
set -euo pipefail
time=${LGUEST_BENCH_TIME:-10}
ok=1

log=$(mktemp)
if sysbench cpu --cpu-max-prime=10000 --threads=1 --time="$time" run >"$log" 2>&1 &&
	eps=$(awk '/events per second:/ { print $NF }' "$log") && [ -n "$eps" ]; then
	echo "METRIC sysbench-cpu $eps events/s"
else
	echo "FAIL bench-cpu: sysbench cpu: $(tail -1 "$log")"
	ok=0
fi
if sysbench memory --memory-block-size=1M --memory-total-size=100G --threads=1 \
	--time="$time" run >"$log" 2>&1 &&
	mibs=$(sed -n 's/.*(\([0-9.]*\) MiB\/sec).*/\1/p' "$log") && [ -n "$mibs" ]; then
	echo "METRIC sysbench-memory $mibs MiB/s"
else
	echo "FAIL bench-cpu: sysbench memory: $(tail -1 "$log")"
	ok=0
fi
rm -f "$log"
[ $ok -eq 0 ] || echo "PASS bench-cpu"
