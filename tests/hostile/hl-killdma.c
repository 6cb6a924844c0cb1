// SPDX-License-Identifier: GPL-2.0
/*
 * hl-killdma DIR: a Guest killed from outside.  Guest A binds a buffer to
 * a key in a page it shares with Guest B, then its Launcher points the
 * buffer outside A's memory; B's DMA to the key makes the Host kill A.
 * A's Launcher, whose read() was running A, must then see ENOENT first
 * and the reason after, IRQ and BREAK must still succeed, GETDMA fail
 * with ENOENT, and B must not notice anything but an unused send.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "hostile.h"

#define WAIT_MS	20000

static const char *dir;

int main(int argc, char *argv[])
{
	int shared = memfd_create("hostile-key", 0);
	struct hl_guest a, b;
	struct lguest_dma *d;
	char buf[LGUEST_REASON_MAX];
	uint32_t res = 0;
	long r, end;

	dir = argc > 1 ? argv[1] : ".";
	hl_timeout(120, "hl-killdma");
	if (shared < 0 || ftruncate(shared, HL_PAGE)) {
		hl_fail("killdma", "memfd: %s", strerror(errno));
		return 1;
	}
	if (!hl_guest_start_shared(&a, dir, shared, "killdma-receiver",
				   WAIT_MS) ||
	    !hl_guest_start_shared(&b, dir, shared, "killdma-sender", WAIT_MS))
		return 1;
	d = (struct lguest_dma *)(a.mem + HL_DMA_PA);
	memset(d, 0, sizeof(*d));
	d->addr[0] = HL_DMA_PA + 0x800;
	d->len[0] = 64;
	if (!hl_cmd(&a, HL_OP_BIND, HL_KEY_PA, HL_DMA_PA, (1 << 8) | 3, WAIT_MS,
		    &res) || res != 1) {
		hl_fail("killdma-bind", "BIND_DMA gave %u", res);
		return 1;
	}
	/* Now the bound buffer reaches outside A's memory. */
	d->addr[0] = 0xFFFFF000U;

	d = (struct lguest_dma *)(b.mem + HL_DMA_PA);
	memset(d, 0, sizeof(*d));
	d->addr[0] = HL_DMA_PA + 0x800;
	d->len[0] = 16;
	res = 0xdead;
	if (!hl_cmd(&b, HL_OP_SEND, HL_KEY_PA, HL_DMA_PA, 0, WAIT_MS, &res))
		hl_fail("killdma-send", "the sender's SEND_DMA never returned");
	else
		hl_expect("killdma-send-unused", res, 0);

	for (end = hl_ms() + WAIT_MS; a.running && hl_ms() < end;)
		hl_nap(5);
	if (a.running)
		hl_fail("killdma-receiver-dies", "still running");
	else if (a.end == -ENOENT && a.reason[0])
		printf("PASS killdma-receiver-dies: ENOENT, then '%s'\n",
		       a.reason);
	else
		hl_fail("killdma-receiver-dies", "its read() ended %s, reason '%s'",
			hl_err(a.end), a.reason);
	memset(buf, 0, sizeof(buf));
	r = hl_read(a.fd, buf, sizeof(buf));
	if (r > 0 && !strcmp(buf, a.reason))
		hl_pass("killdma-reason-again");
	else
		hl_fail("killdma-reason-again", "read %s: '%s'", hl_err(r), buf);
	hl_expect("killdma-dead-irq", hl_req2(a.fd, LHREQ_IRQ, 3), 16);
	hl_expect("killdma-dead-break-0", hl_req2(a.fd, LHREQ_BREAK, 0), 16);
	hl_expect("killdma-dead-getdma", hl_req2(a.fd, LHREQ_GETDMA, HL_KEY_PA),
		  -ENOENT);
	/* The sender carries on, and a second send finds nobody either. */
	res = 0xdead;
	if (hl_cmd(&b, HL_OP_SEND, HL_KEY_PA, HL_DMA_PA, 0, WAIT_MS, &res) &&
	    res == 0)
		hl_pass("killdma-sender-continues");
	else
		hl_fail("killdma-sender-continues", "second send: %#x", res);
	hl_cmd(&b, HL_OP_POWER, 0, 0, 0, 0, NULL);
	for (end = hl_ms() + WAIT_MS; b.running && hl_ms() < end;)
		hl_nap(5);
	if (!b.running && !strcmp(b.reason, "Power down"))
		hl_pass("killdma-sender-poweroff");
	else
		hl_fail("killdma-sender-poweroff", "reason '%s'", b.reason);
	hl_guest_free(&a);
	hl_guest_free(&b);
	return hl_failed ? 1 : 0;
}
