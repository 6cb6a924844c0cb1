// SPDX-License-Identifier: GPL-2.0
/*L:250
 * Devices.
 *
 * The Guest cannot touch real hardware, so everything it has besides CPU
 * and memory is a device we make up: a console, disks, network cards.  It
 * finds them on its lguest bus, which is nothing but the page just past
 * the end of its memory: an array of struct lguest_device_desc, one per
 * device, saying what kind it is and where its own pages are.  Those pages
 * come next, one device after another, so the Guest's physical memory is:
 *
 *	[ RAM ... ][ descriptors ][ device pages ... ]
 *
 * and the Host lets the Guest use all of it.  A device talks to the Guest
 * with DMA: the Guest SEND_DMAs to a key (by convention an address in the
 * device's page) and we are handed the buffer; we reply by filling a
 * buffer the Guest bound to a key, and raising its interrupt.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "launch.h"
#include "devices.h"

static struct device *devices;
static struct device **last_device = &devices;
static unsigned int device_count;

struct device *first_device(void)
{
	return devices;
}

/*L:255
 * A new device takes the next descriptor and the next free pages above
 * the descriptor page, which we clear (the Guest will read them) and then
 * let the Guest reach by raising its page limit.  The mapping for all of
 * this was made with the Guest's memory, DEVICE_PAGES_MAX pages of room.
 */
struct device *new_device(struct guest *g, const struct device_kind *kind,
			  const char *name, uint16_t type, uint16_t features,
			  uint16_t num_pages)
{
	struct lguest_device_desc *descs;
	struct device *dev;
	unsigned long first_free;

	if (device_count == LGUEST_MAX_DEVICES)
		launch_die(EXIT_USAGE, "too many devices: the Guest's bus has room for %u",
			   LGUEST_MAX_DEVICES);
	if (g->device_pages + num_pages > DEVICE_PAGES_MAX)
		launch_die(EXIT_USAGE, "%s: devices need more than %u pages",
			   name, DEVICE_PAGES_MAX);
	dev = calloc(1, sizeof(*dev));
	if (!dev)
		launch_die(EXIT_GUEST_FAILED, "out of memory");

	descs = guest_ptr(g, g->layout.device_page, GUEST_PAGE_SIZE);
	dev->kind = kind;
	dev->name = name;
	dev->index = device_count++;
	dev->desc = &descs[dev->index];
	dev->desc->type = type;
	dev->desc->features = features;
	dev->desc->num_pages = num_pages;
	dev->input_fd = -1;
	if (num_pages) {
		first_free = g->layout.device_page / GUEST_PAGE_SIZE + 1 +
			     g->device_pages;
		g->device_pages += num_pages;
		g->pfn_limit = first_free + num_pages;
		dev->gpa = first_free * GUEST_PAGE_SIZE;
		dev->mem = guest_ptr(g, dev->gpa, num_pages * GUEST_PAGE_SIZE);
		memset(dev->mem, 0, num_pages * GUEST_PAGE_SIZE);
		dev->desc->pfn = first_free;
	}
	*last_device = dev;
	last_device = &dev->next;
	if (g->verbose)
		fprintf(stderr, "lguest-launch: device %u: %s, irq %u, %u page%s at %#x\n",
			dev->index, name, dev->index + 1, num_pages,
			num_pages == 1 ? "" : "s", dev->gpa);
	return dev;
}

/*L:260
 * Every address the Guest gives us is checked before we use it: a DMA
 * section outside its memory is refused, not followed.
 */
int dma_to_iov(struct guest *g, const struct lguest_dma *dma,
	       struct iovec iov[LGUEST_MAX_DMA_SECTIONS])
{
	unsigned int i;

	for (i = 0; i < LGUEST_MAX_DMA_SECTIONS && dma->len[i]; i++) {
		if (!guest_range_ok(g, dma->addr[i], dma->len[i]))
			return -1;
		iov[i].iov_base = g->mem + dma->addr[i];
		iov[i].iov_len = dma->len[i];
	}
	return i;
}

/*L:265
 * To reply, we ask the Host for a free buffer the Guest bound to a key
 * (LHREQ_GETDMA).  The Host gives us its Guest-physical address, with the
 * interrupt to raise written into its used_len, which also marks it taken.
 */
struct lguest_dma *get_dma_buffer(struct guest *g, uint32_t key,
				  struct iovec iov[LGUEST_MAX_DMA_SECTIONS],
				  unsigned int *num, uint32_t *irq)
{
	uint64_t req[2] = { LHREQ_GETDMA, key };
	struct lguest_dma *dma;
	long gpa;
	int n;

	gpa = write(g->lguest_fd, req, sizeof(req));
	if (gpa < 0)
		return NULL;
	if (!guest_range_ok(g, gpa, sizeof(*dma)))
		launch_die(EXIT_GUEST_FAILED, "the Host gave a DMA buffer at %#lx, outside the Guest",
			   gpa);
	dma = (struct lguest_dma *)(g->mem + gpa);
	*irq = dma->used_len;
	n = dma_to_iov(g, dma, iov);
	if (n < 0)
		launch_die(EXIT_GUEST_FAILED,
			   "the Guest bound a DMA buffer reaching outside its memory (key %#x)",
			   key);
	*num = n;
	return dma;
}

void trigger_irq(struct guest *g, uint32_t irq)
{
	uint64_t req[2] = { LHREQ_IRQ, irq };

	if (write(g->lguest_fd, req, sizeof(req)) < 0)
		launch_die(EXIT_GUEST_FAILED, "LHREQ_IRQ %u failed: %s", irq,
			   strerror(errno));
}

/*L:270
 * The descriptor page starts empty.  The console, set up whatever the
 * command line says, is always the first device; the ones from the
 * command line follow in the order given, each made by its own kind's
 * setup; the power button, also always there, comes last (L:800).
 */
void setup_devices(struct guest *g, const struct launch_config *cfg)
{
	const struct device_kind *const *kind;
	unsigned int i;

	memset(guest_ptr(g, g->layout.device_page, GUEST_PAGE_SIZE), 0,
	       GUEST_PAGE_SIZE);
	for_each_device_kind(kind)
		if ((*kind)->always && !(*kind)->last)
			(*kind)->setup(g, cfg, NULL);
	for (i = 0; i < cfg->ndevices; i++)
		cfg->devices[i].kind->setup(g, cfg, cfg->devices[i].arg);
	for_each_device_kind(kind)
		if ((*kind)->always && (*kind)->last)
			(*kind)->setup(g, cfg, NULL);
}
