// SPDX-License-Identifier: GPL-2.0
/*H:100
 * /dev/lguest is the whole interface between the Launcher and the Host.
 *
 * One open file is one Guest.  The Launcher write()s requests, each an
 * array of 64-bit words starting with an LHREQ_ number, and read()s to run
 * the Guest.  Malformed requests get:
 *
 *	EINVAL	the write is not a whole number of 64-bit words, is empty,
 *		names no known request, or has bad arguments;
 *	EINVAL	read() on a file with no initialized Guest;
 *	EINVAL	LHREQ_STATS with a length it cannot serve, EFAULT with a
 *		buffer it cannot write (H:137);
 *	EBUSY	LHREQ_INITIALIZE on a file that already has a Guest, or a
 *		second read() while one is running the Guest;
 *	EPERM	any request from outside the Launcher (see H:105).
 *
 * The file is open to every member of the lguest group, so whoever holds it
 * is as untrusted as the Guest itself: nothing a request says, and nothing
 * the caller does to its memory meanwhile, may hurt the Host or another
 * process.
 */
#include <linux/miscdevice.h>
#include <linux/fs.h>
#include <linux/uaccess.h>
#include <linux/slab.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/vmalloc.h>
#include "lg.h"

/* The largest Guest: its whole 32-bit physical address space. */
#define LG_MAX_PFN	(1U << (32 - PAGE_SHIFT))

static DEFINE_IDA(guest_ids);

/*
 * The file cannot seek: nonseekable_open() makes lseek() fail with ESPIPE
 * on every kernel, so there is no .llseek (Linux 6.12 removed no_llseek,
 * which said the same).
 */
static int lguest_open(struct inode *inode, struct file *file)
{
	file->private_data = NULL;
	return nonseekable_open(inode, file);
}

/* Words each request takes, the request number included. */
static const unsigned int lhreq_words[] = {
	[LHREQ_INITIALIZE] = 6,
	[LHREQ_GETDMA] = 2,
	[LHREQ_IRQ] = 2,
	[LHREQ_BREAK] = 2,
	[LHREQ_STATS] = 3,
};

/*
 * Threads that may share a Launcher's mm without being the Launcher:
 * kernel threads, io_uring workers and every "user worker" (vhost's too).
 */
static bool is_worker(void)
{
	return current->flags & (PF_KTHREAD | PF_IO_WORKER | PF_USER_WORKER);
}

/*H:105
 * Who may use a Guest?  Only the address space that made it: the Guest's
 * memory is that mm's memory, and every access the Host makes to it goes
 * through the caller's page tables.  A fork()ed child shares the open file
 * but not the memory, and after exec() the same process has a new mm;
 * both are refused.  So is any kernel thread or io_uring worker: they may
 * share the mm, but their FPU registers are not the Launcher's, and the
 * Guest's FPU state *is* the Launcher's (H:165).
 */
static bool is_launcher(struct lguest *lg)
{
	return current->mm == lg->mm && !is_worker();
}

/*
 * The struct lguest lives until its last reference goes: the file holds
 * one, and so does every DMA binding (a sender on another CPU may be
 * filling one of its buffers while the file is closed).
 */
void lguest_put(struct lguest *lg)
{
	if (!refcount_dec_and_test(&lg->refs))
		return;
	mmdrop(lg->mm);
	ida_free(&guest_ids, lg->guestid);
	vfree(lg);
}

/* Closing the file: stop everything that could touch the Guest. */
static void free_guest(struct lguest *lg)
{
	kill_guest(lg, "the Launcher closed /dev/lguest");
	lguest_stop_timer(lg);
	lguest_release_dma(lg);
	lguest_free_pagetables(lg);
	lguest_put(lg);
}

/*H:115
 * LHREQ_INITIALIZE makes the Guest: its memory is the Launcher's, from
 * "base" for "pfnlimit" pages; it starts at "start" on the page directory
 * at Guest-physical "pgdir", with the Guest kernel's segments at ring 1,
 * interrupts (virtually) off, and %esi pointing at Guest-physical 0 where
 * a Linux Guest finds its boot parameters.
 *
 * Two threads may race to initialize one file: the Guest is built first
 * and published with one compare-and-exchange, so exactly one wins and
 * the loser's Guest is taken apart again before anyone could see it.
 */
