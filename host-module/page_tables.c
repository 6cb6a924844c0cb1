// SPDX-License-Identifier: GPL-2.0
/*H:300
 * Shadow page tables.
 *
 * The Guest keeps ordinary 32-bit two-level page tables (a page directory
 * of 1024 entries, each pointing at a page table of 1024 entries) in its
 * own memory, but the CPU never walks them: the Guest's "physical"
 * addresses are not the machine's.  Instead the Host builds shadow page
 * tables in the Host's own 64-bit format, which the CPU does walk, and keeps
 * them in step with the Guest's as the Guest tells us about changes.
 *
 * A shadow root mirrors one Guest page directory.  Its top level holds the
 * Host kernel's upper-half entries (so the Switcher and the Host interrupt
 * handlers keep working while it is loaded) and, in the lowest entry, the
 * Guest's 4 GiB: one third level covering four GiB, four middle levels of
 * 512 entries, each of which covers 2 MiB and points at a shadow page
 * table we build on demand.  A Guest page directory entry covers 4 MiB,
 * so it corresponds to two adjacent middle-level entries.
 *
 * Shadow entries start empty.  When the Guest touches an address the
 * shadow does not map, it page-faults into the Host; we look the address
 * up in the Guest's own tables and, if the Guest allows the access, fill
 * in the shadow entry and let the Guest retry.  Otherwise it was a real
 * fault, and it goes to the Guest.
 *
 * The shadow entries point at the Launcher's pages, so they must follow
 * whatever the Launcher's own page tables do: munmap(), mremap(),
 * madvise(MADV_DONTNEED), fork() and the copy-on-write after it, swap,
 * migration, writeback of a shared file.  We do it the way KVM does: the
 * shadow holds no reference on any page, and an MMU interval notifier on
 * the Guest's memory tells us before the Launcher's mapping of it changes,
 * so we drop our shadows first (H:365).  The Guest's memory is then just
 * the Launcher's memory, swapped, migrated, charged and written back like
 * any other; all the Host keeps is its shadow tables, which are charged to
 * the Launcher's memory cgroup and bounded per Guest (H:325).
 */
#include <linux/mm.h>
#include <linux/highmem.h>
#include <asm/pgtable.h>
#include "lg.h"

#define GP_PRESENT	0x001U
#define GP_RW		0x002U
#define GP_USER		0x004U
#define GP_ACCESSED	0x020U
#define GP_DIRTY	0x040U
#define GP_PSE		0x080U
#define GP_PFN_MASK	0xFFFFF000U

/* Flags for the levels we own: the Guest's leaf entry decides access. */
#define SHADOW_TABLE	(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED)

static bool host_la57(void)
{
	return __read_cr4() & X86_CR4_LA57;
}

static u64 *table_of(u64 entry)
{
	return __va(entry & PTE_PFN_MASK);
}

/*
 * Unlink a shadow page table.  If @later is given the page goes on it, to
 * be freed once no CPU can be walking it any more (H:365); otherwise the
 * Guest is not running anywhere and it is freed now.
 */
static void free_shadow_pt(struct lguest *lg, u64 *pmde,
			   struct list_head *later)
{
	u64 *pt;

	if (!(*pmde & _PAGE_PRESENT))
		return;
	pt = table_of(*pmde);
	*pmde = 0;
	lg->shadow_pages--;
	if (later)
		list_add(&virt_to_page(pt)->lru, later);
	else
		free_page((unsigned long)pt);
}

/*
 * Forget the shadows of Guest page directory entries [first, last).  The
 * caller holds shadow_lock.
 */
static void clear_root_range(struct lguest *lg, struct lg_shadow_root *r,
			     u32 first, u32 last, struct list_head *later)
{
	u32 i;

	for (i = first * 2; i < last * 2; i++) {
		u64 *pmd = r->pmd[i / PTRS_PER_PMD];

		if (pmd)
			free_shadow_pt(lg, &pmd[i % PTRS_PER_PMD], later);
	}
}

