// SPDX-License-Identifier: GPL-2.0
/*
 * minilaunch.c - the smallest Launcher that boots the hostile test Guest:
 * anonymous Guest memory, the ELF loaded where its headers say, boot
 * parameters with a command line, boot page tables mapping all memory at
 * 0 and at page_offset (as launcher/guest_memory.c does), INITIALIZE, and
 * read() in a loop that serves the console.  The attacks then do to this
 * Launcher's memory and file what a malicious one would.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include "hostile.h"

#define BOOT_CMDLINE	0x1000U
#define BP_E820_ENTRIES	0x1E8
#define BP_CMD_LINE_PTR	0x228
#define BP_E820_TABLE	0x2D0

_Atomic uint32_t *hl_word(struct hl_guest *g, uint32_t gpa)
{
	return (_Atomic uint32_t *)(g->mem + gpa);
}

static int load_elf(struct hl_guest *g, const char *path)
{
	static unsigned char file[1 << 20];
	const Elf32_Ehdr *eh = (const void *)file;
	const Elf32_Phdr *ph;
	int fd = open(path, O_RDONLY), i;
	ssize_t len;

	if (fd < 0)
		return -errno;
	len = read(fd, file, sizeof(file));
	close(fd);
	if (len < (ssize_t)sizeof(*eh) || memcmp(file, ELFMAG, SELFMAG) ||
	    eh->e_machine != EM_386 ||
	    eh->e_phoff + eh->e_phnum * sizeof(*ph) > (size_t)len)
		return -ENOEXEC;
	ph = (const void *)(file + eh->e_phoff);
	for (i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		if (ph[i].p_offset + ph[i].p_filesz > (size_t)len ||
		    ph[i].p_paddr + ph[i].p_memsz > g->mem_size)
			return -ENOEXEC;
		g->page_offset = ph[i].p_vaddr - ph[i].p_paddr;
		memcpy(g->mem + ph[i].p_paddr, file + ph[i].p_offset,
		       ph[i].p_filesz);
	}
	g->entry = eh->e_entry;
	return 0;
}

static void setup_pagetables(struct hl_guest *g)
{
	unsigned long pages = g->mem_size / HL_PAGE, ptes = pages / 1024, i;
	unsigned long pt_base = g->mem_size - (ptes + 1) * HL_PAGE;
	uint32_t *pt = (uint32_t *)(g->mem + pt_base);
	uint32_t *pgdir = (uint32_t *)(g->mem + g->pgdir);

	for (i = 0; i < pages; i++)
		pt[i] = (i * HL_PAGE) | 7;
	for (i = 0; i < ptes; i++) {
		pgdir[i] = (pt_base + i * HL_PAGE) | 7;
		pgdir[(g->page_offset >> 22) + i] = pgdir[i];
	}
}

int hl_guest_load(struct hl_guest *g, const char *dir, const char *cmdline)
{
	char path[512];
	unsigned char *bp;
	int err;

	memset(g, 0, sizeof(*g));
	g->fd = -1;
	pthread_mutex_init(&g->lock, NULL);
	g->mem_size = HL_MEM_MB << 20;
	g->pfn_limit = g->mem_size / HL_PAGE;
	g->pgdir = g->mem_size - HL_PAGE;
	g->mem = mmap(NULL, g->mem_size + HL_PAGE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (g->mem == MAP_FAILED)
		return -errno;
	/* Small pages only: the attacks change one page at a time. */
	madvise(g->mem, g->mem_size + HL_PAGE, MADV_NOHUGEPAGE);
	snprintf(path, sizeof(path), "%s/%s", dir, HL_GUEST_ELF);
	err = load_elf(g, path);
	if (err)
		return err;
	bp = g->mem;
	bp[BP_E820_ENTRIES] = 1;
	*(uint64_t *)(bp + BP_E820_TABLE + 8) = g->mem_size;
	*(uint32_t *)(bp + BP_E820_TABLE + 16) = 1;
	*(uint32_t *)(bp + BP_CMD_LINE_PTR) = BOOT_CMDLINE;
	snprintf((char *)g->mem + BOOT_CMDLINE, 256, "%s", cmdline);
	setup_pagetables(g);
	return 0;
}

void hl_init_words(const struct hl_guest *g, uint64_t w[6])
{
	w[0] = LHREQ_INITIALIZE;
	w[1] = (uintptr_t)g->mem;
	w[2] = g->pfn_limit;
	w[3] = g->pgdir;
	w[4] = g->entry;
	w[5] = g->page_offset;
}

long hl_guest_init(struct hl_guest *g)
{
	uint64_t w[6];
	long r;

	if (g->fd < 0)
		g->fd = hl_open();
	hl_init_words(g, w);
	r = hl_write(g->fd, w, 6);
	return r < 0 ? r : 0;
}

/* A DMA the Guest sent: the console's we keep, anything else we refuse. */
static void serve_dma(struct hl_guest *g, const struct lguest_pending *p)
{
	struct lguest_dma *dma;
	uint32_t total = 0;
	int i;

	if (p->dma > g->mem_size - sizeof(*dma))
		return;
	dma = (struct lguest_dma *)(g->mem + p->dma);
	if (p->key != LGUEST_CONSOLE_DMA_KEY) {
		g->last_key = p->key;
		dma->used_len = 0;
		return;
	}
	pthread_mutex_lock(&g->lock);
	for (i = 0; i < LGUEST_MAX_DMA_SECTIONS && dma->len[i]; i++) {
		uint32_t n = dma->len[i];

		if (dma->addr[i] > g->mem_size || n > g->mem_size - dma->addr[i])
			break;
		if (n > sizeof(g->console) - 1 - g->console_len)
			n = sizeof(g->console) - 1 - g->console_len;
		memcpy(g->console + g->console_len, g->mem + dma->addr[i], n);
		g->console_len += n;
		total += dma->len[i];
	}
	g->console[g->console_len] = 0;
	pthread_mutex_unlock(&g->lock);
	dma->used_len = total;
}

