// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz: a hypercall fuzzer Guest.  A seeded PRNG (splitmix64) picks
 * operations: hypercalls (valid and invalid numbers, random and boundary
 * arguments), page-table updates on tables in our own memory, GDT, TLS and
 * IDT loads, the async hypercall ring, DMA binds and sends, segment loads,
 * far returns and iret frames (to ring 1 and ring 3).
 *
 * Most operations are "safe": a correct Host lets us live through them,
 * and where the result is defined (a probe through our own page tables)
 * we check it.  One in "risk" operations is "risky" and may well get us
 * killed: we say so first ("fuzz: risky NAME at CALLS").  Between
 * operations we check that we are alive (our segments and stack, traps
 * still delivered, the wall clock answering) and that a sentinel area of
 * our memory is unchanged.  Anything wrong is "FUZZ-CORRUPT ..." and a
 * crash.
 *
 * Command line: seed=N calls=N risk=N trace.  We print the seed first,
 * "fuzz: at CALLS" now and then, and at the end "fuzz: done ..." and power
 * off.  "trace" prints every hypercall before it is made.  The Guest wants
 * 32 MB: it uses the first 16 MB and reads 8-16 MB as untouched memory.
 */
#include "runtime.h"

#define VA_A		0x40000000U	/* zone A: through fpt, probed */
#define ZONE_A_PAGES	32
#define PDE_B_FIRST	512		/* zone B: random entries, unprobed */
#define PDE_B_NUM	256
#define NSCRATCH	8
#define NSENT		4096
#define NDIRS		6
#define EMPTY_FIRST	0x800000U	/* 8-16 MB: memory nobody writes */
#define EMPTY_PAGES	2048
#define MAPPED_PAGES	4096		/* the first 16 MB */
#define FLAT_CODE0	20		/* GDT entries we keep flat */
#define FLAT_CODE1	21
#define FLAT_DATA	22
#define GDT_FIXED	23
#define USER_MAGIC	0x5EC0DE

static u64 rng;
static u32 seed = 1, budget = 10000, risk = 200, trace;
static u32 calls, ops, last_clock, ring_next, pde_a_stale;
static const char *risky_name = "";

static u32 sentinel[NSENT] __attribute__((aligned(4096)));
static u32 scratch[NSCRATCH][1024] __attribute__((aligned(4096)));
static u32 fpt[1024] __attribute__((aligned(4096)));
static u8 fpt_stale[ZONE_A_PAGES];
static u32 fdir[NDIRS][1024] __attribute__((aligned(4096)));
static u32 fdir_pt[NDIRS][1024] __attribute__((aligned(4096)));
static u64 fgdt[32];
static u32 fgdt_num = 32;
static u64 ftls[3];
static int tls_last;	/* LOAD_TLS came after LOAD_GDT */
static struct lguest_dma fdma[2], frecv[4];
static char kstack[8192] __attribute__((aligned(16)));
char fz_ustack[4096] __attribute__((aligned(4096)));
u32 fz_saved_esp, fz_uss, fz_uesp, fz_uflags;
static volatile u32 user_calls;
extern char stack_top[], noirq_start[], noirq_end[];

void fz_enter_user(void);
void fz_back(void);
void fz_user_code(void);

/*
 * Ring 3 and back: iret to fz_user_code with the frame in fz_u*, which
 * makes system call 0 (int $0x80, our DPL 3 gate); the handler returns us
 * to fz_back in ring 1.  A frame the CPU refuses faults in ring 1, and
 * trap_recover brings us to fz_back as well.
 */
asm(".text\n"
	"fz_enter_user:\n"
	"	pushl %ebp; pushl %ebx; pushl %esi; pushl %edi\n"
	"	movl %esp, fz_saved_esp\n"
	"	movl $0x7b, %eax; movl %eax, %ds; movl %eax, %es\n"
	"	pushl fz_uss; pushl fz_uesp; pushl fz_uflags; pushl $0x73\n"
	"	pushl $fz_user_code\n"
	"	movl $fz_back, trap_recover\n"
	"	iret\n"
	"fz_user_code:\n"
	"	movl $0x5EC0DE, %eax; int $0x80\n"
	"1:	jmp 1b\n"
	"fz_back:\n"
	"	movl $0x69, %eax; movl %eax, %ds; movl %eax, %es\n"
	"	movl $0, trap_recover\n"
	"	movl fz_saved_esp, %esp\n"
	"	popl %edi; popl %esi; popl %ebx; popl %ebp\n"
	"	ret\n");

