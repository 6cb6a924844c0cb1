// SPDX-License-Identifier: GPL-2.0
/*H:500
 * Hypercalls.
 *
 * The Guest kernel asks for privileged things with "int $0x1F": the call
 * number in %eax, arguments in %edx, %ebx and %ecx.  It can also queue
 * calls in the ring in struct lguest_data, which we run before anything
 * else each time the Guest stops; that lets it batch page-table updates
 * without an exit for each.
 *
 * Every argument is checked where it is used: Guest-physical addresses by
 * the memory helpers in core.c, table indexes here or in the helpers.
 * Anything wrong kills the Guest with a reason.
 */
#include <linux/ktime.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/string.h>
#include <linux/slab.h>
#include <asm/tsc.h>
#include "lg.h"

struct hcall_args {
	u32 call, arg1, arg2, arg3;
};

/* The Guest's message when it crashes (or, with "Power down", stops). */
static void guest_crash(struct lguest *lg, u32 gpa)
{
	char *msg = kzalloc(LGUEST_REASON_MAX, GFP_KERNEL);
	u32 len = LGUEST_REASON_MAX - 1;
	u64 top = (u64)lg->pfn_limit << PAGE_SHIFT;

	if (!msg) {
		kill_guest(lg, "CRASH (out of memory for the message)");
		return;
	}
	if (gpa >= top) {
		kfree(msg);
		kill_guest(lg, "CRASH with a bad message address %#x", gpa);
		return;
	}
	if (top - gpa < len)
		len = top - gpa;
	if (copy_from_user(msg, (void __user *)(lg->mem_base + gpa), len))
		strscpy(msg, "CRASH (unreadable message)", LGUEST_REASON_MAX);
	msg[len] = '\0';
	kill_guest(lg, "%s", msg);
	kfree(msg);
}

/*H:510
 * The first hypercall must be LGUEST_INIT, which tells us where struct
 * lguest_data is; we fill in the fields that are ours to fill.
 */
static void guest_init(struct lguest *lg, u32 gpa)
{
	struct lguest_data __user *ld;
	u32 khz = tsc_khz;

	if (!lguest_gpa_ok(lg, gpa, sizeof(struct lguest_data))) {
		kill_guest(lg, "bad lguest_data address %#x", gpa);
		return;
	}
	ld = (void __user *)(lg->mem_base + gpa);
	if (put_user(0, &ld->reserve_mem) ||
	    put_user(lg->guestid, &ld->guestid) ||
	    put_user(khz, &ld->tsc_khz)) {
		kill_guest(lg, "cannot write lguest_data");
		return;
	}
	lg->lguest_data = gpa;
	lg->next_hcall = 0;
}

/* Hypercalls run, by number, for LHREQ_STATS: a bad number kills the Guest. */
static void count_hcall(struct lguest *lg, u32 call)
{
	if (call < LHCALL_NR)
		lg->stats.hcalls[call]++;
}

static void do_hcall(struct lguest *lg, struct hcall_args *a, u32 *ret)
{
	*ret = 0;
	count_hcall(lg, a->call);
	switch (a->call) {
	case LHCALL_FLUSH_ASYNC:
		/* The ring has already been run: nothing more to do. */
		break;
	case LHCALL_LGUEST_INIT:
		kill_guest(lg, "LGUEST_INIT called twice");
		break;
	case LHCALL_CRASH:
		guest_crash(lg, a->arg1);
		break;
	case LHCALL_LOAD_GDT:
		lguest_load_gdt(lg, a->arg1, a->arg2);
		break;
	case LHCALL_NEW_PGTABLE:
		lguest_new_pgtable(lg, a->arg1);
		break;
	case LHCALL_FLUSH_TLB:
		lguest_flush_tlb(lg, a->arg1);
		break;
	case LHCALL_LOAD_IDT_ENTRY:
		lguest_load_idt_entry(lg, a->arg1, a->arg2, a->arg3);
		break;
	case LHCALL_SET_STACK:
		lguest_set_stack(lg, a->arg1, a->arg2);
		break;
	case LHCALL_TS:
		/* The Guest's FPU is always live; nothing to switch. */
		break;
	case LHCALL_SET_CLOCKEVENT:
		lguest_set_clockevent(lg, a->arg1);
		break;
	case LHCALL_HALT:
		lg->halted = true;
		break;
	case LHCALL_GET_WALLCLOCK:
		*ret = ktime_get_real_seconds();
		break;
	case LHCALL_BIND_DMA:
		*ret = lguest_bind_dma(lg, a->arg1, a->arg2, a->arg3);
		break;
	case LHCALL_SEND_DMA:
		lguest_send_dma(lg, a->arg1, a->arg2);
		break;
	case LHCALL_SET_PTE:
		lguest_set_pte(lg, a->arg1, a->arg2, a->arg3);
		break;
	case LHCALL_SET_PMD:
		lguest_set_pmd(lg, a->arg1, a->arg2);
		break;
	case LHCALL_LOAD_TLS:
		lguest_load_tls(lg, a->arg1);
		break;
	default:
		kill_guest(lg, "bad hypercall %u", a->call);
	}
}

