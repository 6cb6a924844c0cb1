// SPDX-License-Identifier: GPL-2.0
/*L:700
 * Block devices.
 *
 * A Guest disk is a file on the Host (or a Host block device): --block=FILE
 * gives the Guest /dev/lgba, the next --block /dev/lgbb, and so on;
 * --block=ro:FILE gives a disk the Guest may only read.  The device has one
 * page, a struct lguest_block_page: we write the disk's size there, the
 * Guest writes each request there (read, write or flush; sector; length)
 * and SEND_DMAs to the page's own address.  A write's DMA carries the data.
 * A read's DMA is empty, and the data goes into the buffer the Guest bound
 * to that same address.  Either way we write the result into the page,
 * mark the bound buffer used and raise the Guest's interrupt.
 *
 * We serve requests as they come, before the Guest runs again: simple, and
 * a request the Guest has been told is done is in the Host's page cache,
 * so it survives the Launcher being killed.  Surviving the Host losing
 * power is what the Guest's flush is for: we answer it with fdatasync().
 */
#define _GNU_SOURCE		/* asprintf() */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/fs.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include "launch.h"
#include "devices.h"
#include "block.h"
#include "error_text.h"

/*L:710
 * First the pure logic, which the unit tests drive.  "ro:" in front of the
 * file name asks for a read-only disk; a file really named "ro:something"
 * can still be given as "./ro:something".
 */
const char *block_parse_arg(const char *arg, bool *readonly)
{
	*readonly = strncmp(arg, "ro:", 3) == 0;
	return *readonly ? arg + 3 : arg;
}

/* --block's check on the command line: "ro:" alone names no file. */
static int check_block(struct launch_config *cfg, const char *arg, char *err,
		       size_t errlen)
{
	bool readonly;

	if (!block_parse_arg(arg, &readonly)[0])
		return error_text(err, errlen, "--block needs a file name");
	return 0;
}

/*
 * A disk is a whole number of 512-byte sectors, at least one, and no more
 * than the 32-bit sector count in the device page can say (just under
 * 2 TiB).  A file with a partial sector at the end is refused rather than
 * quietly shortened: the user would lose that data without a word.
 */
int block_check_size(uint64_t bytes, uint32_t *num_sectors, char *err,
		     size_t errlen)
{
	if (bytes == 0)
		return error_text(err, errlen, "is empty");
	if (bytes % BLOCK_SECTOR_SIZE)
		return error_text(err, errlen,
				  "is %" PRIu64 " bytes, not a whole number of %u-byte sectors",
				  bytes, BLOCK_SECTOR_SIZE);
	if (bytes / BLOCK_SECTOR_SIZE > BLOCK_MAX_SECTORS)
		return error_text(err, errlen,
				  "is %" PRIu64 " bytes: a disk may be at most %" PRIu64 " bytes (2 TiB less a sector)",
				  bytes, (uint64_t)BLOCK_MAX_SECTORS * BLOCK_SECTOR_SIZE);
	*num_sectors = bytes / BLOCK_SECTOR_SIZE;
	return 0;
}

/*L:720
 * Whatever the Guest writes into its page, we never touch the file outside
 * the disk: a request must lie wholly inside it (in 64-bit arithmetic, so
 * no sum wraps), and its length must match the buffer it came with.  A
 * read-only disk does reads only.  A flush has no data; its sector and
 * length mean nothing.
 */