/*H:305
 * The Guest kernel's own mappings, from page_offset up, are the same in
 * every Guest page directory: Linux copies them into each new one.  So
 * the whole GiBs of them share one shadow: every root's third level
 * points at root 0's middle level for those GiBs (lg->kernel_gib on), and
 * what one process faulted in, the next finds there.  Without this each
 * root kept its own copy, and a process switch to a directory we had no
 * shadow for started from nothing: most of the faults of a fork and exec
 * were the kernel faulting its own pages back in.
 *
 * Only the part below the shared GiBs is a root's own: that is what a
 * root gives up when it is reused for another directory.  Should one
 * directory's kernel half disagree with another's (Linux fills in vmalloc
 * entries lazily; a hostile Guest can do anything), the Guest only sees
 * its own memory through whichever it faulted in first, as if its other
 * directories had been brought up to date.
 */
/* The Guest directory entries a root keeps for itself: 4 MiB each. */
static u32 root_own_pdes(struct lguest *lg)
{
	return lg->kernel_gib * (SZ_1G >> 22);
}

static void clear_all_roots(struct lguest *lg, struct list_head *later)
{
	unsigned int i;

	clear_root_range(lg, &lg->roots[0], 0, 1024, later);
	for (i = 1; i < LG_SHADOW_ROOTS; i++)
		clear_root_range(lg, &lg->roots[i], 0, root_own_pdes(lg), later);
}

/*H:365
 * The Launcher's mapping of the Guest's memory is about to change.  We
 * drop every shadow entry (it is only a cache, and this is rare: nothing
 * a well-behaved Launcher does while its Guest runs changes the mapping)
 * and bump the notifier's sequence, so a fault that looked the page up
 * before the change will not install it (H:320).  If the Guest is on a
 * CPU right now, that CPU's TLB may still hold the old translations:
 * an IPI makes it leave the Guest, and every entry reloads cr3, which
 * flushes them.  When the change is the Launcher's address space going
 * away altogether (exit, or exec), the Guest dies with it, and its keys
 * are unbound: nobody's DMA may land in that mm any more.
 */
static bool lguest_mmu_invalidate(struct mmu_interval_notifier *mni,
				  const struct mmu_notifier_range *range,
				  unsigned long cur_seq)
{
	struct lguest *lg = container_of(mni, struct lguest, mmu);
	struct page *page, *next;
	LIST_HEAD(later);
	int cpu;

	if (mmu_notifier_range_blockable(range))
		spin_lock(&lg->shadow_lock);
	else if (!spin_trylock(&lg->shadow_lock))
		return false;
	mmu_interval_set_seq(mni, cur_seq);
	clear_all_roots(lg, &later);
	spin_unlock(&lg->shadow_lock);

	if (range->event == MMU_NOTIFY_RELEASE) {
		kill_guest(lg, "the Launcher's address space went away");
		lguest_release_dma(lg);
	}

	/*
	 * The unlinked tables may still be in a running CPU's TLB and
	 * paging-structure caches: only once it has left the Guest may
	 * they be freed, and may the Launcher's pages change.  The barrier
	 * pairs with the one after lguest_run_guest_once() sets running_cpu.
	 */
	smp_mb();
	cpu = READ_ONCE(lg->running_cpu);
	if (cpu >= 0 && cpu != raw_smp_processor_id())
		smp_call_function_single(cpu, lguest_leave_guest, NULL, 1);
	list_for_each_entry_safe(page, next, &later, lru)
		__free_page(page);
	return true;
}

static const struct mmu_interval_notifier_ops lguest_mmu_ops = {
	.invalidate = lguest_mmu_invalidate,
};

/* Free a root's tables: the shadows in them are gone (clear_all_roots()). */
static void free_root(struct lguest *lg, struct lg_shadow_root *r)
{
	unsigned int i;

	for (i = 0; i < 4; i++)
		if (i < lg->kernel_gib || r == &lg->roots[0])
			free_page((unsigned long)r->pmd[i]);
	free_page((unsigned long)r->pud);
	free_page((unsigned long)r->p4d);
	free_page((unsigned long)r->top);
	memset(r, 0, sizeof(*r));
	r->gpgdir = LG_NO_ROOT;
}

