// SPDX-License-Identifier: GPL-2.0
/*L:300
 * Loading the kernel.
 *
 * The user gives us a bzImage or a vmlinux; kernel_image.c finds the
 * 32-bit ELF kernel in either.  Before loading it we look for the lguest
 * ELF note: a kernel without it was built without lguest support and
 * would die on its first privileged instruction, so we refuse it with a
 * message that says so.
 *
 * The ELF program headers say where each loadable segment goes in
 * physical memory (p_paddr) and where it is linked (p_vaddr); the
 * difference is the kernel's page_offset, and it must be the same for all
 * of them.  We copy each segment into Guest memory and zero the rest of
 * its memory size (the .bss).
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <lguest_abi.h>
#include "launch.h"
#include "kernel_image.h"

static unsigned char *read_file(const char *what, const char *path,
				size_t max, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	unsigned char *buf;
	struct stat st;
	size_t done = 0;

	if (fd < 0 || fstat(fd, &st) < 0)
		launch_die(EXIT_USAGE, "cannot open %s '%s': %s", what, path,
			   strerror(errno));
	if ((size_t)st.st_size > max)
		launch_die(EXIT_USAGE, "%s '%s' is too big (%lld bytes)", what,
			   path, (long long)st.st_size);
	buf = malloc(st.st_size ? st.st_size : 1);
	if (!buf)
		launch_die(EXIT_GUEST_FAILED, "out of memory reading '%s'",
			   path);
	while (done < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + done, st.st_size - done);

		if (r <= 0)
			launch_die(EXIT_USAGE, "cannot read %s '%s': %s", what,
				   path, r ? strerror(errno) : "short read");
		done += r;
	}
	close(fd);
	*len = done;
	return buf;
}

static void load_segments(struct guest *g, const unsigned char *image,
			  size_t len, const char *path)
{
	Elf *elf = elf_memory((char *)image, len);
	Elf32_Ehdr *eh;
	Elf32_Phdr *ph;
	size_t n, i;
	bool have_offset = false;

	if (!elf || elf_kind(elf) != ELF_K_ELF)
		launch_die(EXIT_USAGE, "'%s' is not an ELF file", path);
	eh = elf32_getehdr(elf);
	if (!eh || eh->e_machine != EM_386 || eh->e_type != ET_EXEC)
		launch_die(EXIT_USAGE, "'%s' is not a 32-bit x86 executable",
			   path);
	ph = elf32_getphdr(elf);
	if (!ph || elf_getphdrnum(elf, &n))
		launch_die(EXIT_USAGE, "'%s' has no program headers", path);

	g->layout.kernel_start = ~0UL;
	g->layout.kernel_end = 0;
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
		    ph[i].p_offset > len || ph[i].p_filesz > len - ph[i].p_offset)
			launch_die(EXIT_USAGE, "'%s': segment at %#x is corrupt",
				   path, ph[i].p_paddr);
		if ((unsigned long)ph[i].p_paddr + ph[i].p_memsz > g->mem_size)
			launch_die(EXIT_USAGE,
				   "the kernel (loaded up to %lu MB) does not fit in %lu MB of memory: give the Guest more",
				   (((unsigned long)ph[i].p_paddr + ph[i].p_memsz) >> 20) + 1,
				   g->mem_size >> 20);
		dst = guest_ptr(g, ph[i].p_paddr, ph[i].p_memsz);
		memcpy(dst, image + ph[i].p_offset, ph[i].p_filesz);
		memset((char *)dst + ph[i].p_filesz, 0,
		       ph[i].p_memsz - ph[i].p_filesz);
		if (ph[i].p_paddr < g->layout.kernel_start)
			g->layout.kernel_start = ph[i].p_paddr;
		if (ph[i].p_paddr + ph[i].p_memsz > g->layout.kernel_end)
			g->layout.kernel_end = ph[i].p_paddr + ph[i].p_memsz;
	}
	if (!have_offset)
		launch_die(EXIT_USAGE, "'%s' has nothing to load", path);
	g->entry = eh->e_entry;
	if (g->verbose)
		fprintf(stderr,
			"lguest-launch: kernel at %#lx-%#lx, entry %#lx, page_offset %#lx\n",
			g->layout.kernel_start, g->layout.kernel_end, g->entry,
			g->page_offset);
	elf_end(elf);
}

void load_kernel(struct guest *g, const char *path)
{
	unsigned char *file, *elf;
	size_t len, elf_len;
	char err[256];
	long abi;

	file = read_file("kernel image", path, KERNEL_IMAGE_MAX, &len);
	if (kernel_image_elf(file, len, &elf, &elf_len, err, sizeof(err)))
		launch_die(EXIT_USAGE, "'%s': %s", path, err);
	abi = kernel_lguest_abi(elf, elf_len);
	if (abi < 0)
		launch_die(EXIT_USAGE, "'%s': the kernel's ELF headers are corrupt",
			   path);
	if (abi == 0)
		launch_die(EXIT_USAGE,
			   "'%s': kernel built without lguest support (no lguest ELF note; enable CONFIG_LGUEST_GUEST)",
			   path);
	if (abi != LGUEST_ABI_VERSION)
		launch_die(EXIT_USAGE,
			   "'%s': kernel speaks lguest ABI %ld, this Launcher speaks %d",
			   path, abi, LGUEST_ABI_VERSION);
	load_segments(g, elf, elf_len, path);
	if (elf != file)
		free(elf);
	free(file);
}
