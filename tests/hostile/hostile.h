/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hostile.h - what the hostile Launchers share: result lines, raw
 * /dev/lguest requests, errno names, and a minimal Launcher (minilaunch.c)
 * that boots the test Guest tests/guests/hostile-mirror.c.
 */
#ifndef _HOSTILE_H
#define _HOSTILE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>
#include <lguest_abi.h>
#include "hl_ctrl.h"

#define HL_DEV		"/dev/lguest"
#define HL_GUEST_ELF	"hostile-mirror.elf"
#define HL_PAGE		4096UL

/* Result lines; hl_failed counts the FAIL lines printed. */
extern int hl_failed;
void hl_pass(const char *name);
void hl_fail(const char *name, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void hl_skip(const char *name, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* PASS if @got == @want (results: >= 0, or -errno), else FAIL saying so. */
void hl_expect(const char *name, long got, long want);
const char *hl_err(long r);
/* Kill the program after @seconds, printing a FAIL line for @name. */
void hl_timeout(unsigned int seconds, const char *name);

/* Monotonic milliseconds. */
long hl_ms(void);
/* Sleep @ms milliseconds: only between polls of a bounded wait. */
void hl_nap(long ms);

/* A field of /proc/meminfo, in kB; -1 if there is none. */
long hl_meminfo_kb(const char *field);
/* Free pages parked on per-CPU lists (not in MemFree), in kB. */
long hl_pcp_kb(void);
/* lguest.ko's reference count (open files), or -1. */
long hl_module_refs(void);

int hl_open(void);
/* One write() of @n words: the result, or -errno. */
long hl_write(int fd, const uint64_t *words, size_t n);
long hl_req2(int fd, uint64_t req, uint64_t arg);
/* One read(): the result, or -errno. */
long hl_read(int fd, void *buf, size_t len);

/* --- minilaunch.c ------------------------------------------------------ */
struct hl_guest {
	/* The runner thread (hl_run_start) and what it saw. */
	_Atomic bool running, stop;
	_Atomic long end;		/* how its last read() ended: -errno */
	_Atomic unsigned long eintr, reads, pendings;
	_Atomic uint32_t last_key;	/* key of the last non-console DMA */
	int fd;
	unsigned char *mem;		/* Launcher address of Guest-physical 0 */
	unsigned long mem_size, pfn_limit, pgdir, entry, page_offset;

	pthread_t runner;
	char reason[LGUEST_REASON_MAX];	/* why the Guest died, if it did */
	pthread_mutex_t lock;
	char console[4096];
	size_t console_len;
	uint32_t seq;
};

/* Map memory, load the test Guest with @cmdline, build its page tables. */
int hl_guest_load(struct hl_guest *g, const char *dir, const char *cmdline);
/* The INITIALIZE words for @g. */
void hl_init_words(const struct hl_guest *g, uint64_t w[6]);
/* Open /dev/lguest and INITIALIZE: 0 or -errno. */
long hl_guest_init(struct hl_guest *g);
/* One read() handling console output: 0 for a DMA, or -errno. */
long hl_step(struct hl_guest *g);
/* Run until the Guest died (0, reason in g->reason) or @ms passed (-1). */
int hl_run_to_death(struct hl_guest *g, long ms);
/* The runner thread: read() in a loop until the Guest dies or we stop it. */
void hl_run_start(struct hl_guest *g);
/* Stop the runner (a signal interrupts its read); false if it won't. */
bool hl_run_stop(struct hl_guest *g, long ms);
/*
 * Load the mirror Guest from @dir with the page at HL_KEY_PA mapped from
 * @shared (a file other Launchers map too), initialize and run it, and
 * wait up to @ms for it to say it is ready; false (a FAIL line named
 * @name printed) if any of that fails.
 */
bool hl_guest_start_shared(struct hl_guest *g, const char *dir, int shared,
			   const char *name, long ms);
/* Has the console said @text yet?  Wait up to @ms for it. */
bool hl_console_wait(struct hl_guest *g, const char *text, long ms);
/* Have the running Guest do a command; false if no ack within @ms. */
bool hl_cmd(struct hl_guest *g, uint32_t op, uint32_t a0, uint32_t a1,
	    uint32_t a2, long ms, uint32_t *result);
/* Wait up to @ms for the Guest's OUT[1] to be @want (its count moving). */
bool hl_out_wait(struct hl_guest *g, uint32_t want, long ms);
_Atomic uint32_t *hl_word(struct hl_guest *g, uint32_t gpa);
void hl_guest_free(struct hl_guest *g);

#endif /* _HOSTILE_H */
