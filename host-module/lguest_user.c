// SPDX-License-Identifier: GPL-2.0
/*H:100
 * /dev/lguest is the whole interface between the Launcher and the Host.
 *
 * One open file is one Guest.  The Launcher write()s requests, each an
 * array of 64-bit words starting with an LHREQ_ number, and read()s to run
 * the Guest.  Until the Guest side of the Host exists, every request is
 * checked for shape and then refused, so a Launcher sees exactly the errors
 * it will see later for malformed requests:
 *
 *	EINVAL	the write is not a whole number of 64-bit words, is empty,
 *		or names no known request;
 *	ENOSYS	a well-formed request this Host cannot carry out yet;
 *	EINVAL	read() on a file with no initialized Guest.
 */
#include <linux/miscdevice.h>
#include <linux/fs.h>
#include <linux/uaccess.h>
#include "compat.h"
#include "lg.h"

static int lguest_open(struct inode *inode, struct file *file)
{
	return nonseekable_open(inode, file);
}

/* Words each request takes, the request number included. */
static const unsigned int lhreq_words[] = {
	[LHREQ_INITIALIZE] = 6,
	[LHREQ_GETDMA] = 2,
	[LHREQ_IRQ] = 2,
	[LHREQ_BREAK] = 2,
};

/*H:110
 * A write is a request.  We copy in the request word first, check the
 * length the request needs, and only then look at the rest.
 */
static ssize_t lguest_write(struct file *file, const char __user *in,
			    size_t size, loff_t *off)
{
	u64 req;

	if (size < sizeof(req) || size % sizeof(req))
		return -EINVAL;
	if (copy_from_user(&req, in, sizeof(req)))
		return -EFAULT;
	if (req >= ARRAY_SIZE(lhreq_words) ||
	    size != lhreq_words[req] * sizeof(u64))
		return -EINVAL;

	return -ENOSYS;
}

/*H:120
 * A read runs the Guest.  There is no Guest until LHREQ_INITIALIZE has
 * succeeded on this file, so for now every read is refused.
 */
static ssize_t lguest_read(struct file *file, char __user *out,
			   size_t size, loff_t *off)
{
	return -EINVAL;
}

static int lguest_release(struct inode *inode, struct file *file)
{
	return 0;
}

static const struct file_operations lguest_fops = {
	.owner = THIS_MODULE,
	.open = lguest_open,
	.release = lguest_release,
	.write = lguest_write,
	.read = lguest_read,
	.llseek = lg_no_llseek,
};

/*
 * The minor number is allocated dynamically; udev (or devtmpfs) creates
 * /dev/lguest, and /sys/class/misc/lguest/dev says which minor we got.
 */
static struct miscdevice lguest_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "lguest",
	.fops = &lguest_fops,
};

int lguest_device_init(void)
{
	return misc_register(&lguest_dev);
}

void lguest_device_remove(void)
{
	misc_deregister(&lguest_dev);
}
