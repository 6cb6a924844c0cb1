// SPDX-License-Identifier: GPL-2.0
/*L:200
 * The Guest's memory.
 *
 * To the Host, the Guest's "physical" memory is simply part of the
 * Launcher's address space: one anonymous mapping, whose first byte is
 * Guest-physical address 0.  Above the ordinary memory are the page of
 * device descriptors and the devices' own pages (devices.c); the Guest
 * may use them, but they are not RAM.  boot.c decides where everything
 * goes; this file puts it there.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include "launch.h"
#include "devices.h"
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
	g->layout.mem_size = g->mem_size;
	g->pfn_limit = g->mem_size / GUEST_PAGE_SIZE + 1;
	/* Room for the devices' pages too; new_device() raises pfn_limit. */
	bytes = (g->pfn_limit + DEVICE_PAGES_MAX) * GUEST_PAGE_SIZE;
	g->mem = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (g->mem == MAP_FAILED)
		launch_die(EXIT_GUEST_FAILED,
			   "cannot map %lu MB of Guest memory: %s", mem_mb,
			   strerror(errno));
}

/*L:205
 * With the kernel loaded we know what is left: boot_plan() puts the page
 * tables and the initrd at the top, or tells us why they do not fit.
 */
void plan_guest_memory(struct guest *g, const char *initrd)
{
	char err[256];
	struct stat st;

	if (initrd) {
		if (stat(initrd, &st) < 0)
			launch_die(EXIT_USAGE, "cannot stat initrd '%s': %s",
				   initrd, strerror(errno));
		if (st.st_size == 0)
			launch_die(EXIT_USAGE, "initrd '%s' is empty", initrd);
		g->layout.initrd_size = st.st_size;
	}
	if (boot_plan(&g->layout, err, sizeof(err)))
		launch_die(EXIT_USAGE, "%s", err);
	g->pgdir = g->layout.pgdir;
}

void load_initrd(struct guest *g, const char *path)
{
	unsigned long len = g->layout.initrd_size, done = 0;
	unsigned char *dst = guest_ptr(g, g->layout.initrd_addr, len);
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		launch_die(EXIT_USAGE, "cannot open initrd '%s': %s", path,
			   strerror(errno));
	while (done < len) {
		ssize_t r = read(fd, dst + done, len - done);

		if (r <= 0)
			launch_die(EXIT_USAGE, "cannot read initrd '%s': %s",
				   path, r ? strerror(errno) : "short read");
		done += r;
	}
	close(fd);
	if (g->verbose)
		fprintf(stderr, "lguest-launch: initrd %lu bytes at %#lx\n",
			len, g->layout.initrd_addr);
}

/*L:210
 * The boot parameters Linux expects from a 32-bit boot loader, with the
 * command line just after them.
 */
void setup_boot_params(struct guest *g, const char *cmdline)
{
	size_t len = strlen(cmdline) + 1;

	memcpy(guest_ptr(g, GUEST_CMDLINE, len), cmdline, len);
	boot_fill_params(guest_ptr(g, GUEST_BOOT_PARAMS, GUEST_PAGE_SIZE),
			 &g->layout, GUEST_CMDLINE);
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
	unsigned long ptes = boot_pagetable_pages(g->mem_size) - 1, i;
	unsigned long pt_base = g->layout.pt_base;
	uint32_t *pt = guest_ptr(g, pt_base, ptes * GUEST_PAGE_SIZE);
	uint32_t *pgdir;
	unsigned long first = g->page_offset >> 22;

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
