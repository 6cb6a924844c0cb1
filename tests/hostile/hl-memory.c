// SPDX-License-Identifier: GPL-2.0
/*
 * hl-memory DIR: the Launcher changes Guest memory under a running Guest.
 * The Guest copies IN[0] to OUT[1] in a loop; each attack changes the page
 * holding IN (or its backing) and checks what the Guest sees next.  The
 * Host must never keep a stale page mapped: after MADV_DONTNEED the Guest
 * reads zeros; after fork() and a write that breaks copy-on-write it reads
 * the parent's new data (and the child's copy is untouched by the Guest's
 * writes); after mremap() it reads the page now there; memory that is gone
 * (munmap, PROT_NONE, a truncated shared file) kills the Guest with a
 * reason.  And a Guest whose DMA reads memory registered with
 * userfaultfd, never served, blocks only its own Launcher.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/userfaultfd.h>
#include "hostile.h"

#define M1	0x11111111U
#define M2	0x22222222U
#define WAIT_MS	10000

static const char *dir;

static uint32_t *in_page(struct hl_guest *g)
{
	return (uint32_t *)(g->mem + HL_IN_PA);
}

/* A running mirror Guest that has read M1 from IN. */
static bool mirror(struct hl_guest *g, const char *name, int shared_fd)
{
	if (hl_guest_load(g, dir, "mirror")) {
		hl_fail(name, "cannot load %s/%s", dir, HL_GUEST_ELF);
		return false;
	}
	if (shared_fd >= 0 &&
	    mmap(g->mem + HL_IN_PA, HL_PAGE, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_FIXED, shared_fd, 0) == MAP_FAILED) {
		hl_fail(name, "mmap of the shared file: %s", strerror(errno));
		return false;
	}
	in_page(g)[0] = M1;
	if (hl_guest_init(g)) {
		hl_fail(name, "INITIALIZE failed");
		return false;
	}
	hl_run_start(g);
	if (!hl_out_wait(g, M1, 20000)) {
		hl_fail(name, "the Guest never read IN (%s)",
			g->running ? "running" : g->reason);
		return false;
	}
	return true;
}

static void sees(struct hl_guest *g, const char *name, uint32_t want,
		 const char *what)
{
	_Atomic uint32_t *out = hl_word(g, HL_OUT_PA);

	if (hl_out_wait(g, want, WAIT_MS))
		hl_pass(name);
	else
		hl_fail(name, "the Guest reads %#x, want %#x (%s)%s%s", out[1],
			want, what, g->running ? "" : "; it died: ",
			g->running ? "" : g->reason);
}

/* The Guest must die, for a reason, and the Launcher hear of it. */
static void dies(struct hl_guest *g, const char *name, const char *what)
{
	long end = hl_ms() + WAIT_MS;
	_Atomic uint32_t *out = hl_word(g, HL_OUT_PA);

	while (g->running && hl_ms() < end)
		hl_nap(5);
	if (g->running)
		hl_fail(name, "the Guest still runs %ds after %s (it reads %#x)",
			WAIT_MS / 1000, what, out[1]);
	else if (g->end == -ENOENT && g->reason[0])
		printf("PASS %s: %s\n", name, g->reason);
	else
		hl_fail(name, "read() ended %s, reason '%s'", hl_err(g->end),
			g->reason);
}

static void finish(struct hl_guest *g, const char *name)
{
	char n[64];

	if (g->running) {
		snprintf(n, sizeof(n), "%s-poweroff", name);
		hl_cmd(g, HL_OP_POWER, 0, 0, 0, 0, NULL);
		for (long end = hl_ms() + WAIT_MS; g->running && hl_ms() < end;)
			hl_nap(5);
		if (!g->running && !strcmp(g->reason, "Power down"))
			hl_pass(n);
		else
			hl_fail(n, "runner %s, reason '%s'",
				g->running ? "still running" : hl_err(g->end),
				g->reason);
	}
	hl_guest_free(g);
}

static void attack_dontneed(void)
{
	struct hl_guest g;

	if (!mirror(&g, "madv-dontneed", -1))
		return;
	madvise(in_page(&g), HL_PAGE, MADV_DONTNEED);
	sees(&g, "madv-dontneed-reads-zero", 0, "the page was discarded");
	in_page(&g)[0] = M2;
	sees(&g, "madv-dontneed-then-write", M2, "the Launcher wrote the new page");
	finish(&g, "madv-dontneed");
}

static void fork_cow(void)
{
	_Atomic uint32_t *out;
	struct hl_guest g;
	int status;
	pid_t pid;

	if (!mirror(&g, "fork-cow", -1))
		return;
	out = hl_word(&g, HL_OUT_PA);
	pid = fork();
	if (!pid) {
		/* Our copy of OUT must not move: the Guest is not ours. */
		uint32_t n0 = out[0];
		long end = hl_ms() + 3000;

		while (hl_ms() < end) {
			if (out[0] != n0)
				_exit(1);
			hl_nap(2);
		}
		_exit(0);
	}
	in_page(&g)[0] = M2;	/* breaks copy-on-write: a new page for us */
	sees(&g, "fork-cow-guest-sees-parent-write", M2,
	     "the parent wrote after fork()");
	if (waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0)
		hl_pass("fork-cow-child-copy-untouched");
	else
		hl_fail("fork-cow-child-copy-untouched",
			"the Guest's writes reached the child's copy of its memory");
	finish(&g, "fork-cow");
}

