// SPDX-License-Identifier: GPL-2.0
/*
 * hl-resources DIR [CYCLES]: open, INITIALIZE and close /dev/lguest
 * CYCLES (1000) times, every tenth time running the Guest to its power
 * off, and check that the Host got its memory back: MemFree + Cached in
 * /proc/meminfo within a few MB of what it was after a warm-up, and the
 * module's reference count back where it started.  Then as many cycles in
 * which two threads INITIALIZE the file at once: the loser's Guest must
 * not leak either.  (hostile.sh compares /proc/slabinfo around us;
 * reading it needs root.)
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hostile.h"

#define SLACK_KB	(2 * 1024)

/* Free pages on the per-CPU lists are free too, but not in MemFree. */
static long free_kb(void)
{
	return hl_meminfo_kb("MemFree") + hl_meminfo_kb("Cached") + hl_pcp_kb();
}

/* One cycle; false (having said why) if it went wrong. */
static bool cycle(struct hl_guest *g, int i)
{
	long r;

	g->fd = hl_open();
	r = hl_guest_init(g);
	if (r) {
		hl_fail("cycles", "INITIALIZE %d failed: %s", i, hl_err(r));
		return false;
	}
	if (i % 10 == 0) {
		g->console_len = 0;
		g->console[0] = 0;
		if (hl_run_to_death(g, 20000) || strcmp(g->reason, "Power down")) {
			hl_fail("cycles", "run %d: %s", i, g->reason);
			return false;
		}
	}
	close(g->fd);
	g->fd = -1;
	return true;
}

struct racer {
	pthread_barrier_t *bar;
	const uint64_t *words;
	int fd;
	long r;
};

static void *race_init(void *arg)
{
	struct racer *r = arg;

	pthread_barrier_wait(r->bar);
	r->r = hl_write(r->fd, r->words, 6);
	return NULL;
}

/* Two INITIALIZEs at once; how many won. */
static int race_cycle(struct hl_guest *g, pthread_barrier_t *bar)
{
	struct racer r[2];
	pthread_t t[2];
	uint64_t w[6];
	int fd = hl_open(), j, won = 0;

	hl_init_words(g, w);
	for (j = 0; j < 2; j++) {
		r[j] = (struct racer){ bar, w, fd, 0 };
		pthread_create(&t[j], NULL, race_init, &r[j]);
	}
	for (j = 0; j < 2; j++) {
		pthread_join(t[j], NULL);
		won += r[j].r == 48;
	}
	close(fd);
	return won;
}

/* The best of a few readings: freed pages reach the counters late. */
static long settled_free_kb(long floor)
{
	long best = free_kb(), end = hl_ms() + 3000, kb;

	while (best < floor && hl_ms() < end) {
		hl_nap(100);
		kb = free_kb();
		if (kb > best)
			best = kb;
	}
	return best;
}

int main(int argc, char *argv[])
{
	const char *dir = argc > 1 ? argv[1] : ".";
	int cycles = argc > 2 ? atoi(argv[2]) : 1000, i;
	/*
	 * "kmemleak": a KASAN Host keeps freed objects in its quarantine, so
	 * free memory says nothing there; its kmemleak scan (run by the
	 * bench after the tests) is the leak check instead.
	 */
	bool kmemleak = argc > 3 && !strcmp(argv[3], "kmemleak");
	long refs = hl_module_refs(), before, after, vm_before, vm_after;
	struct hl_guest g;

	hl_timeout(600, "hl-resources");
	if (hl_guest_load(&g, dir, "hello")) {
		hl_fail("cycles", "cannot load %s/%s", dir, HL_GUEST_ELF);
		return 1;
	}
	for (i = 0; i < 50; i++)
		if (!cycle(&g, i))
			return 1;
	before = settled_free_kb(0);
	vm_before = hl_meminfo_kb("VmallocUsed");
	for (i = 0; i < cycles; i++)
		if (!cycle(&g, i))
			return 1;
	printf("PASS cycles: %d open/INITIALIZE/close cycles\n", cycles);
	after = settled_free_kb(before - SLACK_KB);
	vm_after = hl_meminfo_kb("VmallocUsed");
	if (kmemleak)
		printf("SKIP cycles-meminfo: %ld kB before, %ld kB after; KASAN's quarantine keeps freed memory, kmemleak judges leaks on this Host\n",
		       before, after);
	else if (after >= before - SLACK_KB)
		printf("PASS cycles-meminfo: MemFree+Cached+per-CPU lists %ld kB before, %ld kB after\n",
		       before, after);
	else
		hl_fail("cycles-meminfo", "MemFree+Cached+per-CPU lists fell by %ld kB over %d cycles",
			before - after, cycles);
	if (vm_after - vm_before < 1024)
		hl_pass("cycles-vmalloc");
	else
		hl_fail("cycles-vmalloc", "VmallocUsed grew by %ld kB", vm_after - vm_before);
	hl_expect("cycles-module-refs", hl_module_refs(), refs);

	pthread_barrier_t bar;
	int both = 0;

	pthread_barrier_init(&bar, NULL, 2);
	before = settled_free_kb(0);
	for (i = 0; i < cycles; i++)
		both += race_cycle(&g, &bar) == 2;
	after = settled_free_kb(before - SLACK_KB);
	if (kmemleak)
		printf("SKIP race-cycles-meminfo: %ld kB before, %ld kB after (%d races both won); kmemleak judges leaks on this Host\n",
		       before, after, both);
	else if (after >= before - SLACK_KB)
		printf("PASS race-cycles-meminfo: MemFree+Cached+per-CPU lists %ld kB before, %ld kB after (%d races both won)\n",
		       before, after, both);
	else
		hl_fail("race-cycles-meminfo",
			"MemFree+Cached+per-CPU lists fell by %ld kB over %d racing cycles (%d races both won)",
			before - after, cycles, both);
	hl_expect("race-cycles-module-refs", hl_module_refs(), refs);
	hl_guest_free(&g);
	return hl_failed ? 1 : 0;
}
