// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for launcher/boot.c: the Guest memory plan (page tables,
 * initrd at the top of memory, what does not fit) and the boot_params
 * zero page as Linux 6.1's i386 boot protocol reads it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lguest_abi.h>
#include "boot.h"
#define UNIT_PREFIX "boot"
#include "unit_test.h"


static unsigned long get(const unsigned char *p, unsigned int bytes)
{
	unsigned long v = 0;

	while (bytes--)
		v = v << 8 | p[bytes];
	return v;
}

#define MB (1UL << 20)

int main(void)
{
	struct boot_layout l;
	unsigned char bp[BOOT_PAGE_SIZE];
	char err[256];
	int rc;

	/* Our Guest kernel: 16 MiB to about 21.5 MiB, in 64 MiB. */
	memset(&l, 0, sizeof(l));
	l.mem_size = 64 * MB;
	l.kernel_start = 16 * MB;
	l.kernel_end = 0x1587000;
	l.initrd_size = 1063929;
	rc = boot_plan(&l, err, sizeof(err));
	result(rc == 0, "plan-64mb", "rc %d: %s", rc, err);
	result(boot_pagetable_pages(64 * MB) == 17, "pagetable-pages",
	       "%lu pages for 64 MiB, want 16 tables + 1 directory",
	       boot_pagetable_pages(64 * MB));
	result(l.pgdir == 64 * MB - BOOT_PAGE_SIZE && l.pt_base == 64 * MB - 17 * BOOT_PAGE_SIZE,
	       "pagetables-at-top", "pgdir %#lx pt_base %#lx", l.pgdir, l.pt_base);
	result(l.initrd_addr % BOOT_PAGE_SIZE == 0 &&
	       l.initrd_addr + l.initrd_size <= l.pt_base &&
	       l.pt_base - (l.initrd_addr + l.initrd_size) < BOOT_PAGE_SIZE,
	       "initrd-at-top", "initrd at %#lx (+%lu), page tables at %#lx",
	       l.initrd_addr, l.initrd_size, l.pt_base);
	result(l.device_page == 64 * MB, "device-page",
	       "device page at %#lx", l.device_page);

	boot_fill_params(bp, &l, BOOT_CMDLINE_ADDR);
	result(bp[BP_E820_ENTRIES] == 1 &&
	       get(bp + BP_E820_TABLE, 8) == 0 &&
	       get(bp + BP_E820_TABLE + 8, 8) == 64 * MB &&
	       get(bp + BP_E820_TABLE + 16, 4) == E820_TYPE_RAM,
	       "e820", "entries %u: %#lx+%#lx type %lu", bp[BP_E820_ENTRIES],
	       get(bp + BP_E820_TABLE, 8), get(bp + BP_E820_TABLE + 8, 8),
	       get(bp + BP_E820_TABLE + 16, 4));
	result(get(bp + BP_E820_TABLE + BP_E820_ENTRY_SIZE + 8, 8) == 0,
	       "e820-one-entry", "a second entry has a size");
	result(!memcmp(bp + BP_HEADER, "HdrS", 4) &&
	       get(bp + BP_BOOT_FLAG, 2) == 0xAA55, "header-magic",
	       "no HdrS / 0xAA55");
	result(get(bp + BP_VERSION, 2) >= 0x207, "protocol-2.07",
	       "version %#lx: hardware_subarch needs 2.07", get(bp + BP_VERSION, 2));
	result(get(bp + BP_HARDWARE_SUBARCH, 4) == LGUEST_HARDWARE_SUBARCH,
	       "subarch-lguest", "hardware_subarch %lu",
	       get(bp + BP_HARDWARE_SUBARCH, 4));
	result(get(bp + BP_CMD_LINE_PTR, 4) == BOOT_CMDLINE_ADDR &&
	       get(bp + BP_CMDLINE_SIZE, 4) == BOOT_CMDLINE_MAX - 1,
	       "cmdline", "cmd_line_ptr %#lx size %lu",
	       get(bp + BP_CMD_LINE_PTR, 4), get(bp + BP_CMDLINE_SIZE, 4));
	result(get(bp + BP_RAMDISK_IMAGE, 4) == l.initrd_addr &&
	       get(bp + BP_RAMDISK_SIZE, 4) == l.initrd_size,
	       "ramdisk", "ramdisk %#lx+%lu", get(bp + BP_RAMDISK_IMAGE, 4),
	       get(bp + BP_RAMDISK_SIZE, 4));
	result(bp[BP_LOADFLAGS] & BOOT_LOADED_HIGH, "loadflags",
	       "LOADED_HIGH not set: %#x", bp[BP_LOADFLAGS]);
	result(bp[BP_SENTINEL] == 0, "sentinel",
	       "a set sentinel makes Linux wipe boot_params");
	result(get(bp + BP_CODE32_START, 4) == 16 * MB, "code32-start",
	       "code32_start %#lx", get(bp + BP_CODE32_START, 4));

	/* No initrd: the fields say so. */
	l.initrd_size = 0;
	rc = boot_plan(&l, err, sizeof(err));
	boot_fill_params(bp, &l, BOOT_CMDLINE_ADDR);
	result(rc == 0 && l.initrd_addr == 0 && get(bp + BP_RAMDISK_IMAGE, 4) == 0 &&
	       get(bp + BP_RAMDISK_SIZE, 4) == 0, "no-initrd",
	       "rc %d initrd %#lx", rc, l.initrd_addr);

	/* An initrd exactly filling the free space fits; one byte more does not. */
	l.initrd_size = l.pt_base - 0x1587000;
	rc = boot_plan(&l, err, sizeof(err));
	result(rc == 0 && l.initrd_addr == 0x1587000, "initrd-exact-fit",
	       "rc %d at %#lx: %s", rc, l.initrd_addr, err);
	l.initrd_size++;
	rc = boot_plan(&l, err, sizeof(err));
	result(rc == -1 && strstr(err, "initrd") && strstr(err, "does not fit"),
	       "initrd-too-big", "rc %d: '%s'", rc, err);

	/* An initrd bigger than all of memory. */
	l.initrd_size = 100 * MB;
	rc = boot_plan(&l, err, sizeof(err));
	result(rc == -1 && strstr(err, "initrd"), "initrd-bigger-than-memory",
	       "rc %d: '%s'", rc, err);

	/* The Guest kernel in 16 MiB: it does not fit at all. */
	l.mem_size = 16 * MB;
	l.initrd_size = 0;
	rc = boot_plan(&l, err, sizeof(err));
	result(rc == -1 && strstr(err, "kernel") && strstr(err, "more"),
	       "kernel-too-big", "rc %d: '%s'", rc, err);

	/* A kernel that would overwrite the boot parameters. */
	l.mem_size = 64 * MB;
	l.kernel_start = 0x1000;
	rc = boot_plan(&l, err, sizeof(err));
	result(rc == -1 && strstr(err, "boot parameters"), "kernel-too-low",
	       "rc %d: '%s'", rc, err);

	/* Test Guests: 1 MiB, 32 MiB of memory, no initrd. */
	l.mem_size = 32 * MB;
	l.kernel_start = MB;
	l.kernel_end = MB + 0x10000;
	rc = boot_plan(&l, err, sizeof(err));
	result(rc == 0 && l.pgdir == 32 * MB - BOOT_PAGE_SIZE, "test-guest",
	       "rc %d: %s", rc, err);

	/* The largest Guest: 2 GiB needs 512 page tables. */
	result(boot_pagetable_pages(2048 * MB) == 513, "pagetables-2g",
	       "%lu", boot_pagetable_pages(2048 * MB));
	return failures ? 1 : 0;
}
