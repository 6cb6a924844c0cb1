// SPDX-License-Identifier: GPL-2.0
/*H:700
 * I/O: BIND_DMA and SEND_DMA.
 *
 * A Guest receives by binding an array of struct lguest_dma buffers to a
 * key, with an interrupt to raise when one is filled; it sends by naming a
 * key and one struct lguest_dma.  If another Guest has bound buffers to the
 * same key in memory both Guests share, the Host copies the data straight
 * across: that is how two Guests talk without a Launcher in the middle.
 * Otherwise the send is handed to the sender's Launcher, which is how
 * devices (console, block, network) are implemented.
 *
 * What makes two keys "the same"?  A key is a Guest-physical address, and
 * Guests sharing memory may map it at different Guest-physical places, so
 * we compare what is really there: the page of memory the key lies in and
 * the offset in it.  Each binding holds a reference on its page, so the
 * identity cannot change while the binding exists.
 */
#include <linux/mm.h>
#include <linux/highmem.h>
#include <linux/slab.h>
#include <linux/sched/mm.h>
#include <linux/uaccess.h>
#include "lg.h"

/*H:705
 * Locking, and what a hostile Launcher could do with it.  dma_lock guards
 * only the list of bindings: it is a spinlock, and nothing that touches
 * user memory (which can fault, and under userfaultfd wait forever) is
 * ever done under it.  Filling a receiver's buffers is serialized per
 * binding by its ring_lock, and everything done under that lock goes
 * through remote_copy(), which never waits for a page to be faulted in
 * from outside (a page that is not there simply fails the copy).  The
 * sender's data is copied into a kernel buffer, from its own memory,
 * before any lock is taken.  So one Launcher's memory tricks can stall
 * only itself.
 *
 * A binding holds a reference on its Guest, and a sender holds one on the
 * binding while it copies, so a receiver whose file is closed meanwhile
 * stays in memory until the copy is done; its memory is reached only
 * through the mm it was made from, and only while that mm still lives.
 */
static LIST_HEAD(dma_bindings);
static DEFINE_SPINLOCK(dma_lock);

/* The most buffers one binding may have: a bound on every scan. */
#define LG_MAX_DMA_BUFFERS	256

static struct page *key_page(struct lguest *lg, u32 key)
{
	struct page *page;

	if (!lguest_gpa_ok(lg, key, 1))
		return NULL;
	if (get_user_pages_fast(lg->mem_base + (key & PAGE_MASK), 1,
				FOLL_WRITE, &page) != 1)
		return NULL;
	return page;
}

/*
 * Every section of a DMA buffer must lie inside the Guest: the buffer's
 * length in bytes if they do, -EFAULT if not.
 */
static long check_dma(struct lguest *lg, const struct lguest_dma *dma)
{
	unsigned int i;
	long total = 0;

	for (i = 0; i < LGUEST_MAX_DMA_SECTIONS && dma->len[i]; i++) {
		if (!lguest_gpa_ok(lg, dma->addr[i], dma->len[i]))
			return -EFAULT;
		total += dma->len[i];
	}
	return total;
}

static void binding_put(struct lg_dma_binding *b)
{
	if (!refcount_dec_and_test(&b->refs))
		return;
	put_page(b->page);
	lguest_put(b->lg);
	kfree(b);
}

/*
 * Copy between a kernel buffer and a Guest's memory through the mm that
 * made the Guest, whoever is calling.  FOLL_NOWAIT, and no "locked"
 * argument, mean the lookup never sleeps waiting for the page: not for
 * I/O, not for a userfaultfd handler.  The caller holds a reference on
 * the mm's users (mmget_not_zero()).
 */
static bool remote_copy(struct lguest *lg, u32 gpa, void *buf, u32 len,
			bool write)
{
	unsigned long addr = lg->mem_base + gpa;
	unsigned int flags = FOLL_NOWAIT | (write ? FOLL_WRITE : 0);

	if (!lguest_gpa_ok(lg, gpa, len))
		return false;
	if (mmap_read_lock_killable(lg->mm))
		return false;
	while (len) {
		unsigned int off = offset_in_page(addr);
		unsigned int n = min_t(u32, len, PAGE_SIZE - off);
		struct page *page;
		void *p;

		if (get_user_pages_remote(lg->mm, addr, 1, flags, &page, NULL) != 1)
			break;
		p = kmap_local_page(page);
		if (write)
			memcpy(p + off, buf, n);
		else
			memcpy(buf, p + off, n);
		kunmap_local(p);
		if (write)
			set_page_dirty_lock(page);
		put_page(page);
		addr += n;
		buf += n;
		len -= n;
	}
	mmap_read_unlock(lg->mm);
	return !len;
}

