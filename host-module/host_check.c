// SPDX-License-Identifier: GPL-2.0
/*H:015
 * Some Hosts cannot run Guests yet, and the module refuses to load on
 * them rather than hang or corrupt the Host later.  The decision is kept
 * apart from what it is based on, so a unit test can make it for every
 * kind of Host (tests/unit/test_host_check.c).
 *
 * FRED: a Host that delivers events with FRED does not use its IDT, so
 * the Switcher's replay of a Host interrupt through it would go nowhere,
 * and a Guest running with CR4.FRED would bypass our IDT.  Such a Host
 * must be booted with fred=off.
 */
#include "lg.h"

const char *lguest_host_refusal(bool fred_active)
{
	if (fred_active)
		return "this Host delivers events with FRED, which lguest does not support yet: boot it with fred=off";
	return NULL;
}
