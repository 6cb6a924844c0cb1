// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for launcher/block.c: the --block argument, disk sizes, the
 * checks on every request, and the request handler itself on a real file
 * with a pretend Guest (the few device framework calls it makes are
 * stubbed here).
 */
#include "../../launcher/block.c"
#define UNIT_PREFIX "block"
#include "unit_test.h"

/* --- The device framework, pretended ------------------------------------ */

void launch_die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("died: ", stdout);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	exit(100 + status);
}

struct device *new_device(struct guest *g, const struct device_kind *kind,
			  const char *name, uint16_t type, uint16_t features,
			  uint16_t num_pages)
{
	exit(99);
}

/* The reply buffer the pretend Guest has bound, if any. */
static struct lguest_dma *bound;
static struct guest *the_guest;
static uint32_t irq_raised;

struct lguest_dma *get_dma_buffer(struct guest *g, uint32_t key,
				  struct iovec iov[LGUEST_MAX_DMA_SECTIONS],
				  unsigned int *num, uint32_t *irq)
{
	unsigned int i;

	if (!bound || bound->used_len)
		return NULL;
	for (i = 0; i < LGUEST_MAX_DMA_SECTIONS && bound->len[i]; i++) {
		iov[i].iov_base = g->mem + bound->addr[i];
		iov[i].iov_len = bound->len[i];
	}
	*num = i;
	*irq = 7;
	bound->used_len = 7;	/* as the Host does */
	return bound;
}

void trigger_irq(struct guest *g, uint32_t irq)
{
	irq_raised = irq;
}

/* --- Helpers ----------------------------------------------------------------- */

static bool parse(const char *arg, const char *want, bool want_ro)
{
	bool ro;
	const char *path = block_parse_arg(arg, &ro);

	return strcmp(path, want) == 0 && ro == want_ro;
}

static int size_ok(uint64_t bytes, uint32_t want)
{
	uint32_t n = 0;
	char err[160];

	return block_check_size(bytes, &n, err, sizeof(err)) == 0 && n == want;
}

static int size_bad(uint64_t bytes, const char *want)
{
	uint32_t n;
	char err[160];

	return block_check_size(bytes, &n, err, sizeof(err)) && strstr(err, want);
}

static int req_ok(uint32_t type, uint32_t sector, uint32_t bytes,
		  uint32_t num_sectors, bool ro, uint64_t buf)
{
	struct block_request r = { type, sector, bytes };
	char err[160];

	return block_check_request(&r, num_sectors, ro, buf, err, sizeof(err)) == 0;
}

static const char *req_err(uint32_t type, uint32_t sector, uint32_t bytes,
			   uint32_t num_sectors, bool ro, uint64_t buf)
{
	static char err[160];
	struct block_request r = { type, sector, bytes };

	if (!block_check_request(&r, num_sectors, ro, buf, err, sizeof(err)))
		return "";
	return err;
}

/* Guest memory: the device page at 0, data buffers from 4096 on. */
#define GMEM_SIZE	(64 * 4096)
static unsigned char gmem[GMEM_SIZE];
static struct lguest_dma reply_buf;

/*
 * run_request: put a request in the page, send it with @send (NULL: an
 * empty DMA), and return the result the handler wrote.
 */
static uint32_t run_request(struct device *dev, uint32_t type, uint32_t sector,
			    uint32_t bytes, const struct lguest_dma *send)
{
	struct lguest_block_page *page = dev->mem;
	struct iovec iov[LGUEST_MAX_DMA_SECTIONS];
	unsigned int n = 0;

	page->type = type;
	page->sector = sector;
	page->bytes = bytes;
	page->result = LGUEST_BLOCK_PENDING;
	reply_buf.used_len = 0;
	irq_raised = 0;
	for (; send && n < LGUEST_MAX_DMA_SECTIONS && send->len[n]; n++) {
		iov[n].iov_base = gmem + send->addr[n];
		iov[n].iov_len = send->len[n];
	}
	handle_block_output(the_guest, dev, iov, n);
	return page->result;
}

