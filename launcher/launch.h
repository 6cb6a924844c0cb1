/* SPDX-License-Identifier: GPL-2.0 */
/*
 * launch.h - what the parts of the Launcher that build and run a Guest
 * share with each other.
 */
#ifndef _LGUEST_LAUNCH_H
#define _LGUEST_LAUNCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "args.h"
#include "boot.h"

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

/* Guest-physical layout the Launcher creates (see boot.c). */
#define GUEST_PAGE_SIZE		BOOT_PAGE_SIZE
#define GUEST_BOOT_PARAMS	BOOT_PARAMS_ADDR
#define GUEST_CMDLINE		BOOT_CMDLINE_ADDR

struct guest {
	int lguest_fd;
	bool verbose;
	unsigned char *mem;		/* Launcher address of Guest-physical 0 */
	unsigned long mem_size;		/* bytes of ordinary memory */
	unsigned long pfn_limit;	/* pages the Guest may use, devices too */
	unsigned long device_pages;	/* pages devices took above the descriptors */
	unsigned long entry;		/* Guest-virtual entry point */
	unsigned long page_offset;	/* where the kernel maps memory */
	unsigned long pgdir;		/* Guest-physical initial page directory */
	struct boot_layout layout;	/* where everything is */
};

/* Print a message and exit with @status. */
void __attribute__((noreturn, format(printf, 2, 3)))
launch_die(int status, const char *fmt, ...);

/* Guest-physical to Launcher address, checking that [gpa, gpa+len) fits. */
void *guest_ptr(const struct guest *g, unsigned long gpa, unsigned long len);
bool guest_range_ok(const struct guest *g, unsigned long gpa,
		    unsigned long len);

void map_guest_memory(struct guest *g, unsigned long mem_mb);
void plan_guest_memory(struct guest *g, const char *initrd);
void load_initrd(struct guest *g, const char *path);
void setup_boot_params(struct guest *g, const char *cmdline);
void setup_pagetables(struct guest *g);
void setup_devices(struct guest *g, const struct launch_config *cfg);
void load_kernel(struct guest *g, const char *path);
int run_guest(struct guest *g);

/* --stats (stats.c): arm the printing, then say the Host has the Guest. */
void stats_setup(void);
void stats_guest_ready(int lguest_fd);

#endif /* _LGUEST_LAUNCH_H */