static int initialize(struct file *file, const u64 *args)
{
	u64 base = args[1], pfnlimit = args[2], pgdir = args[3];
	u64 start = args[4], page_offset = args[5];
	struct lguest *lg;
	int err, id;

	if (is_worker() || !current->mm)
		return -EPERM;
	if (READ_ONCE(file->private_data))
		return -EBUSY;
	if ((base & ~PAGE_MASK) || !pfnlimit || pfnlimit > LG_MAX_PFN ||
	    start > U32_MAX || page_offset > U32_MAX || pgdir > U32_MAX ||
	    (page_offset & ~PAGE_MASK) ||
	    !access_ok((void __user *)base, pfnlimit << PAGE_SHIFT))
		return -EINVAL;

	lg = __vmalloc(sizeof(*lg), GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	if (!lg)
		return -ENOMEM;
	id = ida_alloc_max(&guest_ids, U16_MAX, GFP_KERNEL);
	if (id < 0) {
		vfree(lg);
		return id;
	}
	refcount_set(&lg->refs, 1);
	lg->guestid = id;
	lg->mem_base = base;
	lg->pfn_limit = pfnlimit;
	lg->page_offset = page_offset;
	lg->mm = current->mm;
	mmgrab(lg->mm);
	lg->running_cpu = -1;
	lg->stats.size = sizeof(lg->stats);
	mutex_init(&lg->run_lock);
	spin_lock_init(&lg->dead_lock);
	init_waitqueue_head(&lg->break_wq);
	lguest_init_timer(lg);
	lguest_setup_gdt(lg);

	err = lguest_init_pagetables(lg, pgdir);
	if (err) {
		lguest_free_pagetables(lg);
		lguest_put(lg);
		return err;
	}

	lg->regs.cs = GUEST_KERNEL_CS;
	lg->regs.ss = GUEST_KERNEL_DS;
	lg->regs.ds = GUEST_KERNEL_DS;
	lg->regs.es = GUEST_KERNEL_DS;
	lg->regs.rflags = X86_EFLAGS_IF | X86_EFLAGS_FIXED;
	lg->regs.rip = start;
	lg->regs.rsi = 0;

	if (cmpxchg_release(&file->private_data, NULL, lg)) {
		free_guest(lg);
		return -EBUSY;
	}
	return 0;
}

/*H:135
 * LHREQ_BREAK with a non-zero value gets the Guest's attention: it makes
 * the running read() return EAGAIN (waking a halted Guest to do so), and
 * every read() after it too, until someone writes LHREQ_BREAK with 0.
 * The writer of the non-zero value is held until then.  The Launcher's
 * waker thread (L:450) uses it when device input arrives.  A signal lets
 * the writer go early, as does the Guest's death: a dead Guest has
 * nothing to break, so the writer is let go at once, or, if it is already
 * waiting, when the Guest dies.
 */
static int do_break(struct lguest *lg, u64 on)
{
	if (on) {
		atomic_set(&lg->break_out, 1);
		lguest_kick(lg);
		return wait_event_interruptible(lg->break_wq,
						!atomic_read(&lg->break_out) ||
						lguest_is_dead(lg));
	}
	atomic_set(&lg->break_out, 0);
	wake_up_all(&lg->break_wq);
	return 0;
}

/*H:137
 * LHREQ_STATS lets the Launcher see what its Guest cost: the counters in
 * lg->stats (L:015), which the run loop and the handlers it calls bump as
 * they go.  They are copied straight out, without a lock: only the thread
 * running the Guest writes them, so between two read()s, and after the
 * Guest's death, the copy is exact; one taken while another thread runs
 * the Guest is a glance at moving counters.  A dead Guest's counters stay
 * until the file is closed, which is when a Launcher wants them most.
 *
 * The buffer is the caller's to size: anything from the size field alone
 * up to LGUEST_STATS_MAX, of which we fill what we have and say how much
 * that was.  Where it points is checked by copy_to_user() itself, so a
 * kernel address, an unmapped page or a read-only one fails with EFAULT
 * (some bytes may have been written by then, as with read()).
 */
static long get_stats(struct lguest *lg, u64 uaddr, u64 len)
{
	size_t n;

	if (len < sizeof(lg->stats.size) || len > LGUEST_STATS_MAX)
		return -EINVAL;
	n = min_t(size_t, len, sizeof(lg->stats));
	if (copy_to_user(u64_to_user_ptr(uaddr), &lg->stats, n))
		return -EFAULT;
	return n;
}

static struct lguest *file_guest(struct file *file)
{
	/* Pairs with the cmpxchg_release() that published it. */
	return smp_load_acquire((struct lguest **)&file->private_data);
}

/*H:110
 * A write is a request.  We copy in the request word first, check the
 * length the request needs, and only then look at the rest.
 */
static ssize_t lguest_write(struct file *file, const char __user *in,
			    size_t size, loff_t *off)
{
	struct lguest *lg = file_guest(file);
	u64 args[6];
	u64 req;
	long ret;

	if (size < sizeof(req) || size % sizeof(req))
		return -EINVAL;
	if (copy_from_user(&req, in, sizeof(req)))
		return -EFAULT;
	if (req >= ARRAY_SIZE(lhreq_words) ||
	    size != lhreq_words[req] * sizeof(u64))
		return -EINVAL;
	if (copy_from_user(args, in, size))
		return -EFAULT;

	if (req == LHREQ_INITIALIZE) {
		ret = initialize(file, args);
		return ret ? ret : size;
	}
	if (!lg)
		return -EINVAL;
	if (!is_launcher(lg))
		return -EPERM;
	switch (req) {
	case LHREQ_GETDMA:
		if (args[1] > U32_MAX)
			return -EINVAL;
		if (lguest_is_dead(lg))
			return -ENOENT;
		return lguest_get_dma(lg, args[1]);
	case LHREQ_IRQ:
		if (args[1] >= LGUEST_IRQS)
			return -EINVAL;
		lguest_set_irq(lg, args[1]);
		return size;
	case LHREQ_BREAK:
		ret = do_break(lg, args[1]);
		return ret ? ret : size;
	case LHREQ_STATS:
		return get_stats(lg, args[1], args[2]);
	}
	return -EINVAL;
}

/*H:130
 * A read runs the Guest.  However the Guest died, in this read or while
 * nobody was running it (another Guest's DMA can kill it, and so can its
 * Launcher's address space going away), the first read that finds it
 * dead fails with ENOENT, and every read after that returns the reason,
 * as a NUL-terminated string cut to fit the buffer.
 */
static ssize_t lguest_read(struct file *file, char __user *out,
			   size_t size, loff_t *off)
{
	struct lguest *lg = file_guest(file);
	ssize_t ret;

	if (!lg)
		return -EINVAL;
	if (!is_launcher(lg))
		return -EPERM;
	if (!mutex_trylock(&lg->run_lock))
		return -EBUSY;
	if (lguest_is_dead(lg) && lg->death_reported) {
		size_t len = strnlen(lg->dead_reason, LGUEST_REASON_MAX - 1) + 1;

		if (len > size)
			len = size;
		ret = copy_to_user(out, lg->dead_reason, len) ? -EFAULT : len;
	} else {
		ret = lguest_run(lg, out, size);
		if (ret == -ENOENT)
			lg->death_reported = true;
	}
	mutex_unlock(&lg->run_lock);
	return ret;
}

static int lguest_release(struct inode *inode, struct file *file)
{
	struct lguest *lg = file->private_data;

	if (lg)
		free_guest(lg);
	return 0;
}

static const struct file_operations lguest_fops = {
	.owner = THIS_MODULE,
	.open = lguest_open,
	.release = lguest_release,
	.write = lguest_write,
	.read = lguest_read,
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
