// SPDX-License-Identifier: GPL-2.0
/*L:280
 * The console.
 *
 * The Guest's console is, unless --console says otherwise, our terminal:
 * what it sends to LGUEST_CONSOLE_DMA_KEY goes to our standard output, and
 * what is typed on our standard input goes into the one buffer its console
 * driver binds to that key.  The console needs no pages of its own.  This
 * file is the device; where its bytes come from and go to (a terminal, a
 * pseudo-terminal, a socket, a file) is console_backend.c's business.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "console_backend.h"
#include "launch.h"
#include "devices.h"
#include "error_text.h"

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
	struct pollfd p = { .fd = console_input_fd(), .events = POLLIN };

	/* Only the main thread reads, so after poll() read() cannot block. */
	if (!c->pending_len && p.fd >= 0 && poll(&p, 1, 0) > 0) {
		ssize_t r = console_read(c->pending, sizeof(c->pending));

		if (r > 0)
			c->pending_len = r;
		/* A socket client came or went: watch what is there now. */
		__atomic_store_n(&dev->input_fd, console_input_fd(),
				 __ATOMIC_RELAXED);
	}
	while (c->pending_len && deliver_input(g, c))
		;
	atomic_store(&dev->stalled, c->pending_len != 0);
}

/*L:295
 * Console output: every section of the buffer goes to the console, and
 * the Guest is told we took it all.  Where nobody may be listening (a
 * pseudo-terminal or socket with no one at it) what cannot be kept is
 * dropped: the Guest never waits for a reader.
 */
static uint32_t console_output(struct guest *g, struct device *dev,
			       const struct iovec *iov, unsigned int num)
{
	uint32_t used = 0;
	unsigned int i;

	console_write(iov, num);
	for (i = 0; i < num; i++)
		used += iov[i].iov_len;
	return used;
}

/*L:122
 * --console says where the Guest's console goes: our own terminal ("tty",
 * as it always was), a pseudo-terminal we make ("pty"), a Unix socket
 * ("socket:PATH") or, for output only, a file ("file:PATH").  As with
 * --tunnet only the shape is checked here; console_backend.c finds out,
 * when it opens PATH, whether it can be used.
 */
static int parse_console(struct launch_config *cfg, const char *arg,
			 char *err, size_t errlen)
{
	if (cfg->console_given)
		return error_text(err, errlen, "--console given more than once");
	cfg->console_given = true;
	cfg->console_path = NULL;
	if (!strcmp(arg, "tty")) {
		cfg->console = LAUNCH_CONSOLE_TTY;
		return 0;
	}
	if (!strcmp(arg, "pty")) {
		cfg->console = LAUNCH_CONSOLE_PTY;
		return 0;
	}
	if (!strncmp(arg, "socket:", 7)) {
		cfg->console = LAUNCH_CONSOLE_SOCKET;
		cfg->console_path = arg + 7;
	} else if (!strncmp(arg, "file:", 5)) {
		cfg->console = LAUNCH_CONSOLE_FILE;
		cfg->console_path = arg + 5;
	} else {
		return error_text(err, errlen,
				  "--console=%s: unknown mode (tty, pty, socket:PATH or file:PATH)",
				  arg);
	}
	if (!cfg->console_path[0])
		return error_text(err, errlen, "--console=%s needs a PATH", arg);
	if (cfg->console == LAUNCH_CONSOLE_SOCKET &&
	    strlen(cfg->console_path) > LAUNCH_SOCKET_PATH_MAX)
		return error_text(err, errlen,
				  "--console=socket:PATH: the path is longer than %u bytes",
				  LAUNCH_SOCKET_PATH_MAX);
	return 0;
}

static void setup_console(struct guest *g, const struct launch_config *cfg,
			  const char *arg);

static const struct device_kind console_device_kind = {
	.option = "console",
	.always = true,
	.parse = parse_console,
	.setup = setup_console,
	.handle_output = console_output,
	.handle_input = console_input,
};
DEVICE_KIND(console_device_kind);

static void setup_console(struct guest *g, const struct launch_config *cfg,
			  const char *arg)
{
	struct device *dev;

	dev = new_device(g, &console_device_kind, "console",
			 LGUEST_DEVICE_T_CONSOLE, 0, 0);
	dev->priv = calloc(1, sizeof(struct console));
	if (!dev->priv)
		launch_die(EXIT_GUEST_FAILED, "out of memory");
	dev->watch_key = LGUEST_CONSOLE_DMA_KEY;
	console_open(cfg->console, cfg->console_path);
	dev->input_fd = console_input_fd();
}
