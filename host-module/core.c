// SPDX-License-Identifier: GPL-2.0
/*H:000
 * Welcome to the Host.
 *
 * The Host is the Linux kernel that runs Guests.  All of its lguest support
 * is this one module, lguest.ko, which an ordinary user loads with modprobe
 * (DKMS builds it for whatever kernel they run).  It creates /dev/lguest, and
 * a Launcher process that opens it becomes the home of one Guest: the Guest's
 * memory is part of the Launcher's address space, the Guest runs whenever the
 * Launcher reads from the device, and when the Launcher exits, the Guest is
 * gone and every resource the Host held for it is freed.
 *
 * This file is where the module starts and ends, and where Guests run: the
 * Host side of the world switch (what must be saved before the Switcher
 * runs the Guest, and what must be put back after) and, beside it, the
 * loop a read() of /dev/lguest runs the Guest in (H:140), which calls the
 * rest of the module for each thing that stops the Guest.
 */
#include <linux/module.h>
#include <linux/sched/signal.h>
#include <linux/init.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/percpu.h>
#include <linux/debugfs.h>
#include <asm/desc.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/tlbflush.h>
#include <asm/fpu/api.h>
#include <asm/trapnr.h>
#include <asm/irq_vectors.h>
#include "lg.h"

static struct lguest_pcpu *lguest_pcpus[NR_CPUS];
static struct gate_struct *lguest_idt;
static struct dentry *lguest_debugfs;

/* How often a read() went back to user space to load the FPU (H:145). */
static atomic_t lguest_fpu_restarts;

/*H:180
 * The Guest's memory is the Launcher's memory from mem_base up, so reading
 * and writing it is copy_from_user() and copy_to_user() once we have
 * checked that the Guest-physical range is inside the Guest.  Any failure
 * means the Guest handed us a bad address, and that kills it.
 */
bool lguest_gpa_ok(struct lguest *lg, u32 gpa, u32 len)
{
	u64 end = (u64)gpa + len;

	return end <= (u64)lg->pfn_limit << PAGE_SHIFT;
}

bool lguest_read_mem(struct lguest *lg, void *dst, u32 gpa, u32 len)
{
	if (!lguest_gpa_ok(lg, gpa, len) ||
	    copy_from_user(dst, (void __user *)(lg->mem_base + gpa), len)) {
		kill_guest(lg, "bad read of Guest memory at %#x (%u bytes)",
			   gpa, len);
		return false;
	}
	return true;
}

bool lguest_write_mem(struct lguest *lg, u32 gpa, const void *src, u32 len)
{
	if (!lguest_gpa_ok(lg, gpa, len) ||
	    copy_to_user((void __user *)(lg->mem_base + gpa), src, len)) {
		kill_guest(lg, "bad write of Guest memory at %#x (%u bytes)",
			   gpa, len);
		return false;
	}
	return true;
}

/*H:185
 * A Guest is killed by giving it a reason to be dead: the next read() of
 * /dev/lguest sees it and hands the reason to the Launcher.  Only the first
 * reason counts.  A Guest can be killed from anywhere (its own hypercalls,
 * another Guest's DMA, the Launcher's memory going away), so the reason
 * lives in the Guest's own fixed buffer, written once under a lock and
 * published with a release store: whoever sees "dead" sees the reason.
 */
void kill_guest(struct lguest *lg, const char *fmt, ...)
{
	unsigned long flags;
	va_list ap;

	if (lguest_is_dead(lg))
		return;
	spin_lock_irqsave(&lg->dead_lock, flags);
	if (!lg->dead) {
		va_start(ap, fmt);
		vscnprintf(lg->dead_reason, sizeof(lg->dead_reason), fmt, ap);
		va_end(ap);
		/* The reason is written before anyone can see "dead". */
		smp_store_release(&lg->dead, true);
	}
	spin_unlock_irqrestore(&lg->dead_lock, flags);
	lguest_kick(lg);
	wake_up_all(&lg->break_wq);
}

