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
#include <stdio.h>
#include <string.h>
#include <lguest_abi.h>
#include "boot.h"

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

static void put16(unsigned char *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static void put32(unsigned char *p, uint32_t v)
{
	put16(p, v);
	put16(p + 2, v >> 16);
}

static void put64(unsigned char *p, uint64_t v)
{
	put32(p, v);
	put32(p + 4, v >> 32);
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
void boot_fill_params(unsigned char *bp, const struct boot_layout *l,
		      unsigned long cmdline_addr)
{
	unsigned char *e820 = bp + BP_E820_TABLE;

	memset(bp, 0, BOOT_PAGE_SIZE);
	bp[BP_E820_ENTRIES] = 1;
	put64(e820, 0);
	put64(e820 + 8, l->mem_size);
	put32(e820 + 16, E820_TYPE_RAM);

	bp[BP_SETUP_SECTS] = 4;
	put16(bp + BP_BOOT_FLAG, 0xAA55);
	memcpy(bp + BP_HEADER, "HdrS", 4);
	put16(bp + BP_VERSION, BOOT_PROTOCOL);
	bp[BP_TYPE_OF_LOADER] = BOOT_LOADER_UNKNOWN;
	bp[BP_LOADFLAGS] = BOOT_LOADED_HIGH;
	put32(bp + BP_CODE32_START, l->kernel_start);
	put32(bp + BP_RAMDISK_IMAGE, l->initrd_addr);
	put32(bp + BP_RAMDISK_SIZE, l->initrd_addr ? l->initrd_size : 0);
	put32(bp + BP_CMD_LINE_PTR, cmdline_addr);
	put32(bp + BP_INITRD_ADDR_MAX, l->mem_size - 1);
	put32(bp + BP_CMDLINE_SIZE, BOOT_CMDLINE_MAX - 1);
	put32(bp + BP_HARDWARE_SUBARCH, LGUEST_HARDWARE_SUBARCH);
}