long hl_step(struct hl_guest *g)
{
	struct lguest_pending p;
	long r = hl_read(g->fd, &p, sizeof(p));

	g->reads++;
	if (r == sizeof(p)) {
		g->pendings++;
		serve_dma(g, &p);
		return 0;
	}
	if (r == -ENOENT) {
		memset(g->reason, 0, sizeof(g->reason));
		if (hl_read(g->fd, g->reason, sizeof(g->reason) - 1) < 0)
			strcpy(g->reason, "(no reason given)");
	}
	if (r == -EINTR)
		g->eintr++;
	return r < 0 ? r : -EIO;
}

int hl_run_to_death(struct hl_guest *g, long ms)
{
	long end = hl_ms() + ms, r;

	while (hl_ms() < end) {
		r = hl_step(g);
		if (r == -ENOENT)
			return 0;
		if (r && r != -EINTR && r != -EAGAIN) {
			snprintf(g->reason, sizeof(g->reason),
				 "read() failed: %s", hl_err(r));
			return -1;
		}
	}
	return -1;
}

static void *runner(void *arg)
{
	struct hl_guest *g = arg;
	long r;

	for (;;) {
		r = hl_step(g);
		if (!r || r == -EAGAIN || (r == -EINTR && !g->stop))
			continue;
		/* Another thread's read() has the Guest for a moment. */
		if (r == -EBUSY && !g->stop) {
			hl_nap(1);
			continue;
		}
		g->end = r;
		break;
	}
	g->running = false;
	return NULL;
}

static void on_usr2(int sig)
{
	(void)sig;
}

void hl_run_start(struct hl_guest *g)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr2;	/* no SA_RESTART: read() fails EINTR */
	sigaction(SIGUSR2, &sa, NULL);
	g->stop = false;
	g->end = 0;
	g->running = true;
	if (pthread_create(&g->runner, NULL, runner, g)) {
		g->running = false;
		g->end = -EAGAIN;
	}
}

bool hl_run_stop(struct hl_guest *g, long ms)
{
	long end = hl_ms() + ms;

	g->stop = true;
	while (g->running && hl_ms() < end) {
		pthread_kill(g->runner, SIGUSR2);
		hl_nap(5);
	}
	if (g->running)
		return false;
	pthread_join(g->runner, NULL);
	return true;
}

bool hl_console_wait(struct hl_guest *g, const char *text, long ms)
{
	long end = hl_ms() + ms;
	bool found;

	for (;;) {
		pthread_mutex_lock(&g->lock);
		found = strstr(g->console, text) != NULL;
		pthread_mutex_unlock(&g->lock);
		if (found || hl_ms() >= end)
			return found;
		hl_nap(5);
	}
}

bool hl_cmd(struct hl_guest *g, uint32_t op, uint32_t a0, uint32_t a1,
	    uint32_t a2, long ms, uint32_t *result)
{
	struct hl_ctrl *c = (void *)hl_word(g, HL_CTRL_PA);
	long end = hl_ms() + ms;
	uint32_t cmd = (++g->seq << 8) | op;

	c->arg[0] = a0;
	c->arg[1] = a1;
	c->arg[2] = a2;
	__atomic_store_n(&c->cmd, cmd, __ATOMIC_RELEASE);
	while (__atomic_load_n(&c->ack, __ATOMIC_ACQUIRE) != cmd) {
		if (hl_ms() >= end)
			return false;
		hl_nap(2);
	}
	if (result)
		*result = c->result;
	return true;
}

bool hl_out_wait(struct hl_guest *g, uint32_t want, long ms)
{
	_Atomic uint32_t *out = hl_word(g, HL_OUT_PA);
	long end = hl_ms() + ms;
	bool seen = false;
	uint32_t n, n0 = 0;

	for (;;) {
		/* OUT[1] first: the Guest writes it before it counts. */
		if (out[1] == want) {
			n = out[0];
			if (seen && n != n0)
				return true;
			if (!seen)
				n0 = n;
			seen = true;
		} else {
			seen = false;
		}
		if (hl_ms() >= end)
			return false;
		hl_nap(2);
	}
}

void hl_guest_free(struct hl_guest *g)
{
	if (g->running)
		hl_run_stop(g, 2000);
	if (g->fd >= 0)
		close(g->fd);
	g->fd = -1;
	munmap(g->mem, g->mem_size + HL_PAGE);
}

bool hl_guest_start_shared(struct hl_guest *g, const char *dir, int shared,
			   const char *name, long ms)
{
	if (hl_guest_load(g, dir, "mirror")) {
		hl_fail(name, "cannot load %s/%s", dir, HL_GUEST_ELF);
		return false;
	}
	if (mmap(g->mem + HL_KEY_PA, HL_PAGE, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_FIXED, shared, 0) == MAP_FAILED ||
	    hl_guest_init(g)) {
		hl_fail(name, "cannot start the Guest");
		return false;
	}
	hl_run_start(g);
	if (!hl_console_wait(g, "hostile-guest: ready", ms)) {
		hl_fail(name, "the Guest never said ready");
		return false;
	}
	return true;
}
