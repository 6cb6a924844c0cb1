// SPDX-License-Identifier: GPL-2.0
/*
 * lgreq: poke /dev/lguest from in-VM test scripts.
 *
 *	lgreq write WORD...	one write() of the 64-bit WORDs
 *	lgreq bytes N		one write() of N bytes (a malformed request)
 *	lgreq read		one read()
 *	lgreq hold SECONDS	keep /dev/lguest open for SECONDS (says "open"
 *				once it is)
 *
 * Prints "ok RESULT" or "error ENAME" (e.g. "error EINVAL") on stdout and
 * exits 0 either way; it exits 1 only if /dev/lguest cannot be opened.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *errname(int e)
{
	switch (e) {
	case EINVAL: return "EINVAL";
	case ENOSYS: return "ENOSYS";
	case EFAULT: return "EFAULT";
	case ENOENT: return "ENOENT";
	case EAGAIN: return "EAGAIN";
	case EINTR: return "EINTR";
	case EBUSY: return "EBUSY";
	case ENOMEM: return "ENOMEM";
	case EPERM: return "EPERM";
	default: return "E?";
	}
}

static void report(ssize_t r)
{
	if (r < 0)
		printf("error %s\n", errname(errno));
	else
		printf("ok %zd\n", r);
}

int main(int argc, char *argv[])
{
	uint64_t words[16];
	char buf[256];
	int fd, i, n;

	if (argc < 2) {
		fprintf(stderr, "usage: lgreq write WORD...|bytes N|read|hold S\n");
		return 2;
	}
	fd = open("/dev/lguest", O_RDWR);
	if (fd < 0) {
		printf("open error %s\n", errname(errno));
		return 1;
	}
	if (!strcmp(argv[1], "write")) {
		n = argc - 2 > 16 ? 16 : argc - 2;
		for (i = 0; i < n; i++)
			words[i] = strtoull(argv[i + 2], NULL, 0);
		report(write(fd, words, n * sizeof(words[0])));
	} else if (!strcmp(argv[1], "bytes") && argc == 3) {
		memset(buf, 0, sizeof(buf));
		n = atoi(argv[2]);
		report(write(fd, buf, n > 256 ? 256 : n));
	} else if (!strcmp(argv[1], "read")) {
		report(read(fd, buf, sizeof(buf)));
	} else if (!strcmp(argv[1], "hold") && argc == 3) {
		printf("open\n");
		fflush(stdout);
		sleep(atoi(argv[2]));
		printf("ok held\n");
	} else {
		fprintf(stderr, "lgreq: bad arguments\n");
		return 2;
	}
	return 0;
}
