// SPDX-License-Identifier: GPL-2.0
/*H:600
 * Segments.
 *
 * A 32-bit Guest still uses segments: its code and stack selectors decide
 * which ring it runs in, and Linux keeps per-CPU and thread-local data at
 * segment bases.  The Guest hands us its GDT (LOAD_GDT) and its three TLS
 * entries (LOAD_TLS); we keep a checked copy which is loaded into our GDT
 * each time the Guest runs.
 *
 * The checks are what keep the Host safe.  A descriptor the Guest gives us
 * must be an ordinary code or data segment: a system descriptor (a call
 * gate, a TSS, an LDT) is refused and kills the Guest, since a gate is a
 * way into a more privileged ring.  A descriptor with privilege level 0 is
 * quietly raised to 1, where the Guest kernel lives.  The "long mode" bit
 * is always cleared: a 64-bit code segment at ring 1 could reach the whole
 * Host.  And segments are always 32-bit, because returning to a 16-bit
 * stack segment would leak the top half of a Host stack pointer.
 */
#include "lg.h"

#define DESC_P		(1ULL << 47)
#define DESC_S		(1ULL << 44)
#define DESC_CODE	(1ULL << 43)
#define DESC_CONFORM	(1ULL << 42)
#define DESC_RW		(1ULL << 41)
#define DESC_ACCESSED	(1ULL << 40)
#define DESC_L		(1ULL << 53)
#define DESC_DB		(1ULL << 54)
#define DESC_G		(1ULL << 55)
#define DESC_DPL(d)	((unsigned int)((d) >> 45) & 3)

static bool reserved_entry(unsigned int i)
{
	return i == LG_HOST_CS_ENTRY || i == LG_HOST_DS_ENTRY;
}

/* Returns false (having killed the Guest) if the descriptor is forbidden. */
static bool fixup_desc(struct lguest *lg, unsigned int i, u64 *d)
{
	if (!(*d & DESC_P))
		return true;
	if (!(*d & DESC_S)) {
		kill_guest(lg, "system descriptor in GDT entry %u", i);
		return false;
	}
	if (DESC_DPL(*d) == 0)
		*d |= (u64)GUEST_PL << 45;
	*d &= ~DESC_L;
	*d |= DESC_DB | DESC_ACCESSED;
	return true;
}

/*H:610
 * A new Guest gets Linux's boot-time layout: flat 4 GiB kernel code and
 * data segments at ring 1, in the slots where Linux keeps them.
 */
void lguest_setup_gdt(struct lguest *lg)
{
	memset(lg->gdt, 0, sizeof(lg->gdt));
	lg->gdt[GUEST_GDT_KERNEL_CS] = 0x00CFBB000000FFFFULL;
	lg->gdt[GUEST_GDT_KERNEL_DS] = 0x00CFB3000000FFFFULL;
}

void lguest_load_gdt(struct lguest *lg, u32 gpa, u32 num)
{
	u64 gdt[LG_GDT_GUEST_ENTRIES];
	unsigned int i;

	if (num > LG_GDT_GUEST_ENTRIES) {
		kill_guest(lg, "too many GDT entries %u", num);
		return;
	}
	if (!lguest_read_mem(lg, gdt, gpa, num * 8))
		return;
	for (i = 0; i < num; i++) {
		if (reserved_entry(i))
			continue;
		if (!fixup_desc(lg, i, &gdt[i]))
			return;
	}
	for (i = 0; i < LG_GDT_GUEST_ENTRIES; i++)
		if (!reserved_entry(i))
			lg->gdt[i] = i < num ? gdt[i] : 0;
}

void lguest_load_tls(struct lguest *lg, u32 gpa)
{
	u64 tls[GUEST_TLS_ENTRIES];
	unsigned int i;

	if (!lguest_read_mem(lg, tls, gpa, sizeof(tls)))
		return;
	for (i = 0; i < GUEST_TLS_ENTRIES; i++)
		if (!fixup_desc(lg, GUEST_GDT_TLS_MIN + i, &tls[i]))
			return;
	memcpy(&lg->gdt[GUEST_GDT_TLS_MIN], tls, sizeof(tls));
}