bool lguest_is_dead(struct lguest *lg)
{
	/* Pairs with kill_guest(): "dead" means the reason is there. */
	return smp_load_acquire(&lg->dead);
}

/*H:190
 * Something happened that the Guest should look at (an interrupt, a
 * break, its death): wake the Launcher thread running it if it sleeps in
 * HALT, and make it leave the Guest if it is running on another CPU right
 * now.  The runner is only set while a read() is running the Guest; task
 * structures are freed after an RCU grace period, so under rcu_read_lock()
 * the pointer stays good even if that read() is just returning.
 */
void lguest_kick(struct lguest *lg)
{
	struct task_struct *runner;

	/* Pairs with the barrier after lguest_run() sets the runner. */
	smp_mb();
	rcu_read_lock();
	runner = READ_ONCE(lg->runner);
	if (runner) {
		wake_up_process(runner);
		kick_process(runner);
	}
	rcu_read_unlock();
}

/* An IPI to a CPU running a Guest makes it leave: that is all we need. */
void lguest_leave_guest(void *unused)
{
}

/*
 * A present 64-bit interrupt gate to @addr (on IST stack @ist, 0 for none)
 * that "int" may raise from ring @dpl or a more privileged one.
 */
static u64 make_gate(unsigned long addr, unsigned int dpl, unsigned int ist)
{
	u64 lo;

	lo = (addr & 0xFFFF) | ((u64)__KERNEL_CS << 16) | ((u64)ist << 32) |
	     ((u64)(0x80 | (dpl << 5) | GATE_INTERRUPT) << 40) |
	     (((u64)addr >> 16 & 0xFFFF) << 48);
	return lo;
}

/*H:155
 * Our IDT is the same on every CPU: every vector goes to the Switcher.
 * Only four may be raised by software from the Guest: the hypercall vector
 * (LGUEST_TRAP_ENTRY), from the Guest kernel in ring 1 only, and int3,
 * into and the system call vector, from ring 1 or Guest user space in
 * ring 3.  Anything else a Guest raises with "int" turns into a general
 * protection fault, so a Guest can never pretend to be a Host interrupt.
 */
static int lguest_build_idt(void)
{
	unsigned int i, dpl, ist;
	u64 *idt;

	lguest_idt = (void *)get_zeroed_page(GFP_KERNEL);
	if (!lguest_idt)
		return -ENOMEM;
	idt = (u64 *)lguest_idt;
	for (i = 0; i < 256; i++) {
		unsigned long addr = lguest_stub_table[i];

		dpl = 0;
		ist = 0;
		if (i == X86_TRAP_BP || i == X86_TRAP_OF || i == IA32_SYSCALL_VECTOR)
			dpl = 3;
		else if (i == LGUEST_TRAP_ENTRY)
			dpl = GUEST_PL;
		if (i == X86_TRAP_NMI)
			ist = LG_NMI_IST;
		idt[i * 2] = make_gate(addr, dpl, ist);
		idt[i * 2 + 1] = addr >> 32;
	}
	return 0;
}

