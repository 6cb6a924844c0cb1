// SPDX-License-Identifier: GPL-2.0
/*H:400
 * Interrupts and traps: what the run loop in core.c (H:140) does with
 * each thing that stops the Guest, and what it gives the Guest before
 * each entry.
 *
 * Everything that stops the Guest comes out of the Switcher as a vector
 * number in regs.trapnum.  Host interrupts were already handed to the Host
 * on the way out, so what is left is either for us (a hypercall, or a page
 * fault the shadow page tables can fix) or for the Guest, which gets it
 * the way a real CPU would deliver it: through the Guest's own IDT, with a
 * frame pushed on the Guest's stack.
 */
#include <linux/sched/signal.h>
#include <linux/uaccess.h>
#include <linux/hrtimer.h>
#include <asm/desc_defs.h>
#include <asm/trapnr.h>
#include <asm/irq_vectors.h>
#include "lg.h"

/* Exceptions that push an error code. */
static bool has_err(unsigned int trap)
{
	switch (trap) {
	case X86_TRAP_DF:
	case X86_TRAP_TS:
	case X86_TRAP_NP:
	case X86_TRAP_SS:
	case X86_TRAP_GP:
	case X86_TRAP_PF:
	case X86_TRAP_AC:
		return true;
	}
	return false;
}

static bool idt_present(u32 hi)
{
	return hi & 0x8000;
}

static unsigned int idt_type(u32 hi)
{
	return (hi >> 8) & 0x1F;
}

static unsigned int idt_dpl(u32 hi)
{
	return (hi >> 13) & 3;
}

/*H:410
 * LOAD_IDT_ENTRY: the Guest sets one of its interrupt gates.  Only 32-bit
 * interrupt gates (GATE_INTERRUPT, type 14) and trap gates (GATE_TRAP,
 * type 15) make sense; anything else is a Guest bug or an attack, and
 * kills it.  A not-present gate just removes the entry.
 */
void lguest_load_idt_entry(struct lguest *lg, u32 num, u32 lo, u32 hi)
{
	if (num >= 256) {
		kill_guest(lg, "bad IDT entry number %u", num);
		return;
	}
	if (idt_present(hi) && idt_type(hi) != GATE_INTERRUPT &&
	    idt_type(hi) != GATE_TRAP) {
		kill_guest(lg, "bad IDT gate type %#x for vector %u",
			   idt_type(hi), num);
		return;
	}
	lg->idt[num][0] = lo;
	lg->idt[num][1] = hi;
}

/*H:420
 * SET_STACK: where the Guest kernel's stack is when a trap arrives from
 * Guest user space, as the TSS's ss0/esp0 would say on real hardware.  The
 * stack segment must be a ring-1 one.
 */
void lguest_set_stack(struct lguest *lg, u32 seg, u32 esp)
{
	if ((seg & 3) != GUEST_PL) {
		kill_guest(lg, "bad stack segment %#x", seg);
		return;
	}
	lg->ss1 = seg;
	lg->esp1 = esp;
}

static bool push_guest_stack(struct lguest *lg, u32 *sp, u32 val)
{
	u32 pa;

	*sp -= 4;
	if ((*sp & (PAGE_SIZE - 1)) > PAGE_SIZE - 4 ||
	    !lguest_guest_va_to_pa(lg, *sp, true, &pa)) {
		kill_guest(lg, "Guest stack %#x is not writable", *sp);
		return false;
	}
	return lguest_write_mem(lg, pa, &val, 4);
}

static u32 guest_irq_enabled(struct lguest *lg)
{
	u32 on = 0;

	if (lg->lguest_data &&
	    !lguest_read_mem(lg, &on, lg->lguest_data +
			     offsetof(struct lguest_data, irq_enabled), 4))
		return 0;
	return on & X86_EFLAGS_IF;
}

static void set_guest_irq_enabled(struct lguest *lg, u32 on)
{
	if (lg->lguest_data)
		lguest_write_mem(lg, lg->lguest_data +
				 offsetof(struct lguest_data, irq_enabled),
				 &on, 4);
}

/* What the Guest was given, for LHREQ_STATS. */
static void count_delivery(struct lguest_stats *st, unsigned int num)
{
	if (num == IA32_SYSCALL_VECTOR)
		st->syscalls_reflected++;
	else if (num < FIRST_EXTERNAL_VECTOR)
		st->traps_reflected++;
	else
		st->irqs_delivered++;
}

