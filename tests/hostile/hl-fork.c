// SPDX-License-Identifier: GPL-2.0
/*
 * hl-fork DIR: a fork()ed child shares the Launcher's /dev/lguest file but
 * not its memory: every request and read it makes must fail with EPERM,
 * and the Guest must be none the worse for it (it still boots and powers
 * off for its Launcher).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "hostile.h"

/* The child's verdicts go back to us as result lines on our stdout. */
static void run_child(struct hl_guest *g)
{
	char buf[64];

	hl_timeout(20, "fork-child");
	hl_expect("fork-child-read", hl_read(g->fd, buf, sizeof(buf)), -EPERM);
	hl_expect("fork-child-getdma", hl_req2(g->fd, LHREQ_GETDMA, 0), -EPERM);
	hl_expect("fork-child-irq", hl_req2(g->fd, LHREQ_IRQ, 1), -EPERM);
	hl_expect("fork-child-break-0", hl_req2(g->fd, LHREQ_BREAK, 0), -EPERM);
	/* The child's copy of the memory, given to a Guest of its own. */
	_exit(hl_failed ? 1 : 0);
}

int main(int argc, char *argv[])
{
	const char *dir = argc > 1 ? argv[1] : ".";
	struct hl_guest g;
	int status;
	pid_t pid;

	hl_timeout(60, "hl-fork");
	if (hl_guest_load(&g, dir, "hello")) {
		hl_fail("fork-load", "cannot load %s/%s", dir, HL_GUEST_ELF);
		return 1;
	}
	hl_expect("fork-init", hl_guest_init(&g), 0);
	fflush(stdout);
	pid = fork();
	if (!pid)
		run_child(&g);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		hl_fail("fork-child-exit", "child did not exit normally (%#x)",
			status);
	/* The Guest has not run yet: its Launcher starts it now. */
	if (!hl_run_to_death(&g, 20000) &&
	    strstr(g.console, "hostile-guest: hello") &&
	    !strcmp(g.reason, "Power down"))
		hl_pass("fork-parent-guest-runs");
	else
		hl_fail("fork-parent-guest-runs", "console '%s', reason '%s'",
			g.console, g.reason);
	hl_guest_free(&g);
	return hl_failed ? 1 : 0;
}
