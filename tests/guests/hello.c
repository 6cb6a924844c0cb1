// SPDX-License-Identifier: GPL-2.0
/* hello: console output, the data the Host fills in, and power-off. */
#include "runtime.h"

void guest_main(void)
{
	print("hello from a freestanding lguest Guest\n");
	pass("hello/console");
	check(lguest_data.tsc_khz > 0, "hello/tsc_khz");
	check(hcall(LHCALL_GET_WALLCLOCK, 0, 0, 0) > 1000000000U,
	      "hello/wallclock");
	check(lguest_data.reserve_mem == 0, "hello/reserve_mem");
}
