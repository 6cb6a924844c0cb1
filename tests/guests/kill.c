// SPDX-License-Identifier: GPL-2.0
/*
 * kill: Guests that try something the Host must refuse.  The command line
 * names the attempt; every one must end with the Guest killed and a
 * reason, and the Host unharmed.
 */
#include "runtime.h"

static u64 gdt[32];
static struct lguest_dma dma;

void guest_main(void)
{
	const char *c = cmdline();

	print("attempting: ");
	print(c);
	print("\n");
	gdt[12] = 0x00CFBB000000FFFFULL;
	gdt[13] = 0x00CFB3000000FFFFULL;
	if (!strcmp(c, "call-gate")) {
		/* A 32-bit call gate (type 12) with DPL 3 to 0x10:0. */
		gdt[20] = 0x0000EC0000100000ULL;
		hcall(LHCALL_LOAD_GDT, __pa(gdt), 32, 0);
	} else if (!strcmp(c, "tss-desc")) {
		gdt[20] = 0x0000890000000067ULL;
		hcall(LHCALL_LOAD_GDT, __pa(gdt), 32, 0);
	} else if (!strcmp(c, "gdt-too-big")) {
		hcall(LHCALL_LOAD_GDT, __pa(gdt), 100000, 0);
	} else if (!strcmp(c, "wild-pointer")) {
		hcall(LHCALL_LOAD_GDT, 0xFFFFF000U, 32, 0);
	} else if (!strcmp(c, "bad-hypercall")) {
		hcall(9999, 0, 0, 0);
	} else if (!strcmp(c, "bad-idt-gate")) {
		hcall(LHCALL_LOAD_IDT_ENTRY, 13, 0x00100000, 0x8500);
	} else if (!strcmp(c, "bad-pgdir")) {
		hcall(LHCALL_NEW_PGTABLE, 0xFFFFF000U, 0, 0);
	} else if (!strcmp(c, "bad-stack")) {
		hcall(LHCALL_SET_STACK, 0x68, 0x1000, 2);
	} else if (!strcmp(c, "pte-beyond-memory")) {
		own_pagetables();
		set_pte(kpgd, 0x400000, 0xF0000000U | 7);
		*(volatile u32 *)0x400000 = 1;
	} else if (!strcmp(c, "pde-beyond-memory")) {
		own_pagetables();
		kpgd[100] = 0xF0000000U | 7;
		hcall(LHCALL_SET_PMD, __pa(kpgd), 100, 0);
		*(volatile u32 *)(100U << 22) = 1;
	} else if (!strcmp(c, "dma-outside")) {
		dma.addr[0] = 0xF0000000U;
		dma.len[0] = 100;
		hcall(LHCALL_SEND_DMA, LGUEST_CONSOLE_DMA_KEY, __pa(&dma), 0);
	} else if (!strcmp(c, "dma-wrap")) {
		dma.addr[0] = 0xFFFFFFF0U;
		dma.len[0] = 0x100;
		hcall(LHCALL_SEND_DMA, LGUEST_CONSOLE_DMA_KEY, __pa(&dma), 0);
	} else if (!strcmp(c, "bind-bad-irq")) {
		hcall(LHCALL_BIND_DMA, 0x2000, __pa(&dma), (1 << 8) | 99);
	} else if (!strcmp(c, "crash")) {
		crash("test Guest crashed on purpose");
	} else if (!strcmp(c, "no-init-idt")) {
		/* A trap with no handler in our IDT. */
		hcall(LHCALL_LOAD_IDT_ENTRY, 6, 0, 0);
		asm volatile("ud2");
	} else if (!strcmp(c, "null-cs-gate")) {
		/*
		 * Entry 0 holds a ring-1 code descriptor, and the #UD gate
		 * names selector 0: a Host that looked entry 0 up for
		 * selector 1 would build CS = 0x0001, and iretq faults on it
		 * in ring 0.
		 */
		gdt[0] = 0x00CFBB000000FFFFULL;
		hcall(LHCALL_LOAD_GDT, __pa(gdt), 32, 0);
		hcall(LHCALL_LOAD_IDT_ENTRY, 6, 0x00001000, 0xC0008E00);
		asm volatile("ud2");
	} else if (!strcmp(c, "eip-past-limit")) {
		/* Our code segment shrinks to 1 MiB; we run at 3 GiB. */
		gdt[12] = 0x004FBB000000FFFFULL;
		hcall(LHCALL_LOAD_GDT, __pa(gdt), 32, 0);
	} else if (!strcmp(c, "forever")) {
		print("spinning forever\n");
		for (;;)
			;
	} else if (!strcmp(c, "forever-halted")) {
		print("halting forever\n");
		for (;;)
			hcall(LHCALL_HALT, 0, 0, 0);
	}
	print("FAIL kill: survived\n");
}