/*
 * The descriptor a selector names, or 0 (not present) if it names nothing
 * the Guest may use.  Selectors 0 to 3 are the null selector whatever their
 * RPL and whatever the Guest put in GDT entry 0: the CPU never looks at
 * entry 0, so neither may we.
 */
static u64 lookup(struct lguest *lg, u64 sel)
{
	unsigned int i = sel >> 3;

	if (i == 0 || (sel & 4) || i >= LG_GDT_GUEST_ENTRIES ||
	    reserved_entry(i))
		return 0;
	return lg->gdt[i];
}

/* The highest offset a (not expand-down) segment allows. */
static u32 desc_limit(u64 d)
{
	u32 limit = (d & 0xFFFF) | ((d >> 32) & 0xF0000);

	if (d & DESC_G)
		limit = (limit << 12) | 0xFFF;
	return limit;
}

/* Could the CPU load @sel into a data segment register at ring 0? */
static bool data_sel_ok(struct lguest *lg, u64 sel)
{
	u64 d = lookup(lg, sel);

	if (!(d & DESC_P) || !(d & DESC_S))
		return false;
	if ((d & DESC_CODE) && !(d & DESC_RW))
		return false;
	if (!((d & DESC_CODE) && (d & DESC_CONFORM)) &&
	    DESC_DPL(d) < (sel & 3))
		return false;
	return true;
}

/*H:620
 * Before every entry we check the selectors we are about to load against
 * the GDT as it is now (the Guest may have changed it since).  The
 * Switcher loads them in ring 0, where a bad selector would fault inside
 * the Switcher itself, so a bad data selector becomes the null selector
 * (the Guest faults if it uses it) and a bad code or stack selector,
 * which iretq could not load, kills the Guest.
 *
 * We check what a real CPU's iretq checks, not what an emulator happens
 * to let through: the code segment is present, 32-bit code at the
 * selector's privilege; the stack segment is not null, writable data at
 * that same privilege, with RPL equal to it; and the instruction pointer
 * is within the code segment's limit (iretq raises #GP otherwise, in
 * ring 0).  QEMU's TCG accepts a null SS and an EIP past the limit, so
 * the bench alone would never show these; tests/unit/test_segments.c
 * runs this function against them.
 */
bool lguest_fixup_segments(struct lguest *lg, struct lguest_regs *regs)
{
	unsigned int rpl = regs->cs & 3;
	u64 cs = lookup(lg, regs->cs), ss = lookup(lg, regs->ss);
	u64 *data[] = { &regs->ds, &regs->es, &regs->fs, &regs->gs };
	unsigned int i;

	regs->cs &= 0xFFFF;
	regs->ss &= 0xFFFF;
	if (rpl == 0 || !(cs & DESC_P) || !(cs & DESC_S) || !(cs & DESC_CODE) ||
	    (cs & DESC_L) ||
	    ((cs & DESC_CONFORM) ? DESC_DPL(cs) > rpl : DESC_DPL(cs) != rpl)) {
		kill_guest(lg, "bad code segment %#llx", regs->cs);
		return false;
	}
	if (regs->rip > desc_limit(cs)) {
		kill_guest(lg, "EIP %#llx beyond the code segment's limit %#x",
			   regs->rip, desc_limit(cs));
		return false;
	}
	if ((regs->ss & 3) != rpl || !(ss & DESC_P) || !(ss & DESC_S) ||
	    (ss & DESC_CODE) || !(ss & DESC_RW) || DESC_DPL(ss) != rpl) {
		kill_guest(lg, "bad stack segment %#llx", regs->ss);
		return false;
	}
	for (i = 0; i < ARRAY_SIZE(data); i++) {
		*data[i] &= 0xFFFF;
		if (*data[i] >= 4 && !data_sel_ok(lg, *data[i]))
			*data[i] = 0;
		else if (*data[i] < 4)
			*data[i] = 0;
	}
	return true;
}
