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
#include <linux/slab.h>
#include <linux/sched/mm.h>
#include <linux/uaccess.h>
#include "lg.h"

static LIST_HEAD(dma_bindings);
static DEFINE_MUTEX(dma_lock);

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

/* Every section of a DMA buffer must lie inside the Guest. */
static bool check_dma(struct lguest *lg, const struct lguest_dma *dma,
		      u32 *total)
{
	unsigned int i;

	*total = 0;
	for (i = 0; i < LGUEST_MAX_DMA_SECTIONS && dma->len[i]; i++) {
		if (!lguest_gpa_ok(lg, dma->addr[i], dma->len[i]))
			return false;
		*total += dma->len[i];
	}
	return true;
}

static void unbind(struct lg_dma_binding *b)
{
	list_del(&b->list);
	put_page(b->page);
	kfree(b);
}

/*H:710
 * BIND_DMA(key, dmas, (num << 8) | irq).  num == 0 removes the binding.
 * Returns 1 if it worked, 0 if the Guest already has too many bindings.
 */
u32 lguest_bind_dma(struct lguest *lg, u32 key, u32 dmas, u32 numirq)
{
	unsigned int num = numirq >> 8, irq = numirq & 0xFF, count = 0;
	struct lg_dma_binding *b, *tmp;
	struct page *page;
	u32 ret = 0;

	if (num && (irq >= LGUEST_IRQS ||
		    !lguest_gpa_ok(lg, dmas, num * sizeof(struct lguest_dma)))) {
		kill_guest(lg, "bad BIND_DMA (%#x, %u buffers, irq %u)", dmas,
			   num, irq);
		return 0;
	}
	page = num ? key_page(lg, key) : NULL;
	if (num && !page) {
		kill_guest(lg, "bad BIND_DMA key %#x", key);
		return 0;
	}

	mutex_lock(&dma_lock);
	list_for_each_entry_safe(b, tmp, &dma_bindings, list) {
		if (b->lg != lg)
			continue;
		if (b->key == key) {
			unbind(b);
			ret = !num;
		} else {
			count++;
		}
	}
	if (num && count < LGUEST_MAX_DMA) {
		b = kzalloc(sizeof(*b), GFP_KERNEL);
		if (b) {
			b->lg = lg;
			b->key = key;
			b->page = page;
			b->offset = key & ~PAGE_MASK;
			b->dmas = dmas;
			b->num = num;
			b->irq = irq;
			list_add_tail(&b->list, &dma_bindings);
			page = NULL;
			ret = 1;
		}
	}
	mutex_unlock(&dma_lock);
	if (page)
		put_page(page);
	return ret;
}

/* Copy between Guest memory of another Launcher and a kernel buffer. */
static bool remote_access(struct lguest *lg, u32 gpa, void *buf, u32 len,
			  bool write)
{
	if (!lguest_gpa_ok(lg, gpa, len))
		return false;
	return access_process_vm(lg->tsk, lg->mem_base + gpa, buf, len,
				 write ? FOLL_WRITE : 0) == len;
}

/*H:720
 * The Host-side copy: find a free buffer (used_len 0) among the
 * receiver's bound buffers, copy section by section, record how much was
 * used in both the receiver's and the sender's struct lguest_dma, and
 * raise the receiver's interrupt.  A receiver with no free buffer drops
 * the data, as a full network card would (the sender sees used_len 0).
 */
static u32 transfer(struct lguest *src, const struct lguest_dma *sdma,
		    struct lg_dma_binding *b)
{
	struct lguest *dst = b->lg;
	struct lguest_dma ddma;
	unsigned int n, si = 0, di = 0;
	u32 soff = 0, doff = 0, done = 0, total, gpa = 0;
	u8 *buf;

