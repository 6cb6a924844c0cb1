/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lg_asm.h - the layout of the per-CPU Switcher area, shared by the C code
 * and switcher.S.  C checks every offset here against the real structure
 * (see lguest_pcpu_layout_check() in core.c), so the two cannot drift.
 */
#ifndef _LGUEST_LG_ASM_H
#define _LGUEST_LG_ASM_H

/* struct lguest_regs: what the Switcher saves of the Guest on every exit. */
#define LR_GS		0
#define LR_FS		8
#define LR_ES		16
#define LR_DS		24
#define LR_RAX		32
#define LR_RBX		40
#define LR_RCX		48
#define LR_RDX		56
#define LR_RSI		64
#define LR_RDI		72
#define LR_RBP		80
#define LR_TRAPNUM	88
#define LR_ERRCODE	96
#define LR_RIP		104
#define LR_CS		112
#define LR_RFLAGS	120
#define LR_RSP		128
#define LR_SS		136
#define LR_SIZE		144

/* struct lguest_pcpu: one per CPU, 16 KiB, naturally aligned. */
#define PC_HOST_RSP	0
#define PC_HOST_CR3	8
#define PC_HOST_CR4	16
#define PC_GUEST_CR3	24
#define PC_GUEST_CR4	32
#define PC_HOST_FSBASE	40
#define PC_HOST_GSBASE	48
#define PC_CR2		56
#define PC_HOST_DS	64
#define PC_HOST_ES	72
#define PC_HOST_FS	80
#define PC_HOST_GS	88
#define PC_HOST_SS	96
#define PC_NMI_PENDING	104
#define PC_HOST_GDTR	112
#define PC_HOST_IDTR	128
#define PC_GDTR		144
#define PC_IDTR		160
#define PC_HOST_CPUNODE	176
#define PC_GUEST_GDT15	184
/* Room below the register frame for the Switcher's own pushes. */
#define PC_REDZONE	192
#define PC_REGS		512
#define PC_REGS_END	(PC_REGS + LR_SIZE)
#define PC_GDT		PC_REGS_END
/* The NMI stack (IST 7) ends here. */
#define PC_NMI_TOP	12288
#define PC_SIZE		16384
#define PC_ORDER	2

/* Our GDT: the Guest's 32 entries, plus a 64-bit TSS descriptor. */
#define LG_GDT_GUEST_ENTRIES	32
#define LG_GDT_TSS		32
#define LG_GDT_ENTRIES		34
#define LG_TSS_SEL		(LG_GDT_TSS * 8)
/* Host kernel code and data selectors (__KERNEL_CS, __KERNEL_DS). */
#define LG_HOST_CS_ENTRY	2
#define LG_HOST_DS_ENTRY	3

/*
 * Added to the vector in regs.trapnum when the exception hit the Switcher
 * itself (ring 0) rather than the Guest: see S:125.
 */
#define LG_SWITCHER_FAULT	0x100

/* The IST slot our NMI gate uses (1-based, as in the gate). */
#define LG_NMI_IST		7

#endif /* _LGUEST_LG_ASM_H */
