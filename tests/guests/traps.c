// SPDX-License-Identifier: GPL-2.0
/* traps: every kind of trap is reflected into our IDT; GDT and TLS loads. */
#include "runtime.h"

static u32 unmapped_target;
static u64 gdt[32];
static u32 tls_word = 0x5A5A1234;

static void expect(u32 got, u32 want, const char *name)
{
	if (got == want)
		pass(name);
	else
		fail(name, "vector %u, expected %u", got, want);
}

void guest_main(void)
{
	u32 v;

	expect(TRAP_OF("xorl %%ecx, %%ecx; divl %%ecx", : "eax", "ecx", "edx"),
	       0, "traps/divide-error");
	trap_count = 0;
	asm volatile("int3");
	check(trap_count == 1 && trap_vec == 3, "traps/breakpoint");
	expect(TRAP_OF("ud2"), 6, "traps/invalid-opcode");
	v = TRAP_OF("cli");
	check(v == 13 && trap_err == 0, "traps/gp-cli");
	v = TRAP_OF("movw $0x1234, %%ax; movw %%ax, %%ds", : "eax");
	check(v == 13 && trap_err == 0x1234, "traps/gp-bad-selector");
	v = TRAP_OF("movl (%0), %%eax", "r" (0x80000000U) : "eax");
	check(v == 14 && trap_cr2 == 0x80000000U && trap_err == 0,
	      "traps/page-fault-read");
	if (v != 14 || trap_cr2 != 0x80000000U || trap_err != 0)
		printk("  vec %u cr2 %x err %x\n", v, trap_cr2, trap_err);
	v = TRAP_OF("movl %%eax, (%0)", "r" (0x80001234U) : "eax");
	check(v == 14 && trap_cr2 == 0x80001234U && trap_err == 2,
	      "traps/page-fault-write");
	(void)unmapped_target;
	v = TRAP_OF("int $0x40");
	check(v == 13 && trap_err == (0x40 * 8 + 2), "traps/int-dpl0-vector");
	if (v != 13 || trap_err != 0x40 * 8 + 2)
		printk("  vec %u err %x\n", v, trap_err);
	v = TRAP_OF("movl $0x7fffffff, %%eax; addl %%eax, %%eax; into",
		    : "eax");
	/* "into" is invalid in 64-bit mode but fine in compatibility mode. */
	check(v == 4, "traps/overflow");

	/* A new GDT with an extra data segment at entry 20, base 0x1000. */
	gdt[12] = 0x00CFBB000000FFFFULL;
	gdt[13] = 0x00CFB3000000FFFFULL;
	gdt[20] = 0x00CFB3001000FFFFULL;
	hcall(LHCALL_LOAD_GDT, __pa(gdt), 32, 0);
	asm volatile("movw %w1, %%fs; movl %%fs:0xC0000000, %0; "
		     "xorl %%eax, %%eax; movw %%ax, %%fs"
		     : "=r" (v) : "r" (20 * 8 + 1) : "eax");
	check(v == *(u32 *)__va(0x1000), "traps/load-gdt");

	/* TLS: entry 6 with its base at tls_word. */
	{
		u32 b = (u32)&tls_word;
		u64 d = 0x00CFB3000000FFFFULL | ((u64)(b & 0xFFFFFF) << 16) |
			((u64)(b >> 24) << 56);
		u64 tls[3] = { d, 0, 0 };

		hcall(LHCALL_LOAD_TLS, __pa(tls), 0, 0);
		asm volatile("movw %w1, %%gs; movl %%gs:0, %0"
			     : "=r" (v) : "r" (6 * 8 + 1));
		check(v == 0x5A5A1234, "traps/load-tls");
	}
	/* A DPL 0 code segment is raised to ring 1, so a far call works. */
	gdt[21] = 0x00CF9B000000FFFFULL;
	hcall(LHCALL_LOAD_GDT, __pa(gdt), 32, 0);
	trap_vec = ~0U;
	asm volatile("pushl $(21 * 8 + 1); pushl $1f; lret; 1:"
		     "pushl $0x61; pushl $2f; lret; 2:" ::: "memory");
	check(trap_vec == ~0U, "traps/dpl0-segment-forced-to-ring1");
}