static void lguest_pcpu_layout_check(void)
{
	BUILD_BUG_ON(offsetof(struct lguest_regs, gs) != LR_GS);
	BUILD_BUG_ON(offsetof(struct lguest_regs, ds) != LR_DS);
	BUILD_BUG_ON(offsetof(struct lguest_regs, rax) != LR_RAX);
	BUILD_BUG_ON(offsetof(struct lguest_regs, rbp) != LR_RBP);
	BUILD_BUG_ON(offsetof(struct lguest_regs, trapnum) != LR_TRAPNUM);
	BUILD_BUG_ON(offsetof(struct lguest_regs, errcode) != LR_ERRCODE);
	BUILD_BUG_ON(offsetof(struct lguest_regs, rip) != LR_RIP);
	BUILD_BUG_ON(offsetof(struct lguest_regs, cs) != LR_CS);
	BUILD_BUG_ON(offsetof(struct lguest_regs, rflags) != LR_RFLAGS);
	BUILD_BUG_ON(offsetof(struct lguest_regs, rsp) != LR_RSP);
	BUILD_BUG_ON(offsetof(struct lguest_regs, ss) != LR_SS);
	BUILD_BUG_ON(sizeof(struct lguest_regs) != LR_SIZE);
	BUILD_BUG_ON(offsetof(struct lguest_pcpu, host_cr3) != PC_HOST_CR3);
	BUILD_BUG_ON(offsetof(struct lguest_pcpu, guest_cr4) != PC_GUEST_CR4);
	BUILD_BUG_ON(offsetof(struct lguest_pcpu, host_gsbase) != PC_HOST_GSBASE);
	BUILD_BUG_ON(offsetof(struct lguest_pcpu, cr2) != PC_CR2);
	BUILD_BUG_ON(offsetof(struct lguest_pcpu, host_ss) != PC_HOST_SS);
	BUILD_BUG_ON(offsetof(struct lguest_pcpu, nmi_pending) != PC_NMI_PENDING);
	BUILD_BUG_ON(offsetof(struct lguest_pcpu, host_gdtr) != PC_HOST_GDTR);
	BUILD_BUG_ON(offsetof(struct lguest_pcpu, host_idtr) != PC_HOST_IDTR);
	BUILD_BUG_ON(offsetof(struct lguest_pcpu, gdtr) != PC_GDTR);
	BUILD_BUG_ON(offsetof(struct lguest_pcpu, idtr) != PC_IDTR);
	BUILD_BUG_ON(offsetof(struct lguest_pcpu, host_cpunode) != PC_HOST_CPUNODE);
	BUILD_BUG_ON(offsetof(struct lguest_pcpu, guest_gdt15) != PC_GUEST_GDT15);
	BUILD_BUG_ON(offsetof(struct lguest_pcpu, redzone) != PC_REDZONE);
	BUILD_BUG_ON(offsetof(struct lguest_pcpu, gdt) != PC_GDT);
	BUILD_BUG_ON(GDT_ENTRY_CPUNODE != 15);
	BUILD_BUG_ON(offsetof(struct lguest_pcpu, regs) != PC_REGS);
	BUILD_BUG_ON(PC_REGS_END % 16);
	BUILD_BUG_ON(sizeof(struct lguest_pcpu) != PC_SIZE);
	BUILD_BUG_ON(offsetof(struct lguest_pcpu, stacks) > PC_NMI_TOP - 4096);
	BUILD_BUG_ON((PAGE_SIZE << PC_ORDER) != PC_SIZE);
}

/*H:160
 * Each CPU gets a struct lguest_pcpu: our TSS points its ring-0 stack at
 * the end of the register frame in it, so the CPU itself saves a trapping
 * Guest's registers where the Host will look for them.
 */
int lguest_pcpu_init(void)
{
	unsigned int cpu;
	int err;

	lguest_pcpu_layout_check();
	err = lguest_build_idt();
	if (err)
		return err;
	for_each_possible_cpu(cpu) {
		struct lguest_pcpu *pc;

		pc = (void *)__get_free_pages(GFP_KERNEL | __GFP_ZERO, PC_ORDER);
		if (!pc) {
			lguest_pcpu_free();
			return -ENOMEM;
		}
		lguest_pcpus[cpu] = pc;
		pc->gdtr.limit = LG_GDT_ENTRIES * 8 - 1;
		pc->gdtr.base = (unsigned long)pc->gdt;
		pc->idtr.limit = 256 * 16 - 1;
		pc->idtr.base = (unsigned long)lguest_idt;
		pc->tss.sp0 = (unsigned long)pc + PC_REGS_END;
		pc->tss.ist[LG_NMI_IST - 1] = (unsigned long)pc + PC_NMI_TOP;
		/* No I/O bitmap: the offset points past the TSS limit. */
		pc->tss.io_bitmap_base = sizeof(pc->tss);
	}
	return 0;
}