int block_check_request(const struct block_request *req, uint32_t num_sectors,
			bool readonly, uint64_t buf_len, char *err,
			size_t errlen)
{
	uint64_t end;

	switch (req->type) {
	case LGUEST_BLOCK_READ:
	case LGUEST_BLOCK_WRITE:
		break;
	case LGUEST_BLOCK_FLUSH:
		if (readonly)
			return error_text(err, errlen, "flush on a read-only disk");
		return 0;
	default:
		return error_text(err, errlen, "unknown request type %u",
				  req->type);
	}
	if (readonly && req->type == LGUEST_BLOCK_WRITE)
		return error_text(err, errlen, "write to a read-only disk");
	end = (uint64_t)req->sector * BLOCK_SECTOR_SIZE + req->bytes;
	if (req->sector >= num_sectors || end > (uint64_t)num_sectors * BLOCK_SECTOR_SIZE)
		return error_text(err, errlen,
				  "%u bytes at sector %u is past the end (%u sectors)",
				  req->bytes, req->sector, num_sectors);
	if (req->type == LGUEST_BLOCK_WRITE && buf_len != req->bytes)
		return error_text(err, errlen,
				  "write of %u bytes sent %" PRIu64 " bytes of data",
				  req->bytes, buf_len);
	if (req->type == LGUEST_BLOCK_READ && buf_len < req->bytes)
		return error_text(err, errlen,
				  "read of %u bytes into a %" PRIu64 "-byte buffer",
				  req->bytes, buf_len);
	return 0;
}

/* What we keep about each disk. */
struct block_file {
	struct block_file *next;
	const char *path;
	int fd;
	bool readonly;
	uint32_t num_sectors;
	dev_t dev;			/* which file it is, to spot */
	ino_t ino;			/* one given twice */
};

static struct block_file *block_files;

/*L:730
 * Reads and writes go straight between the file and Guest memory with
 * preadv() and pwritev(), the iovecs pointing into the Guest.  Either may
 * do less than asked (a signal, a device's whim), so we go on from where
 * it stopped until all @len bytes are done.  Returns 0, or an errno.
 */
