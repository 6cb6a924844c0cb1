/* SPDX-License-Identifier: GPL-2.0 */
/*S:100
 * The Switcher: the only code that touches both worlds.
 *
 * lguest_enter() is called by the Host with interrupts off.  It saves what
 * a Guest could disturb, loads our GDT, TSS and IDT and the Guest's shadow
 * page table, pops the Guest's registers and "returns" into it with iretq:
 * the CPU drops to ring 1 (or 3) in compatibility mode, and the Guest runs.
 *
 * The Guest stops when anything interrupts it: a trap, a hypercall, or a
 * Host interrupt.  Every vector of our IDT points at a little stub below,
 * the CPU switches to the stack named in our TSS (which is the end of the
 * register frame in this CPU's struct lguest_pcpu), and the stub pushes the
 * rest of the Guest's registers.  Then lguest_exit_common puts the Host back
 * together and returns from lguest_enter() as if nothing had happened.
 */
#include <linux/linkage.h>
#include <linux/objtool.h>
#include <asm/segment.h>
#include <asm/msr-index.h>
#include <asm/ibt.h>
#include <asm/nospec-branch.h>
#include <asm/processor-flags.h>
#include "lg_asm.h"

	.text

/*S:110
 * Going in.  %rdi is this CPU's struct lguest_pcpu, already filled by
 * lguest_run_guest_once(): our GDT and IDT pointers, the Guest's cr3 and
 * cr4, and the Guest's registers.
 */
SYM_FUNC_START(lguest_enter)
	/* The C calling convention says these survive a call: keep them. */
	push	%rbx
	push	%rbp
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	mov	%rsp, PC_HOST_RSP(%rdi)

	/* Every segment register the Guest may load, and the tables. */
	mov	%ds, %rax
	mov	%rax, PC_HOST_DS(%rdi)
	mov	%es, %rax
	mov	%rax, PC_HOST_ES(%rdi)
	mov	%fs, %rax
	mov	%rax, PC_HOST_FS(%rdi)
	mov	%gs, %rax
	mov	%rax, PC_HOST_GS(%rdi)
	mov	%ss, %rax
	mov	%rax, PC_HOST_SS(%rdi)
	sgdt	PC_HOST_GDTR+6(%rdi)
	sidt	PC_HOST_IDTR+6(%rdi)
	mov	%cr3, %rax
	mov	%rax, PC_HOST_CR3(%rdi)
	mov	%cr4, %rax
	mov	%rax, PC_HOST_CR4(%rdi)

	/*
	 * Our GDT holds the Guest's descriptors plus our TSS.  The TSS is
	 * marked available each time before we get here, so ltr accepts it.
	 * No LDT: a Guest must not see the Launcher's.
	 */
	lgdt	PC_GDTR+6(%rdi)
	mov	$LG_TSS_SEL, %eax
	ltr	%ax
	xor	%eax, %eax
	lldt	%ax
	lidt	PC_IDTR+6(%rdi)
	/* Our IDT is in: GDT entry 15 can be the Guest's now (S:125). */
	mov	PC_GUEST_GDT15(%rdi), %rax
	mov	%rax, PC_GDT+GDT_ENTRY_CPUNODE*8(%rdi)

	/*
	 * Ring 1 is "supervisor" to the paging hardware, so SMEP and SMAP
	 * would stop the Guest kernel touching its own (user) pages: the
	 * Guest's cr4 has them clear.  Then the shadow page table: the
	 * Guest's 4 GiB at the bottom, the Host kernel's half at the top.
	 */
	mov	PC_GUEST_CR4(%rdi), %rax
	mov	%rax, %cr4
	mov	PC_GUEST_CR3(%rdi), %rax
	mov	%rax, %cr3

	/*
	 * From here until iretq we must not use %gs: loading the Guest's
	 * %gs replaces the Host's per-CPU base.  The selectors were checked
	 * against our GDT, so these loads cannot fault.
	 */
	lea	PC_REGS(%rdi), %rsp
	mov	LR_DS(%rsp), %rax
	mov	%ax, %ds
	mov	LR_ES(%rsp), %rax
	mov	%ax, %es
	mov	LR_FS(%rsp), %rax
	mov	%ax, %fs
	mov	LR_GS(%rsp), %rax
	mov	%ax, %gs
	add	$LR_RAX, %rsp
	pop	%rax
	pop	%rbx
	pop	%rcx
	pop	%rdx
	pop	%rsi
	pop	%rdi
	pop	%rbp
	/* A compatibility-mode Guest cannot see these, but don't leak. */
	xor	%r8d, %r8d
	xor	%r9d, %r9d
	xor	%r10d, %r10d
	xor	%r11d, %r11d
	xor	%r12d, %r12d
	xor	%r13d, %r13d
	xor	%r14d, %r14d
	xor	%r15d, %r15d
	/* Skip trapnum and errcode: what is left is an iretq frame. */
	add	$16, %rsp
	iretq
	/*
	 * Not reached: we come back through lguest_exit_common, which
	 * returns on lguest_enter()'s behalf.  This tells objtool that
	 * lguest_enter() does return.
	 */
	RET
