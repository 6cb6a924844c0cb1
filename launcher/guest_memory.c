// SPDX-License-Identifier: GPL-2.0
/*L:200
 * The Guest's memory.
 *
 * To the Host, the Guest's "physical" memory is simply part of the
 * Launcher's address space: one anonymous mapping, whose first byte is
 * Guest-physical address 0.  Above the ordinary memory is one more page,
 * where the device descriptors will live; the Guest may use it, but it is
 * not RAM.
 *
 * Guest-physical 0 holds the "zero page" a Linux Guest expects to find its
 * boot parameters in (Launcher-filled), the command line follows it, and
 * the kernel is loaded where its ELF headers ask.  The initial page tables
 * go at the very top of ordinary memory.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include "launch.h"
#include <lguest_abi.h>

bool guest_range_ok(const struct guest *g, unsigned long gpa,
		    unsigned long len)
{
	unsigned long top = g->pfn_limit * GUEST_PAGE_SIZE;

	return gpa <= top && len <= top - gpa;
}

void *guest_ptr(const struct guest *g, unsigned long gpa, unsigned long len)
{
	if (!guest_range_ok(g, gpa, len))
		launch_die(EXIT_GUEST_FAILED,
			   "Guest address %#lx (+%lu) is outside its memory",
			   gpa, len);
	return g->mem + gpa;
}

void map_guest_memory(struct guest *g, unsigned long mem_mb)
{
	unsigned long bytes;

	g->mem_size = mem_mb << 20;
	g->pfn_limit = g->mem_size / GUEST_PAGE_SIZE + 1;
	bytes = g->pfn_limit * GUEST_PAGE_SIZE;
	g->mem = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (g->mem == MAP_FAILED)
		launch_die(EXIT_GUEST_FAILED,
			   "cannot map %lu MB of Guest memory: %s", mem_mb,
			   strerror(errno));
}

/*L:210
 * The boot parameters: for now the two fields every Guest needs, the
 * command line and the "you are an lguest" subarchitecture.  The Linux
 * Guest's loader fills in the rest.
 */
void setup_boot_params(struct guest *g, const char *cmdline)
{
	unsigned char *bp = guest_ptr(g, GUEST_BOOT_PARAMS, GUEST_PAGE_SIZE);
	uint32_t ptr = GUEST_CMDLINE, subarch = LGUEST_HARDWARE_SUBARCH;
	size_t len = strlen(cmdline) + 1;

	memcpy(guest_ptr(g, GUEST_CMDLINE, len), cmdline, len);
	memcpy(bp + BP_CMD_LINE_PTR, &ptr, sizeof(ptr));
	memcpy(bp + BP_HARDWARE_SUBARCH, &subarch, sizeof(subarch));
}

/*L:220
 * The initial page tables map all ordinary memory twice: at virtual 0,
 * so the Guest can start where its code physically is, and at
 * page_offset, where the kernel is linked.  They are plain two-level
 * 32-bit tables, one page table per 4 MiB, and sit at the top of memory
 * with the page directory last.  Every page is present, writable and
 * user-accessible; the Guest replaces these tables soon anyway.
 */
void setup_pagetables(struct guest *g)
{
	unsigned long pages = g->mem_size / GUEST_PAGE_SIZE;
	unsigned long ptes = (pages + 1023) / 1024, i;
	unsigned long pt_base = g->mem_size - (ptes + 1) * GUEST_PAGE_SIZE;
	uint32_t *pt = guest_ptr(g, pt_base, ptes * GUEST_PAGE_SIZE);
	uint32_t *pgdir;
	unsigned long first = g->page_offset >> 22;

	g->pgdir = g->mem_size - GUEST_PAGE_SIZE;
	pgdir = guest_ptr(g, g->pgdir, GUEST_PAGE_SIZE);
	memset(pgdir, 0, GUEST_PAGE_SIZE);
	for (i = 0; i < pages; i++)
		pt[i] = (i * GUEST_PAGE_SIZE) | 7;
	for (; i < ptes * 1024; i++)
		pt[i] = 0;
	for (i = 0; i < ptes; i++) {
		uint32_t pde = (pt_base + i * GUEST_PAGE_SIZE) | 7;

		pgdir[i] = pde;
		if (first + i < 1024)
			pgdir[first + i] = pde;
	}
}
