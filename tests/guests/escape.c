// SPDX-License-Identifier: GPL-2.0
/*
 * escape: privileged instructions and doors into the Host, from ring 1.
 * Each must fault into our own IDT (or, for port I/O, be emulated as
 * "nothing there"); none may reach the Host.
 */
#include "runtime.h"

static void contained(u32 v, u32 a, u32 b, const char *name)
{
	if (v == a || v == b)
		pass(name);
	else
		fail(name, "vector %u (error %x)", v, trap_err);
}

void guest_main(void)
{
	u32 v;

	/* SYSENTER_CS is 0 while we run: #GP on Intel, #UD on AMD. */
	contained(TRAP_OF("sysenter"), 13, 6, "escape/sysenter-ring1");
	/* EFER.SCE is off while we run: #UD. */
	contained(TRAP_OF("syscall"), 6, 6, "escape/syscall-ring1");
	contained(TRAP_OF("hlt"), 13, 13, "escape/hlt");
	/*
	 * A hypercall made with the direction and alignment-check flags
	 * set: the Host must not run its own code with them.
	 */
	v = LHCALL_FLUSH_ASYNC;
	asm volatile("pushf; orl $0x40000, (%%esp); popf; std; int $0x1F; cld\n\t"
		     "pushf; andl $~0x40000, (%%esp); popf"
		     : "+a" (v) : "d" (0), "b" (0), "c" (0) : "memory", "cc");
	pass("escape/direction-and-ac-flags");
	contained(TRAP_OF("cli"), 13, 13, "escape/cli");
	contained(TRAP_OF("sti"), 13, 13, "escape/sti");
	contained(TRAP_OF("lgdt (%%esp)"), 13, 13, "escape/lgdt");
	contained(TRAP_OF("lidt (%%esp)"), 13, 13, "escape/lidt");
	contained(TRAP_OF("movl %%cr3, %%eax", : "eax"), 13, 13,
		  "escape/read-cr3");
	contained(TRAP_OF("xorl %%eax, %%eax; movl %%eax, %%cr3", : "eax"),
		  13, 13, "escape/write-cr3");
	contained(TRAP_OF("movl %%cr0, %%eax; movl %%eax, %%cr0", : "eax"),
		  13, 13, "escape/cr0");
	contained(TRAP_OF("xorl %%eax, %%eax; xorl %%edx, %%edx; "
			  "movl $0xC0000080, %%ecx; wrmsr",
			  : "eax", "ecx", "edx"), 13, 13, "escape/wrmsr-efer");
	contained(TRAP_OF("movl $0x174, %%ecx; rdmsr", : "eax", "ecx", "edx"),
		  13, 13, "escape/rdmsr");
	contained(TRAP_OF("clts"), 13, 13, "escape/clts");
	contained(TRAP_OF("invlpg (%%esp)"), 13, 13, "escape/invlpg");
	contained(TRAP_OF("wbinvd"), 13, 13, "escape/wbinvd");
	contained(TRAP_OF("xorl %%eax, %%eax; lldt %%ax", : "eax"), 13, 13,
		  "escape/lldt");
	contained(TRAP_OF("movw $0x100, %%ax; ltr %%ax", : "eax"), 13, 13,
		  "escape/ltr");
	contained(TRAP_OF("int $0x20"), 13, 13, "escape/int-host-irq-vector");
	contained(TRAP_OF("int $0xec"), 13, 13, "escape/int-host-timer-vector");
	contained(TRAP_OF("int $2"), 13, 13, "escape/int-nmi-vector");
	/* Far jumps to the Host's ring-0 code segment and to our TSS. */
	contained(TRAP_OF("ljmp $0x10, $0"), 13, 13, "escape/ljmp-host-cs");
	contained(TRAP_OF("lcall $0x100, $0"), 13, 13, "escape/lcall-tss");
	contained(TRAP_OF("pushl $0x10; pushl $0; lret"), 13, 13,
		  "escape/lret-ring0");
	contained(TRAP_OF("movw $0x18, %%ax; movw %%ax, %%ss", : "eax"), 13, 13,
		  "escape/host-ds-as-ss");
	contained(TRAP_OF("movw $0x104, %%ax; movw %%ax, %%ds", : "eax"), 13, 13,
		  "escape/ldt-selector");
	/* popf cannot raise IOPL from ring 1, so cli still faults after. */
	asm volatile("pushl $0x3202; popfl");
	contained(TRAP_OF("cli"), 13, 13, "escape/popf-iopl");
	/* Port I/O is emulated as an empty bus. */
	trap_vec = ~0U;
	asm volatile("inb $0x60, %%al" : "=a" (v) : "a" (0));
	check((v & 0xFF) == 0xFF && trap_vec == ~0U, "escape/in-emulated");
	asm volatile("outb %%al, $0x80" : : "a" (0));
	check(trap_vec == ~0U, "escape/out-emulated");
}