void lguest_pcpu_free(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		free_pages((unsigned long)lguest_pcpus[cpu], PC_ORDER);
		lguest_pcpus[cpu] = NULL;
	}
	free_page((unsigned long)lguest_idt);
	lguest_idt = NULL;
}

static void lg_set_tss_desc(struct lguest_pcpu *pc)
{
	unsigned long base = (unsigned long)&pc->tss;
	u64 limit = sizeof(pc->tss) - 1;

	/* Present, DPL 0, DESC_TSS (9): an available 64-bit TSS. */
	pc->gdt[LG_GDT_TSS] = (limit & 0xFFFF) | ((u64)(base & 0xFFFFFF) << 16) |
			      ((0x80ULL | DESC_TSS) << 40) |
			      ((limit >> 16 & 0xF) << 48) |
			      ((u64)(base >> 24 & 0xFF) << 56);
	pc->gdt[LG_GDT_TSS + 1] = base >> 32;
}

/*H:170
 * Putting the Host's GDT and task register back.  ltr insists that the
 * TSS descriptor is not marked busy, and the Host normally runs on a
 * read-only alias of its GDT, so we clear the busy bit through the
 * writable one, load TR from there, and then load the GDT the Host had.
 */
static void restore_host_tables(struct lguest_pcpu *pc, unsigned int cpu)
{
	struct desc_struct *gdt = get_cpu_gdt_rw(cpu);
	struct desc_ptr rw = {
		.size = GDT_SIZE - 1,
		.address = (unsigned long)gdt,
	};
	struct desc_ptr host = {
		.size = pc->host_gdtr.limit,
		.address = pc->host_gdtr.base,
	};

	native_load_gdt(&rw);
	gdt[GDT_ENTRY_TSS].type = DESC_TSS;
	asm volatile("ltr %w0" : : "q" (GDT_ENTRY_TSS * 8));
	native_load_gdt(&host);
	asm volatile("lldt %w0" : : "q" (pc->host_ldt));
}

/* Hand the Host its interrupt; we come back with interrupts on (S:150). */
static void replay_host_interrupt(struct lguest_pcpu *pc, u64 vector)
{
	struct gate_struct *gate;
	unsigned long handler;

	gate = (struct gate_struct *)pc->host_idtr.base + vector;
	handler = gate->offset_low | ((unsigned long)gate->offset_middle << 16) |
		  ((unsigned long)gate->offset_high << 32);
	lguest_call_host_irq_and_enable(handler);
}

/*
 * Why the Guest stopped, for LHREQ_STATS: every entry ends in exactly one
 * of these exits, so the switch count is their sum (L:015).
 */
static void count_exit(struct lguest_stats *st, u64 vector)
{
	BUILD_BUG_ON(LGUEST_STATS_TRAPS != FIRST_EXTERNAL_VECTOR);
	if (vector & LG_SWITCHER_FAULT)
		st->exit_switcher_fault++;
	else if (vector < FIRST_EXTERNAL_VECTOR)
		st->exit_trap[vector]++;
	else if (vector == IA32_SYSCALL_VECTOR)
		st->exit_syscall++;
	else
		st->exit_host_irq++;
}

/*H:175
 * The Switcher's exception fixup (S:125) is for states the checks in
 * H:620 should never let through, so no Guest can reach it.  To test it,
 * the module built with LGUEST_SELFTEST=y (never shipped: DKMS does not
 * set it) has a root-only parameter that makes every entry use the null
 * code selector 0x0001, which the CPU's iretq refuses.
 */
