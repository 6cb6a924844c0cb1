/* SPDX-License-Identifier: GPL-2.0 */
/*
 * unit_test.h - the result lines every unit test prints, in the form the
 * suites count: "PASS PREFIX-name" or "FAIL PREFIX-name: reason".  Define
 * UNIT_PREFIX before including it; main() returns failures ? 1 : 0.
 */
#ifndef _LGUEST_UNIT_TEST_H
#define _LGUEST_UNIT_TEST_H

#include <stdarg.h>
#include <stdio.h>

static int failures;

static void __attribute__((format(printf, 3, 4)))
result(int ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		printf("PASS " UNIT_PREFIX "-%s\n", name);
		return;
	}
	failures++;
	printf("FAIL " UNIT_PREFIX "-%s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

#endif /* _LGUEST_UNIT_TEST_H */
