// SPDX-License-Identifier: GPL-2.0
/*
 * unix_socket stale|listen PATH: make a Unix stream socket at PATH, as a
 * Launcher's --console=socket:PATH does.  "stale" binds it and exits at
 * once, leaving the name behind with nobody listening (a Launcher that
 * was killed); "listen" listens, says "locked" on stdout (what cli.sh's
 * hold expects) and keeps listening until stdin reaches end of file.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

int main(int argc, char *argv[])
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char buf[64];
	int fd;

	if (argc != 3 || strlen(argv[2]) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "usage: unix_socket stale|listen PATH\n");
		return 2;
	}
	strcpy(sa.sun_path, argv[2]);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		perror(argv[2]);
		return 1;
	}
	if (!strcmp(argv[1], "stale"))
		return 0;
	if (listen(fd, 1)) {
		perror("listen");
		return 1;
	}
	printf("locked\n");
	fflush(stdout);
	while (read(0, buf, sizeof(buf)) > 0)
		;
	return 0;
}