static u64 *alloc_table(void)
{
	return (u64 *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
}

static int alloc_root(struct lguest *lg, struct lg_shadow_root *r)
{
	unsigned int i;

	r->gpgdir = LG_NO_ROOT;
	r->top = alloc_table();
	r->pud = alloc_table();
	if (!r->top || !r->pud)
		return -ENOMEM;
	if (host_la57()) {
		r->p4d = alloc_table();
		if (!r->p4d)
			return -ENOMEM;
		r->top[0] = __pa(r->p4d) | SHADOW_TABLE;
		r->p4d[0] = __pa(r->pud) | SHADOW_TABLE;
	} else {
		r->top[0] = __pa(r->pud) | SHADOW_TABLE;
	}
	for (i = 0; i < 4; i++) {
		if (i >= lg->kernel_gib && r != &lg->roots[0])
			r->pmd[i] = lg->roots[0].pmd[i];	/* H:305 */
		else
			r->pmd[i] = alloc_table();
		if (!r->pmd[i])
			return -ENOMEM;
		r->pud[i] = __pa(r->pmd[i]) | SHADOW_TABLE;
	}
	return 0;
}

/*H:325
 * How much shadow a Guest may have: enough for every page of its memory
 * to be mapped twice in each shadow root (a kernel mapping and a user
 * one), plus room for sparse user address spaces.  A Guest that needs
 * more (or one that maps one page at a million addresses to make us
 * allocate) just has its shadows dropped and faulted back in: the Host's
 * memory for it stays bounded whatever it does.
 */
static unsigned int shadow_limit(u32 pfn_limit)
{
	return LG_SHADOW_ROOTS * (pfn_limit / PTRS_PER_PTE * 2 + 256);
}

/* The caller frees the tables if this fails (lguest_free_pagetables()). */
int lguest_init_pagetables(struct lguest *lg, u32 gpgdir)
{
	unsigned int i;
	int err;

	spin_lock_init(&lg->shadow_lock);
	for (i = 0; i < LG_SHADOW_ROOTS; i++)
		lg->roots[i].gpgdir = LG_NO_ROOT;
	/* The GiBs wholly above page_offset; none if there is no split. */
	lg->kernel_gib = lg->page_offset ?
		DIV_ROUND_UP((u64)lg->page_offset, SZ_1G) : 4;
	if ((gpgdir & ~GP_PFN_MASK) || !lguest_gpa_ok(lg, gpgdir, PAGE_SIZE))
		return -EINVAL;
	for (i = 0; i < LG_SHADOW_ROOTS; i++)
		if (alloc_root(lg, &lg->roots[i]))
			return -ENOMEM;
	lg->roots[0].gpgdir = gpgdir;
	lg->cur_root = 0;
	lg->shadow_page_limit = shadow_limit(lg->pfn_limit);
	err = mmu_interval_notifier_insert(&lg->mmu, lg->mm, lg->mem_base,
					   (unsigned long)lg->pfn_limit << PAGE_SHIFT,
					   &lguest_mmu_ops);
	if (err)
		return err;
	lg->mmu_registered = true;
	return 0;
}

/*
 * Once the notifier is gone (removing it waits for any invalidation in
 * progress) nobody else can reach the shadows.
 */
void lguest_free_pagetables(struct lguest *lg)
{
	unsigned int i;

	if (lg->mmu_registered)
		mmu_interval_notifier_remove(&lg->mmu);
	lg->mmu_registered = false;
	clear_all_roots(lg, NULL);
	/* Root 0 owns the shared tables: it goes last. */
	for (i = LG_SHADOW_ROOTS; i-- > 0;)
		free_root(lg, &lg->roots[i]);
}

/*H:310
 * Each time the Guest runs we refresh the Host half of its top level
 * from the page table the Host is using right now.  That is 2 KiB of
 * copying, and it means a Host that grows its kernel mappings while a
 * Guest exists can never leave the Switcher stranded.
 */
u64 lguest_shadow_cr3(struct lguest *lg)
{
	struct lg_shadow_root *r = &lg->roots[lg->cur_root];
	u64 *host = __va(read_cr3_pa());

	memcpy(&r->top[PTRS_PER_PGD / 2], &host[PTRS_PER_PGD / 2],
	       PTRS_PER_PGD / 2 * sizeof(u64));
	return __pa(r->top);
}

static bool read_gpde(struct lguest *lg, u32 gpgdir, u32 vaddr, u32 *pde)
{
	return lguest_read_mem(lg, pde, gpgdir + (vaddr >> 22) * 4, 4);
}

/*
 * Find the Guest's page table entry for @vaddr: its Guest-physical address
 * in *@ptep_gpa.  Returns false if the directory entry is not present, or
 * (having killed the Guest) if it is unusable.
 */
static bool find_gpte(struct lguest *lg, u32 gpgdir, u32 vaddr, u32 *pde,
		      u32 *ptep_gpa)
{
	if (!read_gpde(lg, gpgdir, vaddr, pde) || !(*pde & GP_PRESENT))
		return false;
	if (*pde & GP_PSE) {
		kill_guest(lg, "large pages are not supported (vaddr %#x)",
			   vaddr);
		return false;
	}
	if (!lguest_gpa_ok(lg, *pde & GP_PFN_MASK, PAGE_SIZE)) {
		kill_guest(lg, "page directory entry %#x beyond memory", *pde);
		return false;
	}
	*ptep_gpa = (*pde & GP_PFN_MASK) + ((vaddr >> 12) & 1023) * 4;
	return true;
}

/*
 * Walk the Guest's tables for an access it is allowed to make, marking the
 * entries accessed (and dirty for a write) as the hardware would.
 */
static bool walk_guest(struct lguest *lg, u32 vaddr, u32 err, u32 *pde,
		       u32 *pte)
{
	u32 gpgdir = lg->roots[lg->cur_root].gpgdir;
	u32 ptep, new;

	if (!find_gpte(lg, gpgdir, vaddr, pde, &ptep))
		return false;
	if (!lguest_read_mem(lg, pte, ptep, 4) || !(*pte & GP_PRESENT))
		return false;
	if ((err & 2) && !(*pte & *pde & GP_RW))
		return false;
	if ((err & 4) && !(*pte & *pde & GP_USER))
		return false;
	if ((*pte >> PAGE_SHIFT) >= lg->pfn_limit) {
		kill_guest(lg, "page table entry %#x maps beyond memory", *pte);
		return false;
	}
	new = *pte | GP_ACCESSED | ((err & 2) ? GP_DIRTY : 0);
	if (new != *pte) {
		*pte = new;
		if (!lguest_write_mem(lg, ptep, pte, 4))
			return false;
	}
	if (!(*pde & GP_ACCESSED)) {
		*pde |= GP_ACCESSED;
		if (!lguest_write_mem(lg, gpgdir + (vaddr >> 22) * 4, pde, 4))
			return false;
	}
	return true;
}

/*
 * The error code the Guest sees must describe its own page tables: an
 * access its tables forbid was to a present page, even if our shadow had
 * nothing there yet.
 */
u32 lguest_guest_fault_code(struct lguest *lg, u32 vaddr, u32 err)
{
	u32 gpgdir = lg->roots[lg->cur_root].gpgdir;
	u32 pde, pte, ptep;

	err &= ~1U;
	if (read_gpde(lg, gpgdir, vaddr, &pde) && (pde & GP_PRESENT) &&
	    !(pde & GP_PSE) && lguest_gpa_ok(lg, pde & GP_PFN_MASK, PAGE_SIZE)) {
		ptep = (pde & GP_PFN_MASK) + ((vaddr >> 12) & 1023) * 4;
		if (lguest_read_mem(lg, &pte, ptep, 4) && (pte & GP_PRESENT))
			err |= 1;
	}
	return err;
}

bool lguest_guest_va_to_pa(struct lguest *lg, u32 vaddr, bool write, u32 *pa)
{
	u32 pde, pte;

	if (!walk_guest(lg, vaddr, write ? 2 : 0, &pde, &pte))
		return false;
	*pa = (pte & GP_PFN_MASK) | (vaddr & ~GP_PFN_MASK);
	return true;
}

/*H:320
 * The page fault handler's helper: make the shadow map @vaddr if the
 * Guest's own tables allow the access described by the error code.  A page
 * the Guest has not yet written is mapped read-only, even if the Guest
 * allows writes, so that the first write faults and we can set the dirty
 * bit for it.  The Guest's cache-control bits (PWT, PCD) are not copied:
 * the Host maps this memory write-back, and an uncached alias of it would
 * make the two disagree.
 *
 * We look the page up in the Launcher's page tables, take no lasting
 * reference on it, and install it only if no invalidation (H:365) began
 * since we started looking: otherwise the page we found may already be on
 * its way out, and we let the Guest fault again.
 */
/*
 * The shadow entry for Guest entries @pde and @pte (which the caller has
 * checked): the Launcher's page in *@page, with a reference the caller
 * drops once the entry is installed.
 */
static bool shadow_entry(struct lguest *lg, u32 pde, u32 pte, u64 *spte,
			 struct page **page)
{
	unsigned long uaddr = lg->mem_base + (pte & GP_PFN_MASK);
	u64 flags;

	if (get_user_pages_fast(uaddr, 1, FOLL_WRITE, page) != 1)
		return false;
	flags = pte & (GP_PRESENT | GP_RW | GP_USER | GP_ACCESSED | GP_DIRTY);
	if (!(pde & GP_RW) || !(pte & GP_DIRTY))
		flags &= ~GP_RW;
	if (!(pde & GP_USER))
		flags &= ~GP_USER;
	*spte = ((u64)page_to_pfn(*page) << PAGE_SHIFT) | flags;
	return true;
}

/*
 * Put @spte in root @r for @vaddr, unless an invalidation (H:365) began
 * since @seq.  A missing shadow page table is allocated first.  Returns 1
 * if the entry went in, 0 if the Guest must fault again, -ENOMEM if there
 * was no memory for the table.
 */
static int install_spte(struct lguest *lg, struct lg_shadow_root *r,
			u32 vaddr, unsigned long seq, u64 spte)
{
	u64 *spare = NULL, *pmde, *pt;
	int ret = 0;

	pmde = &r->pmd[vaddr >> 30][(vaddr >> 21) & 511];
	if (!(READ_ONCE(*pmde) & _PAGE_PRESENT)) {
		spare = alloc_table();
		if (!spare)
			return -ENOMEM;
	}

	spin_lock(&lg->shadow_lock);
	if (mmu_interval_read_retry(&lg->mmu, seq))
		goto out;
	if (!(*pmde & _PAGE_PRESENT)) {
		if (!spare)
			goto out;	/* dropped meanwhile: fault again */
		if (lg->shadow_pages >= lg->shadow_page_limit)
			clear_all_roots(lg, NULL);
		*pmde = __pa(spare) | SHADOW_TABLE;
		lg->shadow_pages++;
		spare = NULL;
	}
	pt = table_of(*pmde);
	pt[(vaddr >> 12) & 511] = spte;
	ret = 1;
out:
	spin_unlock(&lg->shadow_lock);
	if (spare)
		free_page((unsigned long)spare);
	return ret;
}

bool lguest_demand_page(struct lguest *lg, u32 vaddr, u32 err)
{
	struct lg_shadow_root *r = &lg->roots[lg->cur_root];
	unsigned long seq;
	struct page *page;
	u32 pde, pte;
	u64 spte;
	int ret;

	seq = mmu_interval_read_begin(&lg->mmu);
	if (!walk_guest(lg, vaddr, err, &pde, &pte))
		return false;
	if (!shadow_entry(lg, pde, pte, &spte, &page)) {
		kill_guest(lg, "cannot map Guest page %#x", pte & GP_PFN_MASK);
		return false;
	}
	ret = install_spte(lg, r, vaddr, seq, spte);
	put_page(page);
	if (ret < 0)
		kill_guest(lg, "out of memory for shadow page tables");
	else if (ret)
		lg->stats.pf_fixed++;
	return ret >= 0;
}

static struct lg_shadow_root *find_root(struct lguest *lg, u32 gpgdir)
{
	unsigned int i;

	for (i = 0; i < LG_SHADOW_ROOTS; i++)
		if (lg->roots[i].gpgdir == gpgdir)
			return &lg->roots[i];
	return NULL;
}

/*H:330
 * NEW_PGTABLE: the Guest switched page directory (a process switch).  If
 * we still have a shadow of it we use it as it is; otherwise the oldest
 * shadow is emptied of its own part (H:305) and reused.
 */
void lguest_new_pgtable(struct lguest *lg, u32 gpgdir)
{
	struct lg_shadow_root *r;

	if ((gpgdir & ~GP_PFN_MASK) || !lguest_gpa_ok(lg, gpgdir, PAGE_SIZE)) {
		kill_guest(lg, "bad page directory %#x", gpgdir);
		return;
	}
	r = find_root(lg, gpgdir);
	if (!r) {
		if (lg->next_evict == lg->cur_root)
			lg->next_evict = (lg->next_evict + 1) % LG_SHADOW_ROOTS;
		r = &lg->roots[lg->next_evict];
		lg->next_evict = (lg->next_evict + 1) % LG_SHADOW_ROOTS;
		spin_lock(&lg->shadow_lock);
		clear_root_range(lg, r, 0, root_own_pdes(lg), NULL);
		spin_unlock(&lg->shadow_lock);
		r->gpgdir = gpgdir;
	}
	lg->cur_root = r - lg->roots;
}

/*H:340
 * FLUSH_TLB: the Guest changed many entries at once.  "All" means kernel
 * mappings too, which every shadow shares; otherwise only the user part
 * (below page_offset) of the current shadow goes.
 */
void lguest_flush_tlb(struct lguest *lg, bool all)
{
	spin_lock(&lg->shadow_lock);
	if (all)
		clear_all_roots(lg, NULL);
	else
		clear_root_range(lg, &lg->roots[lg->cur_root], 0,
				 lg->page_offset ? lg->page_offset >> 22 : 1024,
				 NULL);
	spin_unlock(&lg->shadow_lock);
}

static void clear_shadow_pte(struct lg_shadow_root *r, u32 vaddr)
{
	u64 *pmde = &r->pmd[vaddr >> 30][(vaddr >> 21) & 511];
	u64 *pt;

	if (!(*pmde & _PAGE_PRESENT))
		return;
	pt = table_of(*pmde);
	pt[(vaddr >> 12) & 511] = 0;
}

/*H:350
 * SET_PTE: the Guest changed one entry.  Kernel mappings (at or above
 * page_offset) are the same in every page directory, so for those every
 * shadow drops it: the shared part (H:305) once, and each root's own copy
 * of any kernel address below it.
 *
 * Most often the Guest is filling in the page it just faulted on, and
 * will touch it the moment it returns: so a present entry goes straight
 * into the shadow of its directory, saving the Guest the fault that would
 * otherwise bring it in.  Only if it, and the directory entry above it,
 * are already marked accessed: the Guest must find the accessed bit set
 * after any access, as the hardware would have set it, and an access
 * through a shadow entry sets no bit in the Guest's tables (Linux marks
 * every entry accessed when it makes it, so this costs it nothing).  The
 * dirty bit is kept as at a fault (H:320): the entry is writable in the
 * shadow only once the Guest's is dirty.  An entry we cannot use at once
 * (not present, not yet accessed, beyond the Guest's memory, under a
 * large page) is only dropped, and handled at the fault as before.
 */
static void prefill_pte(struct lguest *lg, struct lg_shadow_root *r,
			u32 gpgdir, u32 vaddr, u32 pte)
{
	unsigned long seq;
	struct page *page;
	u32 pde;
	u64 spte;

	if (!(pte & GP_PRESENT) || !(pte & GP_ACCESSED) ||
	    (pte >> PAGE_SHIFT) >= lg->pfn_limit)
		return;
	if (!read_gpde(lg, gpgdir, vaddr, &pde) || !(pde & GP_PRESENT) ||
	    !(pde & GP_ACCESSED) || (pde & GP_PSE))
		return;
	seq = mmu_interval_read_begin(&lg->mmu);
	if (!shadow_entry(lg, pde, pte, &spte, &page))
		return;
	install_spte(lg, r, vaddr, seq, spte);
	put_page(page);
}

void lguest_set_pte(struct lguest *lg, u32 gpgdir, u32 vaddr, u32 pte)
{
	struct lg_shadow_root *r;
	unsigned int i;

	spin_lock(&lg->shadow_lock);
	if (vaddr >= lg->page_offset && lg->page_offset) {
		r = NULL;
		for (i = 0; i < LG_SHADOW_ROOTS; i++)
			if (lg->roots[i].gpgdir != LG_NO_ROOT &&
			    (i == 0 || (vaddr >> 30) < lg->kernel_gib))
				clear_shadow_pte(&lg->roots[i], vaddr);
		if ((vaddr >> 30) >= lg->kernel_gib)
			r = find_root(lg, gpgdir);
	} else {
		r = find_root(lg, gpgdir);
		if (r)
			clear_shadow_pte(r, vaddr);
	}
	spin_unlock(&lg->shadow_lock);
	if (r)
		prefill_pte(lg, r, gpgdir, vaddr, pte);
}

/* SET_PMD: a page directory entry changed: drop its 4 MiB of shadow. */
void lguest_set_pmd(struct lguest *lg, u32 gpgdir, u32 idx)
{
	struct lg_shadow_root *r;

	if (idx >= 1024) {
		kill_guest(lg, "bad page directory index %u", idx);
		return;
	}
	spin_lock(&lg->shadow_lock);
	r = find_root(lg, gpgdir);
	if (r)
		clear_root_range(lg, r, idx, idx + 1, NULL);
	spin_unlock(&lg->shadow_lock);
}
