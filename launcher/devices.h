/* SPDX-License-Identifier: GPL-2.0 */
/*
 * devices.h - the Launcher's side of the lguest bus: every device the
 * Guest sees has a descriptor in the device page, maybe some pages of its
 * own above it, and here a struct device that says how to serve it.
 *
 * devices.c owns the list, the descriptor page and the plumbing all
 * devices share (DMA buffers to iovecs, finding a buffer the Guest bound,
 * raising interrupts); console.c, block.c and net.c own one kind each.
 */
#ifndef _LGUEST_DEVICES_H
#define _LGUEST_DEVICES_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/uio.h>
#include <lguest_abi.h>

struct guest;
struct launch_config;

/* Pages all devices together may have above the descriptor page. */
#define DEVICE_PAGES_MAX	64

struct device {
	struct device *next;
	const char *name;		/* for messages: "block 'disk.img'" */
	struct lguest_device_desc *desc;
	unsigned int index;		/* slot in the descriptor page */
	void *mem;			/* Launcher address of its pages, or NULL */
	uint32_t gpa;			/* Guest-physical address of its pages */

	/*
	 * The Guest sent DMA to watch_key (and no other Guest took it):
	 * handle_output is called with the buffer, already checked and
	 * turned into iovecs, and returns what to put in its used_len.
	 */
	uint32_t watch_key;
	uint32_t (*handle_output)(struct guest *g, struct device *dev,
				  const struct iovec *iov, unsigned int num);

	/*
	 * input_fd (-1: none) is watched by the waker thread; when it is
	 * readable the main thread calls handle_input.  While "stalled" is
	 * set (the Guest has no buffer free yet), the fd is not watched and
	 * handle_input is retried every 10 ms instead.
	 */
	int input_fd;
	void (*handle_input)(struct guest *g, struct device *dev);
	atomic_bool stalled;

	void *priv;			/* the device kind's own state */
};

/*
 * new_device - add a device: a descriptor of @type with @features, and
 * @num_pages zeroed pages of its own (0 for none).  Devices appear to the
 * Guest in the order they are added; the interrupt of the device in slot
 * N is N + 1.  Too many devices or pages end the Launcher with a message.
 */
struct device *new_device(struct guest *g, const char *name, uint16_t type,
			  uint16_t features, uint16_t num_pages);

/* Every device, in order. */
struct device *first_device(void);

/*
 * dma_to_iov - turn a Guest's struct lguest_dma into iovecs pointing into
 * Guest memory.  Returns the number of iovecs (at most
 * LGUEST_MAX_DMA_SECTIONS), or -1 if a section lies outside the Guest.
 */
int dma_to_iov(struct guest *g, const struct lguest_dma *dma,
	       struct iovec iov[LGUEST_MAX_DMA_SECTIONS]);

/*
 * get_dma_buffer - a free buffer the Guest bound to @key, as iovecs.
 * Returns its struct lguest_dma (write used_len there when done, then
 * trigger_irq(@irq)), or NULL if the Guest has none free right now.
 */
struct lguest_dma *get_dma_buffer(struct guest *g, uint32_t key,
				  struct iovec iov[LGUEST_MAX_DMA_SECTIONS],
				  unsigned int *num, uint32_t *irq);

/* Raise Guest interrupt @irq. */
void trigger_irq(struct guest *g, uint32_t irq);

/* Per kind: set one up from its command-line argument (as given). */
void setup_console(struct guest *g, const struct launch_config *cfg);
void setup_block(struct guest *g, const char *arg);
void setup_tun_net(struct guest *g, const char *arg);
void setup_share_net(struct guest *g, const char *path);

#endif /* _LGUEST_DEVICES_H */