static int block_io(int fd, bool write, const struct iovec *iov_in,
		    unsigned int num, uint64_t off, uint32_t len)
{
	struct iovec iov[LGUEST_MAX_DMA_SECTIONS];
	unsigned int i, n = 0, first = 0;
	uint32_t left = len;
	ssize_t done;

	/* Our own copy, cut to exactly @len bytes. */
	for (i = 0; i < num && left; i++) {
		iov[n] = iov_in[i];
		if (iov[n].iov_len > left)
			iov[n].iov_len = left;
		left -= iov[n].iov_len;
		n++;
	}
	left = len;
	while (left) {
		if (write)
			done = pwritev(fd, iov + first, n - first, off);
		else
			done = preadv(fd, iov + first, n - first, off);
		if (done < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		if (done == 0)
			return write ? ENOSPC : EIO;	/* end of file */
		off += done;
		left -= done;
		while (done && first < n) {
			size_t step = (size_t)done < iov[first].iov_len ?
				      (size_t)done : iov[first].iov_len;

			iov[first].iov_base = (char *)iov[first].iov_base + step;
			iov[first].iov_len -= step;
			done -= step;
			if (!iov[first].iov_len)
				first++;
		}
	}
	return 0;
}

/*L:740
 * The Guest sent DMA to our page: do what the page says.
 *
 * We read the request out of the page once, into our own copy: the Guest
 * cannot change our mind halfway.  Then we take the Guest's reply buffer
 * whatever the request: it is how we learn which interrupt to raise, and
 * marking it used (used_len non-zero) is half of saying "done".  A Guest
 * that bound no buffer is broken; we fail its request and raise the
 * device's interrupt anyway, rather than leave it waiting forever.
 */
static uint32_t handle_block_output(struct guest *g, struct device *dev,
				    const struct iovec *iov, unsigned int num)
{
	struct lguest_block_page *page = dev->mem;
	struct block_file *bf = dev->priv;
	struct iovec reply[LGUEST_MAX_DMA_SECTIONS];
	struct block_request req = {
		.type = page->type,
		.sector = page->sector,
		.bytes = page->bytes,
	};
	uint32_t result = LGUEST_BLOCK_ERROR, irq = dev->index + 1;
	uint32_t used = 1, sent = 0;
	struct lguest_dma *reply_dma;
	unsigned int nreply = 0, i;
	uint64_t buf_len = 0;
	char why[160];
	int err;

	reply_dma = get_dma_buffer(g, dev->gpa, reply, &nreply, &irq);
	if (!reply_dma) {
		snprintf(why, sizeof(why), "the Guest bound no reply buffer");
		goto out;
	}
	if (req.type == LGUEST_BLOCK_WRITE)
		for (i = 0; i < num; i++)
			buf_len += iov[i].iov_len;
	else
		for (i = 0; i < nreply; i++)
			buf_len += reply[i].iov_len;
	if (block_check_request(&req, bf->num_sectors, bf->readonly, buf_len,
				why, sizeof(why)))
		goto out;

	switch (req.type) {
	case LGUEST_BLOCK_READ:
		err = block_io(bf->fd, false, reply, nreply,
			       (uint64_t)req.sector * BLOCK_SECTOR_SIZE, req.bytes);
		if (!err && req.bytes)
			used = req.bytes;
		break;
	case LGUEST_BLOCK_WRITE:
		err = block_io(bf->fd, true, iov, num,
			       (uint64_t)req.sector * BLOCK_SECTOR_SIZE, req.bytes);
		if (!err)
			sent = req.bytes;
		break;
	default:
		err = fdatasync(bf->fd) ? errno : 0;
		break;
	}
	if (err) {
		snprintf(why, sizeof(why), "%s", strerror(err));
		goto out;
	}
	result = LGUEST_BLOCK_DONE;
out:
	if (result != LGUEST_BLOCK_DONE && g->verbose)
		fprintf(stderr, "lguest-launch: %s: %s of %u bytes at sector %u failed: %s\n",
			dev->name, req.type == LGUEST_BLOCK_READ ? "read" :
			req.type == LGUEST_BLOCK_WRITE ? "write" :
			req.type == LGUEST_BLOCK_FLUSH ? "flush" : "request",
			req.bytes, req.sector, why);
	page->result = result;
	if (reply_dma)
		reply_dma->used_len = used;
	trigger_irq(g, irq);
	return sent;
}

/*L:750
 * Setting a disk up, before the Host is touched: every reason it cannot
 * be used ends the Launcher with one line saying which file and why.
 *
 * Two Launchers writing one disk would corrupt it, so a writable disk
 * takes an exclusive flock() and a read-only one a shared lock: any
 * number of Guests may share a read-only disk, but not with a writer.
 * The lock goes when we exit, however we exit.  A Host block device
 * opened for writing is opened O_EXCL too, which the Host kernel refuses
 * while it is mounted.
 */
static int open_block_file(struct block_file *bf)
{
	const char *path = bf->path;
	bool readonly = bf->readonly;
	struct block_file *other;
	struct stat st;
	int fd;

	fd = open(path, (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	if (fd < 0 && !readonly && (errno == EACCES || errno == EROFS ||
				    errno == EPERM) &&
	    access(path, R_OK) == 0)
		launch_die(EXIT_USAGE,
			   "block device file '%s' is not writable: use --block=ro:%s for a read-only disk",
			   path, path);
	if (fd < 0 && errno == EISDIR)
		launch_die(EXIT_USAGE, "block device file '%s' is a directory",
			   path);
	if (fd < 0)
		launch_die(EXIT_USAGE, "cannot open block device file '%s': %s",
			   path, strerror(errno));
	if (fstat(fd, &st) < 0)
		launch_die(EXIT_USAGE, "cannot stat block device file '%s': %s",
			   path, strerror(errno));
	if (S_ISDIR(st.st_mode))
		launch_die(EXIT_USAGE, "block device file '%s' is a directory",
			   path);
	for (other = block_files; other; other = other->next)
		if (other->dev == st.st_dev && other->ino == st.st_ino)
			launch_die(EXIT_USAGE,
				   "block device file '%s' is given twice (as '%s' too)",
				   path, other->path);
	if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode))
		launch_die(EXIT_USAGE,
			   "block device file '%s' is neither a regular file nor a block device",
			   path);
	if (flock(fd, (readonly ? LOCK_SH : LOCK_EX) | LOCK_NB) < 0) {
		if (errno == EWOULDBLOCK)
			launch_die(EXIT_USAGE,
				   "block device file '%s' is in use by another Launcher",
				   path);
		launch_die(EXIT_USAGE, "cannot lock block device file '%s': %s",
			   path, strerror(errno));
	}
	if (S_ISBLK(st.st_mode) && !readonly) {
		int excl = open(path, O_RDWR | O_EXCL | O_CLOEXEC);

		if (excl < 0 && errno == EBUSY)
			launch_die(EXIT_USAGE,
				   "block device '%s' is busy: is it mounted?",
				   path);
		if (excl < 0)
			launch_die(EXIT_USAGE, "cannot open block device '%s': %s",
				   path, strerror(errno));
		close(fd);
		/* The lock belongs to the file we keep. */
		if (flock(excl, LOCK_EX | LOCK_NB) < 0)
			launch_die(EXIT_USAGE,
				   "block device file '%s' is in use by another Launcher",
				   path);
		fd = excl;
	}
	bf->dev = st.st_dev;
	bf->ino = st.st_ino;
	return fd;
}

/* A regular file's size is its length; a block device's, the Host's word. */
static uint64_t block_file_size(int fd, const char *path)
{
	struct stat st;
	uint64_t bytes;
	off_t end;

	if (fstat(fd, &st) == 0 && S_ISBLK(st.st_mode) &&
	    ioctl(fd, BLKGETSIZE64, &bytes) == 0)
		return bytes;
	end = lseek(fd, 0, SEEK_END);
	if (end < 0)
		launch_die(EXIT_USAGE, "cannot find the size of block device file '%s': %s",
			   path, strerror(errno));
	return end;
}

static void setup_block(struct guest *g, const struct launch_config *cfg,
			const char *arg);

static const struct device_kind block_device_kind = {
	.option = "block",
	.short_option = 'b',
	.parse = check_block,
	.setup = setup_block,
	.handle_output = handle_block_output,
};
DEVICE_KIND(block_device_kind);

static void setup_block(struct guest *g, const struct launch_config *cfg,
			const char *arg)
{
	struct block_file *bf;
	struct lguest_block_page *page;
	struct device *dev;
	uint64_t bytes;
	char why[160];
	char *name;

	bf = calloc(1, sizeof(*bf));
	if (!bf)
		launch_die(EXIT_GUEST_FAILED, "out of memory");
	bf->path = block_parse_arg(arg, &bf->readonly);
	if (!bf->path[0])
		launch_die(EXIT_USAGE, "--block needs a file name");
	bf->fd = open_block_file(bf);
	bytes = block_file_size(bf->fd, bf->path);
	if (block_check_size(bytes, &bf->num_sectors, why, sizeof(why)))
		launch_die(EXIT_USAGE, "block device file '%s' %s", bf->path, why);

	if (asprintf(&name, "block '%s'", bf->path) < 0)
		launch_die(EXIT_GUEST_FAILED, "out of memory");
	dev = new_device(g, &block_device_kind, name, LGUEST_DEVICE_T_BLOCK,
			 LGUEST_DEVICE_F_RANDOMNESS |
			 (bf->readonly ? LGUEST_BLOCK_F_READONLY : 0), 1);
	page = dev->mem;
	page->num_sectors = bf->num_sectors;
	dev->watch_key = dev->gpa;
	dev->priv = bf;
	bf->next = block_files;
	block_files = bf;
	if (g->verbose)
		fprintf(stderr, "lguest-launch: %s: %u sectors (%" PRIu64 " MiB)%s\n",
			name, bf->num_sectors, bytes >> 20,
			bf->readonly ? ", read-only" : "");
}
