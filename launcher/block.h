/* SPDX-License-Identifier: GPL-2.0 */
/*
 * block.h - the pure logic of the Launcher's block device (block.c): the
 * --block argument, the size of a disk file, and whether a request the
 * Guest wrote into its device page may be carried out.  None of these
 * opens a file or touches a Guest, so tests/unit/test_block.c drives them
 * directly.
 */
#ifndef _LGUEST_BLOCK_H
#define _LGUEST_BLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BLOCK_SECTOR_SIZE	512

/* A disk may have at most this many sectors: the page's num_sectors is 32 bits. */
#define BLOCK_MAX_SECTORS	UINT32_MAX

/*
 * block_parse_arg - split "FILE" or "ro:FILE".  Returns the file name and
 * sets @readonly.
 */
const char *block_parse_arg(const char *arg, bool *readonly);

/*
 * block_check_size - a disk file of @bytes: 0 with its sector count in
 * @num_sectors, or -1 with a reason (to follow "block device file 'X' ")
 * in @err.
 */
int block_check_size(uint64_t bytes, uint32_t *num_sectors, char *err,
		     size_t errlen);

/* A request as the Guest wrote it into struct lguest_block_page. */
struct block_request {
	uint32_t type;
	uint32_t sector;
	uint32_t bytes;
};

/*
 * block_check_request - may @req be carried out on a disk of @num_sectors
 * (@readonly or not)?  @buf_len is the length of the Guest's buffer: the
 * data it sent for a write, the reply buffer for a read.  Returns 0, or -1
 * with a reason in @err.
 */
int block_check_request(const struct block_request *req, uint32_t num_sectors,
			bool readonly, uint64_t buf_len, char *err,
			size_t errlen);

#endif /* _LGUEST_BLOCK_H */
