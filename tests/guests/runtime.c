// SPDX-License-Identifier: GPL-2.0
/*
 * runtime.c - console output, traps and power for the test Guests.
 */
#include <stdarg.h>
#include "runtime.h"

struct lguest_data lguest_data __attribute__((aligned(4096)));
volatile u32 trap_vec, trap_err, trap_cr2, trap_count, trap_eip;
volatile u32 trap_cs, trap_recover, trap_esp;
void (*volatile irq_hook)(struct trap_frame *f);
extern char trap_stubs[], trap_stub_80[], noirq_start[], noirq_end[];

void *memset(void *p, int c, unsigned long n)
{
	unsigned char *d = p;

	while (n--)
		*d++ = c;
	return p;
}

void *memcpy(void *d, const void *s, unsigned long n)
{
	unsigned char *dd = d;
	const unsigned char *ss = s;

	while (n--)
		*dd++ = *ss++;
	return d;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

static unsigned int slen(const char *s)
{
	unsigned int n = 0;

	while (s[n])
		n++;
	return n;
}

/* Console output: one SEND_DMA of the string to the console key. */
void print(const char *s)
{
	static struct lguest_dma dma;
	static char buf[1024];
	unsigned int n = slen(s);

	if (n > sizeof(buf))
		n = sizeof(buf);
	memcpy(buf, s, n);
	memset(&dma, 0, sizeof(dma));
	dma.addr[0] = __pa(buf);
	dma.len[0] = n;
	hcall(LHCALL_SEND_DMA, LGUEST_CONSOLE_DMA_KEY, __pa(&dma), 0);
}

static char *put_num(char *p, char *end, u32 v, unsigned int base)
{
	char tmp[12];
	int i = 0;

	do {
		tmp[i++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (i && p < end)
		*p++ = tmp[--i];
	return p;
}

static void vformat(char *buf, unsigned int size, const char *fmt, va_list ap)
{
	char *p = buf, *end = buf + size - 1;

	for (; *fmt && p < end; fmt++) {
		if (*fmt != '%') {
			*p++ = *fmt;
			continue;
		}
		switch (*++fmt) {
		case 'u':
			p = put_num(p, end, va_arg(ap, u32), 10);
			break;
		case 'x':
			p = put_num(p, end, va_arg(ap, u32), 16);
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);

			while (*s && p < end)
				*p++ = *s++;
			break;
		}
		default:
			*p++ = *fmt;
		}
	}
	*p = 0;
}

void printk(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vformat(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	print(buf);
}

void pass(const char *name)
{
	printk("PASS %s\n", name);
}

void fail(const char *name, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vformat(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printk("FAIL %s: %s\n", name, buf);
}

void check(int ok, const char *name)
{
	if (ok)
		pass(name);
	else
		fail(name, "check failed");
}

void power_off(void)
{
	hcall(LHCALL_CRASH, __pa("Power down"), 0, 0);
	for (;;)
		;
}

void crash(const char *why)
{
	static char msg[256];
	unsigned int n = slen(why);

	if (n >= sizeof(msg))
		n = sizeof(msg) - 1;
	memcpy(msg, why, n);
	msg[n] = 0;
	hcall(LHCALL_CRASH, __pa(msg), 0, 0);
	for (;;)
		;
}

void *stub_for(unsigned int vec)
{
	return vec == 0x80 ? trap_stub_80 : trap_stubs + vec * 16;
}

/* A 32-bit interrupt (trap=0) or trap gate to our kernel code segment. */
void set_gate(unsigned int vec, void *handler, unsigned int dpl, int trap)
{
	u32 h = (u32)handler;
	u32 lo = (KERNEL_CS << 16) | (h & 0xFFFF);
	u32 hi = (h & 0xFFFF0000) | 0x8000 | (dpl << 13) |
		 ((trap ? 0xF : 0xE) << 8);

	hcall(LHCALL_LOAD_IDT_ENTRY, vec, lo, hi);
}

void trap_handler(struct trap_frame *f)
{
	if ((f->vec >= 32 && f->vec < 64) || (f->vec == 0x80 && irq_hook)) {
		if (irq_hook)
			irq_hook(f);
		return;
	}
	trap_vec = f->vec;
	trap_err = f->err;
	trap_eip = f->eip;
	trap_cs = f->cs;
	trap_cr2 = lguest_data.cr2;
	trap_count++;
	if (trap_recover) {
		f->eip = trap_recover;
		trap_recover = 0;
		return;
	}
	if (f->vec == 3)
		return;
	printk("FAIL unexpected-trap: vector %u error %x at %x cr2 %x\n",
	       f->vec, f->err, f->eip, lguest_data.cr2);
	crash("unexpected trap");
}

/* Busy-wait using the TSC the Host told us the speed of. */
void delay_us(u32 us)
{
	u64 end = rdtsc() + (u64)(lguest_data.tsc_khz / 1000U + 1) * us;

	while (rdtsc() < end)
		;
}

const char *cmdline(void)
{
	return __va(*(u32 *)__va(0x228));
}

void runtime_init(void)
{
	unsigned int i;

	lguest_data.noirq_start = (u32)noirq_start;
	lguest_data.noirq_end = (u32)noirq_end;
	for (i = 0; i < LHCALL_RING_SIZE; i++)
		lguest_data.hcall_status[i] = LHCALL_STATUS_DONE;
	hcall(LHCALL_LGUEST_INIT, __pa(&lguest_data), 0, 0);
	for (i = 0; i < 32; i++)
		set_gate(i, stub_for(i), i == 3 || i == 4 ? 3 : 0, 0);
	for (i = 32; i < 64; i++)
		set_gate(i, stub_for(i), 0, 0);
	set_gate(0x80, stub_for(0x80), 3, 1);
}

/* Our own page tables: the first 16 MiB at 0 and at PAGE_OFFSET. */
u32 kpgd[1024] __attribute__((aligned(4096)));
static u32 kpt[4][1024] __attribute__((aligned(4096)));

void own_pagetables(void)
{
	unsigned int i;

	for (i = 0; i < 4096; i++)
		kpt[i / 1024][i % 1024] = (i * PAGE_SIZE) | 7;
	for (i = 0; i < 4; i++) {
		kpgd[i] = __pa(kpt[i]) | 7;
		kpgd[768 + i] = __pa(kpt[i]) | 7;
	}
	hcall(LHCALL_NEW_PGTABLE, __pa(kpgd), 0, 0);
}

u32 *pte_ptr(u32 *pgdir, u32 va)
{
	u32 *pt = __va(pgdir[va >> 22] & 0xFFFFF000);

	return &pt[(va >> 12) & 1023];
}

void set_pte(u32 *pgdir, u32 va, u32 pte)
{
	*pte_ptr(pgdir, va) = pte;
	hcall(LHCALL_SET_PTE, __pa(pgdir), va, pte);
}
