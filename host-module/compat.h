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
#include <asm/cpufeature.h>

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

#endif /* __ASSEMBLY__ */
#endif /* _LGUEST_COMPAT_H */
