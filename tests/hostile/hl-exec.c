// SPDX-License-Identifier: GPL-2.0
/*
 * hl-exec DIR: exec() with /dev/lguest open.  The new program has a new
 * address space, so every request and read it makes on the inherited file
 * must fail with EPERM; it must not be able to run the Guest.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hostile.h"

static int after_exec(int fd)
{
	char buf[64];

	hl_timeout(20, "exec-after");
	hl_expect("exec-read", hl_read(fd, buf, sizeof(buf)), -EPERM);
	hl_expect("exec-getdma", hl_req2(fd, LHREQ_GETDMA, 0), -EPERM);
	hl_expect("exec-irq", hl_req2(fd, LHREQ_IRQ, 1), -EPERM);
	hl_expect("exec-break-0", hl_req2(fd, LHREQ_BREAK, 0), -EPERM);
	hl_expect("exec-read-again", hl_read(fd, buf, sizeof(buf)), -EPERM);
	close(fd);
	return hl_failed ? 1 : 0;
}

int main(int argc, char *argv[])
{
	const char *dir = argc > 1 ? argv[1] : ".";
	struct hl_guest g;
	char fdstr[16];

	if (argc == 3 && !strcmp(argv[1], "--after-exec"))
		return after_exec(atoi(argv[2]));
	hl_timeout(60, "hl-exec");
	if (hl_guest_load(&g, dir, "hello")) {
		hl_fail("exec-load", "cannot load %s/%s", dir, HL_GUEST_ELF);
		return 1;
	}
	hl_expect("exec-init", hl_guest_init(&g), 0);
	snprintf(fdstr, sizeof(fdstr), "%d", g.fd);
	fflush(stdout);
	execl("/proc/self/exe", "hl-exec", "--after-exec", fdstr, (char *)NULL);
	hl_fail("exec", "execl: %s", strerror(errno));
	return 1;
}
