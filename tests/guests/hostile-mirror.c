// SPDX-License-Identifier: GPL-2.0
/*
 * hostile-mirror: the test Guest of the hostile Launchers (tests/hostile/).
 * Its command line picks a mode:
 *
 *	hello	print one line and power off
 *	halt	print "ready" and halt, with interrupts off, for ever
 *	mirror	print "ready", then loop for ever: copy IN[0] to OUT[1],
 *		count in OUT[0], run commands from the control page (see
 *		tests/hostile/hl_ctrl.h), and make a hypercall now and then
 *		so the Host gets a chance to look at us
 */
#include "runtime.h"
#include "hl_ctrl.h"

static void run_command(volatile struct hl_ctrl *c, u32 cmd)
{
	volatile u32 *p;
	u32 i, sum = 0;

	switch (cmd & 0xFF) {
	case HL_OP_BIND:
		c->result = hcall(LHCALL_BIND_DMA, c->arg[0], c->arg[1],
				  c->arg[2]);
		break;
	case HL_OP_SEND:
		hcall(LHCALL_SEND_DMA, c->arg[0], c->arg[1], 0);
		c->result = ((volatile struct lguest_dma *)__va(c->arg[1]))->used_len;
		break;
	case HL_OP_POWER:
		power_off();
	case HL_OP_TOUCH:
		for (i = 0; i < c->arg[1]; i++) {
			p = __va(c->arg[0] + i * PAGE_SIZE);
			sum += *p;
		}
		c->result = sum;
		break;
	case HL_OP_HALT:
		c->ack = cmd;
		for (;;)
			hcall(LHCALL_HALT, 0, 0, 0);
	}
	c->ack = cmd;
}

void guest_main(void)
{
	volatile struct hl_ctrl *c = __va(HL_CTRL_PA);
	volatile u32 *in = __va(HL_IN_PA), *out = __va(HL_OUT_PA);
	const char *mode = cmdline();
	u32 last = 0, n = 0, cmd;

	if (!strcmp(mode, "hello")) {
		print("hostile-guest: hello\n");
		return;
	}
	print("hostile-guest: ready\n");
	if (!strcmp(mode, "halt"))
		for (;;)
			hcall(LHCALL_HALT, 0, 0, 0);
	for (;;) {
		out[1] = in[0];
		out[0] = ++n;
		cmd = c->cmd;
		if (cmd != last) {
			run_command(c, cmd);
			last = cmd;
		}
		if (!(n & 1023))
			hcall(LHCALL_FLUSH_ASYNC, 0, 0, 0);
	}
}