#ifdef LGUEST_SELFTEST
static bool selftest_null_cs;
module_param(selftest_null_cs, bool, 0600);
MODULE_PARM_DESC(selftest_null_cs, "test only: enter Guests with CS = 1");
#define lg_selftest_null_cs()	READ_ONCE(selftest_null_cs)
#else
#define lg_selftest_null_cs()	false
#endif

/*H:165
 * lguest_run_guest_once() runs the Guest until something stops it.  With
 * interrupts off it: makes sure the Launcher's FPU state is in the
 * registers (the Guest's FPU state *is* the Launcher's; H:145 said
 * what happens on kernels that do not let us load it), copies the Guest's GDT and
 * registers into this CPU's Switcher area, closes the two doors a
 * compatibility-mode program could use to reach the Host's system call
 * entry (SYSENTER and SYSCALL) and, on kernels with indirect branch
 * tracking, turns that off (to the CPU, ring 1 is supervisor code).  Then
 * the Switcher does the rest.  Afterwards everything is put back, and a
 * Host interrupt or NMI that arrived meanwhile is handed to the Host.
 *
 * After the Launcher was switched out, its FPU registers may not be
 * loaded (TIF_NEED_FPU_LOAD).  Where switch_fpu_return() is ours to
 * call, it loads them; where it is not (Linux 7.x keeps it for KVM), we
 * return false without entering the Guest, and the caller goes back to
 * user space, whose entry code loads them, and restarts the read()
 * (H:145).  Interrupts stay off from that check until the Guest runs,
 * so nothing can take the registers away in between.
 */
static bool lguest_run_guest_once(struct lguest *lg)
{
	struct lguest_pcpu *pc;
	unsigned int cpu, i;
	/* Kernel indirect branch tracking (CET) is also enforced in ring 1. */
	bool cet = cpu_feature_enabled(X86_FEATURE_IBT);
	u64 vector;

	local_irq_disable();
	if (test_thread_flag(TIF_NEED_FPU_LOAD) && !lg_load_user_fpu()) {
		local_irq_enable();
		return false;
	}
	cpu = smp_processor_id();
	pc = lguest_pcpus[cpu];

	for (i = 0; i < LG_GDT_GUEST_ENTRIES; i++)
		pc->gdt[i] = lg->gdt[i];
	pc->gdt[LG_HOST_CS_ENTRY] = *(u64 *)&get_cpu_gdt_rw(cpu)[GDT_ENTRY_KERNEL_CS];
	pc->gdt[LG_HOST_DS_ENTRY] = *(u64 *)&get_cpu_gdt_rw(cpu)[GDT_ENTRY_KERNEL_DS];
	/* Until the Switcher has our IDT loaded, entry 15 is the Host's. */
	pc->host_cpunode = *(u64 *)&get_cpu_gdt_rw(cpu)[GDT_ENTRY_CPUNODE];
	pc->guest_gdt15 = pc->gdt[GDT_ENTRY_CPUNODE];
	pc->gdt[GDT_ENTRY_CPUNODE] = pc->host_cpunode;
	lg_set_tss_desc(pc);
	/* The Host's own interrupt stacks, for NMIs on the way out. */
	for (i = 0; i < LG_NMI_IST - 1; i++)
		pc->tss.ist[i] = per_cpu(cpu_tss_rw, cpu).x86_tss.ist[i];

	pc->regs = lg->regs;
	if (lg_selftest_null_cs())
		pc->regs.cs = 0x0001;
	pc->guest_cr3 = lguest_shadow_cr3(lg);
	/*
	 * From now until we are out, a change to the Launcher's memory on
	 * another CPU must kick us out of the Guest (H:365).  The barrier
	 * pairs with the one in lguest_mmu_invalidate().
	 */
	WRITE_ONCE(lg->running_cpu, cpu);
	/* Shadow entries dropped before this are gone from our walk. */
	smp_mb();
	/*
	 * Ring 1 is supervisor code to the CPU: SMEP, SMAP and LASS would
	 * fault the Guest's own accesses, and FRED would deliver its events
	 * past our IDT.
	 */
	pc->guest_cr4 = __read_cr4() &
		~(X86_CR4_SMEP | X86_CR4_SMAP | X86_CR4_LASS | X86_CR4_FRED);
	pc->nmi_pending = 0;

	rdmsrq(MSR_FS_BASE, pc->host_fsbase);
	rdmsrq(MSR_GS_BASE, pc->host_gsbase);
	rdmsrq(MSR_IA32_SYSENTER_CS, pc->host_sysenter_cs);
	rdmsrq(MSR_EFER, pc->host_efer);
	asm volatile("sldt %w0" : "=q" (pc->host_ldt));
	wrmsrq(MSR_IA32_SYSENTER_CS, 0);
	if (pc->host_efer & EFER_SCE)
		wrmsrq(MSR_EFER, pc->host_efer & ~EFER_SCE);
	if (cet) {
		rdmsrq(MSR_IA32_S_CET, pc->host_s_cet);
		wrmsrq(MSR_IA32_S_CET, 0);
	}

	lg->stats.switches++;
	lguest_enter(pc);
	WRITE_ONCE(lg->running_cpu, -1);

	restore_host_tables(pc, cpu);
	if (cet)
		wrmsrq(MSR_IA32_S_CET, pc->host_s_cet);
	if (pc->host_efer & EFER_SCE)
		wrmsrq(MSR_EFER, pc->host_efer);
	wrmsrq(MSR_IA32_SYSENTER_CS, pc->host_sysenter_cs);

	lg->regs = pc->regs;
	lg->cr2 = pc->cr2;
	lg->last_cpu = cpu;
	vector = pc->regs.trapnum;
	count_exit(&lg->stats, vector);

	if (vector & LG_SWITCHER_FAULT) {
		/* S:125: the CPU refused the Guest's state in ring 0. */
		kill_guest(lg, "the Host could not enter the Guest: exception %llu in the Switcher",
			   vector & ~LG_SWITCHER_FAULT);
		vector = 0;
	}
	if (pc->nmi_pending || vector == X86_TRAP_NMI)
		asm volatile("int $2");
	if (vector >= FIRST_EXTERNAL_VECTOR && vector != IA32_SYSCALL_VECTOR)
		replay_host_interrupt(pc, vector);
	else
		local_irq_enable();
	return true;
}