SYM_FUNC_END(lguest_enter)
STACK_FRAME_NON_STANDARD lguest_enter

/*S:120
 * Coming out.  The CPU has pushed the Guest's ss, rsp, rflags, cs and rip
 * at the top of our register frame, and the stub the error code (or a
 * zero) and the vector.  We push the rest, note cr2 before anything can
 * fault, and undo lguest_enter() in reverse.
 */
SYM_CODE_START_LOCAL(lguest_exit_common)
	UNWIND_HINT_UNDEFINED
	/* The frame's cs (above vector and error code): was it ring 0? */
	testb	$3, 24(%rsp)
	jz	lguest_switcher_fault
	push	%rbp
	push	%rdi
	push	%rsi
	push	%rdx
	push	%rcx
	push	%rbx
	push	%rax
SYM_INNER_LABEL(lguest_exit_segs, SYM_L_LOCAL)
	UNWIND_HINT_UNDEFINED
	mov	%ds, %rax
	push	%rax
	mov	%es, %rax
	push	%rax
	mov	%fs, %rax
	push	%rax
	mov	%gs, %rax
	push	%rax
	lea	-PC_REGS(%rsp), %rdi
SYM_INNER_LABEL(lguest_exit_restore, SYM_L_LOCAL)
	UNWIND_HINT_UNDEFINED
	mov	%cr2, %rax
	mov	%rax, PC_CR2(%rdi)

	/*
	 * The Host's page tables and cr4 come back first, and GDT entry 15
	 * becomes the Host's again (S:125).  The Host's IDT comes back last.
	 */
	mov	PC_HOST_CPUNODE(%rdi), %rax
	mov	%rax, PC_GDT+GDT_ENTRY_CPUNODE*8(%rdi)
	mov	PC_HOST_CR4(%rdi), %rax
	mov	%rax, %cr4
	mov	PC_HOST_CR3(%rdi), %rax
	mov	%rax, %cr3

	/*
	 * Our GDT has the Host's kernel code and data descriptors in the
	 * Host's slots, so these selectors mean the same thing in both.
	 * Loading %fs and %gs clears their bases: put back the Launcher's
	 * TLS base and this CPU's per-CPU base.
	 */
	mov	PC_HOST_SS(%rdi), %rax
	mov	%ax, %ss
	mov	PC_HOST_DS(%rdi), %rax
	mov	%ax, %ds
	mov	PC_HOST_ES(%rdi), %rax
	mov	%ax, %es
	mov	PC_HOST_FS(%rdi), %rax
	mov	%ax, %fs
	mov	PC_HOST_GS(%rdi), %rax
	mov	%ax, %gs
	mov	$MSR_FS_BASE, %ecx
	mov	PC_HOST_FSBASE(%rdi), %rax
	mov	%rax, %rdx
	shr	$32, %rdx
	wrmsr
	mov	$MSR_GS_BASE, %ecx
	mov	PC_HOST_GSBASE(%rdi), %rax
	mov	%rax, %rdx
	shr	$32, %rdx
	wrmsr
	lidt	PC_HOST_IDTR+6(%rdi)

	/*
	 * A trap keeps the Guest's direction and alignment-check flags,
	 * and the Host's C code must not inherit them: it assumes DF is
	 * clear (a "rep movs" would run backwards over memory), and AC set
	 * would switch SMAP off.  The Host called us with interrupts off
	 * and nothing else set.
	 */
	mov	PC_HOST_RSP(%rdi), %rsp
	pushq	$X86_EFLAGS_FIXED
	popfq
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbp
	pop	%rbx
	RET
