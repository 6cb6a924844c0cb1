// SPDX-License-Identifier: GPL-2.0
/*
 * hold_lock FILE START LEN: take a write lock on LEN bytes of FILE from
 * byte START, the way another Launcher holds its --sharenet slot, then say
 * "locked" on stdout and keep the lock until stdin reaches end of file.
 *
 * The test reads the "locked" line from a pipe, so it knows the lock is
 * held before it starts the Launcher that must find the slot taken: no
 * polling of a file that an earlier holder may have written to.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	struct flock fl;
	char buf[64];
	int fd;

	if (argc != 4) {
		fprintf(stderr, "usage: hold_lock FILE START LEN\n");
		return 2;
	}
	fd = open(argv[1], O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "hold_lock: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	fl.l_start = strtol(argv[2], NULL, 0);
	fl.l_len = strtol(argv[3], NULL, 0);
	if (fcntl(fd, F_OFD_SETLK, &fl) < 0) {
		fprintf(stderr, "hold_lock: %s: cannot lock: %s\n", argv[1],
			strerror(errno));
		return 1;
	}
	printf("locked\n");
	fflush(stdout);
	while (read(STDIN_FILENO, buf, sizeof(buf)) > 0)
		;
	return 0;
}