static void remap(void)
{
	struct hl_guest g;
	uint32_t *np;

	if (!mirror(&g, "mremap", -1))
		return;
	np = mmap(NULL, HL_PAGE, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	np[0] = M2;
	if (mremap(np, HL_PAGE, HL_PAGE, MREMAP_MAYMOVE | MREMAP_FIXED,
		   in_page(&g)) == MAP_FAILED)
		hl_fail("mremap-guest-sees-new-page", "mremap: %s",
			strerror(errno));
	else
		sees(&g, "mremap-guest-sees-new-page", M2,
		     "another page was moved over IN");
	finish(&g, "mremap");
}

static void unmap(void)
{
	struct hl_guest g;

	if (!mirror(&g, "munmap", -1))
		return;
	munmap(in_page(&g), HL_PAGE);
	dies(&g, "munmap-guest-dies", "munmap() of the page it reads");
	finish(&g, "munmap");
}

static void protect(void)
{
	struct hl_guest g;

	if (!mirror(&g, "mprotect", -1))
		return;
	mprotect(in_page(&g), HL_PAGE, PROT_NONE);
	dies(&g, "mprotect-none-guest-dies", "mprotect(PROT_NONE) of the page it reads");
	finish(&g, "mprotect");
}

static void truncated(void)
{
	struct hl_guest g;
	int fd = memfd_create("hostile-shared", 0);

	if (fd < 0 || ftruncate(fd, HL_PAGE)) {
		hl_fail("shared-truncate", "memfd: %s", strerror(errno));
		return;
	}
	if (!mirror(&g, "shared-truncate", fd))
		return;
	if (ftruncate(fd, 0))
		hl_fail("shared-truncate", "ftruncate: %s", strerror(errno));
	dies(&g, "shared-truncate-guest-dies", "the shared file under IN was truncated");
	close(fd);
	finish(&g, "shared-truncate");
}

/* --- userfaultfd ---------------------------------------------------------- */

struct getdma {
	_Atomic long r;
	_Atomic bool done;
	struct hl_guest g;
};

static void *other_launcher(void *arg)
{
	struct getdma *o = arg;

	o->r = hl_req2(o->g.fd, LHREQ_GETDMA, HL_KEY_PA);
	o->done = true;
	return NULL;
}

/*
 * The child: Guest C binds a buffer to the shared key page; Guest A sends
 * to it a DMA whose data lies in memory registered with userfaultfd that
 * nobody will ever serve.  The Host blocks reading it.  We tell the
 * parent once the fault is waiting, then wait to be killed.
 */
static void uffd_child(int shared_fd, int tell)
{
	struct hl_guest a, c;
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg;
	struct uffd_msg msg;
	struct lguest_dma *d;
	struct pollfd p;
	int uffd;
	uint32_t r = 0;
	char ok = 'B';

	if (!mirror(&c, "uffd-receiver", -1) || !mirror(&a, "uffd-sender", -1))
		_exit(2);
	if (mmap(a.mem + HL_KEY_PA, HL_PAGE, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_FIXED, shared_fd, 0) == MAP_FAILED ||
	    mmap(c.mem + HL_KEY_PA, HL_PAGE, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_FIXED, shared_fd, 0) == MAP_FAILED)
		_exit(3);
	d = (struct lguest_dma *)(c.mem + HL_DMA_PA);
	memset(d, 0, sizeof(*d));
	d->addr[0] = HL_DMA_PA + 0x800;
	d->len[0] = 64;
	if (!hl_cmd(&c, HL_OP_BIND, HL_KEY_PA, HL_DMA_PA, (1 << 8) | 3, WAIT_MS,
		    &r) || r != 1) {
		hl_fail("uffd-bind", "BIND_DMA returned %u", r);
		_exit(4);
	}
	uffd = syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api)) {
		ok = 'S';
		if (write(tell, &ok, 1) < 0 || write(tell, &errno, sizeof(errno)))
			_exit(5);
		_exit(0);
	}
	reg.range.start = (uintptr_t)a.mem + HL_SPARE_PA;
	reg.range.len = 16 * HL_PAGE;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	if (ioctl(uffd, UFFDIO_REGISTER, &reg))
		_exit(6);
	d = (struct lguest_dma *)(a.mem + HL_DMA_PA);
	memset(d, 0, sizeof(*d));
	d->addr[0] = HL_SPARE_PA;
	d->len[0] = 64;
	printf("uffd: the sender sends from the registered page\n");
	fflush(stdout);
	hl_cmd(&a, HL_OP_SEND, HL_KEY_PA, HL_DMA_PA, 0, 0, NULL);
	/*
	 * The fault arrives: the Host is reading the page.  Never serve it.
	 * (poll() on a blocking userfaultfd only ever says POLLERR.)
	 */
	p = (struct pollfd){ .fd = uffd, .events = POLLIN };
	if (poll(&p, 1, WAIT_MS) != 1 || read(uffd, &msg, sizeof(msg)) < 0)
		ok = 'N';
	if (ok == 'B')
		printf("uffd: the Host waits for the page\n");
	else
		printf("uffd: no fault came; the sender's Guest %s (%s), ack %#x result %#x, receiver's used_len %u\n",
		       a.running ? "runs" : "stopped", a.reason,
		       ((struct hl_ctrl *)(a.mem + HL_CTRL_PA))->ack,
		       ((struct hl_ctrl *)(a.mem + HL_CTRL_PA))->result,
		       ((struct lguest_dma *)(c.mem + HL_DMA_PA))->used_len);
	fflush(stdout);
	if (write(tell, &ok, 1) < 0)
		_exit(7);
	for (;;)
		pause();
}

