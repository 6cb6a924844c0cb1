// SPDX-License-Identifier: GPL-2.0
/*L:230
 * The Guest's memory map, from the bottom up:
 *
 *	0		boot_params, the "zero page" Linux reads first
 *	0x1000		the kernel command line
 *	...		the kernel, where its ELF headers say (16 MiB for
 *			our Guest kernel, 1 MiB for the test Guests)
 *	...		free memory
 *	top - ...	the initrd, at the top of memory as boot loaders
 *			put it, page aligned
 *	top - ...	the initial page tables, one per 4 MiB, then the
 *			page directory in the last page of memory
 *	top		the device descriptor page, just past the end of RAM
 *
 * The memory map the Guest sees is one E820 RAM region covering all of
 * it: the page tables are only used until the Guest switches to its own,
 * which it does before it allocates anything, and Linux keeps the initrd
 * and itself out of its allocator.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <asm/bootparam.h>
#include <lguest_abi.h>
#include "boot.h"

/*
 * We fill in boot_params through the kernel's own struct (its UAPI header,
 * from linux-libc-dev).  The Guest is a 32-bit kernel and we are a 64-bit
 * program, but the struct is packed and made of fixed-size fields, so it
 * is laid out the same for both: these check it against the offsets the
 * boot protocol documents, which boot.h keeps for the unit tests.
 */
#define BOOT_PARAM_AT(field, offset)					\
	_Static_assert(offsetof(struct boot_params, field) == (offset),	\
		       "boot_params." #field " is not at " #offset)
BOOT_PARAM_AT(e820_entries, BP_E820_ENTRIES);
BOOT_PARAM_AT(sentinel, BP_SENTINEL);
BOOT_PARAM_AT(hdr.setup_sects, BP_SETUP_SECTS);
BOOT_PARAM_AT(hdr.boot_flag, BP_BOOT_FLAG);
BOOT_PARAM_AT(hdr.header, BP_HEADER);
BOOT_PARAM_AT(hdr.version, BP_VERSION);
BOOT_PARAM_AT(hdr.type_of_loader, BP_TYPE_OF_LOADER);
BOOT_PARAM_AT(hdr.loadflags, BP_LOADFLAGS);
BOOT_PARAM_AT(hdr.code32_start, BP_CODE32_START);
BOOT_PARAM_AT(hdr.ramdisk_image, BP_RAMDISK_IMAGE);
BOOT_PARAM_AT(hdr.ramdisk_size, BP_RAMDISK_SIZE);
BOOT_PARAM_AT(hdr.cmd_line_ptr, BP_CMD_LINE_PTR);
BOOT_PARAM_AT(hdr.initrd_addr_max, BP_INITRD_ADDR_MAX);
BOOT_PARAM_AT(hdr.cmdline_size, BP_CMDLINE_SIZE);
BOOT_PARAM_AT(hdr.hardware_subarch, BP_HARDWARE_SUBARCH);
BOOT_PARAM_AT(e820_table, BP_E820_TABLE);
_Static_assert(sizeof(struct boot_params) == BOOT_PAGE_SIZE,
	       "boot_params is not one page");
_Static_assert(sizeof(struct boot_e820_entry) == BP_E820_ENTRY_SIZE &&
	       E820_MAX_ENTRIES_ZEROPAGE == BP_E820_MAX,
	       "boot_params.e820_table is not 128 20-byte entries");
_Static_assert(LOADED_HIGH == BOOT_LOADED_HIGH, "LOADED_HIGH is not 1");

static unsigned long page_down(unsigned long x)
{
	return x & ~(BOOT_PAGE_SIZE - 1);
}

static unsigned long page_up(unsigned long x)
{
	return page_down(x + BOOT_PAGE_SIZE - 1);
}

unsigned long boot_pagetable_pages(unsigned long mem_size)
{
	unsigned long pages = mem_size / BOOT_PAGE_SIZE;

	return (pages + 1023) / 1024 + 1;
}

int boot_plan(struct boot_layout *l, char *err, size_t errlen)
{
	unsigned long mb = l->mem_size >> 20;
	unsigned long kend = page_up(l->kernel_end);

	err[0] = '\0';
	l->pt_base = l->mem_size - boot_pagetable_pages(l->mem_size) *
		     BOOT_PAGE_SIZE;
	l->pgdir = l->mem_size - BOOT_PAGE_SIZE;
	l->device_page = l->mem_size;
	l->initrd_addr = 0;

	if (l->kernel_start < BOOT_LOW_END) {
		snprintf(err, errlen,
			 "the kernel wants to load at %#lx, below %#lx where the boot parameters live",
			 l->kernel_start, BOOT_LOW_END);
		return -1;
	}
	if (kend > l->pt_base) {
		snprintf(err, errlen,
			 "the kernel (loaded up to %lu MB) does not fit in %lu MB of memory: give the Guest more",
			 (kend + (1UL << 20) - 1) >> 20, mb);
		return -1;
	}
	if (!l->initrd_size)
		return 0;
	if (l->initrd_size > l->pt_base - kend) {
		snprintf(err, errlen,
			 "the initrd (%lu KB) does not fit in %lu MB of Guest memory above the kernel (%lu KB free)",
			 (l->initrd_size + 1023) >> 10, mb,
			 (l->pt_base - kend) >> 10);
		return -1;
	}
	l->initrd_addr = page_down(l->pt_base - l->initrd_size);
	return 0;
}

/*L:240
 * boot_params as a 32-bit boot loader leaves it for Linux: the setup
 * header says we speak boot protocol 2.15 (anything from 2.07 has the
 * hardware_subarch field, which is how startup_32 knows it is an lguest
 * Guest before it tries a single privileged instruction), where the
 * command line and the initrd are, and that the kernel was loaded high.
 * The E820 map is one region of RAM.  Everything else is zero, which the
 * kernel reads as "nothing here" (no video, no APM, no EDD, no EFI).
 */
void boot_fill_params(unsigned char *page, const struct boot_layout *l,
		      unsigned long cmdline_addr)
{
	struct boot_params *bp = (struct boot_params *)page;
	struct setup_header *hdr = &bp->hdr;

	memset(bp, 0, sizeof(*bp));
	bp->e820_entries = 1;
	bp->e820_table[0].addr = 0;
	bp->e820_table[0].size = l->mem_size;
	bp->e820_table[0].type = E820_TYPE_RAM;

	hdr->setup_sects = 4;
	hdr->boot_flag = 0xAA55;
	memcpy(&hdr->header, "HdrS", 4);
	hdr->version = BOOT_PROTOCOL;
	hdr->type_of_loader = BOOT_LOADER_UNKNOWN;
	hdr->loadflags = LOADED_HIGH;
	hdr->code32_start = l->kernel_start;
	hdr->ramdisk_image = l->initrd_addr;
	hdr->ramdisk_size = l->initrd_addr ? l->initrd_size : 0;
	hdr->cmd_line_ptr = cmdline_addr;
	hdr->initrd_addr_max = l->mem_size - 1;
	hdr->cmdline_size = BOOT_CMDLINE_MAX - 1;
	hdr->hardware_subarch = LGUEST_HARDWARE_SUBARCH;
}
