// SPDX-License-Identifier: GPL-2.0
/*
 * runas UID GID GROUP[,GROUP...] -- PROGRAM [ARG...]: run PROGRAM with
 * those user, group and supplementary group ids (GROUP "-" for none).
 * Used by tests/vm/hostile.sh to run the attacks as an ordinary user of
 * the lguest group.
 */
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	gid_t groups[32];
	size_t n = 0;
	char *s, *tok;

	if (argc < 6 || strcmp(argv[4], "--")) {
		fprintf(stderr, "usage: runas UID GID GROUPS -- PROGRAM [ARG...]\n");
		return 2;
	}
	s = argv[3];
	while (strcmp(argv[3], "-") && n < 32 && (tok = strsep(&s, ",")))
		groups[n++] = strtoul(tok, NULL, 0);
	if (setgroups(n, groups) || setgid(strtoul(argv[2], NULL, 0)) ||
	    setuid(strtoul(argv[1], NULL, 0))) {
		perror("runas");
		return 126;
	}
	execv(argv[5], argv + 5);
	perror(argv[5]);
	return 127;
}
