/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lg.h - what the pieces of the Host module share with each other.
 */
#ifndef _LGUEST_LG_H
#define _LGUEST_LG_H

#include <linux/types.h>
#include <linux/mutex.h>
#include <linux/wait.h>
#include <linux/hrtimer.h>
#include <linux/sched.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <linux/mmu_notifier.h>
#include <lguest_abi.h>
#include "lg_asm.h"

/* The Guest's ring: its kernel runs in ring 1, its user space in ring 3. */
#define GUEST_PL		1

/* Segment selectors of the Guest kernel at boot (Linux's i386 layout). */
#define GUEST_GDT_KERNEL_CS	12
#define GUEST_GDT_KERNEL_DS	13
#define GUEST_KERNEL_CS		((GUEST_GDT_KERNEL_CS << 3) | GUEST_PL)
#define GUEST_KERNEL_DS		((GUEST_GDT_KERNEL_DS << 3) | GUEST_PL)
/* The three TLS entries of the Guest's GDT. */
#define GUEST_GDT_TLS_MIN	6
#define GUEST_TLS_ENTRIES	3

/* How many shadow page-table roots a Guest keeps. */
#define LG_SHADOW_ROOTS		4

/*H:125
 * struct lguest_regs is the Guest's register file as the Switcher saves it
 * when the Guest stops running.  The bottom part is what the CPU pushes on
 * an interrupt; the Switcher pushes the rest.  Each field is 64 bits wide
 * because that is how a 64-bit CPU pushes them, but a compatibility-mode
 * Guest only ever sees the low 32.
 */
struct lguest_regs {
	u64 gs, fs, es, ds;
	u64 rax, rbx, rcx, rdx, rsi, rdi, rbp;
	u64 trapnum, errcode;
	u64 rip, cs, rflags, rsp, ss;
};

/* A descriptor-table pointer as sgdt/lgdt use it, padded to 16 bytes. */
struct lg_dtr {
	u16 pad[3];
	u16 limit;
	u64 base;
} __packed;

/*H:150
 * struct lguest_pcpu is the Switcher's home on one CPU: the Host state it
 * must put back, the Guest registers, our GDT and TSS and an NMI stack.  It
 * is 16 KiB of ordinary kernel memory, naturally aligned, and the Host
 * kernel's half of the address space is in every Guest's shadow page table,
 * so the Switcher can reach it whichever page table is loaded.
 */
struct lguest_pcpu {
	u64 host_rsp, host_cr3, host_cr4, guest_cr3, guest_cr4;
	u64 host_fsbase, host_gsbase, cr2;
	u64 host_ds, host_es, host_fs, host_gs, host_ss;
	u64 nmi_pending;
	struct lg_dtr host_gdtr, host_idtr, gdtr, idtr;
	u64 host_cpunode, guest_gdt15;	/* GDT entry 15: see S:125 */
	u8 redzone[PC_REGS - PC_REDZONE];
	struct lguest_regs regs;
	u64 gdt[LG_GDT_ENTRIES];
	struct x86_hw_tss tss __aligned(64);
	/* Host state the C side saves and restores. */
	u64 host_sysenter_cs, host_efer, host_s_cet;
	u16 host_ldt, host_tr;
	u8 stacks[PC_SIZE - 4096] __aligned(4096);
};

struct lguest;

/* One shadow page-table root: a Guest page directory we mirror. */
struct lg_shadow_root {
	u32 gpgdir;		/* Guest-physical address, or LG_NO_ROOT */
	u64 *top;		/* what cr3 points at */
	u64 *p4d;		/* the second level on 5-level Hosts */
	u64 *pud;
	u64 *pmd[4];		/* one per GiB of the Guest's 4 GiB */
};
#define LG_NO_ROOT		0xFFFFFFFFU

/* A key the Guest has bound receive buffers to (BIND_DMA). */
struct lg_dma_binding {
	struct list_head list;	/* on the global list, under dma_lock */
	refcount_t refs;	/* the list's, and each sender's */
	struct lguest *lg;	/* holds a reference on the Guest */
	u32 key;
	struct page *page;	/* the key's page: identity for matching */
	unsigned int offset;
	u32 dmas;		/* Guest-physical address of the array */
	u16 num;
	u8 irq;
	struct mutex ring_lock;	/* who fills the next buffer */
	u16 next;		/* under ring_lock */
};

/*H:120
 * struct lguest is one Guest: everything the Host keeps for it between
 * runs.  LHREQ_INITIALIZE (H:115) makes it and the /dev/lguest file owns
 * it, but it is counted: every key the Guest binds for DMA (H:710) holds a
 * reference too, because a sender on another CPU may be filling one of
 * its buffers while the file is closed.  The last reference frees it.
 *
 * While the Guest is not running its registers live in @regs; each entry
 * copies them into this CPU's struct lguest_pcpu (H:150) for the Switcher
 * and each exit copies them back.  The rest is grouped by who uses it:
 * the Launcher's memory that is the Guest's, the tables the Guest handed
 * us (checked before we use them), the shadow page tables, interrupts and
 * the timer, DMA, breaks, the Guest's death, and its statistics.
 */
struct lguest {
	refcount_t refs;	/* the file's, and each DMA binding's */

	/* The Launcher: its memory is the Guest's memory. */
	struct mm_struct *mm;
	unsigned long mem_base;	/* Launcher address of Guest-physical 0 */
	u32 pfn_limit;
	u32 page_offset;
	u16 guestid;