static void user_hook(struct trap_frame *f)
{
	if (f->vec != 0x80 || f->eax != USER_MAGIC)
		return;
	user_calls++;
	f->cs = KERNEL_CS;
	f->eip = (u32)fz_back;
}

/* --- Random numbers ----------------------------------------------------- */
static u32 rnd(void)
{
	u64 z = (rng += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return (u32)((z ^ (z >> 31)) >> 32);
}

static u32 below(u32 n)
{
	return rnd() % n;
}

static int chance(u32 n)
{
	return below(n) == 0;
}

static const u32 edges[] = {
	0, 1, 2, 3, 4, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 0x7F, 0x80,
	0xFF, 0x100, 0x3FF, 0x400, 0xFFF, 0x1000, 0x1001, 0xFFFF, 0x10000,
	0x3FFFFF, 0x400000, 0xFFFFFF, 0x1000000, 0x1FFFFFF, 0x2000000,
	0x7FFFFFFF, 0x80000000U, 0xBFFFFFFFU, 0xC0000000U, 0xFFFFF000U,
	0xFFFFFFFCU, 0xFFFFFFFEU, 0xFFFFFFFFU,
};
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define NEDGES	ARRAY_SIZE(edges)

/* A random or boundary value. */
static u32 rval(void)
{
	switch (below(4)) {
	case 0:
		return edges[below(NEDGES)];
	case 1:
		return edges[below(NEDGES)] +
		       below(3) - 1;
	case 2:
		return rnd() & 0xFFF;
	default:
		return rnd();
	}
}

/* --- Reporting ---------------------------------------------------------- */
static u32 hc(u32 call, u32 a1, u32 a2, u32 a3)
{
	calls++;
	if (trace)
		printk("fuzz: #%u hcall %u %x %x %x\n", calls, call, a1, a2, a3);
	return hcall(call, a1, a2, a3);
}

static __attribute__((noreturn)) void corrupt(const char *what, u32 a, u32 b)
{
	printk("FUZZ-CORRUPT seed %u call %u: %s (%x, %x) after %s\n", seed,
	       calls, what, a, b, risky_name[0] ? risky_name : "safe ops");
	crash("fuzz: the Guest found its memory or state corrupted");
}

static void risky(const char *name)
{
	risky_name = name;
	printk("fuzz: risky %s at %u\n", name, calls);
}

/* --- Checks between operations ------------------------------------------ */
static u32 sentinel_word(u32 i)
{
	return (i * 0x9E3779B1U) ^ 0xA5C3F00DU ^ (i << 17);
}

static void check_sentinel(void)
{
	u32 i;

	for (i = 0; i < NSENT; i++)
		if (sentinel[i] != sentinel_word(i))
			corrupt("sentinel word changed", i, sentinel[i]);
}

static void check_alive(void)
{
	u32 cs, ds, ss, es, esp, before;

	asm volatile("movl %%cs, %0; movl %%ds, %1; movl %%ss, %2; "
		     "movl %%es, %3; movl %%esp, %4"
		     : "=r" (cs), "=r" (ds), "=r" (ss), "=r" (es), "=r" (esp));
	if ((cs & 0xFFFF) != KERNEL_CS || (ds & 0xFFFF) != KERNEL_DS ||
	    (ss & 0xFFFF) != KERNEL_DS || (es & 0xFFFF) != KERNEL_DS)
		corrupt("segment registers", cs << 16 | (ds & 0xFFFF),
			ss << 16 | (es & 0xFFFF));
	if (esp > (u32)stack_top || esp < (u32)stack_top - 16384)
		corrupt("stack pointer", esp, (u32)stack_top);
	if (ops % 64)
		return;
	before = trap_count;
	asm volatile("int3");
	if (trap_count != before + 1 || trap_vec != 3)
		corrupt("int3 not delivered", trap_count, trap_vec);
	before = hc(LHCALL_GET_WALLCLOCK, 0, 0, 0);
	if (before < 1500000000U || before < last_clock)
		corrupt("wall clock", before, last_clock);
	last_clock = before;
}

/* --- Probes through our page tables ------------------------------------- */
static u32 probed;

static u32 probe_read(u32 va)
{
	u32 v = 0xDEADBEEF;

	trap_vec = ~0U;
	asm volatile("movl %%esp, trap_esp\n\tmovl $9f, trap_recover\n\t"
		     "movl (%1), %0\n9:\n\tmovl trap_esp, %%esp\n\t"
		     "movl $0, trap_recover"
		     : "+r" (v) : "r" (va) : "memory");
	probed = v;
	return trap_vec;
}

static u32 probe_write(u32 va, u32 v)
{
	return TRAP_OF("movl %0, (%1)", "r" (v), "r" (va) : "memory");
}

static u32 pfn_of(const void *p)
{
	return __pa(p) >> 12;
}

/* Where a zone A entry points: what we may expect of it. */
enum target { T_NONE, T_SCRATCH, T_CONST, T_ANY };

static enum target classify(u32 pfn)
{
	u32 s = pfn_of(scratch);

	if (pfn >= s && pfn < s + NSCRATCH)
		return T_SCRATCH;
	if ((pfn >= EMPTY_FIRST >> 12 && pfn < (EMPTY_FIRST >> 12) + EMPTY_PAGES) ||
	    (pfn >= pfn_of(sentinel) && pfn < pfn_of(sentinel) + NSENT / 1024))
		return T_CONST;
	return T_ANY;
}

static u32 random_pte(void)
{
	u32 pfn, flags = rnd() & 0xFFE;

	switch (below(8)) {
	case 0:
		return rnd() & ~1U;
	case 1: case 2: case 3:
		pfn = pfn_of(scratch) + below(NSCRATCH);
		break;
	case 4:
		pfn = pfn_of(sentinel) + below(NSENT / 1024);
		flags &= ~2U;
		break;
	case 5:
		pfn = (EMPTY_FIRST >> 12) + below(EMPTY_PAGES);
		flags &= ~2U;
		break;
	default:
		pfn = below(MAPPED_PAGES);
		flags &= ~2U;
	}
	return pfn << 12 | flags | 1;
}

static void probe_zone_a(u32 i)
{
	u32 pte = fpt[i], pde = kpgd[VA_A >> 22];
	u32 off = (rnd() & 0xFFC), va = VA_A + i * PAGE_SIZE + off;
	enum target t = (pte & 1) ? classify(pte >> 12) : T_NONE;
	int known = !fpt_stale[i] && !pde_a_stale;
	u32 *direct = __va((pte & 0xFFFFF000U) + off);
	u32 v, want;

	if (chance(2) && (t == T_SCRATCH || t == T_NONE || !(pte & 2))) {
		want = rnd();
		v = probe_write(va, want);
		if (!known)
			return;
		if ((pte & 1) && (pte & pde & 2)) {
			if (v != ~0U)
				corrupt("write to a writable page faulted", va, v);
			if (*direct != want)
				corrupt("write went elsewhere", va, *direct);
			if ((fpt[i] & 0x60) != 0x60)
				corrupt("dirty/accessed bits not set", va, fpt[i]);
		} else if (v != 14 || trap_cr2 != va ||
			   (trap_err & 3) != (2 | (pte & 1))) {
			corrupt("write should have page-faulted", va,
				v << 16 | trap_err);
		}
		return;
	}
	v = probe_read(va);
	if (!known)
		return;
	if (!(pte & 1)) {
		if (v != 14 || trap_cr2 != va || (trap_err & 3) != 0)
			corrupt("read of a not-present page", va,
				v << 16 | trap_err);
		return;
	}
	if (v != ~0U)
		corrupt("read of a present page faulted", va, v << 16 | trap_err);
	if (!(fpt[i] & 0x20))
		corrupt("accessed bit not set", va, fpt[i]);
	if ((t == T_SCRATCH || t == T_CONST) && probed != *direct)
		corrupt("stale or wrong page mapped", va, probed);
}

/* --- Operations --------------------------------------------------------- */
static void queue(u32 call, u32 a1, u32 a2, u32 a3)
{
	struct hcall_ring *r = &lguest_data.hcalls[ring_next];

	if (lguest_data.hcall_status[ring_next] == LHCALL_STATUS_PENDING)
		hc(LHCALL_FLUSH_ASYNC, 0, 0, 0);
	if (lguest_data.hcall_status[ring_next] == LHCALL_STATUS_PENDING)
		return;
	calls++;
	r->eax = call;
	r->edx = a1;
	r->ebx = a2;
	r->ecx = a3;
	asm volatile("" ::: "memory");
	lguest_data.hcall_status[ring_next] = LHCALL_STATUS_PENDING;
	ring_next = (ring_next + 1) % LHCALL_RING_SIZE;
}

static void op_pte(void)
{
	u32 i = below(ZONE_A_PAGES), pte = random_pte(), n;

	fpt[i] = pte;
	switch (below(5)) {
	case 0: case 1:
		hc(LHCALL_SET_PTE, __pa(kpgd), VA_A + i * PAGE_SIZE, pte);
		fpt_stale[i] = 0;
		break;
	case 2: {
		u32 slot = ring_next;

		queue(LHCALL_SET_PTE, __pa(kpgd), VA_A + i * PAGE_SIZE, pte);
		hc(LHCALL_FLUSH_ASYNC, 0, 0, 0);
		fpt_stale[i] = lguest_data.hcall_status[slot] !=
			       LHCALL_STATUS_DONE;
		break;
	}
	case 3:
		hc(LHCALL_FLUSH_TLB, below(2), 0, 0);
		memset(fpt_stale, 0, sizeof(fpt_stale));
		break;
	default:
		/* Behind the Host's back: nothing may be expected. */
		fpt_stale[i] = 1;
	}
	for (n = below(4); n; n--)
		probe_zone_a(chance(2) ? i : below(ZONE_A_PAGES));
}

static void op_pmd(void)
{
	u32 idx;

	switch (below(4)) {
	case 0:
		/* Zone A's entry, with other flags (it stays present). */
		kpgd[VA_A >> 22] = __pa(fpt) | 1 | (rnd() & 0x3E);
		hc(LHCALL_SET_PMD, __pa(kpgd), VA_A >> 22, 0);
		pde_a_stale = 0;
		memset(fpt_stale, 0, sizeof(fpt_stale));
		break;
	case 1:
		/* Zone B: never touched, so anything may be there. */
		idx = PDE_B_FIRST + below(PDE_B_NUM);
		switch (below(3)) {
		case 0:
			/*
			 * Never a page table in memory we use: the Host
			 * would set accessed bits in it.
			 */
			kpgd[idx] = rnd();
			if ((kpgd[idx] >> 12) < 0x2000)
				kpgd[idx] = EMPTY_FIRST + (kpgd[idx] & 0x7FF07F);
			break;
		case 1:
			kpgd[idx] = (EMPTY_FIRST + below(EMPTY_PAGES) * PAGE_SIZE) |
				    (rnd() & 0x7F);
			break;
		default:
			kpgd[idx] = 0;
		}
		hc(LHCALL_SET_PMD, __pa(kpgd), idx, 0);
		break;
	case 2:
		/* Any entry of any directory: the Host only forgets. */
		hc(LHCALL_SET_PMD, chance(2) ? __pa(kpgd) : rval(), below(1024),
		   0);
		break;
	default:
		hc(LHCALL_SET_PTE, chance(2) ? __pa(kpgd) : rval(), rval(),
		   rval());
		/* A kernel address makes every shadow forget it. */
		break;
	}
	probe_zone_a(below(ZONE_A_PAGES));
}

/* Switch to one of our other directories, probe it, and come back. */
static void op_pgdir(void)
{
	u32 j = below(NDIRS), k = below(NSCRATCH), off = rnd() & 0xFFC, v;
	u32 *s = &scratch[(j + k) % NSCRATCH][off / 4];

	hc(LHCALL_NEW_PGTABLE, __pa(fdir[j]), 0, 0);
	if (chance(2)) {
		u32 want = rnd();

		v = probe_write(VA_A + k * PAGE_SIZE + off, want);
		if (v != ~0U || *s != want)
			corrupt("write through another directory", v, *s);
	} else {
		v = probe_read(VA_A + k * PAGE_SIZE + off);
		if (v != ~0U || probed != *s)
			corrupt("read through another directory", v, probed);
	}
	hc(LHCALL_NEW_PGTABLE, __pa(kpgd), 0, 0);
	if (chance(4))
		hc(LHCALL_FLUSH_TLB, 1, 0, 0);
}

/* A code or data descriptor (or a not-present one): nothing forbidden. */
static u64 random_desc(void)
{
	u32 base = rval(), limit = rnd() & 0xFFFFF;
	u64 d = (limit & 0xFFFF) | ((u64)(base & 0xFFFFFF) << 16) |
		((u64)(rnd() & 0xF) << 40) | (1ULL << 44) |
		((u64)below(4) << 45) | ((u64)(limit >> 16) << 48) |
		((u64)(rnd() & 0xF) << 52) | ((u64)(base >> 24) << 56);

	if (chance(4))
		d &= ~(1ULL << 47);
	else
		d |= 1ULL << 47;
	if (chance(8))
		d = (u64)rnd() << 32 | rnd();
	if (!(d & (1ULL << 44)))
		d &= ~(1ULL << 47);
	return d;
}

static void fixed_gdt(void)
{
	fgdt[12] = 0x00CFBB000000FFFFULL;
	fgdt[13] = 0x00CFB3000000FFFFULL;
	fgdt[14] = 0x00CFFB000000FFFFULL;
	fgdt[15] = 0x00CFF3000000FFFFULL;
	fgdt[FLAT_CODE0] = 0x00CF9B000000FFFFULL;
	fgdt[FLAT_CODE1] = 0x00CFBB000000FFFFULL;
	fgdt[FLAT_DATA] = 0x00CFB3000000FFFFULL;
}

static void op_gdt(void)
{
	u32 i, n = below(6);

	for (i = 0; i < n; i++)
		fgdt[below(32)] = random_desc();
	fixed_gdt();
	fgdt_num = GDT_FIXED + below(32 - GDT_FIXED + 1);
	hc(LHCALL_LOAD_GDT, __pa(fgdt), fgdt_num, 0);
	tls_last = 0;
}

static void op_tls(void)
{
	ftls[below(3)] = random_desc();
	hc(LHCALL_LOAD_TLS, __pa(ftls), rval(), rval());
	tls_last = 1;
}

/* The descriptor the CPU sees for @sel, as far as we know it. */
static u64 desc_of(u32 sel)
{
	u32 i = (sel & 0xFFFF) >> 3;

	if ((sel & 4) || i >= fgdt_num || i == 2 || i == 3 || i >= 32)
		return 0;
	/* The TLS entries are whichever of LOAD_GDT or LOAD_TLS came last. */
	if (i >= 6 && i <= 8 && tls_last)
		return ftls[i - 6];
	return fgdt[i];
}

/* A far return or iret to @sel either faults or lands on a flat segment. */
static int cs_safe(u32 sel)
{
	u64 d = desc_of(sel);
	u32 i = (sel & 0xFFFF) >> 3;

	if ((i == FLAT_CODE0 || i == FLAT_CODE1 || i == 12) && i < fgdt_num &&
	    (sel & 3) == 1)
		return 1;
	if ((sel & 0xFFFF) < 4)
		return 1;
	/* Not present, or not a code segment: it must fault. */
	return !(d & (1ULL << 47)) || !(d & (1ULL << 44)) || !(d & (1ULL << 43));
}

static u32 random_sel(void)
{
	switch (below(4)) {
	case 0:
		return below(32) << 3 | below(4);
	case 1:
		return (FLAT_CODE0 + below(3)) << 3 | 1;
	case 2:
		return rnd() & 0xFFFF;
	default:
		return edges[below(NEDGES)] & 0xFFFF;
	}
}

static void op_seg(void)
{
	u32 sel = random_sel(), irq = lguest_data.irq_enabled;
	u32 flags = (rnd() & 0x00254CD5) | 2;	/* no TF, IF, IOPL, VM */

	/* No interrupt may arrive while a data segment is borrowed. */
	lguest_data.irq_enabled = 0;
	switch (below(7)) {
	case 0:
		TRAP_OF("movw %w0, %%ds; movw %w1, %%ds", "r" (sel),
			"r" (KERNEL_DS));
		break;
	case 1:
		TRAP_OF("movw %w0, %%es; movw %w1, %%es", "r" (sel),
			"r" (KERNEL_DS));
		break;
	case 2:
		TRAP_OF("movw %w0, %%ss; movw %w1, %%ss", "r" (sel),
			"r" (KERNEL_DS));
		break;
	case 3:
		/* fs and gs keep what they got: the Host must cope. */
		TRAP_OF("movw %w0, %%fs", "r" (sel));
		break;
	case 4:
		TRAP_OF("movw %w0, %%gs", "r" (sel));
		break;
	case 5:
		if (!cs_safe(sel))
			sel = KERNEL_CS;
		TRAP_OF("pushl %0; pushl $1f; lret; 1: pushl $0x61; "
			"pushl $9f; lret", "r" (sel) : "memory");
		break;
	default:
		if (!cs_safe(sel))
			sel = FLAT_CODE1 << 3 | 1;
		TRAP_OF("pushl %1; pushl %0; pushl $1f; iret; 1: pushl $0x61; "
			"pushl $9f; lret", "r" (sel), "r" (flags) : "memory");
		asm volatile("pushl $2; popfl" ::: "cc");
		break;
	}
	lguest_data.irq_enabled = irq;
}

static void op_ring3(void)
{
	u32 irq = lguest_data.irq_enabled;

	fz_uss = chance(4) ? random_sel() : USER_DS;
	fz_uesp = chance(4) ? rval() : (u32)fz_ustack + sizeof(fz_ustack);
	fz_uflags = ((rnd() & 0x00254CD5) | 0x202) & ~0x100U;
	lguest_data.irq_enabled = 0;
	irq_hook = user_hook;
	fz_enter_user();
	irq_hook = 0;
	lguest_data.irq_enabled = irq;
	trap_recover = 0;
	asm volatile("pushl $2; popfl" ::: "cc");
}

static void op_idt(void)
{
	u32 vec = 64 + below(192), lo = rval(), hi = rval();
	u32 irq = lguest_data.irq_enabled;

	if (vec == 0x80)
		vec = 0x81;
	/* Present gates must be interrupt or trap gates. */
	if (hi & 0x8000)
		hi = (hi & ~0x1F00U) | (chance(2) ? 0xE00 : 0xF00);
	if (chance(3)) {
		/* One of ours, garbage for a moment (no interrupt), then back. */
		vec = below(64);
		lguest_data.irq_enabled = 0;
		hc(LHCALL_LOAD_IDT_ENTRY, vec, lo, hi);
		set_gate(vec, stub_for(vec), vec == 3 || vec == 4 ? 3 : 0,
			 chance(2));
		calls++;
		lguest_data.irq_enabled = irq;
		return;
	}
	hc(LHCALL_LOAD_IDT_ENTRY, vec, lo, hi);
}

static void op_stack(void)
{
	hc(LHCALL_SET_STACK, (rnd() & 0xFFFC) | 1, rval(), rval());
	hc(LHCALL_SET_STACK, KERNEL_DS, (u32)kstack + sizeof(kstack), 2);
}

static void op_clock(void)
{
	u32 irq = lguest_data.irq_enabled;

	switch (below(4)) {
	case 0:
		hc(LHCALL_SET_CLOCKEVENT, rval(), rval(), rval());
		break;
	case 1:
		lguest_data.irq_enabled = chance(2) ? 0x200 : 0;
		lguest_data.blocked_interrupts[0] = chance(2) ? 0 : rnd();
		break;
	default:
		/*
		 * Sleep until a near timer: nothing queued may cancel it, and
		 * it must not be taken before we halt (a halted Guest wakes
		 * for it even with interrupts off).
		 */
		hc(LHCALL_FLUSH_ASYNC, 0, 0, 0);
		lguest_data.irq_enabled = 0;
		lguest_data.blocked_interrupts[0] &= ~1U;
		hc(LHCALL_SET_CLOCKEVENT, 1000 + below(100000), 0, 0);
		hc(LHCALL_HALT, rval(), rval(), rval());
		lguest_data.irq_enabled = irq;
	}
}

static const u32 harmless[] = {
	LHCALL_FLUSH_ASYNC, LHCALL_FLUSH_TLB, LHCALL_TS, LHCALL_GET_WALLCLOCK,
};

static void op_misc(void)
{
	hc(harmless[below(4)], rval(), rval(), rval());
}

/* A call that is harmless whenever the Host gets round to running it. */
static void timeless_call(u32 *c, u32 *a1, u32 *a2, u32 *a3)
{
	*a1 = rval();
	*a2 = rval();
	*a3 = rval();
	switch (below(6)) {
	case 0:
		*c = LHCALL_SET_PTE;
		break;
	case 1:
		*c = LHCALL_SET_PMD;
		*a2 = below(1024);
		break;
	case 2:
		*c = LHCALL_LOAD_IDT_ENTRY;
		*a1 = 0x81 + below(0x7F);
		*a3 = (*a3 & ~0x9F00U) | 0x8E00;
		break;
	default:
		*c = harmless[below(4)];
	}
}

static void op_async(void)
{
	u32 n = 1 + below(LHCALL_RING_SIZE + 8), c, a1, a2, a3, slot;

	while (n--) {
		timeless_call(&c, &a1, &a2, &a3);
		if (chance(4)) {
			/* A random slot, if it is free. */
			slot = below(LHCALL_RING_SIZE);
			if (lguest_data.hcall_status[slot] ==
			    LHCALL_STATUS_PENDING)
				continue;
			lguest_data.hcalls[slot].eax = c;
			lguest_data.hcalls[slot].edx = a1;
			lguest_data.hcalls[slot].ebx = a2;
			lguest_data.hcalls[slot].ecx = a3;
			asm volatile("" ::: "memory");
			lguest_data.hcall_status[slot] = chance(4) ?
				(u8)(1 + below(0xFE)) : LHCALL_STATUS_PENDING;
			calls++;
		} else {
			queue(c, a1, a2, a3);
		}
	}
	if (chance(2))
		hc(LHCALL_FLUSH_ASYNC, 0, 0, 0);
}

/* A DMA descriptor whose sections are all inside our first 16 MB. */
static void fill_dma(struct lguest_dma *d, int inside)
{
	u32 i, n = below(LGUEST_MAX_DMA_SECTIONS + 1), len;

	memset(d, 0, sizeof(*d));
	d->used_len = chance(2) ? 0 : rnd();
	for (i = 0; i < n; i++) {
		len = chance(4) ? rnd() & 0xFFFF : rnd() & 0xFFF;
		d->addr[i] = inside ? below(MAPPED_PAGES * PAGE_SIZE - 0x10000)
				    : rval();
		d->len[i] = len ? len : 1;
	}
}

static u32 scratch_key(void)
{
	return __pa(scratch) + 4 + below(NSCRATCH * PAGE_SIZE - 8);
}

static void op_dma(void)
{
	u32 i;

	switch (below(4)) {
	case 0:
		for (i = 0; i < 4; i++)
			fill_dma(&frecv[i], chance(2));
		hc(LHCALL_BIND_DMA, scratch_key(), __pa(frecv),
		   (1 + below(4)) << 8 | below(LGUEST_IRQS));
		break;
	case 1:
		/* Unbinding anything is harmless. */
		hc(LHCALL_BIND_DMA, chance(2) ? scratch_key() : rval(), rval(),
		   rval() & 0xFF);
		break;
	default:
		fill_dma(&fdma[0], 1);
		hc(LHCALL_SEND_DMA, scratch_key(), __pa(&fdma[0]), rval());
	}
}

/* --- Risky operations: a correct Host may kill us for these ------------- */
static void op_risky(void)
{
	u32 v;

	switch (below(16)) {
	case 0:
		risky("bad-hypercall");
		hc(chance(2) ? LHCALL_NR + below(64) : rnd() | 0x80, rval(),
		   rval(), rval());
		break;
	case 1:
		risky("init-again");
		hc(LHCALL_LGUEST_INIT, chance(2) ? __pa(&lguest_data) : rval(),
		   0, 0);
		break;
	case 2:
		risky("crash");
		hc(LHCALL_CRASH, chance(2) ? __pa("fuzz: crash on purpose") :
		   rval(), 0, 0);
		break;
	case 3:
		risky("gdt");
		/*
		 * Anything at all, but where we run (12, 13) only what must
		 * kill us: we could not go on with other bases there.
		 */
		v = below(32);
		if (v == 12 || v == 13)
			fgdt[v] = random_desc() & ~(1ULL << 47);
		else
			fgdt[v] = (u64)rnd() << 32 | rnd();
		hc(LHCALL_LOAD_GDT, chance(8) ? rval() : __pa(fgdt),
		   chance(4) ? rval() : 32, 0);
		/* Still alive: back to a GDT we know all about. */
		fixed_gdt();
		for (v = 0; v < 32; v++)
			if ((fgdt[v] & (1ULL << 47)) && !(fgdt[v] & (1ULL << 44)))
				fgdt[v] = 0;
		hc(LHCALL_LOAD_GDT, __pa(fgdt), fgdt_num, 0);
		tls_last = 0;
		break;
	case 4:
		risky("gdt-cs-limit");
		fgdt[12] = 0x004FBB000000FFFFULL;
		hc(LHCALL_LOAD_GDT, __pa(fgdt), 32, 0);
		fixed_gdt();
		break;
	case 5:
		risky("tls");
		ftls[below(3)] = (u64)rnd() << 32 | rnd();
		hc(LHCALL_LOAD_TLS, chance(2) ? __pa(ftls) : rval(), 0, 0);
		memset(ftls, 0, sizeof(ftls));
		hc(LHCALL_LOAD_TLS, __pa(ftls), 0, 0);
		tls_last = 1;
		break;
	case 6:
		risky("idt");
		hc(LHCALL_LOAD_IDT_ENTRY, chance(2) ? 256 + rval() : 64,
		   rval(), rval() | 0x8000);
		break;
	case 7:
		risky("pgdir");
		v = rval();
		if (!(v & 0xFFF) && v < 0x4000000)
			v |= 1 << below(12);
		hc(LHCALL_NEW_PGTABLE, v, 0, 0);
		break;
	case 8:
		risky("pmd-index");
		hc(LHCALL_SET_PMD, __pa(kpgd), 1024 + rval(), 0);
		break;
	case 9:
		risky("zone-b-read");
		probe_read((PDE_B_FIRST + below(PDE_B_NUM)) << 22 | (rnd() & 0x3FFFFC));
		break;
	case 10:
		risky("send-dma");
		fill_dma(&fdma[1], 0);
		/* A descriptor elsewhere is beyond our memory: used_len. */
		hc(LHCALL_SEND_DMA, chance(2) ? scratch_key() : rval(),
		   chance(4) ? rval() | 0x4000000 : __pa(&fdma[1]), 0);
		break;
	case 11:
		risky("bind-dma");
		hc(LHCALL_BIND_DMA, chance(2) ? scratch_key() : rval(),
		   chance(2) ? __pa(frecv) : rval(),
		   (1 + below(300)) << 8 | (chance(2) ? rval() & 0xFF : 1));
		break;
	case 12:
		risky("async-ring");
		queue(chance(2) ? LHCALL_NR + below(100) : LHCALL_LGUEST_INIT,
		      rval(), rval(), rval());
		hc(LHCALL_FLUSH_ASYNC, 0, 0, 0);
		break;
	case 13:
		risky("stack");
		hc(LHCALL_SET_STACK, chance(2) ? rnd() & 0xFFFF : KERNEL_DS,
		   (PDE_B_FIRST + below(PDE_B_NUM)) << 22, rval());
		op_ring3();
		hc(LHCALL_SET_STACK, KERNEL_DS, (u32)kstack + sizeof(kstack), 2);
		break;
	case 14:
		risky("no-gate");
		hc(LHCALL_LOAD_IDT_ENTRY, 6, 0, 0);
		asm volatile("ud2");
		break;
	default:
		risky("lguest-data");
		lguest_data.noirq_start = rval();
		lguest_data.noirq_end = rval();
		lguest_data.irq_enabled = 0;
		lguest_data.blocked_interrupts[0] = 0;
		hc(LHCALL_SET_CLOCKEVENT, 100, 0, 0);
		hc(LHCALL_HALT, 0, 0, 0);
		lguest_data.noirq_start = (u32)noirq_start;
		lguest_data.noirq_end = (u32)noirq_end;
		break;
	}
	risky_name = "";
}

/* --- Setup -------------------------------------------------------------- */
static u32 number(const char *s)
{
	u32 v = 0;

	while (*s >= '0' && *s <= '9')
		v = v * 10 + (*s++ - '0');
	return v;
}

static int word_is(const char *s, const char *w)
{
	while (*w && *s == *w) {
		s++;
		w++;
	}
	return !*w;
}

static void parse_cmdline(void)
{
	const char *c = cmdline();

	while (*c) {
		while (*c == ' ')
			c++;
		if (word_is(c, "seed="))
			seed = number(c + 5);
		else if (word_is(c, "calls="))
			budget = number(c + 6);
		else if (word_is(c, "risk="))
			risk = number(c + 5);
		else if (word_is(c, "trace"))
			trace = 1;
		while (*c && *c != ' ')
			c++;
	}
	if (!risk)
		risk = 1;
}

static void setup(void)
{
	u32 i, j;

	for (i = 0; i < NSENT; i++)
		sentinel[i] = sentinel_word(i);
	own_pagetables();
	kpgd[VA_A >> 22] = __pa(fpt) | 7;
	hc(LHCALL_SET_PMD, __pa(kpgd), VA_A >> 22, 0);
	for (j = 0; j < NDIRS; j++) {
		memcpy(fdir[j], kpgd, sizeof(kpgd));
		fdir[j][VA_A >> 22] = __pa(fdir_pt[j]) | 7;
		for (i = 0; i < NSCRATCH; i++)
			fdir_pt[j][i] = __pa(scratch[(j + i) % NSCRATCH]) | 7;
	}
	fixed_gdt();
	hc(LHCALL_LOAD_GDT, __pa(fgdt), fgdt_num, 0);
	hc(LHCALL_SET_STACK, KERNEL_DS, (u32)kstack + sizeof(kstack), 2);
	rng = (u64)seed * 0x2545F4914F6CDD1DULL + 0x1234567;
}

void guest_main(void)
{
	parse_cmdline();
	printk("fuzz: seed %u calls %u risk %u\n", seed, budget, risk);
	setup();
	while (calls < budget) {
		ops++;
		if (chance(risk)) {
			op_risky();
		} else {
			switch (below(16)) {
			case 0: case 1: case 2:
				op_pte();
				break;
			case 3: case 4:
				op_pmd();
				break;
			case 5:
				op_pgdir();
				break;
			case 6:
				op_gdt();
				break;
			case 7:
				op_tls();
				break;
			case 8: case 9:
				op_seg();
				break;
			case 10:
				op_ring3();
				break;
			case 11:
				op_idt();
				break;
			case 12:
				op_stack();
				op_clock();
				break;
			case 13:
				op_async();
				break;
			case 14:
				op_dma();
				break;
			default:
				op_misc();
			}
		}
		check_alive();
		if (!(ops % 16))
			check_sentinel();
		if (!(ops % 256))
			printk("fuzz: at %u\n", calls);
	}
	check_sentinel();
	printk("fuzz: done seed %u calls %u ops %u user-calls %u\n", seed,
	       calls, ops, user_calls);
}
