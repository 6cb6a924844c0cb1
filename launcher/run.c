// SPDX-License-Identifier: GPL-2.0
/*L:400
 * Running the Guest.
 *
 * We tell the Host about the Guest with LHREQ_INITIALIZE, then read()
 * /dev/lguest over and over.  Each read runs the Guest until it needs us:
 * it returns a struct lguest_pending when the Guest sent DMA to a key no
 * other Guest was listening on (console output, for now), fails with
 * EAGAIN when our waker thread wants us to look at input, and fails with
 * ENOENT once the Guest has died, after which one more read gives the
 * reason.  A Guest that powers off dies with the reason "Power down".
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include "launch.h"
#include <lguest_abi.h>

#define POWER_DOWN_REASON	"Power down"
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

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
}

/*L:430
 * The terminal.  If our standard input is a terminal we put it in raw-ish
 * mode, as the seeds' Launcher did: no line editing, no echo and no
 * signal keys, so every key (Ctrl-C too) goes to the Guest, whose own
 * tty does all that.  Output processing stays on.
 *
 * The terminal must be put back however we leave: a normal exit or
 * launch_die() (atexit), or a fatal signal (a handler that restores it
 * and then dies of the same signal, so our parent sees the truth).
 */
static struct termios orig_term;
static bool term_changed;

static void restore_term(void)
{
	if (term_changed)
		tcsetattr(STDIN_FILENO, TCSANOW, &orig_term);
}

static void die_of_signal(int sig)
{
	restore_term();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void setup_term(void)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT,
				    SIGPIPE };
	struct termios raw;
	unsigned int i;

	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &orig_term))
		return;
	for (i = 0; i < ARRAY_SIZE(sigs); i++)
		signal(sigs[i], die_of_signal);
	atexit(restore_term);
	raw = orig_term;
	raw.c_lflag &= ~(ISIG | ICANON | ECHO | IEXTEN);
	raw.c_iflag &= ~(IXON | ICRNL);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	term_changed = !tcsetattr(STDIN_FILENO, TCSANOW, &raw);
}

/*L:440
 * Console input.  The Guest's console driver binds one buffer to the
 * console key; LHREQ_GETDMA hands us a free one (with its interrupt
 * number in used_len), we copy what was typed into it, set used_len and
 * raise the interrupt.  If the Guest has not yet emptied its buffer the
 * input waits here, in "pending", and we stop reading the terminal until
 * it is gone: the Guest sets the pace.
 */
static unsigned char pending[4096];
static size_t pending_len;
static atomic_bool input_stalled;
static atomic_bool input_eof;

static bool deliver_input(struct guest *g)
{
	uint64_t req[2] = { LHREQ_GETDMA, LGUEST_CONSOLE_DMA_KEY };
	uint64_t irq[2] = { LHREQ_IRQ, 0 };
	struct lguest_dma *dma;
	long gpa = write(g->lguest_fd, req, sizeof(req));
	size_t done = 0;
	unsigned int i;

	if (gpa < 0)
		return false;
	dma = guest_ptr(g, gpa, sizeof(*dma));
	irq[1] = dma->used_len;
	for (i = 0; i < LGUEST_MAX_DMA_SECTIONS && dma->len[i] &&
	     done < pending_len; i++) {
		size_t n = pending_len - done;

		if (n > dma->len[i])
			n = dma->len[i];
		memcpy(guest_ptr(g, dma->addr[i], n), pending + done, n);
		done += n;
	}
	if (!done)
		return false;
	/* The data must be in place before the Guest sees the length. */
	atomic_thread_fence(memory_order_release);
	dma->used_len = done;
	memmove(pending, pending + done, pending_len - done);
	pending_len -= done;
	if (write(g->lguest_fd, irq, sizeof(irq)) < 0)
		launch_die(EXIT_GUEST_FAILED, "LHREQ_IRQ failed: %s",
			   strerror(errno));
	return true;
}