/*H:430
 * Delivering vector @num to the Guest, as the CPU would: if the Guest was
 * in user mode, switch to its kernel stack and push the old stack first;
 * then push the flags, code segment and instruction pointer (and the error
 * code, if @err), and jump to the gate's handler.  The flags we push carry
 * the Guest's virtual interrupt flag, and an interrupt gate turns that
 * off, as it would turn off the real one.
 */
static bool set_guest_interrupt(struct lguest *lg, unsigned int num, bool err)
{
	struct lguest_regs *regs = &lg->regs;
	u32 lo = lg->idt[num][0], hi = lg->idt[num][1];
	u32 sp, ss, eflags;

	if (!idt_present(hi)) {
		kill_guest(lg, "unhandled trap %u at %#llx (error %#llx)", num,
			   regs->rip, regs->errcode);
		return false;
	}
	if ((regs->cs & 3) != GUEST_PL) {
		ss = lg->ss1;
		sp = lg->esp1;
		if (!ss) {
			kill_guest(lg, "trap %u from user mode with no stack",
				   num);
			return false;
		}
		if (!push_guest_stack(lg, &sp, regs->ss) ||
		    !push_guest_stack(lg, &sp, regs->rsp))
			return false;
	} else {
		ss = regs->ss;
		sp = regs->rsp;
	}
	eflags = (regs->rflags & ~X86_EFLAGS_IF) | guest_irq_enabled(lg);
	if (!push_guest_stack(lg, &sp, eflags) ||
	    !push_guest_stack(lg, &sp, regs->cs) ||
	    !push_guest_stack(lg, &sp, regs->rip))
		return false;
	if (err && !push_guest_stack(lg, &sp, regs->errcode))
		return false;

	regs->ss = ss;
	regs->rsp = sp;
	regs->cs = (lo >> 16) | GUEST_PL;
	regs->rip = (lo & 0xFFFF) | (hi & 0xFFFF0000);
	regs->rflags &= ~(X86_EFLAGS_TF | X86_EFLAGS_NT | X86_EFLAGS_RF);
	if (idt_type(hi) == GATE_INTERRUPT)
		set_guest_irq_enabled(lg, 0);
	count_delivery(&lg->stats, num);
	return true;
}

bool lguest_deliver_trap(struct lguest *lg, unsigned int num)
{
	return set_guest_interrupt(lg, num, has_err(num));
}

/*
 * Which interrupts the Guest has blocked, from its lguest_data: false if
 * it has none yet or it cannot be read.
 */
static bool read_blocked(struct lguest *lg, unsigned long *blocked)
{
	u32 words[LGUEST_IRQS / 32];
	struct lguest_data __user *ld;

	ld = (void __user *)(lg->mem_base + lg->lguest_data);
	if (!lg->lguest_data ||
	    copy_from_user(words, ld->blocked_interrupts, sizeof(words)))
		return false;
	bitmap_from_arr32(blocked, words, LGUEST_IRQS);
	return true;
}

/*H:440
 * Before the Guest runs we look for an interrupt to give it: one that is
 * pending and not blocked, at a moment when the Guest has interrupts
 * enabled and is not inside its no-interrupt range (the few instructions
 * of its interrupt-return path that must not be interrupted).  A halted
 * Guest is woken by any such interrupt, with interrupts enabled again.
 */
void lguest_maybe_do_interrupt(struct lguest *lg)
{
	struct lguest_data __user *ld;
	DECLARE_BITMAP(live, LGUEST_IRQS);
	unsigned int irq;
	u32 start, end;

	if (!lg->lguest_data)
		return;
	if (!read_blocked(lg, live)) {
		kill_guest(lg, "cannot read lguest_data");
		return;
	}
	bitmap_andnot(live, lg->irqs_pending, live, LGUEST_IRQS);
	irq = find_first_bit(live, LGUEST_IRQS);
	if (irq >= LGUEST_IRQS)
		return;

	if (lg->halted) {
		lg->halted = false;
		set_guest_irq_enabled(lg, X86_EFLAGS_IF);
	} else if (!guest_irq_enabled(lg)) {
		return;
	}
	ld = (void __user *)(lg->mem_base + lg->lguest_data);
	if (get_user(start, &ld->noirq_start) || get_user(end, &ld->noirq_end)) {
		kill_guest(lg, "cannot read lguest_data");
		return;
	}
	if (lg->regs.rip >= start && lg->regs.rip < end)
		return;
	clear_bit(irq, lg->irqs_pending);
	set_guest_interrupt(lg, FIRST_EXTERNAL_VECTOR + irq, false);
}

