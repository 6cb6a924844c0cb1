/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat.h - every difference between the Host kernels we support, in one
 * place.  compat-probed.h is generated at build time by compat-probe.sh,
 * which looks in the kernel tree for each feature; this file maps what it
 * found onto the names the rest of the module uses.  No other file may test
 * LINUX_VERSION_CODE or a LGUEST_HAVE_ macro.
 */
#ifndef _LGUEST_COMPAT_H
#define _LGUEST_COMPAT_H

#include <linux/fs.h>
#include "compat-probed.h"

#ifdef LGUEST_HAVE_NO_LLSEEK
#define lg_no_llseek	no_llseek
#else
#define lg_no_llseek	NULL
#endif

#endif /* _LGUEST_COMPAT_H */
