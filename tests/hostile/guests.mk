# SPDX-License-Identifier: GPL-2.0
# The hostile Launchers' test Guest (tests/guests/hostile-*.c), built with
# the flags of tests/guests/Makefile into $(OUT) (see tests/hostile/Makefile).
GUEST_DIR := ../guests
GUEST_CFLAGS := -m32 -ffreestanding -nostdlib -fno-pic -fno-pie -O2 -g \
	-Wall -Wextra -fno-stack-protector -fno-builtin -mno-sse -mno-mmx \
	-fno-asynchronous-unwind-tables -I../../include -I. \
	-DLGUEST_ABI_FREESTANDING
GUEST_LDFLAGS := -m32 -nostdlib -static -no-pie -Wl,-T,$(GUEST_DIR)/guest.lds \
	-Wl,--build-id=none -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments
GOBJ := $(OBJ)/guest

$(GOBJ)/%.o: $(GUEST_DIR)/%.c $(GUEST_DIR)/runtime.h hl_ctrl.h \
		../../include/lguest_abi.h
	@mkdir -p $(GOBJ)
	$(CC) $(GUEST_CFLAGS) -c -o $@ $<
$(GOBJ)/crt0.o: $(GUEST_DIR)/crt0.S $(GUEST_DIR)/lguest_note.S
	@mkdir -p $(GOBJ)
	$(CC) $(GUEST_CFLAGS) -c -o $@ $<
$(OUT)/hostile-%.elf: $(GOBJ)/hostile-%.o $(GOBJ)/runtime.o $(GOBJ)/crt0.o \
		$(GUEST_DIR)/guest.lds
	@mkdir -p $(OUT)
	$(CC) $(GUEST_LDFLAGS) -o $@ $(GOBJ)/crt0.o $(GOBJ)/runtime.o $<