	for (n = 0; n < b->num; n++) {
		gpa = b->dmas + ((b->next + n) % b->num) * sizeof(ddma);
		if (!remote_access(dst, gpa, &ddma, sizeof(ddma), false)) {
			kill_guest(dst, "bad bound DMA buffer %#x", gpa);
			return 0;
		}
		if (!ddma.used_len)
			break;
	}
	if (n == b->num)
		return 0;
	if (!check_dma(dst, &ddma, &total)) {
		kill_guest(dst, "bad bound DMA buffer %#x", gpa);
		return 0;
	}
	buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!buf)
		return 0;
	while (si < LGUEST_MAX_DMA_SECTIONS && sdma->len[si] &&
	       di < LGUEST_MAX_DMA_SECTIONS && ddma.len[di]) {
		u32 len = min3((u32)sdma->len[si] - soff,
			       (u32)ddma.len[di] - doff, (u32)PAGE_SIZE);

		if (!lguest_read_mem(src, buf, sdma->addr[si] + soff, len))
			break;
		if (!remote_access(dst, ddma.addr[di] + doff, buf, len, true)) {
			kill_guest(dst, "cannot write DMA buffer");
			break;
		}
		done += len;
		soff += len;
		doff += len;
		if (soff == sdma->len[si]) {
			si++;
			soff = 0;
		}
		if (doff == ddma.len[di]) {
			di++;
			doff = 0;
		}
	}
	kfree(buf);
	/* A zero-length send still fills a buffer: used_len can't be 0. */
	ddma.used_len = done ? done : 1;
	if (remote_access(dst, gpa, &ddma.used_len, sizeof(u32), true)) {
		b->next = (b->next + n + 1) % b->num;
		lguest_set_irq(dst, b->irq);
	}
	return done;
}

/*H:730
 * SEND_DMA(key, dma).  Bindings of the sender itself are skipped: a Guest
 * that sends and receives on one key (the console) means "to the outside".
 */
void lguest_send_dma(struct lguest *lg, u32 key, u32 udma)
{
	struct lguest_dma dma;
	struct lg_dma_binding *b;
	struct page *page;
	u32 total, used = 0;
	bool found = false;

	if (!lguest_read_mem(lg, &dma, udma, sizeof(dma)))
		return;
	if (!check_dma(lg, &dma, &total)) {
		kill_guest(lg, "DMA buffer %#x reaches outside the Guest", udma);
		return;
	}
	page = key_page(lg, key);
	if (!page) {
		kill_guest(lg, "bad SEND_DMA key %#x", key);
		return;
	}
	mutex_lock(&dma_lock);
	list_for_each_entry(b, &dma_bindings, list) {
		if (b->lg == lg || b->page != page ||
		    b->offset != (key & ~PAGE_MASK) || READ_ONCE(b->lg->dead))
			continue;
		found = true;
		used = transfer(lg, &dma, b);
		break;
	}
	mutex_unlock(&dma_lock);
	put_page(page);

	if (found) {
		lguest_write_mem(lg, udma + offsetof(struct lguest_dma, used_len),
				 &used, sizeof(used));
		return;
	}
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
	struct lg_dma_binding *b;
	long ret = -ENOENT;
	unsigned int n, i;

	mutex_lock(&dma_lock);
	list_for_each_entry(b, &dma_bindings, list) {
		if (b->lg != lg || b->key != key)
			continue;
		for (n = 0; n < b->num; n++) {
			u32 gpa, used, irq = b->irq;

			i = (b->next + n) % b->num;
			gpa = b->dmas + i * sizeof(struct lguest_dma);
			if (!lguest_read_mem(lg, &used, gpa, 4))
				break;
			if (used)
				continue;
			if (lguest_write_mem(lg, gpa, &irq, 4)) {
				ret = gpa;
				b->next = (i + 1) % b->num;
			}
			break;
		}
		break;
	}
	mutex_unlock(&dma_lock);
	return ret;
}

void lguest_release_dma(struct lguest *lg)
{
	struct lg_dma_binding *b, *tmp;

	mutex_lock(&dma_lock);
	list_for_each_entry_safe(b, tmp, &dma_bindings, list)
		if (b->lg == lg)
			unbind(b);
	mutex_unlock(&dma_lock);
}
