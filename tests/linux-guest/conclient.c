// SPDX-License-Identifier: GPL-2.0
/*
 * conclient: be the user at a Launcher's --console=pty or --console=socket
 * console.
 *
 *	conclient pty|socket PATH READY COMMAND ANSWER [poweroff]
 *
 * Opens the pseudo-terminal PATH, or connects to the Unix socket PATH
 * (retrying while it is not there yet or nobody accepts), and copies all it
 * reads to standard output.  Once READY has been seen (at once if READY is
 * empty) it types COMMAND and a newline; once ANSWER has come back it
 * either leaves (closes the console and exits) or, with "poweroff", types
 * "poweroff" and reads on until the Launcher's end closes the console.
 * Prints "CONCLIENT-ANSWERED yes|no" and, with poweroff, "CONCLIENT-EOF
 * yes|no"; exits 0 if all went so.  Gives up after ten minutes.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

static char seen[1 << 17];
static size_t seen_len;

static int saw(const char *what)
{
	seen[seen_len] = '\0';
	return strstr(seen, what) != NULL;
}

static int open_console(const char *mode, const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int tries, fd;

	if (!strcmp(mode, "pty"))
		return open(path, O_RDWR | O_NOCTTY);
	if (strlen(path) >= sizeof(sa.sun_path))
		return -1;
	strcpy(sa.sun_path, path);
	for (tries = 0; tries < 600; tries++) {
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (fd < 0)
			return -1;
		if (!connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
			return fd;
		close(fd);
		if (errno != ENOENT && errno != ECONNREFUSED)
			return -1;
		usleep(100000);
	}
	return -1;
}

static int type(int fd, const char *text)
{
	size_t len = strlen(text);

	return write(fd, text, len) == (ssize_t)len && write(fd, "\n", 1) == 1;
}

int main(int argc, char *argv[])
{
	int fd, typed = 0, answered = 0, eof = 0, poweroff;
	time_t deadline = time(NULL) + 600;
	const char *ready, *command, *answer;

	if (argc < 6 || argc > 7 || (argc == 7 && strcmp(argv[6], "poweroff"))) {
		fprintf(stderr,
			"usage: conclient pty|socket PATH READY COMMAND ANSWER [poweroff]\n");
		return 2;
	}
	ready = argv[3];
	command = argv[4];
	answer = argv[5];
	poweroff = argc == 7;
	fd = open_console(argv[1], argv[2]);
	if (fd < 0) {
		perror(argv[2]);
		return 2;
	}

	while (time(NULL) < deadline) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		if (poll(&p, 1, 100) > 0) {
			char buf[4096];
			ssize_t n = read(fd, buf, sizeof(buf));

			/* The Launcher has gone: end of file, or EIO on a pty. */
			if (n <= 0) {
				eof = 1;
				break;
			}
			fwrite(buf, 1, n, stdout);
			fflush(stdout);
			if (seen_len + n >= sizeof(seen) - 1) {
				/* Keep the recent half: answers come late. */
				memmove(seen, seen + seen_len / 2,
					seen_len - seen_len / 2);
				seen_len -= seen_len / 2;
			}
			memcpy(seen + seen_len, buf, n);
			seen_len += n;
		}
		if (!typed && (!ready[0] || saw(ready))) {
			if (!type(fd, command))
				break;
			typed = 1;
		}
		if (typed && !answered && saw(answer)) {
			answered = 1;
			if (!poweroff)
				break;
			if (!type(fd, "poweroff"))
				break;
		}
	}
	close(fd);
	printf("\nCONCLIENT-ANSWERED %s\n", answered ? "yes" : "no");
	if (poweroff)
		printf("CONCLIENT-EOF %s\n", eof ? "yes" : "no");
	return answered && (eof || !poweroff) ? 0 : 1;
}