/*H:710
 * BIND_DMA(key, dmas, (num << 8) | irq).  num == 0 removes the binding.
 * Returns 1 if it worked, 0 if the Guest already has too many bindings
 * or asks for more than LG_MAX_DMA_BUFFERS buffers.
 */
u32 lguest_bind_dma(struct lguest *lg, u32 key, u32 dmas, u32 numirq)
{
	unsigned int num = numirq >> 8, irq = numirq & 0xFF;
	struct lg_dma_binding *b, *old = NULL, *nb = NULL;
	u32 ret = 0;

	if (num > LG_MAX_DMA_BUFFERS)
		return 0;
	if (num && (irq >= LGUEST_IRQS ||
		    !lguest_gpa_ok(lg, dmas, num * sizeof(struct lguest_dma)))) {
		kill_guest(lg, "bad BIND_DMA (%#x, %u buffers, irq %u)", dmas,
			   num, irq);
		return 0;
	}
	if (num) {
		struct page *page = key_page(lg, key);

		if (!page) {
			kill_guest(lg, "bad BIND_DMA key %#x", key);
			return 0;
		}
		nb = kzalloc(sizeof(*nb), GFP_KERNEL_ACCOUNT);
		if (!nb) {
			put_page(page);
			return 0;
		}
		refcount_set(&nb->refs, 1);
		refcount_inc(&lg->refs);
		nb->lg = lg;
		nb->key = key;
		nb->page = page;
		nb->offset = key & ~PAGE_MASK;
		nb->dmas = dmas;
		nb->num = num;
		nb->irq = irq;
		mutex_init(&nb->ring_lock);
	}

	spin_lock(&dma_lock);
	list_for_each_entry(b, &dma_bindings, list) {
		if (b->lg == lg && b->key == key) {
			list_del_init(&b->list);
			lg->bindings--;
			old = b;
			ret = !num;
			break;
		}
	}
	if (nb && lg->bindings < LGUEST_MAX_DMA) {
		list_add_tail(&nb->list, &dma_bindings);
		lg->bindings++;
		nb = NULL;
		ret = 1;
	}
	spin_unlock(&dma_lock);

	if (old)
		binding_put(old);
	if (nb)
		binding_put(nb);
	return ret;
}

/*
 * Find a free buffer (used_len 0) among a binding's, from the one after
 * the last filled: its slot and Guest-physical address.  The caller holds
 * ring_lock.
 */
static bool free_buffer(struct lg_dma_binding *b, unsigned int *slot,
			u32 *gpa)
{
	unsigned int n;
	u32 used;

	for (n = 0; n < b->num; n++) {
		*slot = (b->next + n) % b->num;
		*gpa = b->dmas + *slot * sizeof(struct lguest_dma);
		if (!remote_copy(b->lg, *gpa, &used, sizeof(used), false))
			return false;
		if (!used)
			return true;
	}
	return false;
}

/*
 * Take the free buffer found in @slot, at @gpa: write @word into its
 * used_len (the bytes used, or for the Launcher the interrupt to raise),
 * and move the ring on past it.  The caller holds ring_lock.
 */
static bool take_buffer(struct lg_dma_binding *b, unsigned int slot, u32 gpa,
			u32 word)
{
	if (!remote_copy(b->lg, gpa, &word, sizeof(word), true))
		return false;
	b->next = (slot + 1) % b->num;
	return true;
}

/* Copy what the sender gave (already in @buf) into the receiver's buffer. */
static u32 fill_buffer(struct lg_dma_binding *b, u32 gpa, const u8 *buf,
		       u32 total)
{
	struct lguest *dst = b->lg;
	struct lguest_dma ddma;
	u32 done = 0, i;

	if (!remote_copy(dst, gpa, &ddma, sizeof(ddma), false))
		return 0;
	if (check_dma(dst, &ddma) < 0) {
		kill_guest(dst, "bad bound DMA buffer %#x", gpa);
		return 0;
	}
	for (i = 0; i < LGUEST_MAX_DMA_SECTIONS && ddma.len[i] && done < total;
	     i++) {
		u32 len = min_t(u32, ddma.len[i], total - done);

		if (!remote_copy(dst, ddma.addr[i], (void *)buf + done, len,
				 true))
			break;
		done += len;
	}
	return done;
}

/*H:720
 * The Host-side copy: the sender's data into a kernel buffer first, then,
 * under the binding's ring_lock, into a free buffer among the receiver's
 * bound ones; we record how much was used in both the receiver's and the
 * sender's struct lguest_dma, and raise the receiver's interrupt.  A
 * receiver with no free buffer drops the data, as a full network card
 * would (the sender sees used_len 0), and so does one whose memory is not
 * there to be written right now.
 */