int main(void)
{
	char path[] = "/tmp/lguest-test-block-XXXXXX";
	struct guest g = { .mem = gmem };
	struct block_file bf = { .readonly = false, .num_sectors = 64 };
	struct device dev = { .name = "block 'test'", .mem = gmem, .gpa = 0,
			      .priv = &bf, .index = 2 };
	struct lguest_dma send;
	unsigned char buf[4096];
	unsigned int i;
	int ok;

	/* The argument. */
	result(parse("disk.img", "disk.img", false), "arg-plain", "disk.img");
	result(parse("ro:disk.img", "disk.img", true), "arg-ro", "ro:disk.img");
	result(parse("./ro:disk.img", "./ro:disk.img", false), "arg-ro-in-name",
	       "./ro:disk.img");
	result(parse("ro:", "", true), "arg-ro-nothing", "ro:");
	result(parse("/dev/vdb", "/dev/vdb", false), "arg-device", "/dev/vdb");

	/* Sizes. */
	result(size_ok(512, 1), "size-one-sector", "512 bytes");
	result(size_ok(1ULL << 30, 1U << 21), "size-1g", "1 GiB");
	result(size_ok((uint64_t)UINT32_MAX * 512, UINT32_MAX), "size-largest",
	       "2 TiB - 512");
	result(size_bad(0, "is empty"), "size-zero", "0 bytes accepted");
	result(size_bad(1000, "not a whole number of 512-byte sectors"),
	       "size-partial-sector", "1000 bytes accepted");
	result(size_bad(1ULL << 41, "at most"), "size-2t", "2 TiB accepted");
	result(size_bad((1ULL << 41) + 512, "at most"), "size-over-2t",
	       "2 TiB + 512 accepted");

	/* Requests on a 64-sector disk. */
	result(req_ok(LGUEST_BLOCK_READ, 0, 4096, 64, false, 4096), "req-read",
	       "%s", req_err(LGUEST_BLOCK_READ, 0, 4096, 64, false, 4096));
	result(req_ok(LGUEST_BLOCK_WRITE, 56, 4096, 64, false, 4096),
	       "req-write-last", "%s",
	       req_err(LGUEST_BLOCK_WRITE, 56, 4096, 64, false, 4096));
	result(!req_ok(LGUEST_BLOCK_WRITE, 57, 4096, 64, false, 4096),
	       "req-write-past-end", "accepted");
	result(!req_ok(LGUEST_BLOCK_READ, 64, 512, 64, false, 512),
	       "req-read-at-end", "accepted");
	result(!req_ok(LGUEST_BLOCK_READ, UINT32_MAX, 4096, 64, false, 4096),
	       "req-sector-huge", "accepted");
	result(!req_ok(LGUEST_BLOCK_WRITE, 63, UINT32_MAX, 64, false,
		       UINT32_MAX), "req-no-wrap", "accepted");
	result(!req_ok(LGUEST_BLOCK_WRITE, 0, 4096, 64, false, 512),
	       "req-write-short-data", "accepted");
	result(!req_ok(LGUEST_BLOCK_READ, 0, 4096, 64, false, 512),
	       "req-read-small-buffer", "accepted");
	result(strstr(req_err(LGUEST_BLOCK_WRITE, 0, 512, 64, true, 512),
		      "read-only") != NULL, "req-ro-write", "accepted");
	result(!req_ok(LGUEST_BLOCK_FLUSH, 0, 0, 64, true, 0), "req-ro-flush",
	       "accepted");
	result(req_ok(LGUEST_BLOCK_READ, 0, 512, 64, true, 512), "req-ro-read",
	       "refused");
	result(req_ok(LGUEST_BLOCK_FLUSH, 12345678, 99, 64, false, 0),
	       "req-flush", "refused");
	result(strstr(req_err(7, 0, 512, 64, false, 512), "unknown") != NULL,
	       "req-unknown-type", "accepted");

	/* The handler, on a real 64-sector file. */
	bf.fd = mkstemp(path);
	if (bf.fd < 0 || ftruncate(bf.fd, 64 * 512)) {
		result(0, "handler-file", "cannot make %s", path);
		return 1;
	}
	unlink(path);
	the_guest = &g;
	bound = &reply_buf;

	/* A write of two sections, from two Guest pages. */
	memset(gmem + 4096, 'A', 4096);
	memset(gmem + 8192, 'B', 512);
	memset(&send, 0, sizeof(send));
	send.addr[0] = 4096;
	send.len[0] = 4096;
	send.addr[1] = 8192;
	send.len[1] = 512;
	ok = run_request(&dev, LGUEST_BLOCK_WRITE, 2, 4608, &send) == LGUEST_BLOCK_DONE;
	ok = ok && pread(bf.fd, buf, 4096, 1024) == 4096 && buf[0] == 'A' &&
	     buf[4095] == 'A';
	ok = ok && pread(bf.fd, buf, 512, 1024 + 4096) == 512 && buf[0] == 'B' &&
	     buf[511] == 'B';
	result(ok, "handler-write", "the data is not in the file");
	result(irq_raised == 7 && reply_buf.used_len != 0, "handler-write-irq",
	       "irq %u, used_len %u", irq_raised, reply_buf.used_len);

	/* Read it back into three sections of the reply buffer. */
	memset(gmem + 16384, 0, 3 * 4096);
	memset(&reply_buf, 0, sizeof(reply_buf));
	reply_buf.addr[0] = 16384;
	reply_buf.len[0] = 1000;
	reply_buf.addr[1] = 20480;
	reply_buf.len[1] = 3096;
	reply_buf.addr[2] = 24576;
	reply_buf.len[2] = 512;
	ok = run_request(&dev, LGUEST_BLOCK_READ, 2, 4608, NULL) == LGUEST_BLOCK_DONE;
	for (i = 0; ok && i < 1000; i++)
		ok = gmem[16384 + i] == 'A';
	for (i = 0; ok && i < 3096; i++)
		ok = gmem[20480 + i] == 'A';
	for (i = 0; ok && i < 512; i++)
		ok = gmem[24576 + i] == 'B';
	result(ok, "handler-read", "the data did not reach the Guest");
	result(reply_buf.used_len == 4608 && irq_raised == 7, "handler-read-used-len",
	       "used_len %u, irq %u", reply_buf.used_len, irq_raised);

	/* Nothing reaches outside the file, and the file never grows. */
	result(run_request(&dev, LGUEST_BLOCK_WRITE, 63, 4608, &send) == LGUEST_BLOCK_ERROR &&
	       lseek(bf.fd, 0, SEEK_END) == 64 * 512, "handler-write-past-end",
	       "result or size wrong");
	result(run_request(&dev, LGUEST_BLOCK_FLUSH, 0, 0, NULL) == LGUEST_BLOCK_DONE,
	       "handler-flush", "flush failed");
	result(run_request(&dev, 9, 0, 0, NULL) == LGUEST_BLOCK_ERROR,
	       "handler-unknown-type", "accepted");

	/* A read-only disk fails writes and flushes, and still reads. */
	bf.readonly = true;
	memset(gmem + 4096, 'C', 512);
	send.len[0] = 512;
	send.len[1] = 0;
	ok = run_request(&dev, LGUEST_BLOCK_WRITE, 0, 512, &send) == LGUEST_BLOCK_ERROR;
	ok = ok && pread(bf.fd, buf, 1, 0) == 1 && buf[0] == 0;
	result(ok, "handler-ro-write", "a write reached a read-only disk");
	result(run_request(&dev, LGUEST_BLOCK_FLUSH, 0, 0, NULL) == LGUEST_BLOCK_ERROR,
	       "handler-ro-flush", "a flush succeeded on a read-only disk");
	result(run_request(&dev, LGUEST_BLOCK_READ, 2, 512, NULL) == LGUEST_BLOCK_DONE &&
	       gmem[16384] == 'A', "handler-ro-read", "reading failed");
	bf.readonly = false;

	/* No reply buffer: the request fails, the device's irq still comes. */
	bound = NULL;
	result(run_request(&dev, LGUEST_BLOCK_READ, 0, 512, NULL) == LGUEST_BLOCK_ERROR &&
	       irq_raised == dev.index + 1, "handler-no-reply-buffer",
	       "irq %u", irq_raised);

	close(bf.fd);
	return failures ? 1 : 0;
}
