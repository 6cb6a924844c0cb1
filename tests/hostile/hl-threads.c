// SPDX-License-Identifier: GPL-2.0
/*
 * hl-threads DIR: a Launcher's threads racing each other on one file:
 * two read()s at once, two INITIALIZEs at once, a break, close() during
 * a read(), and a storm of signals at a running read().
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hostile.h"

#define RACES	200

static const char *dir;

static bool start_mirror(struct hl_guest *g, const char *name)
{
	if (hl_guest_load(g, dir, "mirror")) {
		hl_fail(name, "cannot load %s/%s", dir, HL_GUEST_ELF);
		return false;
	}
	if (hl_guest_init(g)) {
		hl_fail(name, "INITIALIZE failed");
		return false;
	}
	hl_run_start(g);
	if (!hl_console_wait(g, "hostile-guest: ready", 20000)) {
		hl_fail(name, "the Guest never said ready (%s)", g->reason);
		return false;
	}
	return true;
}

/* The Guest still runs commands, and powers off when told to. */
static void still_alive(struct hl_guest *g, const char *name)
{
	char n[64];

	snprintf(n, sizeof(n), "%s-guest-continues", name);
	if (hl_cmd(g, HL_OP_TOUCH, HL_IN_PA, 1, 0, 10000, NULL))
		hl_pass(n);
	else
		hl_fail(n, "no ack (runner %s, reason '%s')",
			g->running ? "running" : hl_err(g->end), g->reason);
	snprintf(n, sizeof(n), "%s-poweroff", name);
	hl_cmd(g, HL_OP_POWER, 0, 0, 0, 0, NULL);
	for (long end = hl_ms() + 10000; g->running && hl_ms() < end;)
		hl_nap(5);
	if (!g->running && g->end == -ENOENT && !strcmp(g->reason, "Power down"))
		hl_pass(n);
	else
		hl_fail(n, "runner %s, reason '%s'",
			g->running ? "still running" : hl_err(g->end), g->reason);
}

struct probe {
	_Atomic bool done;
	int fd;
	long r;
};

static void *probe_read(void *arg)
{
	struct probe *p = arg;
	char buf[8];

	p->r = hl_read(p->fd, buf, sizeof(buf));
	p->done = true;
	return NULL;
}

/*
 * A second read() while the runner's runs the Guest must fail with EBUSY.
 * The runner leaves read() for a moment to serve each DMA, and a probe
 * that comes then runs the Guest itself: so each probe has a second
 * before a signal interrupts it (EINTR), and then another goes.  Any
 * answer but EBUSY or EINTR is a failure.
 */
static void two_reads(void)
{
	int tries, busy = 0, other = 0;
	struct hl_guest g;
	struct probe p;
	pthread_t t;

	if (!start_mirror(&g, "two-reads"))
		return;
	for (tries = 0; tries < 20 && !busy && !other; tries++) {
		p = (struct probe){ .fd = g.fd };
		if (pthread_create(&t, NULL, probe_read, &p))
			break;
		for (long end = hl_ms() + 1000; !p.done && hl_ms() < end;)
			hl_nap(5);
		if (!p.done)
			pthread_kill(t, SIGUSR2);
		pthread_join(t, NULL);
		busy += p.r == -EBUSY;
		other += p.r != -EBUSY && p.r != -EINTR;
		hl_nap(20);
	}
	if (busy && !other)
		hl_pass("two-reads-second-ebusy");
	else
		hl_fail("two-reads-second-ebusy", "%d tries, last read() gave %s",
			tries, hl_err(p.r));
	still_alive(&g, "two-reads");
	hl_guest_free(&g);
}

struct racer {
	int fd;
	const uint64_t *words;
	pthread_barrier_t *bar;
	long r;
};

static void *race_init(void *arg)
{
	struct racer *r = arg;

	pthread_barrier_wait(r->bar);
	r->r = hl_write(r->fd, r->words, 6);
	return NULL;
}

static void init_race(void)
{
	struct hl_guest g;
	pthread_barrier_t bar;
	struct racer r[2];
	pthread_t t[2];
	uint64_t w[6];
	int i, j, both = 0, neither = 0, odd = 0;

	if (hl_guest_load(&g, dir, "hello")) {
		hl_fail("init-race", "cannot load the Guest");
		return;
	}
	hl_init_words(&g, w);
	pthread_barrier_init(&bar, NULL, 2);
	for (i = 0; i < RACES; i++) {
		int fd = hl_open(), ok = 0, busy = 0;

		for (j = 0; j < 2; j++) {
			r[j] = (struct racer){ fd, w, &bar, 0 };
			pthread_create(&t[j], NULL, race_init, &r[j]);
		}
		for (j = 0; j < 2; j++) {
			pthread_join(t[j], NULL);
			ok += r[j].r == 48;
			busy += r[j].r == -EBUSY;
		}
		both += ok == 2;
		neither += ok == 0;
		odd += ok + busy != 2;
		/* The winner's Guest runs and powers off as usual. */
		if (i == RACES - 1) {
			g.fd = fd;
			if (!hl_run_to_death(&g, 20000) &&
			    !strcmp(g.reason, "Power down"))
				hl_pass("init-race-winner-runs");
			else
				hl_fail("init-race-winner-runs", "%s", g.reason);
			g.fd = -1;
		}
		close(fd);
	}
	if (!both && !neither && !odd)
		hl_pass("init-race-exactly-one");
	else
		hl_fail("init-race-exactly-one",
			"of %d races: %d both succeeded, %d neither, %d other errors",
			RACES, both, neither, odd);
	hl_guest_free(&g);
}