SYM_CODE_END(lguest_exit_common)

/*S:125
 * An exception from ring 0 can only be the Switcher's own last steps
 * failing: a segment load or the iretq refusing the Guest's state.  The
 * Host checks that state first (H:620), so this is a last line of defence
 * for what an emulator accepts and a real CPU might not.  We are somewhere
 * on this CPU's struct lguest_pcpu, which is PC_SIZE-aligned, so masking
 * the stack pointer finds it whatever was pushed.  The vector goes into
 * the register frame marked with LG_SWITCHER_FAULT, and the normal way
 * out puts the Host back; the C side kills the Guest.
 */
SYM_CODE_START_LOCAL(lguest_switcher_fault)
	UNWIND_HINT_UNDEFINED
	mov	(%rsp), %rax
	or	$LG_SWITCHER_FAULT, %rax
	mov	%rsp, %rdi
	and	$-PC_SIZE, %rdi
	mov	%rax, PC_REGS+LR_TRAPNUM(%rdi)
	jmp	lguest_exit_restore
SYM_CODE_END(lguest_switcher_fault)

/*S:127
 * NMIs and machine checks on the way in and out.  Neither can be held
 * off, and either may arrive between any two instructions here.  While
 * our IDT is loaded, our NMI gate (S:130) copes.  Outside that stretch
 * the Host's own handler runs, on whatever we have loaded, so everything
 * it relies on must already be, or still be, the Host's:
 *
 *  - its IST stacks come from the task register: ours carries copies of
 *    the Host's (H:165), so either TSS gives the Host's NMI and #MC stacks;
 *  - its kernel code and data selectors: slots 2 and 3 of our GDT are the
 *    Host's descriptors;
 *  - its GS base, which its paranoid entry either checks (rdmsr: a
 *    negative value is the kernel's) or recomputes from the CPU number,
 *    read with rdpid or, on CPUs without it, with lsl on GDT entry 15.
 *    So we load the Host's IDT only after the Host's GS base is back,
 *    and our GDT's entry 15 holds the Host's per-CPU descriptor whenever
 *    the Host's IDT can be live: the Guest's entry 15 (its user data
 *    segment) is written in after our IDT is loaded and taken out again
 *    before it goes.
 *
 * What is left is a Host handler on our GDT and TSS, between the Host's
 * IDT coming back and C reloading the Host's tables (H:170): it finds all
 * of the above where it looks.  No NMI reaches a QEMU TCG Host, so this
 * argument, not a test, is what covers it.
 */
/*S:130
 * NMIs are special: they can arrive while we are still in the Switcher,
 * between loading our IDT and reaching the Guest, or on the way out.  So
 * the NMI gate has a stack of its own (IST 7, inside struct lguest_pcpu).
 * An NMI that hit the Switcher just leaves a note for the Host to replay it
 * later.  One that hit the Guest is moved to the usual register frame and
 * becomes an ordinary exit with vector 2.
 */
SYM_CODE_START_LOCAL(lguest_nmi)
	UNWIND_HINT_IRET_REGS
	testb	$3, 8(%rsp)
	jnz	1f
	push	%rax
	lea	48-PC_NMI_TOP(%rsp), %rax
	movq	$1, PC_NMI_PENDING(%rax)
	pop	%rax
	iretq