static void handle_input(struct guest *g)
{
	struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };

	/* Only the main thread reads, so after poll() read() cannot block. */
	if (!pending_len && !atomic_load(&input_eof) && poll(&p, 1, 0) > 0) {
		ssize_t r = read(STDIN_FILENO, pending, sizeof(pending));

		if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR))
			atomic_store(&input_eof, true);
		else if (r > 0)
			pending_len = r;
	}
	while (pending_len && deliver_input(g))
		;
	atomic_store(&input_stalled, pending_len != 0);
}

/*L:450
 * The waker.  While the Guest runs (or sleeps in HALT) inside our read(),
 * nobody is watching the terminal.  So a second thread does: when input
 * arrives it writes LHREQ_BREAK 1, which makes the running read() return
 * EAGAIN and holds the waker until the main thread, having taken the
 * input, writes LHREQ_BREAK 0.  While input is stalled waiting for the
 * Guest to empty its buffer, the waker knocks every 10 ms instead.
 */
static void *waker(void *arg)
{
	struct guest *g = arg;
	uint64_t brk[2] = { LHREQ_BREAK, 1 };

	while (!atomic_load(&input_eof)) {
		struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };

		if (atomic_load(&input_stalled)) {
			struct timespec ts = { 0, 10 * 1000 * 1000 };

			nanosleep(&ts, NULL);
		} else if (poll(&p, 1, 100) <= 0) {
			continue;
		}
		if (write(g->lguest_fd, brk, sizeof(brk)) < 0 && errno != EINTR)
			break;
	}
	return NULL;
}

static void release_waker(struct guest *g)
{
	uint64_t brk[2] = { LHREQ_BREAK, 0 };

	if (write(g->lguest_fd, brk, sizeof(brk)) < 0)
		launch_die(EXIT_GUEST_FAILED, "LHREQ_BREAK failed: %s",
			   strerror(errno));
}

/*L:410
 * Console output: every section of the buffer goes to stdout, and we
 * tell the Guest how much we took.  The addresses come from the Guest,
 * so each is checked against its memory; a bad one ends the Guest.
 */
static void handle_console(struct guest *g, struct lguest_dma *dma)
{
	uint32_t used = 0;
	unsigned int i;

	for (i = 0; i < LGUEST_MAX_DMA_SECTIONS && dma->len[i]; i++) {
		void *p = guest_ptr(g, dma->addr[i], dma->len[i]);

		if (fwrite(p, 1, dma->len[i], stdout) != dma->len[i])
			break;
		used += dma->len[i];
	}
	fflush(stdout);
	dma->used_len = used;
}

static void handle_output(struct guest *g, const struct lguest_pending *p)
{
	struct lguest_dma *dma = guest_ptr(g, p->dma, sizeof(*dma));

	switch (p->key) {
	case LGUEST_CONSOLE_DMA_KEY:
		handle_console(g, dma);
		break;
	default:
		/* Nobody is listening: the Guest sees nothing was used. */
		if (g->verbose)
			fprintf(stderr,
				"lguest-launch: DMA to unknown key %#x\n",
				p->key);
		dma->used_len = 0;
	}
}

int run_guest(struct guest *g)
{
	char reason[LGUEST_REASON_MAX];
	pthread_t waker_thread;

	tell_host(g);
	setup_term();
	if (pthread_create(&waker_thread, NULL, waker, g))
		atomic_store(&input_eof, true);
	for (;;) {
		struct lguest_pending p;
		ssize_t r = read(g->lguest_fd, &p, sizeof(p));

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

	/*L:420 The Guest is dead: find out why, and say so. */
	memset(reason, 0, sizeof(reason));
	if (read(g->lguest_fd, reason, sizeof(reason) - 1) < 0)
		launch_die(EXIT_GUEST_FAILED, "Guest died: reason unknown (%s)",
			   strerror(errno));
	fflush(stdout);
	if (strcmp(reason, POWER_DOWN_REASON) == 0)
		return EXIT_GUEST_POWEROFF;
	launch_die(EXIT_GUEST_FAILED, "Guest died: %s", reason);
}
