/* SPDX-License-Identifier: GPL-2.0 */
/*
 * devices.h - the Launcher's side of the lguest bus: every device the
 * Guest sees has a descriptor in the device page, maybe some pages of its
 * own above it, and here a struct device that says how to serve it.
 *
 * devices.c owns the list, the descriptor page and the plumbing all
 * devices share (DMA buffers to iovecs, finding a buffer the Guest bound,
 * raising interrupts); console.c, block.c, net.c and power.c each declare
 * their kinds of device (the console; disks; tap and shared networks; the
 * power button) as a struct device_kind.
 */
#ifndef _LGUEST_DEVICES_H
#define _LGUEST_DEVICES_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>
#include <lguest_abi.h>

struct guest;
struct launch_config;
struct device;

/* Pages all devices together may have above the descriptor page. */
#define DEVICE_PAGES_MAX	64

/*
 * One kind of device, as its own file (console.c, block.c, net.c) declares
 * it with DEVICE_KIND(): the command-line option that asks for one, and
 * what to do with it.  The parser (args.c) and setup_devices() go through
 * every kind so declared; neither names any.
 */
struct device_kind {
	const char *option;		/* "block": --block=ARG, or NULL for none */
	int short_option;		/* 'b': -b ARG, or 0 for none */

	/*
	 * Set up once, before the others, whether or not the option is given
	 * (the console), rather than once each time it is given.  Such a
	 * kind is not one of the LAUNCH_MAX_DEVICES the command line adds.
	 */
	bool always;

	/*
	 * An "always" kind set up after the command line's devices instead
	 * (the power button), so that they keep the slots they always had.
	 */
	bool last;

	/*
	 * Check the shape of @arg (no file is opened) and note in @cfg what
	 * setup will need.  Returns 0, or -1 with a one-line reason in @err.
	 */
	int (*parse)(struct launch_config *cfg, const char *arg, char *err,
		     size_t errlen);

	/*
	 * Make the device (new_device()) from @arg as given, or from @cfg
	 * alone for an "always" kind (@arg NULL).  Every reason it cannot
	 * be made ends the Launcher.
	 */
	void (*setup)(struct guest *g, const struct launch_config *cfg,
		      const char *arg);

	/*
	 * The Guest sent DMA to a device's watch_key (and no other Guest
	 * took it): handle_output is called with the buffer, already checked
	 * and turned into iovecs, and returns what to put in its used_len.
	 * NULL: this kind takes no DMA itself.
	 */
	uint32_t (*handle_output)(struct guest *g, struct device *dev,
				  const struct iovec *iov, unsigned int num);

	/* A device's input_fd is readable, or it is stalled.  NULL: no input. */
	void (*handle_input)(struct guest *g, struct device *dev);
};

/*
 * DEVICE_KIND(name) - register the struct device_kind @name.  Each is a
 * pointer in the "device_kinds" section, which the linker gathers from
 * every file into one array between __start_device_kinds and
 * __stop_device_kinds, in link order.
 */
#define DEVICE_KIND(name)						\
	static const struct device_kind *const name##_entry		\
	__attribute__((section("device_kinds"), used)) = &(name)

extern const struct device_kind *const __start_device_kinds[];
extern const struct device_kind *const __stop_device_kinds[];

/* Every registered kind: @pos is a const struct device_kind *const *. */
#define for_each_device_kind(pos)					\
	for ((pos) = __start_device_kinds; (pos) < __stop_device_kinds; (pos)++)

struct device {
	struct device *next;
	const struct device_kind *kind;	/* what serves it */
	const char *name;		/* for messages: "block 'disk.img'" */
	struct lguest_device_desc *desc;
	unsigned int index;		/* slot in the descriptor page */
	void *mem;			/* Launcher address of its pages, or NULL */
	uint32_t gpa;			/* Guest-physical address of its pages */

	/* DMA the Guest sends here goes to kind->handle_output. */
	uint32_t watch_key;

	/*
	 * input_fd (-1: none) is watched by the waker thread; when it is
	 * readable the main thread calls kind->handle_input.  While
	 * "stalled" is set (the Guest has no buffer free yet), the fd is not
	 * watched and handle_input is retried every 10 ms instead.
	 */
	int input_fd;
	atomic_bool stalled;

	void *priv;			/* the device kind's own state */
};

/*
 * new_device - add a device of @kind: a descriptor of @type with
 * @features, and @num_pages zeroed pages of its own (0 for none).  Devices
 * appear to the Guest in the order they are added; the interrupt of the
 * device in slot N is N + 1.  Too many devices or pages end the Launcher
 * with a message.
 */
struct device *new_device(struct guest *g, const struct device_kind *kind,
			  const char *name, uint16_t type, uint16_t features,
			  uint16_t num_pages);

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

#endif /* _LGUEST_DEVICES_H */
