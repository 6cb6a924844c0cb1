/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The test Guests' entry point and trap stubs.  The Launcher starts us at
 * _start in ring 1 with flat segments and its own page tables; we set up a
 * stack and call guest_main(), then power off.
 */
#include "lguest_note.S"

	.section .text.entry, "ax"
	.globl _start
_start:
	movl	$stack_top, %esp
	call	runtime_init
	call	guest_main
	call	power_off
1:	jmp	1b

	.text
/* One stub per vector 0..63 and 0x80, 16 bytes apart. */
.macro STUB vec
	.p2align 4
	.if (\vec == 8 || (\vec >= 10 && \vec <= 14) || \vec == 17)
	.else
	pushl	$0
	.endif
	pushl	$\vec
	jmp	trap_common
.endm
	.p2align 4
	.globl trap_stubs
trap_stubs:
	vec = 0
	.rept 64
	STUB vec
	vec = vec + 1
	.endr
	.globl trap_stub_80
trap_stub_80:
	STUB 0x80

trap_common:
	pushal
	pushl	%esp
	call	trap_handler
	addl	$4, %esp
	popal
	addl	$8, %esp
	/*
	 * The iret trick: an interrupt gate turned our virtual interrupt
	 * flag off; turn it back on if the frame we return to had it.  The
	 * Host never interrupts us between here and the iret (noirq range).
	 */
	.globl noirq_start, noirq_end
noirq_start:
	testl	$0x200, 8(%esp)
	jz	1f
	movl	$0x200, lguest_data
1:	iret
noirq_end:

	.bss
	.p2align 12
	.space	16384
	.globl stack_top
stack_top:
