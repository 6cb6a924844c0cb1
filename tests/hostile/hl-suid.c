// SPDX-License-Identifier: GPL-2.0
/*
 * hl-suid FD ADDR BYTES READY GO: the setuid-root program hl-setuid execs
 * with its Launcher's /dev/lguest file (FD) still open.  It maps zeroed
 * memory exactly where the Launcher's Guest memory was (ADDR, BYTES),
 * checks that the inherited file refuses it (EPERM), tells hl-setuid it
 * is ready (a byte on fd READY), waits for the go (a byte on fd GO) while
 * another Guest sends DMA to the dead Guest's key, and then checks that
 * nothing was written into its memory.  Its verdicts are result lines.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "hostile.h"

int main(int argc, char *argv[])
{
	unsigned char *mem, *p;
	unsigned long bytes;
	char c = 'R', buf[64];
	int fd;

	if (argc != 6)
		return 2;
	hl_timeout(60, "setuid-helper");
	fd = atoi(argv[1]);
	bytes = strtoul(argv[3], NULL, 0);
	mem = mmap((void *)strtoul(argv[2], NULL, 0), bytes,
		   PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (mem == MAP_FAILED || mem != (void *)strtoul(argv[2], NULL, 0)) {
		hl_skip("setuid-exec-dma", "cannot map %s here: %s", argv[2],
			strerror(errno));
		c = 'S';
	}
	printf("setuid helper: euid %d\n", (int)geteuid());
	hl_expect("setuid-exec-read", hl_read(fd, buf, sizeof(buf)), -EPERM);
	hl_expect("setuid-exec-getdma", hl_req2(fd, LHREQ_GETDMA, HL_KEY_PA),
		  -EPERM);
	fflush(stdout);
	if (write(atoi(argv[4]), &c, 1) != 1 || c == 'S')
		return hl_failed ? 1 : 0;
	if (read(atoi(argv[5]), &c, 1) != 1) {
		hl_fail("setuid-exec-dma", "no go from hl-setuid");
		return 1;
	}
	for (p = mem; p < mem + bytes && !*p; p++)
		;
	if (p == mem + bytes)
		hl_pass("setuid-exec-dma-not-delivered");
	else
		hl_fail("setuid-exec-dma-not-delivered",
			"the Host wrote into the setuid program's memory at Guest-physical %#lx",
			(unsigned long)(p - mem));
	return hl_failed ? 1 : 0;
}
