// SPDX-License-Identifier: GPL-2.0
/*
 * hl-requests DIR: every request with its arguments at their boundaries,
 * malformed writes, requests to a dead Guest, and reads with odd buffers.
 * Each must fail with the documented errno (include/lguest_abi.h,
 * host-module/lguest_user.c) or succeed, and never hurt the Host.  DIR
 * holds the test Guest.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "hostile.h"

#define PAGES		64UL
#define KERNEL_ADDR	0xffffffff81000000ULL
#define NONCANONICAL	0x8000000000000000ULL

static unsigned char *mem;

/* LHREQ_STATS into @buf, claiming @len bytes: what write() said, or -errno. */
static long stats_req(int fd, const void *buf, uint64_t len)
{
	uint64_t w[3] = { LHREQ_STATS, (uintptr_t)buf, len };

	return hl_write(fd, w, 3);
}

/* Every entry ended in one exit: true when the counts say so. */
static bool stats_exact(const struct lguest_stats *st)
{
	uint64_t exits = st->exit_syscall + st->exit_host_irq +
			 st->exit_switcher_fault;
	unsigned int i;

	for (i = 0; i < LGUEST_STATS_TRAPS; i++)
		exits += st->exit_trap[i];
	return st->switches == exits &&
	       st->hcall_traps == st->exit_trap[LGUEST_TRAP_ENTRY];
}

/* INITIALIZE on a new file with these words; the file is closed again. */
static long init_once(uint64_t base, uint64_t pfns, uint64_t pgdir,
		      uint64_t start, uint64_t page_offset)
{
	uint64_t w[6] = { LHREQ_INITIALIZE, base, pfns, pgdir, start,
			  page_offset };
	int fd = hl_open();
	long r = hl_write(fd, w, 6);

	close(fd);
	return r < 0 ? r : 0;
}

#define GOOD_BASE	((uintptr_t)mem)
#define GOOD_PGDIR	((PAGES - 1) * HL_PAGE)

static void initialize_bounds(void)
{
	uint64_t s = 0xC0100000ULL, po = 0xC0000000ULL;

	hl_expect("init-good", init_once(GOOD_BASE, PAGES, GOOD_PGDIR, s, po), 0);
	hl_expect("init-base-kernel", init_once(KERNEL_ADDR, PAGES, 0, s, po),
		  -EINVAL);
	hl_expect("init-base-noncanonical",
		  init_once(NONCANONICAL, PAGES, 0, s, po), -EINVAL);
	hl_expect("init-base-unaligned", init_once(GOOD_BASE + 8, PAGES, 0, s, po),
		  -EINVAL);
	/* Memory running past the top of user space (5-level paging's too). */
	hl_expect("init-base-top-of-user",
		  init_once(0x00ffffffffffe000ULL, 2, 0, s, po), -EINVAL);
	hl_expect("init-base-wraps", init_once(0xfffffffffffff000ULL, 2, 0, s, po),
		  -EINVAL);
	hl_expect("init-pfnlimit-0", init_once(GOOD_BASE, 0, 0, s, po), -EINVAL);
	hl_expect("init-pfnlimit-1", init_once(GOOD_BASE, 1, 0, s, po), 0);
	hl_expect("init-pfnlimit-2^20", init_once(GOOD_BASE, 1ULL << 20, 0, s, po),
		  0);
	hl_expect("init-pfnlimit-2^20+1",
		  init_once(GOOD_BASE, (1ULL << 20) + 1, 0, s, po), -EINVAL);
	hl_expect("init-pfnlimit-2^63", init_once(GOOD_BASE, 1ULL << 63, 0, s, po),
		  -EINVAL);
	hl_expect("init-pfnlimit-2^52",
		  init_once(GOOD_BASE, 1ULL << 52, 0, s, po), -EINVAL);
	hl_expect("init-pgdir-last-page",
		  init_once(GOOD_BASE, PAGES, GOOD_PGDIR, s, po), 0);
	hl_expect("init-pgdir-beyond-memory",
		  init_once(GOOD_BASE, PAGES, PAGES * HL_PAGE, s, po), -EINVAL);
	hl_expect("init-pgdir-unaligned",
		  init_once(GOOD_BASE, PAGES, 0x804, s, po), -EINVAL);
	hl_expect("init-pgdir-2^32", init_once(GOOD_BASE, PAGES, 1ULL << 32, s, po),
		  -EINVAL);
	hl_expect("init-pgdir-kernel-addr",
		  init_once(GOOD_BASE, PAGES, KERNEL_ADDR, s, po), -EINVAL);
	hl_expect("init-start-2^32", init_once(GOOD_BASE, PAGES, 0, 1ULL << 32, po),
		  -EINVAL);
	hl_expect("init-start-max", init_once(GOOD_BASE, PAGES, 0, 0xffffffffULL,
					      po), 0);
	hl_expect("init-page-offset-unaligned",
		  init_once(GOOD_BASE, PAGES, 0, s, po + 8), -EINVAL);
	hl_expect("init-page-offset-2^32",
		  init_once(GOOD_BASE, PAGES, 0, s, 1ULL << 32), -EINVAL);
	hl_expect("init-page-offset-0", init_once(GOOD_BASE, PAGES, 0, s, 0), 0);
}

