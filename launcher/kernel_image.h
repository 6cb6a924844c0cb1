/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kernel_image.h - recognising a Guest kernel image and finding the ELF
 * kernel inside it.  Pure logic on a buffer, so the unit tests drive it.
 */
#ifndef _LGUEST_KERNEL_IMAGE_H
#define _LGUEST_KERNEL_IMAGE_H

#include <stdbool.h>
#include <stddef.h>

/* The largest decompressed kernel we accept from a bzImage. */
#define KERNEL_IMAGE_MAX	(256UL << 20)

/*
 * kernel_image_elf - find the 32-bit x86 ELF kernel in @file (@len bytes):
 * @file itself if it is an ELF file, or the gzip'd payload of a bzImage.
 *
 * On success returns 0 and sets *@elf and *@elf_len; *@elf is either @file
 * or a malloc()ed buffer the caller frees (compare with @file).  On failure
 * returns -1 with a one-line reason in @err.
 */
int kernel_image_elf(const unsigned char *file, size_t len,
		     unsigned char **elf, size_t *elf_len,
		     char *err, size_t errlen);

/*
 * kernel_lguest_abi - the ABI version an ELF kernel declares in its
 * "lguest" ELF note, or 0 if it has none (it was built without lguest
 * support), or -1 if the ELF is malformed.
 */
long kernel_lguest_abi(const unsigned char *elf, size_t len);

#endif /* _LGUEST_KERNEL_IMAGE_H */
