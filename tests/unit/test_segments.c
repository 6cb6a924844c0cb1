// SPDX-License-Identifier: GPL-2.0
/*
 * test_segments.c - the Host's last check before it enters a Guest
 * (host-module/segments.c, lguest_fixup_segments()), run against the
 * states a real CPU's iretq would fault on in ring 0.  QEMU's TCG lets
 * some of them through, so the QEMU bench alone could never show that
 * the Host refuses them.
 */
#include <stdarg.h>
#include <stdio.h>
#include "lg.h"
#define UNIT_PREFIX "segments"
#include "unit_test.h"

void kill_guest(struct lguest *lg, const char *fmt, ...)
{
	va_list ap;

	if (lg->dead_reason[0])
		return;
	va_start(ap, fmt);
	vsnprintf(lg->dead_reason, sizeof(lg->dead_reason), fmt, ap);
	va_end(ap);
}

bool lguest_read_mem(struct lguest *lg, void *dst, u32 gpa, u32 len)
{
	return false;
}

#define KERNEL_CS	((GUEST_GDT_KERNEL_CS << 3) | GUEST_PL)
#define KERNEL_DS	((GUEST_GDT_KERNEL_DS << 3) | GUEST_PL)
/* Ring-1 flat code and data, as lguest_setup_gdt() makes them. */
#define RING1_CODE	0x00CFBB000000FFFFULL
#define RING1_DATA	0x00CFB3000000FFFFULL
/* Ring-1 code with a 1 MiB limit (byte granularity). */
#define RING1_CODE_1M	0x004FBB000000FFFFULL

static struct lguest lg;
static struct lguest_regs regs;

static void reset(void)
{
	memset(&lg, 0, sizeof(lg));
	lguest_setup_gdt(&lg);
	memset(&regs, 0, sizeof(regs));
	regs.cs = KERNEL_CS;
	regs.ss = KERNEL_DS;
	regs.ds = KERNEL_DS;
	regs.es = KERNEL_DS;
	regs.rip = 0xC0100000;
}

/* expect NAME OK WANT: lguest_fixup_segments() says OK, reason has WANT. */
static void expect(const char *name, bool ok, const char *want)
{
	bool got = lguest_fixup_segments(&lg, &regs);

	if (ok)
		result(got && !lg.dead_reason[0], name,
		       "refused a good state: '%s'", lg.dead_reason);
	else
		result(!got && strstr(lg.dead_reason, want), name,
		       "returned %d with reason '%s', want '%s'", got,
		       lg.dead_reason, want);
}

int main(void)
{
	reset();
	expect("boot-state-accepted", true, NULL);

	/* Selectors 1-3 are null even when entry 0 holds a descriptor. */
	reset();
	lg.gdt[0] = RING1_CODE;
	regs.cs = 0x0001;
	expect("null-cs-refused", false, "bad code segment");

	reset();
	lg.gdt[0] = RING1_DATA;
	regs.ss = 0x0001;
	expect("null-ss-refused", false, "bad stack segment");

	reset();
	regs.ss = KERNEL_DS & ~3ULL;
	expect("ss-rpl-0-refused", false, "bad stack segment");

	reset();
	regs.ss = (GUEST_GDT_KERNEL_DS << 3) | 3;
	expect("ss-rpl-not-cpl-refused", false, "bad stack segment");

	reset();
	lg.gdt[GUEST_GDT_KERNEL_CS] = RING1_CODE_1M;
	regs.rip = 0xFFFFF;
	expect("eip-at-limit-accepted", true, NULL);

	reset();
	lg.gdt[GUEST_GDT_KERNEL_CS] = RING1_CODE_1M;
	regs.rip = 0x100000;
	expect("eip-past-limit-refused", false, "beyond the code segment");

	reset();
	regs.rip = 0x100000000ULL;
	expect("eip-past-4g-refused", false, "beyond the code segment");

	reset();
	lg.gdt[0] = RING1_DATA;
	regs.ds = 0x0003;
	regs.fs = 0x0001;
	expect("null-data-selectors-accepted", true, NULL);
	result(regs.ds == 0 && regs.fs == 0, "null-data-selectors-zeroed",
	       "ds %#llx fs %#llx", (unsigned long long)regs.ds,
	       (unsigned long long)regs.fs);

	reset();
	regs.cs = KERNEL_CS & ~3ULL;
	expect("cs-rpl-0-refused", false, "bad code segment");
	return failures ? 1 : 0;
}
