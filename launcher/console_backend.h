/* SPDX-License-Identifier: GPL-2.0 */
/*
 * console_backend.h - where the Guest's console goes (--console=MODE):
 * our terminal, a pseudo-terminal, a Unix socket or a file.  console.c
 * owns the device and its buffers; console_backend.c owns the file
 * descriptors behind it.  Everything here runs on the main thread.
 */
#ifndef _LGUEST_CONSOLE_BACKEND_H
#define _LGUEST_CONSOLE_BACKEND_H

#include <sys/types.h>
#include <sys/uio.h>
#include "args.h"

/*
 * console_open - set up the console @kind (@path for socket: and file:).
 * A PATH that cannot be used ends the Launcher with EXIT_USAGE.
 */
void console_open(enum launch_console_kind kind, const char *path);

/*
 * console_input_fd - the descriptor whose readability means there is
 * something for console_read() to do (input, or a client to accept), or
 * -1 if there never will be.  It may change after each console_read().
 */
int console_input_fd(void);

/*
 * console_read - up to @len bytes of input into @buf.  Returns how many,
 * 0 if there is none now (a client came or went: ask console_input_fd()
 * again), or -1 once input has ended for good.
 */
ssize_t console_read(void *buf, size_t len);

/* console_write - the Guest's output.  Never blocks on a missing reader. */
void console_write(const struct iovec *iov, unsigned int num);

#endif /* _LGUEST_CONSOLE_BACKEND_H */
