/* SPDX-License-Identifier: GPL-2.0 */
/*
 * error_text.h - the one way pure-logic parts of the Launcher report a
 * problem: a one-line reason in a caller's buffer, and -1.
 */
#ifndef _LGUEST_ERROR_TEXT_H
#define _LGUEST_ERROR_TEXT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

static inline int __attribute__((format(printf, 3, 4)))
error_text(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

#endif /* _LGUEST_ERROR_TEXT_H */