/*H:520
 * The asynchronous ring: the Guest fills slots in order and marks each
 * PENDING; we run them in order from where we stopped last time, marking
 * each DONE, until we meet one that is not pending.
 */
void lguest_do_async_hcalls(struct lguest *lg)
{
	struct lguest_data __user *ld;
	unsigned int n;
	u8 status[LHCALL_RING_SIZE];

	ld = (void __user *)(lg->mem_base + lg->lguest_data);
	if (copy_from_user(status, ld->hcall_status, sizeof(status))) {
		kill_guest(lg, "cannot read the hypercall ring");
		return;
	}
	for (n = 0; n < LHCALL_RING_SIZE; n++) {
		struct hcall_ring slot;
		struct hcall_args a;
		u32 ret, idx = lg->next_hcall;

		if (status[idx] != LHCALL_STATUS_PENDING)
			break;
		if (copy_from_user(&slot, &ld->hcalls[idx], sizeof(slot)) ||
		    put_user(LHCALL_STATUS_DONE, &ld->hcall_status[idx])) {
			kill_guest(lg, "cannot use the hypercall ring");
			return;
		}
		lg->next_hcall = (idx + 1) % LHCALL_RING_SIZE;
		a.call = slot.eax;
		a.arg1 = slot.edx;
		a.arg2 = slot.ebx;
		a.arg3 = slot.ecx;
		if (a.call == LHCALL_LGUEST_INIT) {
			kill_guest(lg, "LGUEST_INIT in the hypercall ring");
			return;
		}
		if (a.call < LHCALL_NR)
			lg->stats.hcalls_async++;
		do_hcall(lg, &a, &ret);
		if (lguest_is_dead(lg) || lg->dma_is_pending)
			return;
	}
}

/*H:530
 * A direct hypercall: run the ring first (the Guest may have queued calls
 * this one depends on), then this one, then step past "int $0x1F" (the
 * CPU left the return address after it already).
 */
void lguest_do_hypercalls(struct lguest *lg)
{
	struct hcall_args a = {
		.call = lg->regs.rax,
		.arg1 = lg->regs.rdx,
		.arg2 = lg->regs.rbx,
		.arg3 = lg->regs.rcx,
	};
	u32 ret;

	if (!lg->lguest_data) {
		if (a.call != LHCALL_LGUEST_INIT) {
			kill_guest(lg, "hypercall %u before LGUEST_INIT", a.call);
			return;
		}
		count_hcall(lg, a.call);
		guest_init(lg, a.arg1);
		lg->regs.rax = 0;
		return;
	}
	lguest_do_async_hcalls(lg);
	if (lguest_is_dead(lg))
		return;
	if (lg->dma_is_pending) {
		/*
		 * The ring left work for the Launcher: come back to this
		 * call afterwards by running "int $0x1F" again.
		 */
		lg->regs.rip = (u32)(lg->regs.rip - 2);
		return;
	}
	do_hcall(lg, &a, &ret);
	lg->regs.rax = ret;
}
