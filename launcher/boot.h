/* SPDX-License-Identifier: GPL-2.0 */
/*
 * boot.h - where everything goes in a new Guest's memory, and the Linux
 * boot parameters ("zero page") that describe it.  Pure logic on numbers
 * and buffers, so the unit tests in tests/unit/ drive it directly.
 */
#ifndef _LGUEST_BOOT_H
#define _LGUEST_BOOT_H

#include <stddef.h>
#include <stdint.h>

#define BOOT_PAGE_SIZE		4096UL
/* Guest-physical 0 holds boot_params; the command line follows it. */
#define BOOT_PARAMS_ADDR	0x0UL
#define BOOT_CMDLINE_ADDR	0x1000UL
#define BOOT_CMDLINE_MAX	2048UL
/* Nothing may be loaded below this: it is ours. */
#define BOOT_LOW_END		(BOOT_CMDLINE_ADDR + BOOT_CMDLINE_MAX)

/*
 * The boot protocol's offsets in struct boot_params (Linux's
 * Documentation/arch/x86/boot.rst).  boot.c fills in the kernel's own struct
 * (asm/bootparam.h) and checks its layout against these; the unit tests
 * read the page by them.
 */
#define BP_E820_ENTRIES		0x1E8	/* u8 */
#define BP_SENTINEL		0x1EF	/* u8: must stay 0 */
#define BP_SETUP_SECTS		0x1F1	/* u8 */
#define BP_BOOT_FLAG		0x1FE	/* u16: 0xAA55 */
#define BP_HEADER		0x202	/* "HdrS" */
#define BP_VERSION		0x206	/* u16 */
#define BP_TYPE_OF_LOADER	0x210	/* u8 */
#define BP_LOADFLAGS		0x211	/* u8 */
#define BP_CODE32_START		0x214	/* u32 */
#define BP_RAMDISK_IMAGE	0x218	/* u32 */
#define BP_RAMDISK_SIZE		0x21C	/* u32 */
#define BP_CMD_LINE_PTR		0x228	/* u32 */
#define BP_INITRD_ADDR_MAX	0x22C	/* u32 */
#define BP_CMDLINE_SIZE		0x238	/* u32 */
#define BP_HARDWARE_SUBARCH	0x23C	/* u32 */
#define BP_E820_TABLE		0x2D0	/* struct boot_e820_entry[128] */
#define BP_E820_MAX		128
#define BP_E820_ENTRY_SIZE	20

/* What we speak: boot protocol 2.15, the one Linux 6.1 defines. */
#define BOOT_PROTOCOL		0x020F
#define BOOT_LOADER_UNKNOWN	0xFF
#define BOOT_LOADED_HIGH	0x01
#define E820_TYPE_RAM		1

/*
 * The Guest's memory map.  The Launcher fills in the inputs (memory size,
 * where the kernel's segments lie, the initrd's size); boot_plan() works
 * out the rest.
 */
struct boot_layout {
	/* Inputs. */
	unsigned long mem_size;		/* bytes of ordinary memory */
	unsigned long kernel_start;	/* lowest physical byte loaded */
	unsigned long kernel_end;	/* one past the highest */
	unsigned long initrd_size;	/* 0: no initrd */
	/* Outputs. */
	unsigned long pt_base;		/* first initial page table */
	unsigned long pgdir;		/* initial page directory */
	unsigned long initrd_addr;	/* 0 if no initrd */
	unsigned long device_page;	/* the device descriptors */
};

/*
 * boot_plan - place the initial page tables and the initrd.  Returns 0,
 * or -1 with a one-line reason in @err if the kernel or the initrd do not
 * fit.
 */
int boot_plan(struct boot_layout *l, char *err, size_t errlen);

/* Initial page tables (one per 4 MiB) and the directory: how many pages. */
unsigned long boot_pagetable_pages(unsigned long mem_size);

/*
 * boot_fill_params - write Linux's boot_params for @l into @bp (one page,
 * which it clears first), with the command line at @cmdline_addr.
 */
void boot_fill_params(unsigned char *bp, const struct boot_layout *l,
		      unsigned long cmdline_addr);

#endif /* _LGUEST_BOOT_H */
