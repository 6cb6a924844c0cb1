// SPDX-License-Identifier: GPL-2.0
/* dma: binding and sending, to the Launcher and back to ourselves. */
#include "runtime.h"

static struct lguest_dma send, recv[2];
static char data[64] = "multi-section ", data2[64] = "console output\n";
static char inbuf[2][64];
static u32 key_page[1024] __attribute__((aligned(4096)));

void guest_main(void)
{
	u32 key = __pa(key_page);

	/* Two sections to the console: the Launcher prints both. */
	memset(&send, 0, sizeof(send));
	send.addr[0] = __pa(data);
	send.len[0] = 14;
	send.addr[1] = __pa(data2);
	send.len[1] = 15;
	hcall(LHCALL_SEND_DMA, LGUEST_CONSOLE_DMA_KEY, __pa(&send), 0);
	check(send.used_len == 29, "dma/console-sections");

	/* Bind two receive buffers; our own send skips our own binding. */
	memset(recv, 0, sizeof(recv));
	recv[0].addr[0] = __pa(inbuf[0]);
	recv[0].len[0] = 64;
	recv[1].addr[0] = __pa(inbuf[1]);
	recv[1].len[0] = 64;
	check(hcall(LHCALL_BIND_DMA, key, __pa(recv), (2 << 8) | 5) == 1,
	      "dma/bind");
	send.used_len = 0xdead;
	send.len[1] = 0;
	hcall(LHCALL_SEND_DMA, key, __pa(&send), 0);
	check(send.used_len == 0 && recv[0].used_len == 0,
	      "dma/unknown-key-to-launcher");
	check(hcall(LHCALL_BIND_DMA, key, 0, 0) == 1, "dma/unbind");
}
