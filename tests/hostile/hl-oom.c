// SPDX-License-Identifier: GPL-2.0
/*
 * hl-oom DIR CGROUP: as many Guests as memory allows.  We run inside the
 * memory cgroup CGROUP (hostile.sh puts us there, with a small
 * memory.max); children, each holding up to GUESTS_PER_CHILD Guests
 * (open, INITIALIZE, a short run to power off, file kept open), are forked
 * until the cgroup's OOM killer kills one.  Everything a Guest costs the
 * Host must be charged to the cgroup, so the Host as a whole may lose no
 * more than the cgroup's limit (and some slack) meanwhile: if it does, we
 * stop and fail.  At the end all children are killed and the Host must
 * get its memory back.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "hostile.h"

#define GUESTS_PER_CHILD	200
#define MAX_CHILDREN		200
#define SLACK_KB		(64 * 1024)

/* Free pages on the per-CPU lists are available too. */
static long avail_kb(void)
{
	return hl_meminfo_kb("MemAvailable") + hl_pcp_kb();
}

/* A number from a cgroup file: "max" is -1; @key picks a keyed line. */
static long cg_read(const char *cg, const char *file, const char *key)
{
	char path[512], line[128];
	size_t n = key ? strlen(key) : 0;
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", cg, file);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f)) {
		if (key && (strncmp(line, key, n) || line[n] != ' '))
			continue;
		v = strncmp(line + n, "max", 3) ? atol(line + n) : -1;
		break;
	}
	if (f)
		fclose(f);
	return v;
}

/* A child: Guests until told no; one byte to @tell for each. */
static void child(const char *dir, int tell)
{
	struct hl_guest g;
	int fd, i, adj = open("/proc/self/oom_score_adj", O_WRONLY);
	char c = 'G';

	/* The OOM killer takes a child, never the parent. */
	if (adj < 0 || write(adj, "1000", 4) != 4)
		_exit(2);
	close(adj);
	if (hl_guest_load(&g, dir, "hello"))
		_exit(3);
	for (i = 0; i < GUESTS_PER_CHILD; i++) {
		fd = open(HL_DEV, O_RDWR);
		if (fd < 0)
			break;
		g.fd = fd;
		if (hl_guest_init(&g)) {
			c = 'E';
			break;
		}
		g.console_len = 0;
		g.console[0] = 0;
		if (hl_run_to_death(&g, 20000)) {
			c = 'R';
			break;
		}
		if (write(tell, &c, 1) != 1)
			_exit(4);
	}
	c = c == 'G' ? 'D' : c;
	if (write(tell, &c, 1) != 1)
		_exit(5);
	for (;;)
		pause();
}

int main(int argc, char *argv[])
{
	const char *dir = argc > 1 ? argv[1] : ".", *cg = argc > 2 ? argv[2] : "-";
	long start = avail_kb(), limit, ooms, now, end;
	long lost = 0, worst = 0;
	pid_t kids[MAX_CHILDREN];
	int n = 0, guests = 0, status, i, killed = 0, pipefd[2];
	bool stop = false, floor_hit = false;
	char c;

	hl_timeout(900, "hl-oom");
	if (!strcmp(cg, "-")) {
		hl_skip("oom", "no memory cgroup (cgroup2 not mountable here)");
		return 0;
	}
	limit = cg_read(cg, "memory.max", NULL);
	ooms = cg_read(cg, "memory.events", "oom_kill");
	if (limit <= 0 || ooms < 0) {
		hl_skip("oom", "cgroup %s has no memory limit", cg);
		return 0;
	}
	printf("oom: cgroup %s, memory.max %ld kB, Host MemAvailable %ld kB\n",
	       cg, limit / 1024, start);
	while (!stop && n < MAX_CHILDREN) {
		if (pipe(pipefd))
			break;
		fflush(stdout);
		kids[n] = fork();
		if (kids[n] < 0)
			break;
		if (!kids[n]) {
			close(pipefd[0]);
			child(dir, pipefd[1]);
		}
		close(pipefd[1]);
		n++;
		for (;;) {
			struct pollfd p = { .fd = pipefd[0], .events = POLLIN };

			if (poll(&p, 1, 30000) != 1 || read(pipefd[0], &c, 1) != 1) {
				c = 'X';	/* the child died */
				break;
			}
			if (c != 'G')
				break;
			guests++;
			lost = start - avail_kb();
			if (lost > worst)
				worst = lost;
			if (lost > limit / 1024 + SLACK_KB) {
				floor_hit = stop = true;
				break;
			}
		}
		close(pipefd[0]);
		if (c == 'X' || c == 'E' || c == 'R' ||
		    cg_read(cg, "memory.events", "oom_kill") > ooms)
			stop = true;
	}
	now = cg_read(cg, "memory.events", "oom_kill");
	printf("oom: %d Guests in %d children; the Host lost at most %ld kB; cgroup oom_kill %ld -> %ld; last child said '%c'\n",
	       guests, n, worst, ooms, now, c);
	/* A child the OOM killer took may take a moment to finish dying. */
	for (end = hl_ms() + 10000; !killed && now > ooms && hl_ms() < end;
	     hl_nap(10)) {
		for (i = 0; i < n; i++) {
			if (kids[i] <= 0 || waitpid(kids[i], &status, WNOHANG) != kids[i])
				continue;
			killed += WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
			kids[i] = -kids[i];
		}
	}
	if (floor_hit)
		hl_fail("oom-charged-to-cgroup",
			"the Host lost %ld kB with %d Guests while the cgroup may use %ld kB: Guests cost memory the cgroup is not charged for",
			lost, guests, limit / 1024);
	else
		hl_pass("oom-charged-to-cgroup");
	if (now > ooms && killed)
		printf("PASS oom-killer-acted: after %d Guests\n", guests);
	else if (!floor_hit)
		hl_fail("oom-killer-acted", "no OOM kill after %d Guests (last child said '%c')",
			guests, c);
	for (i = 0; i < n; i++)
		if (kids[i] > 0)
			kill(kids[i], SIGKILL);
	for (i = 0; i < n; i++)
		if (kids[i] > 0)
			waitpid(kids[i], &status, 0);
	/* The Host gets it all back. */
	for (end = hl_ms() + 20000; hl_ms() < end; hl_nap(200))
		if (avail_kb() > start - 16 * 1024)
			break;
	now = avail_kb();
	if (now > start - 16 * 1024)
		hl_pass("oom-memory-returned");
	else
		hl_fail("oom-memory-returned", "MemAvailable %ld kB, was %ld kB",
			now, start);
	return hl_failed ? 1 : 0;
}