/*H:145
 * The Launcher's FPU registers were not loaded, and only the way back to
 * user space may load them on this kernel (H:165).  So read() returns
 * -ERESTARTNOINTR with TIF_NOTIFY_SIGNAL set: that flag sends the return
 * to user space through the signal code, which (no signal being due)
 * rewinds the Launcher to its read() system call, and on the way out the
 * entry code loads the FPU registers.  The Launcher sees nothing; the
 * count is in /sys/kernel/debug/lguest/fpu_restarts.
 */
static int restart_for_fpu(void)
{
	atomic_inc(&lguest_fpu_restarts);
	set_thread_flag(TIF_NOTIFY_SIGNAL);
	return -ERESTARTNOINTR;
}

/*H:140
 * From that read() we come back to core.c, to the loop that ties it all
 * together, which sits beside the world switch it drives: run the Guest
 * until the Launcher has to do something.  Pending asynchronous hypercalls are run
 * first, then a pending interrupt delivered; a halted Guest sleeps until
 * an interrupt arrives.  We stop for a signal, a break from another
 * Launcher thread, a DMA only the Launcher can handle, or the Guest's
 * death.
 */
static int run_until_stopped(struct lguest *lg, char __user *out,
			     size_t size)
{
	while (!lguest_is_dead(lg)) {
		if (lg->lguest_data)
			lguest_do_async_hcalls(lg);
		if (lguest_is_dead(lg))
			break;
		if (lg->dma_is_pending) {
			struct lguest_pending p = {
				.dma = lg->pending_dma,
				.key = lg->pending_key,
			};

			if (size < sizeof(p))
				return -EINVAL;
			if (copy_to_user(out, &p, sizeof(p)))
				return -EFAULT;
			lg->dma_is_pending = false;
			return sizeof(p);
		}
		if (signal_pending(current))
			return -EINTR;
		if (atomic_read(&lg->break_out))
			return -EAGAIN;

		lguest_maybe_do_interrupt(lg);
		if (lguest_is_dead(lg))
			break;
		if (lg->halted) {
			lguest_halt(lg);
			continue;
		}
		/*
		 * Give way if the scheduler asks, as the way back to user
		 * space would: under lazy or full preemption cond_resched()
		 * does nothing, and a Guest that never halts would only be
		 * preempted by a tick's exit (S:150).  Since Linux 6.13 it may
		 * ask lazily, with a flag that need_resched() does not see and
		 * only a return to user space or a tick honours; running a
		 * Guest is our return to user space, so we honour both.
		 */
		if (need_resched() || test_thread_flag(TIF_NEED_RESCHED_LAZY))
			schedule();
		if (!lguest_fixup_segments(lg, &lg->regs))
			break;
		/*
		 * The real interrupt flag is always on in the Guest (so Host
		 * interrupts get through), and it never gets I/O privilege.
		 */
		lg->regs.rflags &= ~(X86_EFLAGS_IOPL | X86_EFLAGS_NT |
				     X86_EFLAGS_VM | X86_EFLAGS_VIF |
				     X86_EFLAGS_VIP);
		lg->regs.rflags |= X86_EFLAGS_IF | X86_EFLAGS_FIXED;
		if (!lguest_run_guest_once(lg))
			return restart_for_fpu();
		lguest_handle_trap(lg);
	}
	return -ENOENT;
}

