// SPDX-License-Identifier: GPL-2.0
/*L:400
 * Running the Guest.
 *
 * We tell the Host about the Guest with LHREQ_INITIALIZE, then read()
 * /dev/lguest over and over.  Each read runs the Guest until it needs us:
 * it returns a struct lguest_pending when the Guest sent DMA to a key no
 * other Guest was listening on (console output, for now), and fails with
 * ENOENT once the Guest has died, after which one more read gives the
 * reason.  A Guest that powers off dies with the reason "Power down".
 */
#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include "launch.h"
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

	tell_host(g);
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
		if (errno == EINTR || errno == EAGAIN)
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
