// SPDX-License-Identifier: GPL-2.0
/*
 * timer: the clock event interrupt while halted and while busy; blocked
 * interrupts and the no-interrupt range are honoured; an interrupt storm.
 */
#include "runtime.h"

static volatile u32 ticks, storm;

static void tick(struct trap_frame *f)
{
	if (f->vec != 32)
		return;
	ticks++;
	if (storm && --storm)
		hcall(LHCALL_SET_CLOCKEVENT, LG_CLOCK_MIN_DELTA, 0, 0);
}

static int wait_ticks(u32 start, u32 ms)
{
	u32 i;

	for (i = 0; i < ms * 10; i++) {
		if (ticks != start)
			return 1;
		delay_us(100);
	}
	return ticks != start;
}

/* Interrupts must not arrive while we run this function. */
static void __attribute__((noinline, section(".text.noirq")))
spin_noirq(u32 *seen)
{
	u32 t = ticks;
	u64 end = rdtsc() + (u64)(lguest_data.tsc_khz / 1000U + 1) * 20000;

	while (rdtsc() < end)
		;
	*seen = ticks != t;
}

void guest_main(void)
{
	u32 t, seen, saved_start, saved_end;

	irq_hook = tick;
	lguest_data.irq_enabled = 0x200;

	/*
	 * Halt safely: with interrupts off the tick stays pending until the
	 * Host wakes us from HALT (which turns them back on), so a tick that
	 * arrives before the HALT is not lost.
	 */
	lguest_data.irq_enabled = 0;
	t = ticks;
	hcall(LHCALL_SET_CLOCKEVENT, 1000000, 0, 0);
	hcall(LHCALL_HALT, 0, 0, 0);
	check(ticks != t && lguest_data.irq_enabled, "timer/halt");
	lguest_data.irq_enabled = 0x200;

	t = ticks;
	hcall(LHCALL_SET_CLOCKEVENT, 1000000, 0, 0);
	check(wait_ticks(t, 1000), "timer/busy");

	lguest_data.blocked_interrupts[0] = 1;
	t = ticks;
	hcall(LHCALL_SET_CLOCKEVENT, 1000000, 0, 0);
	delay_us(20000);
	check(ticks == t, "timer/blocked");
	lguest_data.blocked_interrupts[0] = 0;
	check(wait_ticks(t, 1000), "timer/unblocked");

	lguest_data.irq_enabled = 0;
	t = ticks;
	hcall(LHCALL_SET_CLOCKEVENT, 1000000, 0, 0);
	delay_us(20000);
	check(ticks == t, "timer/disabled");
	lguest_data.irq_enabled = 0x200;
	check(wait_ticks(t, 1000), "timer/enabled");

	saved_start = lguest_data.noirq_start;
	saved_end = lguest_data.noirq_end;
	lguest_data.noirq_start = (u32)spin_noirq;
	lguest_data.noirq_end = (u32)spin_noirq + 0x100;
	t = ticks;
	hcall(LHCALL_SET_CLOCKEVENT, 1000000, 0, 0);
	spin_noirq(&seen);
	check(!seen, "timer/noirq-range");
	lguest_data.noirq_start = saved_start;
	lguest_data.noirq_end = saved_end;
	check(wait_ticks(t, 1000), "timer/after-noirq-range");

	storm = 500;
	hcall(LHCALL_SET_CLOCKEVENT, LG_CLOCK_MIN_DELTA, 0, 0);
	while (storm)
		;
	pass("timer/interrupt-storm");
	irq_hook = 0;
}
