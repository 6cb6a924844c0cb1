# SPDX-License-Identifier: GPL-2.0
# The fuzzer Guest (fuzz.c), built with the rules of Makefile:
#	make -C tests/guests -f Makefile -f fuzz.mk fuzz-guest
# (or add "fuzz" to GUESTS in Makefile, which then builds it with the rest).
fuzz-guest: $(OUT)/fuzz.elf

.PHONY: fuzz-guest