/* Where each thread of @pid waits, for a failure's message. */
static void show_threads(pid_t pid)
{
	char path[64], buf[128];
	int tid, fd;
	ssize_t n;

	for (tid = pid; tid < pid + 16; tid++) {
		snprintf(path, sizeof(path), "/proc/%d/task/%d/wchan", pid, tid);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		buf[n > 0 ? n : 0] = 0;
		printf("uffd: thread %d waits in %s\n", tid, buf);
	}
}

static void attack_uffd(void)
{
	struct getdma o = { 0 };
	int pipefd[2], shared = memfd_create("hostile-key", 0), status, err;
	long end;
	pthread_t t;
	char ok = 0;
	pid_t pid;

	if (shared < 0 || ftruncate(shared, HL_PAGE) || pipe(pipefd)) {
		hl_fail("uffd", "setup: %s", strerror(errno));
		return;
	}
	fflush(stdout);
	pid = fork();
	if (!pid) {
		close(pipefd[0]);
		uffd_child(shared, pipefd[1]);
	}
	close(pipefd[1]);
	struct pollfd p = { .fd = pipefd[0], .events = POLLIN };

	if (poll(&p, 1, 60000) != 1 || read(pipefd[0], &ok, 1) != 1)
		ok = 0;
	if (ok == 'S') {
		if (read(pipefd[0], &err, sizeof(err)) != sizeof(err))
			err = 0;
		hl_skip("uffd", "userfaultfd: %s (vm.unprivileged_userfaultfd?)",
			strerror(err));
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return;
	}
	if (ok != 'B') {
		show_threads(pid);
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		hl_fail("uffd-fault-pending",
			"the Host never faulted on the registered page (%c, child status %#x)",
			ok ? ok : '?', status);
		return;
	}
	hl_pass("uffd-fault-pending");

	/* Another Launcher, another Guest: its requests go through. */
	if (hl_guest_load(&o.g, dir, "hello") || hl_guest_init(&o.g)) {
		hl_fail("uffd-other-launcher", "cannot start a Guest");
	} else {
		pthread_create(&t, NULL, other_launcher, &o);
		for (end = hl_ms() + 3000; !o.done && hl_ms() < end;)
			hl_nap(5);
		if (o.done)
			hl_expect("uffd-other-launcher-getdma", o.r, -ENOENT);
		else
			hl_fail("uffd-other-launcher-getdma",
				"blocked for 3s behind the stuck Launcher");
	}
	/* The stuck Launcher dies when killed. */
	kill(pid, SIGKILL);
	for (end = hl_ms() + WAIT_MS; hl_ms() < end;) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		hl_nap(5);
	}
	if (hl_ms() < end)
		hl_pass("uffd-launcher-killable");
	else
		hl_fail("uffd-launcher-killable", "still there %ds after SIGKILL",
			WAIT_MS / 1000);
	if (o.g.fd >= 0) {
		for (end = hl_ms() + WAIT_MS; !o.done && hl_ms() < end;)
			hl_nap(5);
		if (o.done) {
			pthread_join(t, NULL);
			if (!hl_run_to_death(&o.g, 20000) &&
			    !strcmp(o.g.reason, "Power down"))
				hl_pass("uffd-other-guest-runs");
			else
				hl_fail("uffd-other-guest-runs", "%s", o.g.reason);
		} else {
			hl_fail("uffd-other-guest-runs", "GETDMA never returned");
		}
		hl_guest_free(&o.g);
	}
	close(shared);
	close(pipefd[0]);
}

int main(int argc, char *argv[])
{
	dir = argc > 1 ? argv[1] : ".";
	hl_timeout(300, "hl-memory");
	attack_dontneed();
	fork_cow();
	remap();
	unmap();
	protect();
	truncated();
	attack_uffd();
	return hl_failed ? 1 : 0;
}