static void close_during_read(void)
{
	struct hl_guest g;
	long refs = hl_module_refs(), end;

	if (!start_mirror(&g, "close-during-read"))
		return;
	close(g.fd);
	/* Closing does not stop a read(); a signal does, then EBADF. */
	for (end = hl_ms() + 10000; g.running && hl_ms() < end;) {
		pthread_kill(g.runner, SIGUSR2);
		hl_nap(5);
	}
	g.fd = -1;
	if (g.running) {
		hl_fail("close-during-read", "read() still running 10s after close()");
		return;
	}
	pthread_join(g.runner, NULL);
	hl_expect("close-during-read-then-ebadf", g.end, -EBADF);
	/* The last reference went with the read: the Guest is gone. */
	for (end = hl_ms() + 5000; hl_module_refs() != refs && hl_ms() < end;)
		hl_nap(10);
	if (hl_module_refs() == refs)
		hl_pass("close-during-read-released");
	else
		hl_fail("close-during-read-released", "module refcnt %ld, was %ld",
			hl_module_refs(), refs);
	hl_guest_free(&g);
}

static _Atomic bool storming;

static void on_usr1(int sig)
{
	(void)sig;
}

static void *storm(void *arg)
{
	struct hl_guest *g = arg;
	struct timespec ts = { 0, 100000 };	/* 10 kHz */

	while (storming) {
		pthread_kill(g->runner, SIGUSR1);
		nanosleep(&ts, NULL);
	}
	return NULL;
}

static void signal_storm(void)
{
	struct sigaction sa;
	struct hl_guest g;
	unsigned long before, reads;
	pthread_t t;
	uint32_t n0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	if (!start_mirror(&g, "signal-storm"))
		return;
	before = g.eintr;
	reads = g.reads;
	n0 = *hl_word(&g, HL_OUT_PA);
	storming = true;
	pthread_create(&t, NULL, storm, &g);
	hl_nap(2000);
	storming = false;
	pthread_join(t, NULL);
	if (g.eintr > before)
		printf("PASS signal-storm-eintr: %lu reads ended EINTR in 2s\n",
		       g.eintr - before);
	else
		hl_fail("signal-storm-eintr", "no read() ended with EINTR (%lu reads, runner %s)",
			g.reads - reads, g.running ? "running" : hl_err(g.end));
	if (*hl_word(&g, HL_OUT_PA) != n0)
		hl_pass("signal-storm-guest-ran");
	else
		hl_fail("signal-storm-guest-ran", "the Guest's count did not move");
	still_alive(&g, "signal-storm");
	hl_guest_free(&g);
}

struct breaker {
	_Atomic long r;
	_Atomic bool done;
	int fd;
};

static void *break_thread(void *arg)
{
	struct breaker *b = arg;

	b->r = hl_req2(b->fd, LHREQ_BREAK, 1);
	b->done = true;
	return NULL;
}

/* BREAK 1 makes the running read() return EAGAIN; BREAK 0 releases. */
static void break_running(void)
{
	struct breaker b;
	struct hl_guest g;
	pthread_t t;
	unsigned long reads;
	long end;

	if (!start_mirror(&g, "break"))
		return;
	reads = g.reads;
	b = (struct breaker){ .fd = g.fd };
	pthread_create(&t, NULL, break_thread, &b);
	for (end = hl_ms() + 10000; g.reads == reads && hl_ms() < end;)
		hl_nap(5);
	if (g.reads != reads)
		hl_pass("break-ends-read");
	else
		hl_fail("break-ends-read", "read() did not return after BREAK 1");
	if (b.done)
		hl_fail("break-holds-writer", "BREAK 1 returned %s before BREAK 0",
			hl_err(b.r));
	for (end = hl_ms() + 10000; !b.done && hl_ms() < end;) {
		hl_req2(g.fd, LHREQ_BREAK, 0);
		hl_nap(5);
	}
	if (b.done) {
		pthread_join(t, NULL);
		hl_expect("break-released", b.r, 16);
	} else {
		hl_fail("break-released", "BREAK 1 still blocked after BREAK 0");
	}
	still_alive(&g, "break");
	hl_guest_free(&g);
}

static void say(const char *what)
{
	printf("hl-threads: %s\n", what);
	fflush(stdout);
}

int main(int argc, char *argv[])
{
	dir = argc > 1 ? argv[1] : ".";
	hl_timeout(240, "hl-threads");
	/* Each attack says it starts, so a timeout says where it hung. */
	say("two reads");
	two_reads();
	say("INITIALIZE races");
	init_race();
	say("break");
	break_running();
	say("signal storm");
	signal_storm();
	say("close during read");
	close_during_read();
	return hl_failed ? 1 : 0;
}
