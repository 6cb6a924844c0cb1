// SPDX-License-Identifier: GPL-2.0
/*
 * hostile.c - result lines, raw /dev/lguest requests and errno names for
 * the hostile Launchers.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "hostile.h"

int hl_failed;
static const char *timeout_name;

static void line(const char *word, const char *name, const char *fmt,
		 va_list ap)
{
	char buf[512];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	printf("%s %s: %s\n", word, name, buf);
	fflush(stdout);
}

void hl_pass(const char *name)
{
	printf("PASS %s\n", name);
	fflush(stdout);
}

void hl_fail(const char *name, const char *fmt, ...)
{
	va_list ap;

	hl_failed++;
	va_start(ap, fmt);
	line("FAIL", name, fmt, ap);
	va_end(ap);
}

void hl_skip(const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	line("SKIP", name, fmt, ap);
	va_end(ap);
}

const char *hl_err(long r)
{
	static char buf[4][32];
	static int i;
	char *b = buf[i++ % 4];

	switch (r) {
	case -EINVAL: return "EINVAL";
	case -EFAULT: return "EFAULT";
	case -ENOENT: return "ENOENT";
	case -EAGAIN: return "EAGAIN";
	case -EINTR: return "EINTR";
	case -EBUSY: return "EBUSY";
	case -ENOMEM: return "ENOMEM";
	case -EPERM: return "EPERM";
	case -EBADF: return "EBADF";
	case -EACCES: return "EACCES";
	case -ENOSPC: return "ENOSPC";
	case -EMFILE: return "EMFILE";
	}
	snprintf(b, sizeof(buf[0]), r < 0 ? "errno %ld" : "%ld", r < 0 ? -r : r);
	return b;
}

void hl_expect(const char *name, long got, long want)
{
	if (got == want)
		hl_pass(name);
	else
		hl_fail(name, "got %s, want %s", hl_err(got), hl_err(want));
}

static void on_alarm(int sig)
{
	char buf[256];
	int n;

	(void)sig;
	n = snprintf(buf, sizeof(buf), "FAIL %s: timed out\n", timeout_name);
	if (write(1, buf, n) < 0)
		_exit(3);
	/* Our children (in our process group) go with us. */
	kill(0, SIGKILL);
	_exit(3);
}

void hl_timeout(unsigned int seconds, const char *name)
{
	timeout_name = name;
	signal(SIGALRM, on_alarm);
	/* Children we fork are killed with us: one process group. */
	setpgid(0, 0);
	alarm(seconds);
}

long hl_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

void hl_nap(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

long hl_meminfo_kb(const char *field)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[128];
	size_t n = strlen(field);
	long kb = -1;

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, field, n) && line[n] == ':')
			kb = atol(line + n + 1);
	if (f)
		fclose(f);
	return kb;
}

long hl_pcp_kb(void)
{
	FILE *f = fopen("/proc/zoneinfo", "r");
	char line[128];
	long pages = 0, n;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, " count: %ld", &n) == 1)
			pages += n;
	if (f)
		fclose(f);
	return pages * 4;
}

int hl_open(void)
{
	int fd = open(HL_DEV, O_RDWR);

	if (fd < 0) {
		printf("FAIL open: %s: %s\n", HL_DEV, strerror(errno));
		exit(1);
	}
	return fd;
}

long hl_write(int fd, const uint64_t *words, size_t n)
{
	ssize_t r = write(fd, words, n * sizeof(*words));

	return r < 0 ? -errno : r;
}

long hl_req2(int fd, uint64_t req, uint64_t arg)
{
	uint64_t w[2] = { req, arg };

	return hl_write(fd, w, 2);
}

long hl_read(int fd, void *buf, size_t len)
{
	ssize_t r = read(fd, buf, len);

	return r < 0 ? -errno : r;
}

long hl_module_refs(void)
{
	FILE *f = fopen("/sys/module/lguest/refcnt", "r");
	long n = -1;

	if (f) {
		if (fscanf(f, "%ld", &n) != 1)
			n = -1;
		fclose(f);
	}
	return n;
}
