// SPDX-License-Identifier: GPL-2.0
/*
 * paging: our own page tables, map/unmap/remap, accessed and dirty bits,
 * TLB flush semantics, many page directories, large ranges.
 */
#include "runtime.h"

#define VA	0x40000000U
#define NDIRS	6

static u32 pages[NDIRS][1024] __attribute__((aligned(4096)));
static u32 dirs[NDIRS][1024] __attribute__((aligned(4096)));
static u32 pts[NDIRS][1024] __attribute__((aligned(4096)));
static u32 big_pt[4][1024] __attribute__((aligned(4096)));

static u32 peek(u32 va)
{
	return *(volatile u32 *)va;
}

void guest_main(void)
{
	u32 *pte, v, i, ok;

	own_pagetables();
	pass("paging/own-pagetables");
	for (i = 0; i < NDIRS; i++)
		pages[i][0] = 0x1000 + i;

	/* Map VA through a fresh page table in our directory. */
	kpgd[VA >> 22] = __pa(pts[0]) | 7;
	hcall(LHCALL_SET_PMD, __pa(kpgd), VA >> 22, 0);
	set_pte(kpgd, VA, __pa(pages[0]) | 7);
	check(peek(VA) == 0x1000, "paging/map");
	pte = pte_ptr(kpgd, VA);
	check((*pte & 0x20) && !(*pte & 0x40), "paging/accessed-bit");
	*(volatile u32 *)VA = 0x2000;
	check((*pte & 0x40) && pages[0][0] == 0x2000, "paging/dirty-bit");
	pages[0][0] = 0x1000;

	set_pte(kpgd, VA, __pa(pages[1]) | 7);
	check(peek(VA) == 0x1001, "paging/remap");
	set_pte(kpgd, VA, 0);
	v = TRAP_OF("movl (%0), %%eax", "r" (VA) : "eax");
	check(v == 14 && trap_cr2 == VA, "paging/unmap");

	/* Read-only page: a write faults with "present, write". */
	set_pte(kpgd, VA, __pa(pages[2]) | 5);
	v = TRAP_OF("movl %%eax, (%0)", "r" (VA) : "eax");
	check(v == 14 && trap_err == 3 && peek(VA) == 0x1002,
	      "paging/read-only");

	/* Changing an entry behind the Host's back, then flushing. */
	*pte_ptr(kpgd, VA) = __pa(pages[3]) | 7;
	hcall(LHCALL_FLUSH_TLB, 0, 0, 0);
	check(peek(VA) == 0x1003, "paging/flush-tlb-user");
	*pte_ptr(kpgd, VA) = __pa(pages[4]) | 7;
	hcall(LHCALL_FLUSH_TLB, 1, 0, 0);
	check(peek(VA) == 0x1004, "paging/flush-tlb-all");

	/* Several page directories, more than the Host caches. */
	for (i = 0; i < NDIRS; i++) {
		memcpy(dirs[i], kpgd, sizeof(kpgd));
		dirs[i][VA >> 22] = __pa(pts[i]) | 7;
		pts[i][0] = __pa(pages[i]) | 7;
	}
	ok = 1;
	for (v = 0; v < 3 * NDIRS; v++) {
		i = (v * 5) % NDIRS;
		hcall(LHCALL_NEW_PGTABLE, __pa(dirs[i]), 0, 0);
		if (peek(VA) != 0x1000 + i)
			ok = 0;
	}
	hcall(LHCALL_NEW_PGTABLE, __pa(kpgd), 0, 0);
	check(ok, "paging/many-pagetables");

	/* 16 MiB at the very top of the address space, every page touched. */
	for (i = 0; i < 4096; i++)
		big_pt[i / 1024][i % 1024] = __pa(pages[i % NDIRS]) | 7;
	for (i = 0; i < 4; i++) {
		kpgd[1020 + i] = __pa(big_pt[i]) | 7;
		hcall(LHCALL_SET_PMD, __pa(kpgd), 1020 + i, 0);
	}
	ok = 1;
	for (i = 0; i < 4096; i++)
		if (peek(0xFF000000U + i * PAGE_SIZE) != 0x1000 + i % NDIRS)
			ok = 0;
	check(ok, "paging/large-range");
	*(volatile u32 *)0xFFFFF000U = 0x77;
	check(pages[4095 % NDIRS][0] == 0x77, "paging/top-page");
}
