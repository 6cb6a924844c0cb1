// SPDX-License-Identifier: GPL-2.0
/*
 * sharedma: DMA between two Guests that share memory.  Two of us are
 * started with the same --sharenet file, so each finds a network device
 * whose page is that file, and its own slot in it.  Each binds a buffer
 * at its slot's key, publishes an address in its slot, waits for the
 * other to do the same, and sends it a message in three pieces; the Host
 * copies it straight into the other's two-piece buffer.  Each checks that
 * its send was taken whole, that the other's message arrived intact and
 * raised the interrupt it bound, and that a send to a slot nobody binds
 * goes to the Launcher instead.
 *
 * With "victim" on its command line a Guest binds a buffer that reaches
 * outside its memory and waits, halted; with "killer" a Guest sends to
 * the first other slot it finds.  The Host finds the victim's buffer bad
 * while copying for the killer, so the victim is killed from outside,
 * while nobody runs it: its Launcher must still hear of it, and why.
 */
#include "runtime.h"

#define VA		0x40000000U	/* where we map the device pages */
#define DEV_PAGES	8
#define NET_IRQ		5
#define WAIT_SECONDS	120

static u32 pt[1024] __attribute__((aligned(4096)));
static struct lguest_dma rx, tx;
static char rxbuf[2][128];
static char msg[3][128];
static volatile u32 irqs;

static void count_irq(struct trap_frame *f)
{
	if (f->vec == 32 + NET_IRQ)
		irqs++;
}

/* The memory size, from the one E820 entry the Launcher gives us. */
static u32 mem_size(void)
{
	return *(u32 *)__va(0x2D0 + 8);
}

/* The message from slot @slot: recognisable bytes in three pieces. */
static unsigned int make_message(unsigned int slot, struct lguest_dma *d)
{
	static const u16 lens[3] = { 5, 100, 27 };
	unsigned int i, j, n = 0;

	memset(d, 0, sizeof(*d));
	for (i = 0; i < 3; i++) {
		for (j = 0; j < lens[i]; j++, n++)
			msg[i][j] = (char)(slot * 31 + n * 7 + 1);
		d->addr[i] = __pa(msg[i]);
		d->len[i] = lens[i];
	}
	return n;
}

static int message_ok(unsigned int slot, unsigned int len)
{
	unsigned int n;
	char c;

	for (n = 0; n < len; n++) {
		c = n < 128 ? rxbuf[0][n] : rxbuf[1][n - 128];
		if (c != (char)(slot * 31 + n * 7 + 1))
			return 0;
	}
	return 1;
}

/* Wait up to WAIT_SECONDS for *@p to become non-zero. */
static u32 wait_nonzero(volatile u8 *p, unsigned int width)
{
	unsigned int i;
	u32 v;

	for (i = 0; i < WAIT_SECONDS * 100; i++) {
		v = width == 4 ? *(volatile u32 *)p : *p;
		if (v)
			return v;
		delay_us(10000);
	}
	return 0;
}

void guest_main(void)
{
	struct lguest_device_desc *desc = (void *)VA;
	struct lguest_net *peers;
	unsigned int i, slot, peer, len, n;
	u32 page, devs = mem_size();

	/* Map the descriptor page and the device pages above memory. */
	own_pagetables();
	for (i = 0; i < DEV_PAGES; i++)
		pt[i] = (devs + i * PAGE_SIZE) | 7;
	kpgd[VA >> 22] = __pa(pt) | 7;
	hcall(LHCALL_SET_PMD, __pa(kpgd), VA >> 22, 0);

	for (i = 0; i < LGUEST_MAX_DEVICES; i++)
		if (desc[i].type == LGUEST_DEVICE_T_NET)
			break;
	if (i == LGUEST_MAX_DEVICES) {
		fail("sharedma/device", "no network device");
		return;
	}
	check(desc[i].features & LGUEST_NET_F_NOCSUM, "sharedma/device");
	slot = desc[i].features & LGUEST_NET_F_SLOT_MASK;
	page = desc[i].pfn * PAGE_SIZE;
	peers = (void *)(VA + (page - devs));
	printk("sharedma: slot %u, page %x\n", slot, page);

	/* Our buffer first, then our address: nobody sends to us too soon. */
	memset(&rx, 0, sizeof(rx));
	rx.addr[0] = __pa(rxbuf[0]);
	rx.len[0] = 128;
	rx.addr[1] = __pa(rxbuf[1]);
	rx.len[1] = 128;
	if (!strcmp(cmdline(), "victim"))
		rx.addr[1] = 0xFFFFFF00U;
	check(hcall(LHCALL_BIND_DMA, page + 4 * slot, __pa(&rx),
		    (1 << 8) | NET_IRQ) == 1, "sharedma/bind");
	irq_hook = count_irq;
	lguest_data.irq_enabled = 0x200;
	peers[slot].mac[5] = slot + 1;
	peers[slot].mac[0] = 0x02;

	/* The other Guest: the first other slot with an address. */
	for (n = 0, peer = slot; n < WAIT_SECONDS * 100 && peer == slot; n++) {
		for (i = 0; i < LGUEST_NET_SLOTS; i++)
			if (i != slot && *(volatile u8 *)&peers[i].mac[0])
				peer = i;
		if (peer == slot)
			delay_us(10000);
	}
	if (peer == slot) {
		fail("sharedma/peer", "no other Guest appeared");
		return;
	}
	pass("sharedma/peer");

	if (!strcmp(cmdline(), "victim")) {
		print("victim: waiting to be killed\n");
		for (;;)
			hcall(LHCALL_HALT, 0, 0, 0);
	}
	len = make_message(slot, &tx);
	hcall(LHCALL_SEND_DMA, page + 4 * peer, __pa(&tx), 0);
	if (!strcmp(cmdline(), "killer")) {
		/* The victim's buffer was refused: nothing was taken. */
		check(tx.used_len == 0, "sharedma/killer-send-refused");
		return;
	}
	if (tx.used_len == len)
		pass("sharedma/send");
	else
		fail("sharedma/send", "used_len %u of %u", tx.used_len, len);

	n = wait_nonzero((volatile u8 *)&rx.used_len, 4);
	if (n == len && message_ok(peer, n))
		pass("sharedma/receive");
	else
		fail("sharedma/receive", "used_len %u, want %u", n, len);
	for (i = 0; i < 100 && !irqs; i++)
		delay_us(10000);
	check(irqs >= 1, "sharedma/interrupt");

	/* Nobody binds slot 600's key: the Launcher gets it and ignores it. */
	tx.used_len = 0xdead;
	hcall(LHCALL_SEND_DMA, page + 4 * 600, __pa(&tx), 0);
	check(tx.used_len == 0, "sharedma/unbound-slot");

	/* Both messages are delivered: nobody will send to us again. */
	lguest_data.irq_enabled = 0;
	irq_hook = 0;
	check(hcall(LHCALL_BIND_DMA, page + 4 * slot, 0, 0) == 1,
	      "sharedma/unbind");
	memset(&peers[slot], 0, sizeof(peers[slot]));
}
