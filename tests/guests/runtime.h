/* SPDX-License-Identifier: GPL-2.0 */
/* runtime.h - the freestanding test Guests' tiny runtime. */
#ifndef _GUEST_RUNTIME_H
#define _GUEST_RUNTIME_H

#ifndef LGUEST_ABI_FREESTANDING
#define LGUEST_ABI_FREESTANDING
#endif

#include <lguest_abi.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;

#define PAGE_OFFSET	0xC0000000U
#define PAGE_SIZE	4096U
#define __pa(x)		((u32)(x) - PAGE_OFFSET)
#define __va(x)		((void *)((u32)(x) + PAGE_OFFSET))

#define KERNEL_CS	0x61
#define KERNEL_DS	0x69
#define USER_CS		0x73
#define USER_DS		0x7B

extern struct lguest_data lguest_data;

static inline u32 hcall(u32 call, u32 a1, u32 a2, u32 a3)
{
	asm volatile("int $0x1F" : "+a" (call)
		     : "d" (a1), "b" (a2), "c" (a3) : "memory");
	return call;
}

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	asm volatile("rdtsc" : "=a" (lo), "=d" (hi));
	return ((u64)hi << 32) | lo;
}

struct trap_frame {
	u32 edi, esi, ebp, esp0, ebx, edx, ecx, eax;
	u32 vec, err, eip, cs, eflags, esp, ss;
};

/* What the last trap was; set trap_recover to resume somewhere else. */
extern volatile u32 trap_vec, trap_err, trap_cr2, trap_count, trap_eip;
extern volatile u32 trap_cs, trap_recover, trap_esp;
/* If set, called for vectors >= 32 (interrupts) and 0x80. */
extern void (*volatile irq_hook)(struct trap_frame *f);

void print(const char *s);
void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void pass(const char *name);
void fail(const char *name, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void check(int ok, const char *name);
__attribute__((noreturn)) void power_off(void);
__attribute__((noreturn)) void crash(const char *why);
void set_gate(unsigned int vec, void *handler, unsigned int dpl, int trap);
void *stub_for(unsigned int vec);
void delay_us(u32 us);
void *memset(void *p, int c, unsigned long n);
void *memcpy(void *d, const void *s, unsigned long n);
int strcmp(const char *a, const char *b);
const char *cmdline(void);

/* Run @insn (asm text) expecting a trap; evaluates to the vector or ~0. */
#define TRAP_OF(insn, ...)						\
	({								\
		trap_vec = ~0U;						\
		asm volatile("movl %%esp, trap_esp\n\t"		\
			     "movl $9f, trap_recover\n\t" insn "\n9:\n\t" \
			     "movl trap_esp, %%esp\n\t"		\
			     "movl $0, trap_recover"			\
			     : : __VA_ARGS__);				\
		trap_vec;						\
	})

void guest_main(void);



extern u32 kpgd[1024];
void own_pagetables(void);
u32 *pte_ptr(u32 *pgdir, u32 va);
void set_pte(u32 *pgdir, u32 va, u32 pte);
#endif