1:
	push	%rax
	push	%rbx
	lea	56-PC_NMI_TOP(%rsp), %rax
	mov	16(%rsp), %rbx
	mov	%rbx, PC_REGS+LR_RIP(%rax)
	mov	24(%rsp), %rbx
	mov	%rbx, PC_REGS+LR_CS(%rax)
	mov	32(%rsp), %rbx
	mov	%rbx, PC_REGS+LR_RFLAGS(%rax)
	mov	40(%rsp), %rbx
	mov	%rbx, PC_REGS+LR_RSP(%rax)
	mov	48(%rsp), %rbx
	mov	%rbx, PC_REGS+LR_SS(%rax)
	movq	$0, PC_REGS+LR_ERRCODE(%rax)
	movq	$2, PC_REGS+LR_TRAPNUM(%rax)
	mov	8(%rsp), %rbx
	mov	%rbx, PC_REGS+LR_RAX(%rax)
	mov	(%rsp), %rbx
	mov	%rbx, PC_REGS+LR_RBX(%rax)
	lea	PC_REGS+LR_TRAPNUM(%rax), %rsp
	push	%rbp
	push	%rdi
	push	%rsi
	push	%rdx
	push	%rcx
	sub	$16, %rsp
	jmp	lguest_exit_segs
SYM_CODE_END(lguest_nmi)

/*S:140
 * One stub per vector, 32 bytes apart.  Vectors whose exceptions carry no
 * error code push a zero, so every exit leaves the same frame.
 */
.macro LG_STUB vec
	.p2align 5
	.if (\vec == 8 || (\vec >= 10 && \vec <= 14) || \vec == 17 || \vec == 21 || \vec == 29 || \vec == 30)
	UNWIND_HINT_IRET_REGS offset=8
	.else
	UNWIND_HINT_IRET_REGS
	.endif
	ENDBR
	.if \vec == 2
	jmp	lguest_nmi
	.else
	.if !(\vec == 8 || (\vec >= 10 && \vec <= 14) || \vec == 17 || \vec == 21 || \vec == 29 || \vec == 30)
	pushq	$0
	.endif
	pushq	$\vec
	jmp	lguest_exit_common
	.endif
.endm

	.p2align 5
SYM_CODE_START_NOALIGN(lguest_stubs)
	vec = 0
	.rept 256
	LG_STUB vec
	vec = vec + 1
	.endr
SYM_CODE_END(lguest_stubs)

	.section .rodata, "a"
	.p2align 3
SYM_DATA_START(lguest_stub_table)
	vec = 0
	.rept 256
	.quad	lguest_stubs + vec * 32
	vec = vec + 1
	.endr
SYM_DATA_END(lguest_stub_table)

	.text
/*S:150
 * A Host interrupt that arrived while the Guest ran was taken by our IDT,
 * so the Host never saw it.  We hand it over by calling the Host's own
 * handler for that vector with the frame an interrupt would have pushed;
 * the handler's iretq brings us back here.
 *
 * The frame says interrupts were on where it "hit", although they are
 * off now: the handler's iretq is where the Host turns them back on
 * after a world switch.  That matters to the Host's interrupt exit code,
 * which does two things only for an interrupted context that had
 * interrupts on: since Linux 7.1 it reprograms the timer hardware there
 * (a timer interrupt defers that to its exit), and it preempts the task
 * if the scheduler asked.  With interrupts marked off, the CPU would get
 * no further tick until the Launcher slept or went back to user space,
 * and a Guest that never yields would keep it forever.
 */
SYM_FUNC_START(lguest_call_host_irq_and_enable)
	push	%rbp
	mov	%rsp, %rbp
	and	$-16, %rsp
	push	$__KERNEL_DS
	push	%rbp
	pushf
	orq	$X86_EFLAGS_IF, (%rsp)
	push	$__KERNEL_CS
	CALL_NOSPEC rdi
	leave
	RET
SYM_FUNC_END(lguest_call_host_irq_and_enable)

/*M:010
 * That is all of lguest: the Guest asks, the Launcher serves, the Host
 * checks and the Switcher swaps the worlds.  What it does not do yet:
 *
 *  - A Guest is 32-bit and has one CPU, and it uses at most about 880 MB
 *    of the memory it is given: its kernel has no HIGHMEM yet, while the
 *    Launcher accepts up to 2048 MB.
 *  - Every trap, each system call included, is a full world switch, and
 *    the shadow page tables fill one fault at a time; in an emulated Host
 *    (QEMU's TCG, where a page table switch is dear) that makes system
 *    calls and fork slower than they need be.
 *  - A Host that delivers events with FRED is refused (H:015): replaying
 *    a Host interrupt needs the Host's IDT.
 *
 * Each of these is a good place to start.
 */
