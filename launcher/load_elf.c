// SPDX-License-Identifier: GPL-2.0
/*L:300
 * Loading an ELF kernel.
 *
 * A vmlinux, or one of our freestanding test Guests, is a 32-bit x86 ELF
 * executable.  Its program headers say where each loadable segment goes
 * in physical memory (p_paddr) and where it is linked (p_vaddr); the
 * difference is the kernel's page_offset, and it must be the same for all
 * of them.  We copy each segment into Guest memory and zero the rest of
 * its memory size (the .bss).
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "launch.h"

void load_elf_kernel(struct guest *g, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	Elf32_Ehdr *eh;
	Elf32_Phdr *ph;
	size_t n, i;
	bool have_offset = false;
	Elf *elf;

	if (fd < 0)
		launch_die(EXIT_USAGE, "cannot open kernel '%s': %s", path,
			   strerror(errno));
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF)
		launch_die(EXIT_USAGE, "'%s' is not an ELF file", path);
	eh = elf32_getehdr(elf);
	if (!eh || eh->e_machine != EM_386 || eh->e_type != ET_EXEC)
		launch_die(EXIT_USAGE, "'%s' is not a 32-bit x86 executable",
			   path);
	ph = elf32_getphdr(elf);
	if (!ph || elf_getphdrnum(elf, &n))
		launch_die(EXIT_USAGE, "'%s' has no program headers", path);

	for (i = 0; i < n; i++) {
		unsigned long off;
		void *dst;

		if (ph[i].p_type != PT_LOAD)
			continue;
		off = ph[i].p_vaddr - ph[i].p_paddr;
		if (have_offset && off != g->page_offset)
			launch_die(EXIT_USAGE,
				   "'%s': segments disagree on page_offset",
				   path);
		g->page_offset = off;
		have_offset = true;
		if (ph[i].p_filesz > ph[i].p_memsz ||
		    !guest_range_ok(g, ph[i].p_paddr, ph[i].p_memsz) ||
		    ph[i].p_paddr + ph[i].p_memsz > g->mem_size / 2)
			launch_die(EXIT_USAGE,
				   "'%s': segment at %#x does not fit in memory",
				   path, ph[i].p_paddr);
		dst = guest_ptr(g, ph[i].p_paddr, ph[i].p_memsz);
		if (pread(fd, dst, ph[i].p_filesz, ph[i].p_offset) !=
		    (ssize_t)ph[i].p_filesz)
			launch_die(EXIT_USAGE, "'%s': short read", path);
		memset((char *)dst + ph[i].p_filesz, 0,
		       ph[i].p_memsz - ph[i].p_filesz);
	}
	if (!have_offset)
		launch_die(EXIT_USAGE, "'%s' has nothing to load", path);
	g->entry = eh->e_entry;
	if (g->verbose)
		fprintf(stderr, "lguest-launch: entry %#lx, page_offset %#lx\n",
			g->entry, g->page_offset);
	elf_end(elf);
	close(fd);
}
