/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat.h - every difference between the Host kernels we support, in one
 * place.  Kbuild force-includes it ahead of every file of the module, C and
 * assembler alike, so the rest of the module includes nothing for it and
 * is written as for the newest kernel, with that kernel's names; here those
 * names are given to older kernels that lack them.  compat-probed.h is
 * generated at build time by compat-probe.sh, which looks in the kernel
 * tree for each feature.  No other file may test LINUX_VERSION_CODE or a
 * LGUEST_HAVE_ macro, or include this file (tests/suites/20-build.sh
 * checks).
 */
#ifndef _LGUEST_COMPAT_H
#define _LGUEST_COMPAT_H

#include "compat-probed.h"

#ifdef __ASSEMBLY__

#include <asm/unwind_hints.h>
/* Linux 6.4 renamed objtool's "nothing to unwind here" hint. */
#ifndef LGUEST_HAVE_UNWIND_HINT_UNDEFINED
#define UNWIND_HINT_UNDEFINED	UNWIND_HINT_EMPTY
#endif

#else /* !__ASSEMBLY__ */

#include <linux/hrtimer.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/thread_info.h>
#include <asm/cpufeature.h>
#include <asm/fpu/api.h>
#include <asm/msr.h>
#include <asm/processor-flags.h>

/*
 * Linux 6.4 made io_uring's and vhost's workers "user workers"; before,
 * vhost's were kernel threads and io_uring's PF_IO_WORKER alone.
 */
#ifndef LGUEST_HAVE_PF_USER_WORKER
#define PF_USER_WORKER	0
#endif

/* Linux 6.5 dropped get_user_pages_remote()'s vmas argument. */
#ifdef LGUEST_HAVE_GUP_VMAS
#define get_user_pages_remote(mm, start, nr, flags, pages, locked) \
	get_user_pages_remote(mm, start, nr, flags, pages, NULL, locked)
#endif

/* Linux 6.16 renamed the 64-bit MSR accessors. */
#ifndef LGUEST_HAVE_RDMSRQ
#define rdmsrq(msr, val)	rdmsrl(msr, val)
#define wrmsrq(msr, val)	wrmsrl(msr, val)
#endif

/*
 * Linux 6.13 added lazy preemption: a flag of its own, that need_resched()
 * does not see.  Where there is none, the kernel itself spells it
 * TIF_NEED_RESCHED (as it does on architectures without it).
 */
#ifndef LGUEST_HAVE_RESCHED_LAZY
#define TIF_NEED_RESCHED_LAZY	TIF_NEED_RESCHED
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
 * such a Host is refused (H:010).  Before Linux 6.9 there is no feature
 * bit to ask about, so this one is ours.
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
 * the way back to user space loads them (H:165).  Not a kernel name: what
 * differs is whether we may call it, not what it is called.
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
