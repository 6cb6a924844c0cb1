# SPDX-License-Identifier: GPL-2.0
#
# Fuzzing and soaking (docs/fuzzing.md), outside make check:
#
#   make fuzz [SECONDS=N] [FUZZ_HOST=6.1]
#                   the hypercall fuzzer Guest for N seconds (default 600)
#                   in a QEMU Host, then the unprivileged cases
#   make soak [SOAK_MINUTES=N]
#                   8 Debian Guests under stress-ng on an -smp 2 QEMU Host
#                   for N minutes (default 30), killed and restarted at
#                   random; then the Host's log, leaks and memory

fuzz:
	FUZZ_SECONDS=$(or $(SECONDS),600) FUZZ_CALLS=2000000000 \
		$(if $(FUZZ_HOST),FUZZ_HOST=$(FUZZ_HOST)) tests/suites/63-fuzz.sh

soak:
	$(if $(SOAK_MINUTES),SOAK_MINUTES=$(SOAK_MINUTES)) tools/soak.sh

.PHONY: fuzz soak
