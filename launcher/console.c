// SPDX-License-Identifier: GPL-2.0
/*L:280
 * The console.
 *
 * The Guest's console is our terminal: what it sends to
 * LGUEST_CONSOLE_DMA_KEY goes to our standard output, and what is typed on
 * our standard input goes into the one buffer its console driver binds to
 * that key.  The console needs no pages of its own.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include "launch.h"
#include "devices.h"

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

/*L:285
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

/*L:290
 * Console input.  LHREQ_GETDMA hands us the Guest's free buffer, we copy
 * what was typed into it, set used_len and raise the interrupt.  If the
 * Guest has not emptied its buffer yet, the input waits here in "pending"
 * and the device is marked stalled: we stop watching the terminal and
 * retry every few milliseconds instead.  The Guest sets the pace.
 */
struct console {
	unsigned char pending[4096];
	size_t pending_len;
};

static bool deliver_input(struct guest *g, struct console *c)
{
	struct iovec iov[LGUEST_MAX_DMA_SECTIONS];
	struct lguest_dma *dma;
	unsigned int num, i;
	uint32_t irq;
	size_t done = 0;

	dma = get_dma_buffer(g, LGUEST_CONSOLE_DMA_KEY, iov, &num, &irq);
	if (!dma)
		return false;
	for (i = 0; i < num && done < c->pending_len; i++) {
		size_t n = c->pending_len - done;

		if (n > iov[i].iov_len)
			n = iov[i].iov_len;
		memcpy(iov[i].iov_base, c->pending + done, n);
		done += n;
	}
	if (!done) {
		/* A buffer with no room: give it back untouched. */
		dma->used_len = 0;
		return false;
	}
	/* The data must be in place before the Guest sees the length. */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	dma->used_len = done;
	memmove(c->pending, c->pending + done, c->pending_len - done);
	c->pending_len -= done;
	trigger_irq(g, irq);
	return true;
}

static void console_input(struct guest *g, struct device *dev)
{
	struct console *c = dev->priv;
	struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };

	/* Only the main thread reads, so after poll() read() cannot block. */
	if (!c->pending_len && dev->input_fd >= 0 && poll(&p, 1, 0) > 0) {
		ssize_t r = read(STDIN_FILENO, c->pending, sizeof(c->pending));

		/* At end of input we stop watching; the Guest runs on. */
		if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR))
			__atomic_store_n(&dev->input_fd, -1, __ATOMIC_RELAXED);
		else if (r > 0)
			c->pending_len = r;
	}
	while (c->pending_len && deliver_input(g, c))
		;
	atomic_store(&dev->stalled, c->pending_len != 0);
}

/*L:295
 * Console output: every section of the buffer goes to standard output,
 * and the Guest is told how much we took.
 */
static uint32_t console_output(struct guest *g, struct device *dev,
			       const struct iovec *iov, unsigned int num)
{
	uint32_t used = 0;
	unsigned int i;

	for (i = 0; i < num; i++) {
		if (fwrite(iov[i].iov_base, 1, iov[i].iov_len, stdout) !=
		    iov[i].iov_len)
			break;
		used += iov[i].iov_len;
	}
	fflush(stdout);
	return used;
}

void setup_console(struct guest *g)
{
	struct device *dev;

	dev = new_device(g, "console", LGUEST_DEVICE_T_CONSOLE, 0, 0);
	dev->priv = calloc(1, sizeof(struct console));
	if (!dev->priv)
		launch_die(EXIT_GUEST_FAILED, "out of memory");
	dev->watch_key = LGUEST_CONSOLE_DMA_KEY;
	dev->handle_output = console_output;
	dev->input_fd = STDIN_FILENO;
	dev->handle_input = console_input;
	setup_term();
}
