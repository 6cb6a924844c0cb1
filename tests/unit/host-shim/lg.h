/* SPDX-License-Identifier: GPL-2.0 */
/*
 * host-shim/lg.h - just enough of the Host module's world for its pure
 * logic (segments.c, host_check.c) to run as an ordinary program.  The
 * unit tests force-include this file, whose guard keeps the real lg.h out.
 */
#ifndef _LGUEST_LG_H
#define _LGUEST_LG_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "lg_asm.h"

typedef unsigned long long u64;	/* as the kernel has it */
typedef uint32_t u32;
typedef uint16_t u16;
typedef uint8_t u8;

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define GUEST_PL		1
#define GUEST_GDT_KERNEL_CS	12
#define GUEST_GDT_KERNEL_DS	13
#define GUEST_GDT_TLS_MIN	6
#define GUEST_TLS_ENTRIES	3

struct lguest_regs {
	u64 gs, fs, es, ds;
	u64 rax, rbx, rcx, rdx, rsi, rdi, rbp;
	u64 trapnum, errcode;
	u64 rip, cs, rflags, rsp, ss;
};

struct lguest {
	u64 gdt[LG_GDT_GUEST_ENTRIES];
	char dead_reason[256];
};

void kill_guest(struct lguest *lg, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
bool lguest_read_mem(struct lguest *lg, void *dst, u32 gpa, u32 len);
void lguest_setup_gdt(struct lguest *lg);
bool lguest_fixup_segments(struct lguest *lg, struct lguest_regs *regs);
const char *lguest_host_refusal(bool fred_active);

#endif /* _LGUEST_LG_H */