/* Malformed writes: lengths, request numbers, buffers. */
static void malformed(void)
{
	static uint64_t big[(1 << 20) / 8];
	int fd = hl_open(), n, bad = 0;
	uint64_t w[8] = { 0 };
	char name[64];
	void *ro;
	long r;

	for (n = 1; n <= 7; n++) {
		r = write(fd, w, n) < 0 ? -errno : 0;
		if (r != -EINVAL) {
			snprintf(name, sizeof(name), "write-%d-bytes", n);
			hl_expect(name, r, -EINVAL);
			bad++;
		}
	}
	if (!bad)
		hl_pass("write-1..7-bytes");
	hl_expect("write-0-bytes", write(fd, w, 0) < 0 ? -errno : 0, -EINVAL);
	hl_expect("write-9-bytes", write(fd, w, 9) < 0 ? -errno : 0, -EINVAL);
	big[0] = LHREQ_INITIALIZE;
	hl_expect("write-1MiB-initialize", hl_write(fd, big, sizeof(big) / 8),
		  -EINVAL);
	big[0] = LHREQ_IRQ;
	hl_expect("write-1MiB-irq", hl_write(fd, big, sizeof(big) / 8), -EINVAL);
	w[0] = LHREQ_STATS + 1;
	hl_expect("request-5", hl_write(fd, w, 2), -EINVAL);
	hl_expect("request-5-3-words", hl_write(fd, w, 3), -EINVAL);
	w[0] = 1ULL << 63;
	hl_expect("request-2^63", hl_write(fd, w, 2), -EINVAL);
	w[0] = ~0ULL;
	hl_expect("request-all-ones", hl_write(fd, w, 6), -EINVAL);
	w[0] = LHREQ_INITIALIZE;
	hl_expect("initialize-5-words", hl_write(fd, w, 5), -EINVAL);
	hl_expect("initialize-7-words", hl_write(fd, w, 7), -EINVAL);
	w[0] = LHREQ_GETDMA;
	hl_expect("getdma-3-words", hl_write(fd, w, 3), -EINVAL);
	hl_expect("write-unmapped-buffer",
		  write(fd, (void *)0x1000, 16) < 0 ? -errno : 0, -EFAULT);
	hl_expect("write-kernel-buffer",
		  write(fd, (void *)KERNEL_ADDR, 16) < 0 ? -errno : 0, -EFAULT);
	/* A request word that is readable, arguments that are not. */
	ro = mmap(NULL, 2 * HL_PAGE, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap((char *)ro + HL_PAGE, HL_PAGE);
	*(uint64_t *)((char *)ro + HL_PAGE - 8) = LHREQ_INITIALIZE;
	hl_expect("write-args-unmapped",
		  write(fd, (char *)ro + HL_PAGE - 8, 48) < 0 ? -errno : 0,
		  -EFAULT);
	munmap(ro, HL_PAGE);
	/* Nothing before INITIALIZE. */
	hl_expect("getdma-before-init", hl_req2(fd, LHREQ_GETDMA, 0), -EINVAL);
	hl_expect("irq-before-init", hl_req2(fd, LHREQ_IRQ, 0), -EINVAL);
	hl_expect("break-before-init", hl_req2(fd, LHREQ_BREAK, 0), -EINVAL);
	hl_expect("stats-before-init", stats_req(fd, big, sizeof(struct lguest_stats)),
		  -EINVAL);
	hl_expect("read-before-init", hl_read(fd, w, 8), -EINVAL);
	close(fd);
}

/* A Guest whose page directory is empty dies at its first instruction. */
static int dying_guest(void)
{
	uint64_t w[6] = { LHREQ_INITIALIZE, GOOD_BASE, PAGES, 0, 0xC0100000ULL,
			  0xC0000000ULL };
	int fd = hl_open();

	memset(mem, 0, PAGES * HL_PAGE);
	hl_expect("init-dying-guest", hl_write(fd, w, 6), 48);
	return fd;
}

struct breaker {
	_Atomic long r;
	_Atomic bool done;
	int fd;
};

static void *break_thread(void *arg)
{
	struct breaker *b = arg;

	b->r = hl_req2(b->fd, LHREQ_BREAK, 1);
	b->done = true;
	return NULL;
}

/*
 * LHREQ_BREAK 1 waits for BREAK 0; on a dead Guest it must return at once.
 * Returns how long it took (ms), or -1 if BREAK 0 had to release it.
 */
static long break_one(int fd, long *r)
{
	struct breaker b = { .fd = fd };
	long start = hl_ms(), took;
	pthread_t t;

	pthread_create(&t, NULL, break_thread, &b);
	while (!b.done && hl_ms() - start < 2000)
		hl_nap(5);
	took = b.done ? hl_ms() - start : -1;
	while (!b.done && hl_ms() - start < 10000) {
		hl_req2(fd, LHREQ_BREAK, 0);
		hl_nap(5);
	}
	if (b.done)
		pthread_join(t, NULL);
	*r = b.r;
	return took;
}

/*
 * LHREQ_STATS with every length and buffer a hostile Launcher could give
 * it: lengths below the size field or above LGUEST_STATS_MAX are EINVAL,
 * buffers it cannot write EFAULT, and the rest copy what fits.
 */
static void stats_misuse(int fd)
{
	static struct {
		struct lguest_stats st;
		uint64_t canary;
	} b;
	uint64_t w[4] = { LHREQ_STATS, (uintptr_t)&b, sizeof(b.st), 0 };
	const long full = sizeof(b.st);
	char *page, *big;
	void *ro;

	hl_expect("stats-length-0", stats_req(fd, &b, 0), -EINVAL);
	hl_expect("stats-length-3", stats_req(fd, &b, 3), -EINVAL);
	hl_expect("stats-length-7", stats_req(fd, &b, 7), -EINVAL);
	memset(&b, 0x55, sizeof(b));
	hl_expect("stats-length-8", stats_req(fd, &b, 8), 8);
	hl_expect("stats-length-8-size", b.st.size, full);
	if (b.st.switches != 0x5555555555555555ULL)
		hl_fail("stats-length-8-stops", "wrote past the 8 bytes asked");
	hl_expect("stats-length-full", stats_req(fd, &b, full), full);
	hl_expect("stats-length-more", stats_req(fd, &b, sizeof(b)), full);
	if (b.canary != 0x5555555555555555ULL)
		hl_fail("stats-length-more-stops", "wrote past the struct");
	big = calloc(1, LGUEST_STATS_MAX + 1);
	hl_expect("stats-length-max", stats_req(fd, big, LGUEST_STATS_MAX), full);
	hl_expect("stats-length-max+1",
		  stats_req(fd, big, LGUEST_STATS_MAX + 1), -EINVAL);
	free(big);
	hl_expect("stats-length-2^32", stats_req(fd, &b, 1ULL << 32), -EINVAL);
	hl_expect("stats-length-2^63", stats_req(fd, &b, 1ULL << 63), -EINVAL);
	hl_expect("stats-length-all-ones", stats_req(fd, &b, ~0ULL), -EINVAL);
	hl_expect("stats-kernel-addr", stats_req(fd, (void *)KERNEL_ADDR, full),
		  -EFAULT);
	hl_expect("stats-noncanonical",
		  stats_req(fd, (void *)NONCANONICAL, full), -EFAULT);
	hl_expect("stats-null", stats_req(fd, NULL, full), -EFAULT);
	hl_expect("stats-unmapped", stats_req(fd, (void *)0x1000, full),
		  -EFAULT);
	hl_expect("stats-top-of-user",
		  stats_req(fd, (void *)0x00007ffffffffff8ULL, full), -EFAULT);
	ro = mmap(NULL, HL_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	hl_expect("stats-readonly", stats_req(fd, ro, full), -EFAULT);
	munmap(ro, HL_PAGE);
	/* The size field fits before the hole, the rest does not. */
	page = mmap(NULL, 2 * HL_PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(page + HL_PAGE, HL_PAGE);
	hl_expect("stats-straddles-hole", stats_req(fd, page + HL_PAGE - 8, full),
		  -EFAULT);
	hl_expect("stats-before-hole", stats_req(fd, page + HL_PAGE - 8, 8), 8);
	munmap(page, HL_PAGE);
	hl_expect("stats-2-words", hl_write(fd, w, 2), -EINVAL);
	hl_expect("stats-4-words", hl_write(fd, w, 4), -EINVAL);
}

/* Another process holding the file is not the Launcher (H:105). */
static void stats_from_child(int fd)
{
	struct lguest_stats st;
	pid_t pid = fork();
	int status;

	if (!pid)
		_exit(stats_req(fd, &st, sizeof(st)) == -EPERM ? 0 : 1);
	waitpid(pid, &status, 0);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		hl_pass("stats-from-child-eperm");
	else
		hl_fail("stats-from-child-eperm", "a fork()ed child got the stats");
}

/* A dead Guest's counts: still there, and exact. */
static void stats_dead(int fd)
{
	struct lguest_stats st;
	long r;

	memset(&st, 0, sizeof(st));
	r = stats_req(fd, &st, sizeof(st));
	if (r == sizeof(st) && st.size == sizeof(st) && st.switches >= 1 &&
	    stats_exact(&st))
		hl_pass("stats-dead-guest");
	else
		hl_fail("stats-dead-guest",
			"%s, size %llu, switches %llu, exits by vector 14: %llu",
			hl_err(r), (unsigned long long)st.size,
			(unsigned long long)st.switches,
			(unsigned long long)st.exit_trap[14]);
	stats_misuse(fd);
	stats_from_child(fd);
}

static void after_death(void)
{
	uint64_t again[6] = { LHREQ_INITIALIZE, GOOD_BASE, PAGES, 0, 0, 0 };
	int fd = dying_guest();
	char buf[LGUEST_REASON_MAX], one[1];
	long r, took;
	void *ro;

	hl_expect("initialize-again", hl_write(fd, again, 6), -EBUSY);
	hl_expect("getdma-key-2^32", hl_req2(fd, LHREQ_GETDMA, 1ULL << 32),
		  -EINVAL);
	hl_expect("getdma-unbound-key", hl_req2(fd, LHREQ_GETDMA, 0x1000),
		  -ENOENT);
	hl_expect("irq-31", hl_req2(fd, LHREQ_IRQ, 31), 16);
	hl_expect("irq-32", hl_req2(fd, LHREQ_IRQ, 32), -EINVAL);
	hl_expect("irq-2^63", hl_req2(fd, LHREQ_IRQ, 1ULL << 63), -EINVAL);
	hl_expect("break-0", hl_req2(fd, LHREQ_BREAK, 0), 16);

	hl_expect("dead-first-read-enoent", hl_read(fd, buf, sizeof(buf)), -ENOENT);
	memset(buf, 0x55, sizeof(buf));
	r = hl_read(fd, buf, sizeof(buf));
	if (r > 1 && r <= LGUEST_REASON_MAX && buf[r - 1] == 0 &&
	    strlen(buf) == (size_t)r - 1)
		printf("PASS dead-reason: %s\n", buf);
	else
		hl_fail("dead-reason", "read gave %s", hl_err(r));
	hl_expect("dead-reason-again", hl_read(fd, buf, sizeof(buf)), r);
	hl_expect("dead-read-size-0", hl_read(fd, buf, 0), 0);
	one[0] = 0x55;
	hl_expect("dead-read-size-1", hl_read(fd, one, 1), 1);
	if (r > 1 && one[0] != buf[0])
		hl_fail("dead-read-size-1-text", "got %#x, want %#x", one[0],
			buf[0]);
	hl_expect("dead-read-unmapped", hl_read(fd, (void *)0x1000, 64), -EFAULT);
	hl_expect("dead-read-kernel", hl_read(fd, (void *)KERNEL_ADDR, 64),
		  -EFAULT);
	ro = mmap(NULL, HL_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	hl_expect("dead-read-readonly", hl_read(fd, ro, 64), -EFAULT);
	munmap(ro, HL_PAGE);
	hl_expect("dead-irq", hl_req2(fd, LHREQ_IRQ, 1), 16);
	hl_expect("dead-break-0", hl_req2(fd, LHREQ_BREAK, 0), 16);
	hl_expect("dead-getdma", hl_req2(fd, LHREQ_GETDMA, 0), -ENOENT);
	took = break_one(fd, &r);
	if (took >= 0 && r == 16)
		hl_pass("dead-break-1-returns");
	else
		hl_fail("dead-break-1-returns",
			took < 0 ? "blocked until BREAK 0 (%s)" : "returned %s",
			hl_err(r));
	hl_expect("dead-initialize", hl_write(fd, again, 6), -EBUSY);
	stats_dead(fd);
	close(fd);
}

/*
 * Between two reads nobody runs the Guest, so its counts are exact: it
 * made LGUEST_INIT once, and the DMA our read() just returned was one
 * the Host handed to the Launcher.
 */
static void stats_between_reads(int fd)
{
	struct lguest_stats st;
	long r;

	memset(&st, 0, sizeof(st));
	r = stats_req(fd, &st, sizeof(st));
	if (r == sizeof(st) && stats_exact(&st) && st.switches > 0 &&
	    st.hcalls[LHCALL_LGUEST_INIT] == 1 && st.dma_launcher >= 1 &&
	    st.hcalls[LHCALL_SEND_DMA] >= st.dma_launcher + st.dma_host)
		hl_pass("stats-between-reads");
	else
		hl_fail("stats-between-reads",
			"%s, switches %llu, LGUEST_INIT %llu, dma-launcher %llu, SEND_DMA %llu",
			hl_err(r), (unsigned long long)st.switches,
			(unsigned long long)st.hcalls[LHCALL_LGUEST_INIT],
			(unsigned long long)st.dma_launcher,
			(unsigned long long)st.hcalls[LHCALL_SEND_DMA]);
}

/* Reads of a running Guest with odd buffers: the DMA must not be lost. */
static void odd_reads(const char *dir)
{
	struct hl_guest g;
	struct lguest_pending p;
	long r;
	void *ro;

	if (hl_guest_load(&g, dir, "hello")) {
		hl_fail("odd-reads", "cannot load %s/%s", dir, HL_GUEST_ELF);
		return;
	}
	hl_expect("odd-reads-init", hl_guest_init(&g), 0);
	hl_expect("read-size-0-pending", hl_read(g.fd, &p, 0), -EINVAL);
	hl_expect("read-size-1-pending", hl_read(g.fd, &p, 1), -EINVAL);
	hl_expect("read-unmapped-pending", hl_read(g.fd, (void *)0x1000, 8),
		  -EFAULT);
	ro = mmap(NULL, HL_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	hl_expect("read-readonly-pending", hl_read(g.fd, ro, 8), -EFAULT);
	munmap(ro, HL_PAGE);
	r = hl_step(&g);
	if (!r && strstr(g.console, "hostile-guest: hello"))
		hl_pass("pending-dma-kept");
	else
		hl_fail("pending-dma-kept", "read %s, console '%s'", hl_err(r),
			g.console);
	stats_between_reads(g.fd);
	if (!hl_run_to_death(&g, 10000) && !strcmp(g.reason, "Power down"))
		hl_pass("odd-reads-poweroff");
	else
		hl_fail("odd-reads-poweroff", "%s", g.reason);
	hl_guest_free(&g);
}

/* Guest memory over our own stack: the Guest dies, we and the Host live. */
static void stack_overlap(void)
{
	pid_t pid = fork();
	int status;

	if (!pid) {
		char here[64];
		uintptr_t base = ((uintptr_t)here & ~(HL_PAGE - 1)) - 4 * HL_PAGE;
		uint64_t w[6] = { LHREQ_INITIALIZE, base, 8, 7 * HL_PAGE,
				  0xC0100000ULL, 0xC0000000ULL };
		int fd = hl_open(), i;
		long r = hl_write(fd, w, 6);

		if (r < 0)
			_exit(r == -EINVAL ? 0 : 10);
		for (i = 0; i < 100; i++) {
			r = hl_read(fd, here, sizeof(here));
			if (r == -ENOENT)
				_exit(0);
			if (r != sizeof(struct lguest_pending) && r != -EINTR)
				_exit(11);
		}
		_exit(12);
	}
	waitpid(pid, &status, 0);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		hl_pass("init-base-on-stack");
	else if (WIFSIGNALED(status))
		printf("PASS init-base-on-stack: the Launcher killed itself (signal %d)\n",
		       WTERMSIG(status));
	else
		hl_fail("init-base-on-stack", "child exit %d (10 init refused oddly, 11 bad read, 12 Guest never died)",
			WEXITSTATUS(status));
}

int main(int argc, char *argv[])
{
	hl_timeout(120, "hl-requests");
	mem = mmap(NULL, PAGES * HL_PAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	malformed();
	initialize_bounds();
	after_death();
	odd_reads(argc > 1 ? argv[1] : ".");
	stack_overlap();
	return hl_failed ? 1 : 0;
}
