// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for launcher/kernel_image.c: bzImage and ELF recognition.
 *
 *	test-kernel-image NOTE-ELF PLAIN-ELF [REAL-BZIMAGE [HOST-VMLINUZ]]
 *
 * NOTE-ELF and PLAIN-ELF are tiny 32-bit kernels, with and without the
 * lguest note; bzImages are built around them here.  The optional real
 * files are our Guest bzImage and Debian's 64-bit Host kernel.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <libelf.h>
#include <lguest_abi.h>
#include "kernel_image.h"
#define UNIT_PREFIX "kimage"
#include "unit_test.h"


static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc(n ? n : 1);
	if (fread(buf, 1, n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}

static void put32(unsigned char *p, unsigned int v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

/* Wrap @elf in a minimal bzImage: setup sectors, header, gzip payload. */
static unsigned char *make_bzimage(const unsigned char *elf, size_t len,
				   size_t *out_len)
{
	const size_t setup = (4 + 1) * 512;
	size_t cap = setup + compressBound(len) + 64;
	unsigned char *bz = calloc(1, cap);
	z_stream zs = { 0 };

	deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8,
		     Z_DEFAULT_STRATEGY);
	zs.next_in = (unsigned char *)elf;
	zs.avail_in = len;
	zs.next_out = bz + setup;
	zs.avail_out = cap - setup;
	deflate(&zs, Z_FINISH);
	deflateEnd(&zs);

	bz[0x1F1] = 4;
	memcpy(bz + 0x202, "HdrS", 4);
	bz[0x206] = 0x0F;
	bz[0x207] = 0x02;
	put32(bz + 0x248, 0);
	put32(bz + 0x24C, zs.total_out);
	*out_len = setup + zs.total_out;
	return bz;
}

/* The image must be refused with a message containing @want. */
static void refused(const char *name, const unsigned char *img, size_t len,
		    const char *want)
{
	unsigned char *elf = NULL;
	size_t elf_len;
	char err[256];
	int rc = kernel_image_elf(img, len, &elf, &elf_len, err, sizeof(err));

	result(rc == -1 && strstr(err, want), name,
	       "rc %d, message '%s', want '%s'", rc, err, want);
	if (rc == 0 && elf != img)
		free(elf);
}

int main(int argc, char *argv[])
{
	unsigned char *note, *plain, *bz, *elf, *copy;
	size_t note_len, plain_len, bz_len, elf_len;
	char err[256];
	int rc;

	if (argc < 3) {
		fprintf(stderr, "usage: %s NOTE-ELF PLAIN-ELF [BZIMAGE [VMLINUZ]]\n",
			argv[0]);
		return 2;
	}
	elf_version(EV_CURRENT);
	note = slurp(argv[1], &note_len);
	plain = slurp(argv[2], &plain_len);
	if (!note || !plain) {
		printf("FAIL kimage-fixtures: cannot read %s or %s\n", argv[1],
		       argv[2]);
		return 1;
	}

	rc = kernel_image_elf(note, note_len, &elf, &elf_len, err, sizeof(err));
	result(rc == 0 && elf == note && elf_len == note_len, "elf-as-is",
	       "rc %d err '%s'", rc, err);
	result(kernel_lguest_abi(note, note_len) == LGUEST_ABI_VERSION,
	       "elf-note-found", "abi %ld", kernel_lguest_abi(note, note_len));
	result(kernel_lguest_abi(plain, plain_len) == 0, "elf-no-note",
	       "abi %ld for a kernel without the note",
	       kernel_lguest_abi(plain, plain_len));
	result(kernel_lguest_abi((unsigned char *)"garbage", 7) == -1,
	       "note-garbage", "garbage was read as an ELF");

	bz = make_bzimage(note, note_len, &bz_len);
	rc = kernel_image_elf(bz, bz_len, &elf, &elf_len, err, sizeof(err));
	result(rc == 0 && elf_len == note_len && !memcmp(elf, note, note_len),
	       "bzimage-payload", "rc %d err '%s'", rc, err);
	if (rc == 0) {
		result(kernel_lguest_abi(elf, elf_len) == LGUEST_ABI_VERSION,
		       "bzimage-note", "abi %ld", kernel_lguest_abi(elf, elf_len));
		free(elf);
	}

	refused("truncated", bz, bz_len - 100, "truncated");
	refused("header-only", bz, 0x300, "truncated");
	copy = malloc(bz_len);
	memcpy(copy, bz, bz_len);
	copy[2560 + bz_len / 3 % (bz_len - 2600) + 20] ^= 0xFF;
	refused("corrupt-payload", copy, bz_len, "corrupt");
	memcpy(copy, bz, bz_len);
	copy[0x236] |= 1;
	refused("64-bit-bzimage", copy, bz_len, "64-bit kernel");
	memcpy(copy, bz, bz_len);
	copy[0x206] = 0x06;
	refused("old-protocol", copy, bz_len, "too old");
	memcpy(copy, bz, bz_len);
	copy[2560] = 0xFD;	/* xz's magic, not gzip's */
	refused("not-gzip", copy, bz_len, "not gzip-compressed");
	refused("text-file", (const unsigned char *)"#!/bin/sh\necho hi\n", 18,
		"not a Linux kernel image");
	refused("empty", (const unsigned char *)"", 0, "not a Linux kernel image");
	free(copy);
	free(bz);

	/* Our own 64-bit test program is a perfectly good non-Guest ELF. */
	copy = slurp("/proc/self/exe", &elf_len);
	refused("64-bit-elf", copy, elf_len, "64-bit kernel");
	free(copy);

	if (argc > 3) {
		bz = slurp(argv[3], &bz_len);
		rc = bz ? kernel_image_elf(bz, bz_len, &elf, &elf_len, err,
					   sizeof(err)) : -1;
		result(rc == 0 && elf_len > 1000000, "real-guest-bzimage",
		       "rc %d err '%s'", rc, bz ? err : "unreadable");
		if (rc == 0) {
			printf("real Guest bzImage: %zu bytes, ELF %zu bytes, lguest ABI note %ld\n",
			       bz_len, elf_len, kernel_lguest_abi(elf, elf_len));
			free(elf);
		}
		free(bz);
	}
	if (argc > 4) {
		bz = slurp(argv[4], &bz_len);
		if (bz)
			refused("debian-amd64-vmlinuz", bz, bz_len, "64-bit kernel");
		else
			result(0, "debian-amd64-vmlinuz", "cannot read %s", argv[4]);
		free(bz);
	}
	free(note);
	free(plain);
	return failures ? 1 : 0;
}
