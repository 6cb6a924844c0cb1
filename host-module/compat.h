/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat.h - every difference between the Host kernels we support, in one
 * place.  compat-probed.h is generated at build time by compat-probe.sh,
 * which looks in the kernel tree for each feature; this file maps what it
 * found onto the names the rest of the module uses.  No other file may test
 * LINUX_VERSION_CODE or a LGUEST_HAVE_ macro.  The Switcher includes it
 * too, so the assembler's part comes first.
 */
#ifndef _LGUEST_COMPAT_H
#define _LGUEST_COMPAT_H

#include "compat-probed.h"

#ifdef __ASSEMBLY__

#include <asm/unwind_hints.h>
/* Linux 6.4 renamed objtool's "nothing to unwind here" hint. */
#ifdef LGUEST_HAVE_UNWIND_HINT_UNDEFINED
#define LG_UNWIND_HINT_UNDEFINED	UNWIND_HINT_UNDEFINED
#else
#define LG_UNWIND_HINT_UNDEFINED	UNWIND_HINT_EMPTY
#endif

#else /* !__ASSEMBLY__ */

#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <asm/cpufeature.h>
#include <asm/fpu/api.h>
#include <asm/msr.h>
#include <asm/processor-flags.h>

#ifdef LGUEST_HAVE_NO_LLSEEK
#define lg_no_llseek	no_llseek
#else
#define lg_no_llseek	NULL
#endif

/* Kernel indirect branch tracking (CET) is also enforced in ring 1. */
#define lg_cpu_has_ibt()	cpu_feature_enabled(X86_FEATURE_IBT)

/*
 * Threads that share a Launcher's mm without being the Launcher: kernel
 * threads, io_uring workers and, since Linux 6.4, every "user worker"
 * (vhost's too).
 */
#ifdef LGUEST_HAVE_PF_USER_WORKER
#define LG_PF_WORKERS	(PF_KTHREAD | PF_IO_WORKER | PF_USER_WORKER)
#else
#define LG_PF_WORKERS	(PF_KTHREAD | PF_IO_WORKER)
#endif
#define lg_task_is_worker(t)	((t)->flags & LG_PF_WORKERS)

/* One page of another mm; Linux 6.5 dropped get_user_pages' vmas. */
#ifdef LGUEST_HAVE_GUP_VMAS
#define lg_get_user_page_remote(mm, addr, flags, page) \
	get_user_pages_remote(mm, addr, 1, flags, page, NULL, NULL)
#else
#define lg_get_user_page_remote(mm, addr, flags, page) \
	get_user_pages_remote(mm, addr, 1, flags, page, NULL)
#endif

/* Linux 6.16 renamed the 64-bit MSR accessors. */
#ifndef LGUEST_HAVE_RDMSRQ
#define rdmsrq(msr, val)	rdmsrl(msr, val)
#define wrmsrq(msr, val)	wrmsrl(msr, val)
#endif

/*
 * Whether the scheduler wants this CPU back.  Since Linux 6.13 it may ask
 * lazily, with a flag that only a return to user space or a tick honours
 * and that need_resched() does not see; running a Guest is our return to
 * user space, so we honour both.
 */
#ifdef LGUEST_HAVE_RESCHED_LAZY
#define lg_resched_asked() \
	(need_resched() || test_thread_flag(TIF_NEED_RESCHED_LAZY))
#else
#define lg_resched_asked()	need_resched()
#endif

/* Linux 6.13 gave hrtimers a setup call that sets the function too. */
#ifndef LGUEST_HAVE_HRTIMER_SETUP
static inline void hrtimer_setup(struct hrtimer *timer,
				 enum hrtimer_restart (*fn)(struct hrtimer *),
				 clockid_t clock, enum hrtimer_mode mode)
{
	hrtimer_init(timer, clock, mode);
	timer->function = fn;
}
#endif

/*
 * CR4 bits that change what ring 1 may touch (LASS) or how events are
 * delivered (FRED), which the Guest must never run with.  Kernels that do
 * not know a bit never set it, so clearing it there costs nothing.
 */
#ifndef LGUEST_HAVE_CR4_LASS
#define X86_CR4_LASS	_BITUL(27)
#endif
#ifndef LGUEST_HAVE_CR4_FRED
#define X86_CR4_FRED	_BITUL(32)
#endif

/*
 * Whether the Host delivers events with FRED instead of its IDT: the
 * Switcher's way of handing Host interrupts back relies on the IDT, so
 * such a Host is refused (H:010).
 */
#ifdef LGUEST_HAVE_X86_FEATURE_FRED
#define lg_host_uses_fred()	cpu_feature_enabled(X86_FEATURE_FRED)
#else
#define lg_host_uses_fred()	false
#endif

/*
 * lg_load_user_fpu() loads the Launcher's FPU registers when the kernel
 * lets us, and says whether it did.  Linux 7.x exports switch_fpu_return()
 * to KVM alone; there we return false, and the caller leaves the Guest so
 * the way back to user space loads them (H:090).
 */
#ifdef LGUEST_HAVE_SWITCH_FPU_RETURN_EXPORT
static inline bool lg_load_user_fpu(void)
{
	switch_fpu_return();
	return true;
}
#else
static inline bool lg_load_user_fpu(void)
{
	return false;
}
#endif

#endif /* __ASSEMBLY__ */
#endif /* _LGUEST_COMPAT_H */
