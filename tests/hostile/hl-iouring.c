// SPDX-License-Identifier: GPL-2.0
/*
 * hl-iouring DIR: a read() of /dev/lguest submitted through io_uring (raw
 * system calls, no liburing).  The file cannot do non-blocking reads, so
 * io_uring hands the read to one of its worker threads: a thread that
 * shares the Launcher's memory but is not the Launcher.  The read must
 * complete with -EPERM and never run the Guest: afterwards the Launcher's
 * own first read() still gets the Guest's first console line.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <linux/io_uring.h>
#include "hostile.h"

struct ring {
	int fd;
	struct io_uring_params p;
	unsigned char *sq, *cq;
	struct io_uring_sqe *sqes;
};

static int ring_setup(struct ring *r)
{
	memset(r, 0, sizeof(*r));
	r->fd = syscall(__NR_io_uring_setup, 4, &r->p);
	if (r->fd < 0)
		return -errno;
	r->sq = mmap(NULL, r->p.sq_off.array + r->p.sq_entries * 4,
		     PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd,
		     IORING_OFF_SQ_RING);
	r->cq = mmap(NULL, r->p.cq_off.cqes +
		     r->p.cq_entries * sizeof(struct io_uring_cqe),
		     PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd,
		     IORING_OFF_CQ_RING);
	r->sqes = mmap(NULL, r->p.sq_entries * sizeof(struct io_uring_sqe),
		       PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd,
		       IORING_OFF_SQES);
	if (r->sq == MAP_FAILED || r->cq == MAP_FAILED || r->sqes == MAP_FAILED)
		return -ENOMEM;
	return 0;
}

static long ring_read(struct ring *r, int fd, void *buf, unsigned int len,
		      long ms)
{
	unsigned int *sq_tail = (void *)(r->sq + r->p.sq_off.tail);
	unsigned int *sq_mask = (void *)(r->sq + r->p.sq_off.ring_mask);
	unsigned int *sq_array = (void *)(r->sq + r->p.sq_off.array);
	unsigned int *cq_head = (void *)(r->cq + r->p.cq_off.head);
	unsigned int *cq_tail = (void *)(r->cq + r->p.cq_off.tail);
	unsigned int *cq_mask = (void *)(r->cq + r->p.cq_off.ring_mask);
	struct io_uring_cqe *cqes = (void *)(r->cq + r->p.cq_off.cqes);
	unsigned int tail = *sq_tail, idx = tail & *sq_mask, head;
	struct io_uring_sqe *sqe = &r->sqes[idx];
	long end = hl_ms() + ms, res;

	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_READ;
	sqe->fd = fd;
	sqe->addr = (uintptr_t)buf;
	sqe->len = len;
	sqe->off = -1;		/* the file's position: a stream */
	sqe->user_data = 42;
	sq_array[idx] = idx;
	__atomic_store_n(sq_tail, tail + 1, __ATOMIC_RELEASE);
	if (syscall(__NR_io_uring_enter, r->fd, 1, 0, 0, NULL, 0) != 1)
		return -100000 - errno;
	for (;;) {
		head = *cq_head;
		if (head != __atomic_load_n(cq_tail, __ATOMIC_ACQUIRE))
			break;
		if (hl_ms() >= end)
			return -200000;
		hl_nap(5);
	}
	res = cqes[head & *cq_mask].res;
	__atomic_store_n(cq_head, head + 1, __ATOMIC_RELEASE);
	return res;
}

int main(int argc, char *argv[])
{
	const char *dir = argc > 1 ? argv[1] : ".";
	struct lguest_pending p;
	struct hl_guest g;
	struct ring r;
	long res;
	int err;

	hl_timeout(60, "hl-iouring");
	if (hl_guest_load(&g, dir, "hello")) {
		hl_fail("iouring-load", "cannot load %s/%s", dir, HL_GUEST_ELF);
		return 1;
	}
	hl_expect("iouring-init", hl_guest_init(&g), 0);
	err = ring_setup(&r);
	if (err) {
		hl_skip("iouring-read", "io_uring_setup: %s", strerror(-err));
		return 0;
	}
	res = ring_read(&r, g.fd, &p, sizeof(p), 10000);
	if (res == -200000)
		hl_fail("iouring-read-eperm", "no completion in 10s");
	else if (res <= -100000)
		hl_fail("iouring-read-eperm", "io_uring_enter: %s",
			strerror(-100000 - res));
	else if (res == sizeof(p))
		hl_fail("iouring-read-eperm",
			"the io_uring worker ran the Guest (got its DMA to key %#x)",
			p.key);
	else
		hl_expect("iouring-read-eperm", res, -EPERM);
	/* The Guest's first output is still ours. */
	res = hl_step(&g);
	if (!res && strstr(g.console, "hostile-guest: hello"))
		hl_pass("iouring-guest-not-run");
	else
		hl_fail("iouring-guest-not-run",
			"our first read() %s, console '%s', reason '%s'",
			hl_err(res), g.console, g.reason);
	/* And one more through io_uring after the Guest has run. */
	res = ring_read(&r, g.fd, &p, sizeof(p), 10000);
	hl_expect("iouring-read-eperm-again", res, -EPERM);
	if (!hl_run_to_death(&g, 20000) && !strcmp(g.reason, "Power down"))
		hl_pass("iouring-guest-poweroff");
	else
		hl_fail("iouring-guest-poweroff", "%s", g.reason);
	close(r.fd);
	hl_guest_free(&g);
	return hl_failed ? 1 : 0;
}
