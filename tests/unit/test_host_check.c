// SPDX-License-Identifier: GPL-2.0
/*
 * test_host_check.c - the module's decision to refuse a Host it cannot
 * run Guests on (host-module/host_check.c).  No CPU or emulator here has
 * FRED, so without this test the refusal would never be seen to happen.
 * It builds as the segments test does, against the host shim.
 */
#include <string.h>
#include "lg.h"
#define UNIT_PREFIX "host-check"
#include "unit_test.h"

int main(void)
{
	const char *why = lguest_host_refusal(true);

	result(why != NULL, "fred-refused", "a FRED Host was accepted");
	result(why && strstr(why, "fred=off"), "fred-says-fred-off",
	       "the refusal does not say to boot with fred=off: %s",
	       why ? why : "(none)");
	why = lguest_host_refusal(false);
	result(why == NULL, "idt-host-accepted",
	       "a Host without FRED was refused: %s", why ? why : "");
	return failures ? 1 : 0;
}