void lguest_set_irq(struct lguest *lg, unsigned int irq)
{
	set_bit(irq, lg->irqs_pending);
	lguest_kick(lg);
}

/*H:450
 * The Guest's clock: one hrtimer, programmed in nanoseconds by
 * SET_CLOCKEVENT, which raises Guest interrupt 0 when it fires.
 */
static enum hrtimer_restart clockdev_fn(struct hrtimer *timer)
{
	struct lguest *lg = container_of(timer, struct lguest, timer);

	lguest_set_irq(lg, 0);
	return HRTIMER_NORESTART;
}

void lguest_init_timer(struct lguest *lg)
{
	hrtimer_setup(&lg->timer, clockdev_fn, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
}

void lguest_set_clockevent(struct lguest *lg, u32 delta)
{
	if (!delta) {
		hrtimer_cancel(&lg->timer);
		return;
	}
	if (delta < LG_CLOCK_MIN_DELTA)
		delta = LG_CLOCK_MIN_DELTA;
	hrtimer_start(&lg->timer, ns_to_ktime(delta), HRTIMER_MODE_REL);
}

void lguest_stop_timer(struct lguest *lg)
{
	hrtimer_cancel(&lg->timer);
}

/*
 * The first two bytes of the instruction at the Guest's eip, when they
 * are on one page of Guest memory: enough for every instruction we look
 * at.  A page the Guest has not mapped just says no.
 */
static bool fetch_insn2(struct lguest *lg, u8 insn[2])
{
	u32 pa;

	return lguest_guest_va_to_pa(lg, lg->regs.rip, false, &pa) &&
	       (pa & (PAGE_SIZE - 1)) <= PAGE_SIZE - 2 &&
	       lguest_read_mem(lg, insn, pa, 2);
}

/*H:460
 * The Guest kernel probes I/O ports (in and out from ring 1 fault, as the
 * I/O privilege level is 0).  No device sits behind any port, so, as the
 * original 2007 lguest Host did, we pretend nothing is there: "in" reads
 * all ones, "out" does nothing, and the Guest carries on after the
 * instruction.
 */
static bool emulate_io(struct lguest *lg)
{
	u32 len = 0, eax_mask = 0xFFFFFFFF;
	u8 insn[2];
	bool in;

	if ((lg->regs.cs & 3) != GUEST_PL || !fetch_insn2(lg, insn))
		return false;
	if (insn[0] == 0x66) {
		eax_mask = 0xFFFF;
		len = 1;
	}
	switch (insn[len]) {
	case 0xE4: case 0xE6:
		len += 2;
		eax_mask = 0xFF;
		break;
	case 0xE5: case 0xE7:
		len += 2;
		break;
	case 0xEC: case 0xEE:
		len += 1;
		eax_mask = 0xFF;
		break;
	case 0xED: case 0xEF:
		len += 1;
		break;
	default:
		return false;
	}
	in = !(insn[insn[0] == 0x66] & 2);
	if (in)
		lg->regs.rax |= eax_mask;
	lg->regs.rip = (u32)(lg->regs.rip + len);
	lg->stats.io_emulated++;
	return true;
}

/*
 * "int $n" through a gate the caller may not use faults with an error
 * code naming the gate.  A 64-bit IDT has 16-byte gates, and CPUs (and
 * emulators) differ in how they scale the number; the Guest's IDT has
 * 8-byte gates.  So when the fault is about a gate and the instruction
 * is "int $n", tell the Guest n * 8 + 2, as its own CPU would.
 */
static void fix_int_errcode(struct lguest *lg)
{
	u8 insn[2];

	if ((lg->regs.errcode & 3) != 2 || !fetch_insn2(lg, insn))
		return;
	if (insn[0] == 0xCD)
		lg->regs.errcode = insn[1] * 8 + 2;
}

/*H:470
 * The Switcher has brought us out of the Guest with the reason in
 * regs.trapnum (H:165), and here we act on it.  A hypercall is ours to
 * run (H:530).  A page fault is first offered to the shadow page tables
 * (H:320), which fill in a mapping the Guest's own page tables already
 * allow; only a fault the Guest's tables would take on real hardware is
 * passed on, with cr2 written where the Guest reads it.  A general
 * protection fault with error code 0 may be an I/O port access (H:460);
 * any other goes to the Guest, with the error code its own CPU would
 * give (fix_int_errcode()).  int3, into and system calls go to the
 * Guest's own gate, unless they came from Guest user space through a gate
 * the Guest did not open to it: then the Guest gets the general protection
 * fault its CPU would raise.  An NMI was the Host's and is already dealt
 * with; a double fault or machine check is fatal.  The other exceptions,
 * up to X86_TRAP_XF, are delivered as they came; a later one is
 * unexpected and fatal too.  Every other vector from FIRST_EXTERNAL_VECTOR
 * up was a Host interrupt, already handed to the Host on the way out.
 */
void lguest_handle_trap(struct lguest *lg)
{
	struct lguest_regs *regs = &lg->regs;
	unsigned int trap = regs->trapnum;
	bool user = (regs->cs & 3) != GUEST_PL;

	switch (trap) {
	case LGUEST_TRAP_ENTRY:
		lg->stats.hcall_traps++;
		lguest_do_hypercalls(lg);
		return;
	case X86_TRAP_PF:
		regs->errcode &= 7;
		if (lguest_demand_page(lg, lg->cr2, regs->errcode) ||
		    lguest_is_dead(lg))
			return;
		lg->stats.pf_guest++;
		regs->errcode = lguest_guest_fault_code(lg, lg->cr2,
							regs->errcode);
		if (lg->lguest_data)
			lguest_write_mem(lg, lg->lguest_data +
					 offsetof(struct lguest_data, cr2),
					 &lg->cr2, 4);
		lguest_deliver_trap(lg, trap);
		return;
	case X86_TRAP_GP:
		if (!regs->errcode && emulate_io(lg))
			return;
		fix_int_errcode(lg);
		lguest_deliver_trap(lg, trap);
		return;
	case X86_TRAP_BP:
	case X86_TRAP_OF:
	case IA32_SYSCALL_VECTOR:
		/*
		 * Software interrupts from user mode are only allowed if the
		 * Guest's gate says so; otherwise, as on a real CPU, they
		 * become a general protection fault naming the vector.
		 */
		if (user && idt_dpl(lg->idt[trap][1]) < 3) {
			regs->errcode = trap * 8 + 2;
			lguest_deliver_trap(lg, X86_TRAP_GP);
			return;
		}
		set_guest_interrupt(lg, trap, false);
		return;
	case X86_TRAP_NMI:
	case X86_TRAP_DF:
	case X86_TRAP_MC:
		/* Handled by the Host (NMI) or fatal. */
		if (trap != X86_TRAP_NMI)
			kill_guest(lg, "Host exception %u in Guest", trap);
		return;
	}
	if (trap < FIRST_EXTERNAL_VECTOR) {
		if (trap > X86_TRAP_XF) {
			kill_guest(lg, "unexpected exception %u at %#llx", trap,
				   regs->rip);
			return;
		}
		lguest_deliver_trap(lg, trap);
	}
	/* Anything else was a Host interrupt, already handled. */
}

/*
 * A halted Guest sleeps until an interrupt it has not blocked is pending,
 * a break is asked for, or it dies.  The kicker sets its bit before it
 * wakes us, so checking after set_current_state() misses nothing.  Which
 * interrupts the Guest blocked is read before that: reading Guest memory
 * can fault and sleep, which it must not do once we have said we are
 * about to.  An unreadable mask wakes us at once.
 */
void lguest_halt(struct lguest *lg)
{
	DECLARE_BITMAP(blocked, LGUEST_IRQS);
	DECLARE_BITMAP(live, LGUEST_IRQS);

	if (!read_blocked(lg, blocked))
		return;
	set_current_state(TASK_INTERRUPTIBLE);
	if (!bitmap_andnot(live, lg->irqs_pending, blocked, LGUEST_IRQS) &&
	    !atomic_read(&lg->break_out) && !lguest_is_dead(lg) &&
	    !signal_pending(current))
		schedule();
	__set_current_state(TASK_RUNNING);
}