int lguest_run(struct lguest *lg, char __user *out, size_t size)
{
	int ret;

	/* Kicks go to us from now on: see H:190 for the barrier. */
	WRITE_ONCE(lg->runner, current);
	/* Pairs with lguest_kick(): it sees us, or we see its event. */
	smp_mb();
	ret = run_until_stopped(lg, out, size);
	WRITE_ONCE(lg->runner, NULL);
	return ret;
}

/*H:010
 * Loading the module checks that this CPU can host Guests at all, sets up
 * the Switcher's per-CPU areas and registers /dev/lguest.
 */
static int __init lguest_init(void)
{
	int err;
	const char *refusal;

	if (!IS_ENABLED(CONFIG_X86_64)) {
		pr_err("lguest: this Host architecture is not supported yet\n");
		return -ENODEV;
	}
	refusal = lguest_host_refusal(lg_host_uses_fred());
	if (refusal) {
		pr_err("lguest: %s\n", refusal);
		return -ENODEV;
	}

	err = lguest_pcpu_init();
	if (err)
		return err;
	err = lguest_device_init();
	if (err) {
		lguest_pcpu_free();
		return err;
	}

	lguest_debugfs = debugfs_create_dir("lguest", NULL);
	debugfs_create_atomic_t("fpu_restarts", 0444, lguest_debugfs,
				&lguest_fpu_restarts);
	pr_info("lguest: /dev/lguest ready (ABI: %u hypercalls, %u IRQs)\n",
		LHCALL_NR, LGUEST_IRQS);
	return 0;
}

/*H:020
 * The module can only be removed when no Launcher holds /dev/lguest open:
 * the misc device's file operations pin the module while a file is open.
 */
static void __exit lguest_exit(void)
{
	debugfs_remove_recursive(lguest_debugfs);
	lguest_device_remove();
	lguest_pcpu_free();
}

module_init(lguest_init);
module_exit(lguest_exit);

MODULE_DESCRIPTION("lguest: paravirtual hypervisor for Linux Guests");
MODULE_AUTHOR("The lguest developers");
MODULE_LICENSE("GPL");