	struct mutex run_lock;	/* one read() at a time */
	struct task_struct *runner;	/* the thread in that read() */
	int running_cpu;	/* where the Guest runs right now, or -1 */
	struct lguest_regs regs;
	u32 cr2;
	int last_cpu;

	/* Guest-physical address of struct lguest_data, 0 until LGUEST_INIT. */
	u32 lguest_data;
	u32 next_hcall;

	/* The Guest's kernel stack for traps from ring 3 (SET_STACK). */
	u32 ss1, esp1;

	/* The Guest's IDT, as (low, high) words of each gate. */
	u32 idt[256][2];
	/* The Guest's GDT, after validation. */
	u64 gdt[LG_GDT_GUEST_ENTRIES];

	/*
	 * Shadow page tables (H:300).  shadow_lock guards every shadow
	 * entry; it is taken by the Guest's own faults and hypercalls and
	 * by the notifier that tells us the Launcher's memory changed.
	 */
	spinlock_t shadow_lock;
	struct mmu_interval_notifier mmu;
	bool mmu_registered;
	struct lg_shadow_root roots[LG_SHADOW_ROOTS];
	unsigned int kernel_gib;	/* first GiB every root shares (H:305) */
	unsigned int cur_root, next_evict;
	unsigned int shadow_pages, shadow_page_limit;

	/* Interrupts. */
	DECLARE_BITMAP(irqs_pending, LGUEST_IRQS);
	bool halted;
	struct hrtimer timer;

	/* I/O: a DMA the Launcher must handle. */
	bool dma_is_pending;
	u32 pending_dma, pending_key;
	unsigned int bindings;	/* how many keys bound, under dma_lock */

	/* LHREQ_BREAK */
	atomic_t break_out;
	wait_queue_head_t break_wq;

	/* Once the Guest is dead: why (H:185), and whether read() said so. */
	spinlock_t dead_lock;
	bool dead;
	bool death_reported;	/* under run_lock */
	char dead_reason[LGUEST_REASON_MAX];

	/*
	 * What the Guest cost (LHREQ_STATS): plain increments, each by the
	 * thread running the Guest (run_lock), where the event is handled.
	 */
	struct lguest_stats stats;
};

/* core.c */
int lguest_pcpu_init(void);
void lguest_pcpu_free(void);
int lguest_run(struct lguest *lg, char __user *out, size_t size);
void lguest_kick(struct lguest *lg);
void lguest_leave_guest(void *unused);
void kill_guest(struct lguest *lg, const char *fmt, ...) __printf(2, 3);
bool lguest_is_dead(struct lguest *lg);
bool lguest_read_mem(struct lguest *lg, void *dst, u32 gpa, u32 len);
bool lguest_write_mem(struct lguest *lg, u32 gpa, const void *src, u32 len);
bool lguest_gpa_ok(struct lguest *lg, u32 gpa, u32 len);

/* host_check.c */
const char *lguest_host_refusal(bool fred_active);

/* switcher.S */
void lguest_enter(struct lguest_pcpu *pcpu);
void lguest_call_host_irq_and_enable(unsigned long handler);
extern const unsigned long lguest_stub_table[256];

/* hypercalls.c */
void lguest_do_hypercalls(struct lguest *lg);
void lguest_do_async_hcalls(struct lguest *lg);

/* interrupts_and_traps.c */
void lguest_handle_trap(struct lguest *lg);
void lguest_halt(struct lguest *lg);
void lguest_maybe_do_interrupt(struct lguest *lg);
bool lguest_deliver_trap(struct lguest *lg, unsigned int num);
void lguest_load_idt_entry(struct lguest *lg, u32 num, u32 lo, u32 hi);
void lguest_set_stack(struct lguest *lg, u32 seg, u32 esp);
void lguest_init_timer(struct lguest *lg);
void lguest_set_clockevent(struct lguest *lg, u32 delta);
void lguest_stop_timer(struct lguest *lg);
void lguest_set_irq(struct lguest *lg, unsigned int irq);

/* segments.c */
void lguest_setup_gdt(struct lguest *lg);
void lguest_load_gdt(struct lguest *lg, u32 gpa, u32 num);
void lguest_load_tls(struct lguest *lg, u32 gpa);
bool lguest_fixup_segments(struct lguest *lg, struct lguest_regs *regs);

/* page_tables.c */
int lguest_init_pagetables(struct lguest *lg, u32 gpgdir);
void lguest_free_pagetables(struct lguest *lg);
bool lguest_demand_page(struct lguest *lg, u32 vaddr, u32 errcode);
void lguest_new_pgtable(struct lguest *lg, u32 gpgdir);
void lguest_flush_tlb(struct lguest *lg, bool all);
void lguest_set_pte(struct lguest *lg, u32 gpgdir, u32 vaddr, u32 pte);
void lguest_set_pmd(struct lguest *lg, u32 gpgdir, u32 idx);
u64 lguest_shadow_cr3(struct lguest *lg);
u32 lguest_guest_fault_code(struct lguest *lg, u32 vaddr, u32 err);
bool lguest_guest_va_to_pa(struct lguest *lg, u32 vaddr, bool write, u32 *pa);

/* io.c */
u32 lguest_bind_dma(struct lguest *lg, u32 key, u32 dmas, u32 numirq);
void lguest_send_dma(struct lguest *lg, u32 key, u32 udma);
long lguest_get_dma(struct lguest *lg, u32 key);
void lguest_release_dma(struct lguest *lg);

/* lguest_user.c */
void lguest_put(struct lguest *lg);
int lguest_device_init(void);
void lguest_device_remove(void);

#endif /* _LGUEST_LG_H */
