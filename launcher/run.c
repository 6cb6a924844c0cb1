// SPDX-License-Identifier: GPL-2.0
/*L:400
 * Running the Guest.
 *
 * We tell the Host about the Guest with LHREQ_INITIALIZE, then read()
 * /dev/lguest over and over.  Each read runs the Guest until it needs us:
 * it returns a struct lguest_pending when the Guest sent DMA to a key no
 * other Guest was listening on (a device's), fails with EAGAIN when our
 * waker thread wants us to look at input, and fails with
 * ENOENT once the Guest has died, after which one more read gives the
 * reason.  A Guest that powers off dies with the reason "Power down".
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "launch.h"
#include "devices.h"
#include <lguest_abi.h>

#define POWER_DOWN_REASON	"Power down"

static void tell_host(struct guest *g)
{
	uint64_t args[] = {
		LHREQ_INITIALIZE,
		(uintptr_t)g->mem,
		g->pfn_limit,
		g->pgdir,
		g->entry,
		g->page_offset,
	};

	if (write(g->lguest_fd, args, sizeof(args)) < 0)
		launch_die(EXIT_GUEST_FAILED, "LHREQ_INITIALIZE failed: %s",
			   strerror(errno));
	stats_guest_ready(g->lguest_fd);
}

/*L:450
 * The waker.  While the Guest runs (or sleeps in HALT) inside our read(),
 * nobody is watching the devices' input: the terminal, tap devices.  So a
 * second thread does: when one is readable it writes LHREQ_BREAK 1, which
 * makes the running read() return EAGAIN and holds the waker until the
 * main thread, having served the input, writes LHREQ_BREAK 0.  A stalled
 * device (its input waits for the Guest to free a buffer) is not watched;
 * while one exists the waker knocks every 10 ms instead.
 */
static void *waker(void *arg)
{
	struct guest *g = arg;
	uint64_t brk[2] = { LHREQ_BREAK, 1 };
	struct pollfd fds[LGUEST_MAX_DEVICES];

	for (;;) {
		bool stalled = false;
		unsigned int n = 0;
		struct device *dev;

		for (dev = first_device(); dev; dev = dev->next) {
			int fd = __atomic_load_n(&dev->input_fd,
						 __ATOMIC_RELAXED);

			if (atomic_load(&dev->stalled)) {
				stalled = true;
			} else if (fd >= 0 && n < ARRAY_SIZE(fds)) {
				fds[n].fd = fd;
				fds[n].events = POLLIN;
				n++;
			}
		}
		if (!n && !stalled)
			return NULL;	/* nothing left to watch */
		if (poll(fds, n, stalled ? 10 : 100) <= 0 && !stalled)
			continue;
		if (write(g->lguest_fd, brk, sizeof(brk)) < 0 && errno != EINTR)
			return NULL;
	}
}

static void release_waker(struct guest *g)
{
	uint64_t brk[2] = { LHREQ_BREAK, 0 };

	if (write(g->lguest_fd, brk, sizeof(brk)) < 0)
		launch_die(EXIT_GUEST_FAILED, "LHREQ_BREAK failed: %s",
			   strerror(errno));
}

/* The waker knocked: serve every device with input waiting. */
static void handle_input(struct guest *g)
{
	struct device *dev;

	for (dev = first_device(); dev; dev = dev->next) {
		struct pollfd p = { .fd = dev->input_fd, .events = POLLIN };

		if (!dev->kind->handle_input)
			continue;
		if (atomic_load(&dev->stalled) ||
		    (p.fd >= 0 && poll(&p, 1, 0) > 0))
			dev->kind->handle_input(g, dev);
	}
}

/*L:410
 * The Guest sent DMA that no other Guest took: whichever device watches
 * that key handles it, and what it returns goes into the buffer's
 * used_len.  The buffer's addresses come from the Guest, so each is
 * checked against its memory; a bad one ends the Guest.  DMA to a key
 * nobody watches (a network peer that has gone, say) is simply not used.
 */