static u32 transfer(struct lguest *src, const struct lguest_dma *sdma,
		    u32 total, struct lg_dma_binding *b)
{
	struct lguest *dst = b->lg;
	u32 done = 0, off = 0, gpa;
	unsigned int i, slot;
	u8 *buf;

	buf = kvmalloc(max_t(u32, total, 1), GFP_KERNEL_ACCOUNT);
	if (!buf)
		return 0;
	for (i = 0; i < LGUEST_MAX_DMA_SECTIONS && sdma->len[i]; i++) {
		if (!lguest_read_mem(src, buf + off, sdma->addr[i],
				     sdma->len[i]))
			goto out;
		off += sdma->len[i];
	}
	if (!mmget_not_zero(dst->mm))
		goto out;
	if (mutex_lock_killable(&b->ring_lock))
		goto out_mm;
	if (lguest_is_dead(dst) || list_empty(&b->list))
		goto out_unlock;
	if (!free_buffer(b, &slot, &gpa))
		goto out_unlock;
	done = fill_buffer(b, gpa, buf, total);
	/* A zero-length send still fills a buffer: used_len can't be 0. */
	if (!lguest_is_dead(dst) && take_buffer(b, slot, gpa, done ? done : 1))
		lguest_set_irq(dst, b->irq);
out_unlock:
	mutex_unlock(&b->ring_lock);
out_mm:
	mmput(dst->mm);
out:
	kvfree(buf);
	return done;
}

/*H:730
 * SEND_DMA(key, dma).  Bindings of the sender itself are skipped: a Guest
 * that sends and receives on one key (the console) means "to the outside".
 */
void lguest_send_dma(struct lguest *lg, u32 key, u32 udma)
{
	struct lg_dma_binding *b, *found = NULL;
	struct lguest_dma dma;
	struct page *page;
	long total;
	u32 used;

	if (!lguest_read_mem(lg, &dma, udma, sizeof(dma)))
		return;
	total = check_dma(lg, &dma);
	if (total < 0) {
		kill_guest(lg, "DMA buffer %#x reaches outside the Guest", udma);
		return;
	}
	page = key_page(lg, key);
	if (!page) {
		kill_guest(lg, "bad SEND_DMA key %#x", key);
		return;
	}
	spin_lock(&dma_lock);
	list_for_each_entry(b, &dma_bindings, list) {
		if (b->lg == lg || b->page != page ||
		    b->offset != (key & ~PAGE_MASK) || lguest_is_dead(b->lg))
			continue;
		refcount_inc(&b->refs);
		found = b;
		break;
	}
	spin_unlock(&dma_lock);
	put_page(page);

	if (found) {
		lg->stats.dma_host++;
		used = transfer(lg, &dma, total, found);
		binding_put(found);
		lguest_write_mem(lg, udma + offsetof(struct lguest_dma, used_len),
				 &used, sizeof(used));
		return;
	}
	lg->stats.dma_launcher++;
	lg->dma_is_pending = true;
	lg->pending_dma = udma;
	lg->pending_key = key;
}

/*H:740
 * LHREQ_GETDMA: the Launcher wants a free buffer this Guest bound to @key
 * (to deliver console input, say).  Its address is returned, with the
 * interrupt to raise afterwards written into its used_len.  We search as
 * transfer() does, from the buffer after the last one filled, so a Guest
 * sees its buffers filled in ring order whoever fills them (the network
 * driver relies on that to keep frames in order).
 */
long lguest_get_dma(struct lguest *lg, u32 key)
{
	struct lg_dma_binding *b, *found = NULL;
	unsigned int slot;
	long ret = -ENOENT;
	u32 gpa;

	spin_lock(&dma_lock);
	list_for_each_entry(b, &dma_bindings, list) {
		if (b->lg == lg && b->key == key) {
			refcount_inc(&b->refs);
			found = b;
			break;
		}
	}
	spin_unlock(&dma_lock);
	if (!found)
		return -ENOENT;

	if (mutex_lock_killable(&found->ring_lock)) {
		binding_put(found);
		return -EINTR;
	}
	if (free_buffer(found, &slot, &gpa) &&
	    take_buffer(found, slot, gpa, found->irq))
		ret = gpa;
	mutex_unlock(&found->ring_lock);
	binding_put(found);
	return ret;
}

/* The Guest is going: take its bindings off the list. */
void lguest_release_dma(struct lguest *lg)
{
	struct lg_dma_binding *b, *tmp;
	LIST_HEAD(gone);

	spin_lock(&dma_lock);
	list_for_each_entry_safe(b, tmp, &dma_bindings, list)
		if (b->lg == lg) {
			list_move(&b->list, &gone);
			lg->bindings--;
		}
	spin_unlock(&dma_lock);
	list_for_each_entry_safe(b, tmp, &gone, list) {
		list_del_init(&b->list);
		binding_put(b);
	}
}
