// SPDX-License-Identifier: GPL-2.0
/* async: the asynchronous hypercall ring, and batched (lazy) updates. */
#include "runtime.h"

#define VA	0x40000000U

static u32 pt[1024] __attribute__((aligned(4096)));
static u32 pages[2][1024] __attribute__((aligned(4096)));
static unsigned int next;

static void queue(u32 call, u32 a1, u32 a2, u32 a3)
{
	struct hcall_ring *r = &lguest_data.hcalls[next];

	/* A slot the Host has not run yet may not be reused: flush first. */
	if (lguest_data.hcall_status[next] != LHCALL_STATUS_DONE)
		hcall(LHCALL_FLUSH_ASYNC, 0, 0, 0);
	r->eax = call;
	r->edx = a1;
	r->ebx = a2;
	r->ecx = a3;
	asm volatile("" ::: "memory");
	lguest_data.hcall_status[next] = LHCALL_STATUS_PENDING;
	next = (next + 1) % LHCALL_RING_SIZE;
}

static volatile u32 hits;

void guest_main(void)
{
	unsigned int i, ok;
	extern char trap_stubs[];

	own_pagetables();
	/* One queued IDT change, then run the ring. */
	set_gate(0x30, 0, 0, 0);
	queue(LHCALL_LOAD_IDT_ENTRY, 3, (KERNEL_CS << 16) | ((u32)stub_for(3) & 0xFFFF),
	      ((u32)stub_for(3) & 0xFFFF0000) | 0xEE00);
	hcall(LHCALL_FLUSH_ASYNC, 0, 0, 0);
	check(lguest_data.hcall_status[0] == LHCALL_STATUS_DONE, "async/done");
	trap_count = 0;
	asm volatile("int3");
	check(trap_count == 1, "async/effect");

	/* Lazy mode: a batch of page table updates around the ring. */
	pages[0][0] = 0xAAAA;
	pages[1][0] = 0xBBBB;
	kpgd[VA >> 22] = __pa(pt) | 7;
	queue(LHCALL_SET_PMD, __pa(kpgd), VA >> 22, 0);
	for (i = 0; i < 100; i++) {
		pt[0] = __pa(pages[i & 1]) | 7;
		queue(LHCALL_SET_PTE, __pa(kpgd), VA, pt[0]);
	}
	hcall(LHCALL_FLUSH_ASYNC, 0, 0, 0);
	check(*(volatile u32 *)VA == 0xBBBB, "async/lazy-batch");
	ok = 1;
	for (i = 0; i < LHCALL_RING_SIZE; i++)
		if (lguest_data.hcall_status[i] != LHCALL_STATUS_DONE)
			ok = 0;
	check(ok, "async/ring-wraps");
	/* Queued calls also run before a direct hypercall. */
	pt[0] = __pa(pages[0]) | 7;
	queue(LHCALL_SET_PTE, __pa(kpgd), VA, pt[0]);
	hcall(LHCALL_GET_WALLCLOCK, 0, 0, 0);
	check(*(volatile u32 *)VA == 0xAAAA, "async/before-direct-call");
	(void)trap_stubs;
	(void)hits;
}