static void handle_output(struct guest *g, const struct lguest_pending *p)
{
	struct iovec iov[LGUEST_MAX_DMA_SECTIONS];
	struct lguest_dma *dma;
	struct device *dev;
	int num;

	if (!guest_range_ok(g, p->dma, sizeof(*dma)))
		launch_die(EXIT_GUEST_FAILED,
			   "Guest died: DMA buffer %#x is outside its memory",
			   p->dma);
	dma = (struct lguest_dma *)(g->mem + p->dma);
	for (dev = first_device(); dev; dev = dev->next) {
		if (!dev->kind->handle_output || dev->watch_key != p->key)
			continue;
		num = dma_to_iov(g, dma, iov);
		if (num < 0)
			launch_die(EXIT_GUEST_FAILED,
				   "Guest died: DMA to %s reaches outside its memory",
				   dev->name);
		dma->used_len = dev->kind->handle_output(g, dev, iov, num);
		return;
	}
	if (g->verbose)
		fprintf(stderr, "lguest-launch: DMA to unknown key %#x\n",
			p->key);
	dma->used_len = 0;
}

/*L:430
 * The Guest's FPU and SSE registers are ours: the Host runs the Guest on
 * this thread's user FPU state.  But between two runs our own code uses
 * them too (the compiler copies structures through SSE registers, the C
 * library's memcpy() does the same), which would change them under a
 * Guest program that was in the middle of using them.  So we save them
 * the moment the Guest stops and load them back just before it runs
 * again.  The Guest sees no more than x87 and SSE (its CPUID says so),
 * which is exactly what FXSAVE keeps.
 */
struct fxsave_area {
	uint8_t area[512];
} __attribute__((aligned(16)));

static struct fxsave_area guest_fpu, launcher_fpu;

/*
 * Our own state goes back afterwards too: the Guest may have changed the
 * control words (rounding, which exceptions trap) that our code runs by.
 */
static ssize_t run_once(struct guest *g, void *buf, size_t len)
{
	ssize_t r;

	asm volatile("fxsave64 %0" : "=m"(launcher_fpu));
	asm volatile("fxrstor64 %0" : : "m"(guest_fpu));
	r = read(g->lguest_fd, buf, len);
	asm volatile("fxsave64 %0" : "=m"(guest_fpu));
	asm volatile("fxrstor64 %0" : : "m"(launcher_fpu));
	return r;
}

int run_guest(struct guest *g)
{
	char reason[LGUEST_REASON_MAX];
	pthread_t waker_thread;

	tell_host(g);
	/* The Guest starts with the state we have now: nothing pending. */
	asm volatile("fxsave64 %0" : "=m"(guest_fpu));
	if (pthread_create(&waker_thread, NULL, waker, g))
		launch_die(EXIT_GUEST_FAILED, "cannot start the waker thread");
	for (;;) {
		struct lguest_pending p;
		ssize_t r = run_once(g, &p, sizeof(p));

		if (r == sizeof(p)) {
			handle_output(g, &p);
			continue;
		}
		if (r >= 0)
			launch_die(EXIT_GUEST_FAILED,
				   "unexpected read of %zd bytes", r);
		if (errno == EAGAIN) {
			handle_input(g);
			release_waker(g);
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno != ENOENT)
			launch_die(EXIT_GUEST_FAILED, "running Guest: %s",
				   strerror(errno));
		break;
	}

	/*L:420
	 * The Guest is dead.  The read() that found it so failed with ENOENT
	 * (H:130); the next one returns the Host's reason, a string.  A Guest
	 * that powered itself off gave "Power down" as its reason, and we exit
	 * with EXIT_GUEST_POWEROFF (0).  Any other reason means it crashed or
	 * was killed: we print the reason and exit with EXIT_GUEST_FAILED.
	 */
	memset(reason, 0, sizeof(reason));
	if (read(g->lguest_fd, reason, sizeof(reason) - 1) < 0)
		launch_die(EXIT_GUEST_FAILED, "Guest died: reason unknown (%s)",
			   strerror(errno));
	fflush(stdout);
	if (strcmp(reason, POWER_DOWN_REASON) == 0)
		return EXIT_GUEST_POWEROFF;
	launch_die(EXIT_GUEST_FAILED, "Guest died: %s", reason);
}
